//! `explain` reads back every console line the doctor prints: each reason
//! × Chromium, Firefox and Safari gives the same reason, or one of the
//! ambiguities listed in `explain::AMBIGUITIES`, said in the report.

use cors_doctor::console;
use cors_doctor::explain::{explain, Source, AMBIGUITIES};
use cors_doctor::offline::offline_report;
use cors_runtime::browser::CorsError;

const URL: &str = "https://api.example/items";
const ORIGIN: &str = "https://app.example";

/// Every reason the doctor reports, with the status of the response that
/// failed, as a probe finds them.
fn every_reason() -> Vec<(CorsError, u16)> {
    use CorsError::*;
    let mut reasons = Vec::new();
    for preflight in [false, true] {
        let status = if preflight { 204 } else { 200 };
        reasons.extend([
            (MissingAllowOriginHeader { preflight }, status),
            (
                MultipleAllowOriginValues {
                    preflight,
                    value: "https://app.example, https://app.example".into(),
                },
                status,
            ),
            (
                InvalidAllowOriginValue {
                    preflight,
                    value: "app.example".into(),
                },
                status,
            ),
            (
                AllowOriginMismatch {
                    preflight,
                    value: "https://other.example".into(),
                },
                status,
            ),
            (WildcardOriginNotAllowed { preflight }, status),
            (
                InvalidAllowCredentials {
                    preflight,
                    value: "True".into(),
                },
                status,
            ),
        ]);
    }
    reasons.extend([
        (PreflightInvalidStatus { status: 405 }, 405),
        (
            PreflightDisallowedRedirect {
                status: 301,
                location: "https://api.example/items/".into(),
            },
            301,
        ),
        (
            InvalidAllowMethodsPreflightResponse {
                value: "GET;PUT".into(),
            },
            204,
        ),
        (
            InvalidAllowHeadersPreflightResponse {
                value: "x-a;x-b".into(),
            },
            204,
        ),
        (
            MethodDisallowedByPreflightResponse {
                method: "PUT".into(),
            },
            204,
        ),
        (
            HeaderDisallowedByPreflightResponse {
                header: "x-a".into(),
            },
            204,
        ),
        (
            RedirectContainsCredentials {
                location: "https://user:pass@api.example/items".into(),
            },
            302,
        ),
    ]);
    reasons
}

fn console_line(source: Source, error: &CorsError, status: u16) -> String {
    match source {
        Source::Chromium => console::chromium(URL, ORIGIN, error),
        Source::Firefox => console::firefox(URL, error, Some(status)),
        Source::Safari => console::safari(URL, ORIGIN, error, Some(status)),
        Source::Har => unreachable!("not a console"),
    }
}

#[test]
fn every_console_line_the_doctor_prints_explains_back_to_its_reason() {
    let mut wrong = Vec::new();
    let mut cases = Vec::new();
    for (error, status) in every_reason() {
        for source in [Source::Chromium, Source::Firefox, Source::Safari] {
            let reason = error.name();
            cases.push((source, reason));
            let line = console_line(source, &error, status);
            let explained = explain(&line).unwrap_or_else(|| panic!("not recognised: {line}"));
            let got = explained.error.as_ref().map(CorsError::name);
            let documented = AMBIGUITIES
                .iter()
                .find(|entry| entry.source == source && entry.reasons.contains(&reason));
            let right = match (documented, &explained.ambiguity) {
                (None, None) => got == Some(reason),
                // An ambiguous line names the table's first reason and
                // says which others it may be.
                (Some(entry), Some(ambiguous)) => {
                    ambiguous.note == entry.note
                        && ambiguous.reasons == entry.reasons
                        && got == Some(entry.reasons[0])
                }
                _ => false,
            };
            if !right {
                wrong.push(format!(
                    "{source:?} {reason} -> {got:?} {:?}",
                    explained.ambiguity
                ));
            }
        }
    }
    assert_eq!(cases.len(), 19 * 3);
    assert!(
        wrong.is_empty(),
        "{} of {}: {wrong:#?}",
        wrong.len(),
        cases.len()
    );
    for entry in AMBIGUITIES {
        for reason in entry.reasons {
            assert!(
                cases.contains(&(entry.source, reason)),
                "{reason} is in AMBIGUITIES but not a reason the doctor prints"
            );
        }
    }
}

#[test]
fn preflight_words_elsewhere_in_the_paste_settle_firefoxs_line() {
    let missing = console::firefox(
        URL,
        &CorsError::MissingAllowOriginHeader { preflight: true },
        Some(204),
    );
    // Firefox's second line for a failed preflight (security.properties'
    // CORSPreflightDidNotSucceed, older wording).
    let paste = format!("{missing}\nCross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at {URL}. (Reason: CORS preflight channel did not succeed).");
    let explained = explain(&paste).expect("recognised");
    assert_eq!(
        explained.error.map(|error| error.name()),
        Some("PreflightMissingAllowOriginHeader")
    );
    assert_eq!(explained.ambiguity, None);
}

#[test]
fn the_offline_report_says_what_the_line_cannot_tell() {
    let line = console::safari(
        URL,
        ORIGIN,
        &CorsError::AllowOriginMismatch {
            preflight: true,
            value: "https://other.example".into(),
        },
        Some(204),
    );
    let report = offline_report(&explain(&line).expect("recognised"));
    assert_eq!(report.reason.as_deref(), Some("MissingAllowOriginHeader"));
    assert!(
        report
            .notes
            .iter()
            .any(|note| note.starts_with("Safari's line is the same")
                && note.contains("PreflightAllowOriginMismatch")),
        "{:?}",
        report.notes
    );
}
