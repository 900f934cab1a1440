//! The `cors-doctor` command. See the crate's README.

use std::io::{IsTerminal as _, Read as _, Write as _};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use cors_doctor::explain::explain;
use cors_doctor::offline::{offline_report, request_to_probe};
use cors_doctor::render::{colour_wanted, render};
use cors_doctor::{probe_url, Probe, Report, Verdict};
use cors_runtime::browser::{BrowserRequest, Credentials};

const PROBE_EXAMPLES: &str = "\
Examples:
  # The seed error: a PUT whose preflight gets 405
  cors-doctor probe http://localhost:3000/items --origin http://localhost:5173 --method PUT -H 'Content-Type: application/json'

  # A credentialed request, sent for real, with a 2 MB body
  cors-doctor probe https://api.example.com/upload --origin https://app.example.com \\
      --method POST --credentials include --send-actual --body-size 2000000

  # Through the proxy and straight to the app, to tell which one changes the answer
  cors-doctor probe https://api.example.com/items --origin https://app.example.com --direct http://10.0.0.5:8080/items

  # In CI: a refused origin must stay refused (exit 0 when blocked)
  cors-doctor probe https://api.example.com/items --origin https://evil.example --expect blocked

Exit status: 0 allowed (or as --expect says), 1 blocked, 2 usage error or unreachable (DNS, refused, TLS).";

const EXPLAIN_EXAMPLES: &str = "\
Examples:
  # Paste the console line (wrapped lines are fine), then Ctrl-D
  cors-doctor explain

  # A HAR exported from DevTools (sanitized or not), without touching the network
  cors-doctor explain session.har --offline --json";

/// Why does the browser block this request, and which layer should change?
#[derive(Parser)]
#[command(name = "cors-doctor", version, about, after_help = PROBE_EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Send the request as Chromium would and say what the browser does, why, and what to change.
    #[command(after_help = PROBE_EXAMPLES)]
    Probe(ProbeArgs),
    /// Read a browser console line or a HAR file (FILE or stdin), name the reason, and re-probe the URL it names.
    #[command(after_help = EXPLAIN_EXAMPLES)]
    Explain(ExplainArgs),
}

