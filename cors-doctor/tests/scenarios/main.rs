//! `cors-doctor` against scenario servers on loopback: an axum app and a
//! small proxy that injects one misconfiguration each (`app.rs`,
//! `proxy.rs`, `scenarios.rs`). For each scenario the doctor's reason,
//! blame and fix are the expected ones, the in-process report matches the
//! live one, and headless Chromium, asked over the DevTools protocol
//! (`Network.loadingFailed` -> `corsErrorStatus.corsError`), reports the
//! doctor's reason and prints the doctor's console line, which `explain`
//! maps back to that reason. The browser test follows
//! `cdp::chromium_or_skip`.

#[path = "../../../tests/browser/cdp.rs"]
mod cdp;

mod app;
mod proxy;
mod scenarios;

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use axum::response::Html;
use axum::routing::get;
use axum::Router;
use cors_doctor::client::HttpTransport;
use cors_doctor::explain::explain;
use cors_doctor::{probe_router, probe_url, Probe, Report, Verdict};
use cors_runtime::browser::{BrowserRequest, Transport};
use serde_json::{json, Value};

use crate::app::{ORIGIN_A, ORIGIN_B, PAGE_PORT};
use crate::scenarios::{Scenario, Target, SCENARIOS};

struct Servers {
    runtime: tokio::runtime::Runtime,
    app: u16,
    proxy: u16,
}

const PAGE: &str = r#"<!doctype html><title>doctor scenarios</title>
<script>
window.call = async (url, options) => {
  try {
    const response = await fetch(url, options);
    return { ok: true, status: response.status };
  } catch (error) {
    return { ok: false, error: String(error) };
  }
};
</script>"#;

fn servers() -> &'static Servers {
    static SERVERS: OnceLock<Servers> = OnceLock::new();
    SERVERS.get_or_init(|| {
        let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
        let serve = |port: u16, router: Router| {
            let listener = runtime
                .block_on(tokio::net::TcpListener::bind(("127.0.0.1", port)))
                .unwrap_or_else(|error| panic!("cannot listen on 127.0.0.1:{port}: {error}"));
            let port = listener.local_addr().expect("bound").port();
            runtime.spawn(async move { axum::serve(listener, router).await });
            port
        };
        let app = serve(0, app::app());
        let proxy = serve(0, proxy::proxy(app));
        serve(
            PAGE_PORT,
            Router::new().route("/", get(|| async { Html(PAGE) })),
        );
        Servers {
            runtime,
            app,
            proxy,
        }
    })
}

fn url(scenario: &Scenario, path: &str) -> String {
    let servers = servers();
    let port = match scenario.target {
        Target::App => servers.app,
        Target::Proxy => servers.proxy,
    };
    format!("http://127.0.0.1:{port}{path}")
}

fn request(scenario: &Scenario, url: String) -> BrowserRequest {
    let mut request = BrowserRequest::new(url, ORIGIN_A)
        .method(scenario.method)
        .credentials(scenario.credentials)
        .body_size(scenario.body_size);
    for (name, value) in scenario.headers {
        request = request.header(name, value);
    }
    request
}

fn probe(scenario: &Scenario) -> Probe {
    Probe {
        request: request(scenario, url(scenario, scenario.path)),
        send_actual: scenario.body_size > 0,
        direct: scenario
            .direct
            .map(|path| format!("http://127.0.0.1:{}{path}", servers().app)),
    }
}

/// Fills the proxy's URL-keyed cache with origin B's answer.
fn prime(scenario: &Scenario) {
    if !scenario.prime_with_other_origin {
        return;
    }
    let request = http::Request::builder()
        .method(scenario.method)
        .uri(url(scenario, scenario.path))
        .header("origin", ORIGIN_B)
        .body(Vec::new())
        .expect("valid request");
    servers()
        .runtime
        .block_on(HttpTransport::default().send(request))
        .expect("the proxy answers");
}

/// What is wrong with `report` for `scenario`, if anything.
fn mismatch(scenario: &Scenario, report: &Report) -> Option<String> {
    let mut wrong = Vec::new();
    if report.reason.as_deref() != scenario.reason {
        wrong.push(format!(
            "reason {:?}, expected {:?}",
            report.reason, scenario.reason
        ));
    }
    let verdict = if scenario.reason.is_some() {
        Verdict::Blocked
    } else {
        Verdict::Allowed
    };
    if report.verdict != verdict {
        wrong.push(format!("verdict {:?}", report.verdict));
    }
    if report.blame.layer != scenario.layer {
        wrong.push(format!(
            "layer {:?}, expected {:?}",
            report.blame.layer, scenario.layer
        ));
    }
    if !scenario.fix.is_empty() && !report.fix.iter().any(|line| line.contains(scenario.fix)) {
        wrong.push(format!("no fix line with {:?}", scenario.fix));
    }
    if scenario.fix.is_empty() && !report.fix.is_empty() {
        wrong.push("a fix where none is due".to_owned());
    }
    if !scenario.evidence.is_empty()
        && !report
            .blame
            .evidence
            .iter()
            .any(|line| line.contains(scenario.evidence))
    {
        wrong.push(format!("no evidence line with {:?}", scenario.evidence));
    }
    if !scenario.note.is_empty() && !report.notes.iter().any(|line| line.contains(scenario.note)) {
        wrong.push(format!("no note with {:?}", scenario.note));
    }
    (!wrong.is_empty()).then(|| {
        format!(
            "{}: {}\n{}",
            scenario.name,
            wrong.join("; "),
            cors_doctor::render::render(report, false)
        )
    })
}

