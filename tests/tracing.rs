//! With the default `tracing` feature, each refusal is one `debug` event
//! saying why, with the handler and the origin; an allowed request logs
//! nothing.

use std::sync::{Arc, Mutex};

use axum::routing::get;
use axum::Router;
use cors_attr_tests::{actual, preflight};
use cors_runtime::{cors, preflight};
use tower::ServiceExt;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

#[cors(origins = ["https://app.example.com"], methods = [GET, PUT], allow_headers = ["content-type"])]
async fn items() -> &'static str {
    "items"
}

/// Records each event as `level message field=value ...`.
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<String>>>);

struct Line(String);

impl Visit for Line {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.0.push_str(&format!(" {value:?}"));
        } else {
            self.0.push_str(&format!(" {}={value:?}", field.name()));
        }
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        self.0
            .lock()
            .unwrap()
            .push(format!("SPAN {}", span.metadata().name()));
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut line = Line(event.metadata().level().to_string());
        event.record(&mut line);
        self.0.lock().unwrap().push(line.0);
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

// Attributes below `#[cors]` see the function as written, under its name.
#[cors(origins = ["https://app.example.com"], methods = [GET])]
#[tracing::instrument]
async fn instrumented() -> &'static str {
    "instrumented"
}

fn events_for(request: axum::http::Request<axum::body::Body>) -> Vec<String> {
    let app = Router::new()
        .route("/items", get(items).put(items).options(preflight!(items)))
        .route("/instrumented", get(instrumented));
    let recorder = Recorder::default();
    tracing::subscriber::with_default(recorder.clone(), || {
        // On this thread, where the recorder is the default subscriber.
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        drop(runtime.block_on(app.oneshot(request)));
    });
    let events = recorder.0.lock().unwrap().clone();
    events
}

#[test]
fn allowed_requests_log_nothing() {
    assert_eq!(
        events_for(actual("GET", "/items", Some("https://app.example.com"))),
        Vec::<String>::new()
    );
    assert_eq!(
        events_for(preflight(
            "/items",
            "https://app.example.com",
            "PUT",
            Some("content-type")
        )),
        Vec::<String>::new()
    );
    assert_eq!(
        events_for(actual("GET", "/items", None)),
        Vec::<String>::new()
    );
}

#[test]
fn refused_origin_is_logged_with_handler_and_origin() {
    for request in [
        actual("GET", "/items", Some("https://evil.example")),
        preflight("/items", "https://evil.example", "PUT", None),
    ] {
        let events = events_for(request);
        assert_eq!(events.len(), 1, "{events:?}");
        let event = &events[0];
        assert!(event.starts_with("DEBUG"), "{event}");
        assert!(
            event.contains("CORS refused: origin not allowed"),
            "{event}"
        );
        assert!(event.contains("handler=\"tracing::items\""), "{event}");
        assert!(event.contains("origin=https://evil.example"), "{event}");
    }
}

#[test]
fn refused_method_and_header_are_named() {
    let events = events_for(preflight(
        "/items",
        "https://app.example.com",
        "DELETE",
        None,
    ));
    assert!(
        events.len() == 1
            && events[0].contains("method not allowed")
            && events[0].contains("method=DELETE"),
        "{events:?}"
    );
    // A handler of a split path that this `preflight!` does not name is
    // the likely cause: the event says how to name it.
    assert!(
        events[0].contains("name it in this `preflight!` too"),
        "{events:?}"
    );
    let events = events_for(preflight(
        "/items",
        "https://app.example.com",
        "PUT",
        Some("content-type, x-secret"),
    ));
    assert!(
        events.len() == 1
            && events[0].contains("request headers not allowed")
            && events[0].contains("x-secret"),
        "{events:?}"
    );
}

#[test]
fn request_bytes_in_refusals_are_escaped() {
    let events = events_for(actual(
        "GET",
        "/items",
        Some("https://a.example\t\u{202e}moc.elpmaxe"),
    ));
    assert_eq!(events.len(), 1, "{events:?}");
    assert!(
        events[0].contains("origin=https://a.example\\u{9}\\u{202e}moc.elpmaxe"),
        "{events:?}"
    );
    assert!(!events[0].contains('\u{202e}'), "{events:?}");
}

#[test]
fn instrument_below_cors_names_the_span_after_the_handler() {
    let events = events_for(actual("GET", "/instrumented", None));
    assert_eq!(events, ["SPAN instrumented"]);
}