#[derive(clap::Args)]
struct ProbeArgs {
    /// The URL the page fetches.
    url: String,
    /// The page's origin, e.g. https://app.example.com.
    #[arg(long)]
    origin: String,
    /// The method, as the page writes it (`patch` stays lower-case, as in fetch).
    #[arg(long, default_value = "GET")]
    method: String,
    /// A header the page's script sets, 'Name: value' (repeatable). 'Cookie: ...' stands for the browser's cookies.
    #[arg(short = 'H', long = "header", value_name = "HEADER")]
    headers: Vec<String>,
    /// The request's credentials mode.
    #[arg(long, value_enum, default_value_t = CredentialsArg::SameOrigin)]
    credentials: CredentialsArg,
    /// Also send a state-changing actual request (by default only GET/HEAD are sent).
    #[arg(long)]
    send_actual: bool,
    /// Body size in bytes of the actual request.
    #[arg(long, default_value_t = 0)]
    body_size: usize,
    /// The app's own URL for the same resource, bypassing the proxy, to compare.
    #[arg(long, value_name = "URL")]
    direct: Option<String>,
    /// Exit 0 when the outcome is this one (e.g. `blocked` for a refused origin).
    #[arg(long, value_enum)]
    expect: Option<ExpectArg>,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
struct ExplainArgs {
    /// A file with the console line or the HAR; stdin when absent.
    file: Option<std::path::PathBuf>,
    /// Do not re-probe the URL.
    #[arg(long)]
    offline: bool,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum CredentialsArg {
    Omit,
    SameOrigin,
    Include,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExpectArg {
    Allowed,
    Blocked,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => return usage(&format!("cannot start: {error}")),
    };
    match cli.command {
        Command::Probe(args) => runtime.block_on(probe(args)),
        Command::Explain(args) => runtime.block_on(explain_command(args)),
    }
}

fn usage(message: &str) -> ExitCode {
    let _ = writeln!(std::io::stderr(), "cors-doctor: {message}");
    ExitCode::from(2)
}

/// Whether `origin` is a serialized origin: scheme://host[:port].
fn is_serialized_origin(origin: &str) -> bool {
    let Some((scheme, rest)) = origin.split_once("://") else {
        return false;
    };
    !scheme.is_empty() && !rest.is_empty() && !rest.contains(['/', '?', '#', '@', ' '])
}

fn is_http_url(url: &str) -> bool {
    (url.starts_with("http://") || url.starts_with("https://"))
        && url
            .parse::<http::Uri>()
            .is_ok_and(|uri| uri.host().is_some_and(|host| !host.is_empty()))
}

async fn probe(args: ProbeArgs) -> ExitCode {
    if !is_http_url(&args.url) {
        return usage(&format!("not an http(s) URL: {}", args.url));
    }
    if let Some(direct) = &args.direct {
        if !is_http_url(direct) {
            return usage(&format!("--direct is not an http(s) URL: {direct}"));
        }
    }
    if !is_serialized_origin(&args.origin) {
        return usage(&format!(
            "--origin must be scheme://host[:port] with no path, e.g. https://app.example.com (got {})",
            args.origin
        ));
    }
    if args.method.is_empty()
        || !args
            .method
            .bytes()
            .all(cors_runtime::browser::is_token_byte)
    {
        return usage(&format!("not a method: {}", args.method));
    }
    let credentials = match args.credentials {
        CredentialsArg::Omit => Credentials::Omit,
        CredentialsArg::SameOrigin => Credentials::SameOrigin,
        CredentialsArg::Include => Credentials::Include,
    };
    let mut request = BrowserRequest::new(args.url.clone(), args.origin.clone())
        .method(&args.method)
        .credentials(credentials)
        .body_size(args.body_size);
    for header in &args.headers {
        let Some((name, value)) = header.split_once(':') else {
            return usage(&format!("a header is 'Name: value', got {header}"));
        };
        let name = name.trim();
        if name.is_empty()
            || http::HeaderName::from_bytes(name.as_bytes()).is_err()
            || http::HeaderValue::from_str(value.trim()).is_err()
        {
            return usage(&format!("not a valid header: {header}"));
        }
        request = request.header(name, value.trim());
    }
    let probe = Probe {
        request,
        send_actual: args.send_actual,
        direct: args.direct.clone(),
    };
    let report = probe_url(&probe).await;
    let expect = args.expect.map(|expect| match expect {
        ExpectArg::Allowed => Verdict::Allowed,
        ExpectArg::Blocked => Verdict::Blocked,
    });
    print_report(&report, args.json);
    ExitCode::from(report.exit_code(expect))
}

async fn explain_command(args: ExplainArgs) -> ExitCode {
    let mut input = String::new();
    let read = match &args.file {
        Some(path) => std::fs::File::open(path)
            .and_then(|file| file.take(64 << 20).read_to_string(&mut input)),
        None => std::io::stdin().take(64 << 20).read_to_string(&mut input),
    };
    if let Err(error) = read {
        return usage(&format!("cannot read the input: {error}"));
    }
    let Some(explained) = explain(&input) else {
        return usage("the input is neither a browser's CORS console line (Chromium, Firefox, Safari) nor a HAR file");
    };
    let offline = offline_report(&explained);
    // A browser-only reason (Local Network Access) cannot be re-probed.
    let reprobe = !args.offline && explained.browser_reason.is_none();
    let report = match (reprobe, request_to_probe(&explained)) {
        (true, Some(request)) if is_http_url(&request.url) => {
            let mut report = probe_url(&Probe {
                send_actual: false,
                direct: None,
                request,
            })
            .await;
            // An ambiguous line is confirmed by any reason it may stand for.
            let said_maybe = |now: &Option<String>| {
                explained.ambiguity.as_ref().is_some_and(|ambiguous| {
                    now.as_deref()
                        .is_some_and(|now| ambiguous.reasons.contains(&now))
                })
            };
            report.notes.insert(
                0,
                match (&offline.reason, &report.reason) {
                    (said, now) if said == now || said_maybe(now) => format!(
                        "re-probed: confirmed, the server still gives {}",
                        now.as_deref().unwrap_or("no CORS error")
                    ),
                    (said, now) => format!(
                        "re-probed: the input says {} but the server now gives {} (fixed since, or the request differs)",
                        said.as_deref().unwrap_or("no CORS reason"),
                        now.as_deref().unwrap_or("no CORS error")
                    ),
                },
            );
            report
        }
        _ => offline,
    };
    print_report(&report, args.json);
    ExitCode::from(report.exit_code(None))
}

fn print_report(report: &Report, json: bool) {
    // The report is redacted as it is built (`redact::redact_report`).
    let text = if json {
        report.to_json()
    } else {
        render(
            report,
            colour_wanted(
                std::io::stdout().is_terminal(),
                std::env::var_os("NO_COLOR").as_deref(),
            ),
        )
    };
    let _ = writeln!(std::io::stdout(), "{text}");
}