#[test]
fn the_doctor_names_the_reason_layer_and_fix_of_every_scenario_within_eight_requests_and_a_second()
{
    let servers = servers();
    let mut failures = Vec::new();
    for scenario in SCENARIOS {
        prime(scenario);
        let started = Instant::now();
        let report = servers.runtime.block_on(probe_url(&probe(scenario)));
        let elapsed = started.elapsed();
        failures.extend(mismatch(scenario, &report));
        if report.exchanges.len() > 8 {
            failures.push(format!(
                "{}: {} requests",
                scenario.name,
                report.exchanges.len()
            ));
        }
        if elapsed > Duration::from_secs(1) {
            failures.push(format!("{}: took {elapsed:?}", scenario.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The in-process entry point gives the same report as the live probe for
/// the scenarios that reach the app directly.
#[test]
fn probing_the_assembled_router_in_process_gives_the_live_report() {
    let servers = servers();
    let router = app::app();
    let mut failures = Vec::new();
    for scenario in SCENARIOS
        .iter()
        .filter(|scenario| scenario.target == Target::App)
    {
        let live = servers.runtime.block_on(probe_url(&probe(scenario)));
        let in_process = servers.runtime.block_on(probe_router(
            &router,
            &Probe {
                request: request(scenario, scenario.path.to_owned()),
                ..probe(scenario)
            },
        ));
        failures.extend(mismatch(scenario, &in_process));
        let statuses = |report: &Report| {
            report
                .exchanges
                .iter()
                .map(|exchange| {
                    (
                        exchange.purpose.clone(),
                        exchange.response.as_ref().map(|response| response.status),
                    )
                })
                .collect::<Vec<_>>()
        };
        if (
            live.reason.clone(),
            live.blame.layer,
            live.fix.clone(),
            statuses(&live),
        ) != (
            in_process.reason.clone(),
            in_process.blame.layer,
            in_process.fix.clone(),
            statuses(&in_process),
        ) {
            failures.push(format!("{}: in process differs from live", scenario.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Runs `scenario` in the page and returns the `corsError` Chromium
/// reported (`None` when the fetch succeeded) and its console lines.
fn chromium_reason(
    browser: &mut cdp::Browser,
    scenario: &Scenario,
) -> (Option<String>, Vec<String>, Value) {
    let _ = browser.take_console(Duration::ZERO);
    let mut options = json!({
        "method": scenario.method,
        "headers": scenario.headers.iter().map(|(name, value)| ((*name).to_owned(), json!(value))).collect::<serde_json::Map<_, _>>(),
        "credentials": scenario.credentials.as_str(),
    });
    if scenario.body_size > 0 {
        options["body"] = json!("x".repeat(scenario.body_size));
    }
    let outcome = browser.eval(&format!(
        "call({:?}, {options})",
        url(scenario, scenario.path)
    ));
    std::thread::sleep(Duration::from_millis(100));
    browser.call("Runtime.evaluate", json!({ "expression": "0" }));
    let reason = browser
        .events()
        .iter()
        .filter(|event| event["method"] == "Network.loadingFailed")
        .find_map(|event| {
            event["params"]["corsErrorStatus"]["corsError"]
                .as_str()
                .map(str::to_owned)
        });
    let console = browser.take_console(Duration::ZERO);
    (reason, console, outcome)
}

#[test]
fn chromium_reports_the_doctors_reason_for_every_scenario() {
    let Some(chromium) =
        cdp::chromium_or_skip("chromium_reports_the_doctors_reason_for_every_scenario")
    else {
        return;
    };
    let servers = servers();
    let mut browser = cdp::Browser::launch(&chromium);
    browser.navigate(&format!("{ORIGIN_A}/"));
    let mut failures = Vec::new();
    for scenario in SCENARIOS {
        prime(scenario);
        let (reason, console, outcome) = chromium_reason(&mut browser, scenario);
        let report = servers.runtime.block_on(probe_url(&probe(scenario)));
        if reason != report.reason {
            failures.push(format!(
                "{}: Chromium says {reason:?}, the doctor {:?} ({outcome}; console {console:?})",
                scenario.name, report.reason
            ));
        }
        if let Some(line) = &report.browsers.chromium.console {
            if !console.iter().any(|text| text == line) {
                failures.push(format!(
                    "{}: Chromium printed {console:?}, the doctor {line:?}",
                    scenario.name
                ));
            }
        }
        // `explain` maps Chromium's own console line to Chromium's reason.
        if let (Some(reason), Some(line)) = (
            &reason,
            console
                .iter()
                .find(|text| text.contains("blocked by CORS policy")),
        ) {
            let explained = explain(line)
                .and_then(|explained| explained.error)
                .map(|error| error.name());
            if explained != Some(reason.as_str()) {
                failures.push(format!(
                    "{}: explain reads {line:?} as {explained:?}, Chromium said {reason}",
                    scenario.name
                ));
            }
        }
        if (outcome["ok"] == true) != (report.verdict == Verdict::Allowed) {
            failures.push(format!(
                "{}: the page saw {outcome}, the doctor {:?}",
                scenario.name, report.verdict
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
