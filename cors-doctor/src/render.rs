//! The human form of a report, laid out like the browser's Network tab:
//! each exchange, the verdict per browser, the blame, the fix.

use std::fmt::Write as _;

use crate::report::{ExchangeRecord, Report, Verdict};

/// Whether to colour: a terminal, and `NO_COLOR` (its value passed as
/// `no_color`) unset or empty, as <https://no-color.org> says.
pub fn colour_wanted(is_terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
    is_terminal && no_color.is_none_or(|value| value.is_empty())
}

struct Paint {
    on: bool,
}

impl Paint {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
    fn red(&self, text: &str) -> String {
        self.paint("1;31", text)
    }
    fn green(&self, text: &str) -> String {
        self.paint("1;32", text)
    }
    fn yellow(&self, text: &str) -> String {
        self.paint("1;33", text)
    }
    fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }
    fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }
}

/// Request headers worth showing in the exchange list.
fn shown_request_header(name: &str) -> bool {
    name == "origin"
        || name.starts_with("access-control-request-")
        || name == "cookie"
        || name == "authorization"
}

/// The report as text, coloured when `colour`.
pub fn render(report: &Report, colour: bool) -> String {
    let paint = Paint { on: colour };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} from {} (credentials: {}, preflight: {})",
        paint.bold(&report.method),
        report.url,
        report.origin,
        report.credentials,
        if report.preflight { "yes" } else { "no" }
    );
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{}",
        paint.dim(" #  what            method   status  url")
    );
    for (index, exchange) in report.exchanges.iter().enumerate() {
        render_exchange(&mut out, &paint, index + 1, exchange);
    }
    let _ = writeln!(out);
    let verdict = match report.verdict {
        Verdict::Allowed => paint.green("ALLOWED"),
        Verdict::Blocked => paint.red("BLOCKED"),
        Verdict::Unreachable => paint.red("UNREACHABLE (not a CORS failure)"),
    };
    let _ = writeln!(out, "{verdict}  {}", report.reason.as_deref().unwrap_or(""));
    for (name, view) in [
        ("Chromium", &report.browsers.chromium),
        ("Firefox", &report.browsers.firefox),
        ("Safari", &report.browsers.safari),
    ] {
        if view.console.is_none() && view.verdict != report.verdict {
            let verdict = match view.verdict {
                Verdict::Allowed => "allowed",
                Verdict::Blocked => "blocked",
                Verdict::Unreachable => "unreachable",
            };
            let note = view
                .note
                .as_deref()
                .map_or(String::new(), |note| format!(" ({note})"));
            let _ = writeln!(out, "  {:<9} {verdict}{note}", format!("{name}:"));
        }
        if let Some(console) = &view.console {
            let mut lines = console.lines();
            let _ = writeln!(
                out,
                "  {:<9} {}",
                format!("{name}:"),
                lines.next().unwrap_or_default()
            );
            for line in lines {
                let _ = writeln!(out, "            {line}");
            }
        }
        if name == "Chromium" {
            if let Some(network) = &report.network {
                let _ = writeln!(out, "            {}", paint.dim(network));
            }
        }
    }
    if report.verdict != Verdict::Allowed || !report.blame.evidence.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{} {}",
            paint.yellow("Blame:"),
            paint.bold(report.blame.layer.as_str())
        );
        for line in &report.blame.evidence {
            let _ = writeln!(out, "  - {line}");
        }
    }
    if !report.fix.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "{}", paint.yellow("Fix:"));
        for line in &report.fix {
            let _ = writeln!(out, "  - {line}");
        }
    }
    if !report.notes.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "{}", paint.yellow("Notes:"));
        for line in &report.notes {
            let _ = writeln!(out, "  - {line}");
        }
    }
    out
}

fn render_exchange(out: &mut String, paint: &Paint, number: usize, exchange: &ExchangeRecord) {
    let status = exchange.response.as_ref().map_or_else(
        || "(failed)".to_owned(),
        |response| response.status.to_string(),
    );
    let status = match exchange.response.as_ref().map(|response| response.status) {
        Some(200..=299) => paint.green(&status),
        Some(300..=399) => paint.yellow(&status),
        _ => paint.red(&status),
    };
    let _ = writeln!(
        out,
        "{number:>2}  {:<15} {:<8} {:<6}  {}",
        exchange.purpose, exchange.request.method, status, exchange.request.url
    );
    for (name, value) in &exchange.request.headers {
        if shown_request_header(name) {
            let _ = writeln!(out, "    {}", paint.dim(&format!("> {name}: {value}")));
        }
    }
    if let Some(response) = &exchange.response {
        for (name, value) in &response.headers {
            if !matches!(name.as_str(), "date" | "content-length") {
                let _ = writeln!(out, "    {}", paint.dim(&format!("< {name}: {value}")));
            }
        }
    }
    if let Some(error) = &exchange.error {
        let _ = writeln!(out, "    {}", paint.red(&format!("! {error}")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        assert!(colour_wanted(true, None));
        assert!(colour_wanted(true, Some(OsStr::new(""))));
        assert!(!colour_wanted(true, Some(OsStr::new("1"))));
        assert!(!colour_wanted(false, None));
    }
}
