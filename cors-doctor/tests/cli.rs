//! The `cors-doctor` command: exit codes, `--expect`, `--json`'s shape,
//! `--help`, `explain` from stdin and from a HAR file, redaction.

use std::io::Write as _;
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use axum::routing::get;
use axum::Router;
use cors_runtime::{cors, preflight};
use serde_json::Value;

const ORIGIN: &str = "https://app.example";

#[cors(origins = ["https://app.example"], methods = [GET, PUT], allow_headers = ["content-type"], max_age = 60)]
async fn items() -> &'static str {
    "items"
}

/// A correct app on loopback; returns its base URL.
fn server() -> &'static str {
    static BASE: OnceLock<(tokio::runtime::Runtime, String)> = OnceLock::new();
    &BASE
        .get_or_init(|| {
            let runtime = tokio::runtime::Runtime::new().expect("runtime");
            let listener = runtime
                .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
                .expect("bind");
            let port = listener.local_addr().expect("bound").port();
            let app = Router::new()
                .route("/items", get(items).put(items).options(preflight!(items)))
                .route(
                    "/plain",
                    get(|| async { "plain" }).put(|| async { "plain" }),
                );
            runtime.spawn(async move { axum::serve(listener, app).await });
            (runtime, format!("http://127.0.0.1:{port}"))
        })
        .1
}

fn doctor(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cors-doctor"))
        .args(args)
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cors-doctor starts");
    let mut input = child.stdin.take().expect("stdin");
    // A command that exits before reading (a usage error) closes the pipe.
    let _ = input.write_all(stdin.unwrap_or_default().as_bytes());
    drop(input);
    child.wait_with_output().expect("cors-doctor ends")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|error| panic!("{error}: {}", stdout(output)))
}

#[test]
fn a_correct_setup_is_allowed_and_exits_0() {
    let url = format!("{}/items", server());
    let output = doctor(
        &[
            "probe",
            &url,
            "--origin",
            ORIGIN,
            "--method",
            "PUT",
            "-H",
            "Content-Type: application/json",
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(stdout(&output).contains("ALLOWED"), "{}", stdout(&output));
}

#[test]
fn a_refused_origin_exits_1_and_0_with_expect_blocked() {
    let url = format!("{}/items", server());
    let args = [
        "probe",
        &url,
        "--origin",
        "https://evil.example",
        "--method",
        "PUT",
    ];
    assert_eq!(doctor(&args, None).status.code(), Some(1));
    let expecting: Vec<&str> = args
        .iter()
        .copied()
        .chain(["--expect", "blocked"])
        .collect();
    let output = doctor(&expecting, None);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let allowed: Vec<&str> = args
        .iter()
        .copied()
        .chain(["--expect", "allowed"])
        .collect();
    assert_eq!(doctor(&allowed, None).status.code(), Some(1));
}

#[test]
fn an_unreachable_server_exits_2_and_is_not_called_cors() {
    // A port that was free a moment ago.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let url = format!("http://127.0.0.1:{port}/items");
    let output = doctor(&["probe", &url, "--origin", ORIGIN, "--json"], None);
    assert_eq!(output.status.code(), Some(2));
    let report = json(&output);
    assert_eq!(report["verdict"], "unreachable");
    assert_eq!(report["blame"]["layer"], "network");
    assert!(report["reason"].is_null());
    assert_eq!(
        report["network"],
        format!("GET {url} net::ERR_CONNECTION_REFUSED")
    );
    let output = doctor(
        &["probe", "http://no-such-host.invalid/", "--origin", ORIGIN],
        None,
    );
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    assert!(
        stdout(&output).contains("not a CORS failure"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        vec![
            "probe",
            "http://127.0.0.1:1/",
            "--origin",
            "https://app.example/",
        ],
        vec!["probe", "not a url", "--origin", ORIGIN],
        vec!["probe", "ftp://a.example/", "--origin", ORIGIN],
        vec![
            "probe",
            "http://127.0.0.1:1/",
            "--origin",
            ORIGIN,
            "-H",
            "no colon",
        ],
        vec![
            "probe",
            "http://127.0.0.1:1/",
            "--origin",
            ORIGIN,
            "--credentials",
            "always",
        ],
        vec!["probe", "http://127.0.0.1:1/"],
        vec!["explain", "--offline"],
    ] {
        let output = doctor(&args, Some("nothing a browser would say"));
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stdout(&output)
        );
    }
}

#[test]
fn json_has_the_designed_shape() {
    let url = format!("{}/plain", server());
    let output = doctor(
        &[
            "probe",
            &url,
            "--origin",
            ORIGIN,
            "--method",
            "PUT",
            "--credentials",
            "include",
            "--json",
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(1));
    let report = json(&output);
    for key in [
        "url",
        "origin",
        "method",
        "credentials",
        "preflight",
        "verdict",
        "reason",
        "browsers",
        "blame",
        "exchanges",
        "fix",
    ] {
        assert!(report.get(key).is_some(), "no {key}: {report}");
    }
    assert_eq!(report["url"], url);
    assert_eq!(report["method"], "PUT");
    assert_eq!(report["credentials"], "include");
    assert_eq!(report["preflight"], true);
    assert_eq!(report["verdict"], "blocked");
    assert_eq!(report["reason"], "PreflightMissingAllowOriginHeader");
    assert_eq!(
        report["browsers"]["chromium"]["reason"],
        "PreflightMissingAllowOriginHeader"
    );
    assert!(report["browsers"]["chromium"]["console"]
        .as_str()
        .is_some_and(|line| line.starts_with("Access to fetch at ")));
    assert!(report["browsers"]["firefox"]["console"]
        .as_str()
        .is_some_and(|line| line.starts_with("Cross-Origin Request Blocked: ")));
    assert!(report["browsers"]["safari"]["console"]
        .as_str()
        .is_some_and(|line| line.contains("due to access control checks.")));
    assert_eq!(report["blame"]["layer"], "router");
    assert!(report["blame"]["evidence"]
        .as_array()
        .is_some_and(|lines| lines.iter().any(|line| line
            .as_str()
            .is_some_and(|line| line.contains("Allow: GET,HEAD,PUT")))));
    let first = &report["exchanges"][0];
    assert_eq!(first["request"]["method"], "OPTIONS");
    assert_eq!(first["response"]["status"], 405);
    assert!(first["request"]["headers"]
        .as_array()
        .is_some_and(|headers| headers.contains(&serde_json::json!(["origin", ORIGIN]))));
    assert!(report["fix"].as_array().is_some_and(|fix| !fix.is_empty()));
    assert_eq!(report["network"], format!("PUT {url} net::ERR_FAILED 405"));
}

#[test]
fn help_shows_examples_and_piped_output_has_no_colour() {
    for args in [
        vec!["--help"],
        vec!["probe", "--help"],
        vec!["explain", "--help"],
    ] {
        let output = doctor(&args, None);
        assert_eq!(output.status.code(), Some(0));
        assert!(
            stdout(&output).contains("Examples:"),
            "{args:?}: {}",
            stdout(&output)
        );
    }
    let url = format!("{}/plain", server());
    let output = doctor(
        &["probe", &url, "--origin", ORIGIN, "--method", "PUT"],
        None,
    );
    assert!(stdout(&output).contains("BLOCKED"));
    assert!(!stdout(&output).contains('\x1b'), "escape codes in a pipe");
}

const SEED: &str = "Access to fetch at 'URL' from origin 'https://app.example' has been blocked by CORS policy: Response to preflight
request doesn't pass access control check: It does not have HTTP ok status.
PUT URL net::ERR_FAILED 405";

#[test]
fn explain_offline_maps_a_wrapped_console_line_to_the_reason() {
    let line = SEED.replace("URL", "https://api.example/items?access_token=hunter2");
    let output = doctor(&["explain", "--offline", "--json"], Some(&line));
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    let report = json(&output);
    assert_eq!(report["reason"], "PreflightInvalidStatus");
    assert_eq!(report["method"], "PUT");
    assert_eq!(report["blame"]["layer"], "router");
    assert!(
        !stdout(&output).contains("hunter2"),
        "the token leaked: {}",
        stdout(&output)
    );
}

#[test]
fn explain_re_probes_the_url_it_names() {
    let line = SEED.replace("URL", &format!("{}/plain", server()));
    let output = doctor(&["explain", "--json"], Some(&line));
    let report = json(&output);
    assert_eq!(
        report["reason"], "PreflightMissingAllowOriginHeader",
        "{report}"
    );
    assert!(
        !report["exchanges"].as_array().is_some_and(Vec::is_empty),
        "{report}"
    );
    assert!(
        report["notes"][0]
            .as_str()
            .is_some_and(|note| note.contains("PreflightInvalidStatus")
                && note.contains("now gives PreflightMissingAllowOriginHeader")),
        "{report}"
    );
}

#[test]
fn explain_reads_a_har_file_and_prints_no_cookie() {
    let url = format!("{}/plain?session_token=s3cret", server());
    let har = serde_json::json!({"log": {"entries": [
        {"request": {"method": "OPTIONS", "url": url, "headers": [
            {"name": "Origin", "value": ORIGIN},
            {"name": "Access-Control-Request-Method", "value": "PUT"}]},
         "response": {"status": 405, "headers": [{"name": "Allow", "value": "GET,HEAD,PUT"}]}},
        {"request": {"method": "PUT", "url": url, "headers": [
            {"name": "Origin", "value": ORIGIN},
            {"name": "Cookie", "value": "session=topsecretcookie"}]},
         "response": {"status": 0, "headers": [], "_error": "net::ERR_FAILED"}}]}});
    let path = std::env::temp_dir().join(format!("cors-doctor-test-{}.har", std::process::id()));
    std::fs::write(&path, har.to_string()).expect("write HAR");
    let output = doctor(&["explain", path.to_str().expect("UTF-8 path")], None);
    let _ = std::fs::remove_file(&path);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.contains("PreflightMissingAllowOriginHeader"), "{text}");
    assert!(
        !text.contains("topsecretcookie") && !text.contains("s3cret"),
        "a secret leaked: {text}"
    );
    let output = doctor(
        &["explain", "--offline", "--json"],
        Some("{\"log\": {\"entries\": [{\"request\": 5}]}}"),
    );
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn explain_never_prescribes_a_header_for_local_network_access() {
    let line = "Access to fetch at 'http://192.168.1.2/x' from origin 'https://app.example.com' has been blocked by CORS policy: Permission was denied for this request to access the `local` address space.";
    // Not re-probed: no server answer changes the outcome.
    let output = doctor(&["explain", "--json"], Some(line));
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    let report = json(&output);
    assert_eq!(report["reason"], "LocalNetworkAccessPermissionDenied");
    assert_eq!(report["blame"]["layer"], "browser");
    assert_eq!(report["exchanges"], serde_json::json!([]));
    assert_eq!(report["browsers"]["firefox"]["verdict"], "allowed");
    let fixes = report["fix"].as_array().expect("fix list");
    assert!(
        fixes.iter().all(|fix| fix
            .as_str()
            .is_some_and(|fix| fix.starts_with("no response header fixes this"))),
        "{report}"
    );
}

/// Fails when `SECRET` appears anywhere in `output`'s stdout.
fn assert_no_secret(output: &Output) {
    let text = stdout(output);
    let leaks: Vec<&str> = text
        .lines()
        .filter(|line| line.contains("SECRET"))
        .collect();
    assert!(leaks.is_empty(), "{} leaks: {leaks:#?}", leaks.len());
}

const SECRET_HEADERS: [&str; 4] = [
    "-H",
    "Cookie: session=SECRET",
    "-H",
    "Authorization: Bearer SECRET",
];

#[test]
fn probe_prints_no_token_cookie_or_authorization_in_either_form() {
    let url = format!("{}/items?access_token=SECRET&page=2", server());
    for json_flag in [Some("--json"), None] {
        let mut args = vec![
            "probe",
            &url,
            "--origin",
            ORIGIN,
            "--credentials",
            "include",
        ];
        args.extend(SECRET_HEADERS);
        args.extend(json_flag);
        let output = doctor(&args, None);
        assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
        assert_no_secret(&output);
        assert!(stdout(&output).contains("page=2"), "{}", stdout(&output));
    }
}

#[test]
fn explain_after_a_re_probe_prints_no_token_cookie_or_authorization() {
    let url = format!("{}/plain?access_token=SECRET", server());
    let line = SEED.replace("URL", &url);
    let har = serde_json::json!({"log": {"entries": [
        {"request": {"method": "PUT", "url": url, "headers": [
            {"name": "Origin", "value": ORIGIN},
            {"name": "Cookie", "value": "session=SECRET"},
            {"name": "Authorization", "value": "Bearer SECRET"}]},
         "response": {"status": 0, "headers": [], "_error": "net::ERR_FAILED"}}]}})
    .to_string();
    for input in [line, har] {
        for json_flag in [Some("--json"), None] {
            let mut args = vec!["explain"];
            args.extend(json_flag);
            let output = doctor(&args, Some(&input));
            assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
            assert!(stdout(&output).contains("re-probed"), "{}", stdout(&output));
            assert_no_secret(&output);
        }
    }
}

/// The structure of a JSON value: every key and each value's type, not the
/// values themselves. An array's elements are merged: one shape, or
/// `{"one of": [...]}` when they differ.
fn shape(value: &Value) -> Value {
    match value {
        Value::Null => "null".into(),
        Value::Bool(_) => "boolean".into(),
        Value::Number(_) => "number".into(),
        Value::String(_) => "string".into(),
        Value::Array(items) => {
            let mut shapes: Vec<Value> = Vec::new();
            for item in items.iter().map(shape) {
                if !shapes.contains(&item) {
                    shapes.push(item);
                }
            }
            shapes.sort_by_key(Value::to_string);
            match shapes.len() {
                0 => serde_json::json!([]),
                1 => Value::Array(shapes),
                _ => serde_json::json!([{ "one of": shapes }]),
            }
        }
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, value)| (key.clone(), shape(value)))
                .collect(),
        ),
    }
}

/// `--json` is stable: the keys and value types of a blocked report and of
/// an unreachable one match `tests/json_shape.json`. A change there breaks
/// scripts that read the output; if it is intended, regenerate the file
/// with `UPDATE_JSON_SHAPE=1 cargo test -p cors-doctor --test cli
/// json_keys_and_types_match_the_checked_in_shape`, review its diff, and
/// note the change in CHANGELOG.md.
#[test]
fn json_keys_and_types_match_the_checked_in_shape() {
    let blocked_url = format!("{}/plain", server());
    let blocked = doctor(
        &[
            "probe",
            &blocked_url,
            "--origin",
            ORIGIN,
            "--method",
            "PUT",
            "--credentials",
            "include",
            "--json",
        ],
        None,
    );
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let unreachable_url = format!("http://127.0.0.1:{port}/items");
    let unreachable = doctor(
        &["probe", &unreachable_url, "--origin", ORIGIN, "--json"],
        None,
    );
    let actual = serde_json::json!({
        "blocked": shape(&json(&blocked)),
        "unreachable": shape(&json(&unreachable)),
    });
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/json_shape.json");
    let text = serde_json::to_string_pretty(&actual).expect("serialisable") + "\n";
    if std::env::var_os("UPDATE_JSON_SHAPE").is_some() {
        std::fs::write(&path, &text).expect("write tests/json_shape.json");
        return;
    }
    let expected = std::fs::read_to_string(&path).expect("tests/json_shape.json");
    assert_eq!(
        text, expected,
        "--json's structure changed; see this test's doc comment to update tests/json_shape.json"
    );
}

/// A loopback server that answers a preflight (an `OPTIONS` with
/// `Access-Control-Request-Method`) with a passing grant and drops every
/// other request: closing it (`reset: false`) or resetting it.
fn crashing_server(reset: bool) -> String {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    static SERVERS: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    let runtime = SERVERS.get_or_init(|| tokio::runtime::Runtime::new().expect("runtime"));
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .expect("bind");
    let port = listener.local_addr().expect("bound").port();
    runtime.spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut head = Vec::new();
            let mut buffer = [0; 4096];
            while !head.windows(4).any(|window| window == b"\r\n\r\n") {
                match stream.read(&mut buffer).await {
                    Ok(0) | Err(_) => break,
                    Ok(read) => head.extend_from_slice(&buffer[..read]),
                }
            }
            let head = String::from_utf8_lossy(&head).to_ascii_lowercase();
            if head.starts_with("options") && head.contains("access-control-request-method") {
                let _ = stream
                    .write_all(
                        format!(
                            "HTTP/1.1 204 No Content\r\naccess-control-allow-origin: {ORIGIN}\r\naccess-control-allow-methods: PUT\r\nconnection: close\r\n\r\n"
                        )
                        .as_bytes(),
                    )
                    .await;
            } else if reset {
                let _ = stream.set_zero_linger();
            }
            drop(stream);
        }
    });
    format!("http://127.0.0.1:{port}/items")
}

#[test]
fn a_crash_on_the_actual_request_exits_2_and_says_whether_a_preflight_passed() {
    let url = crashing_server(false);
    let output = doctor(&["probe", &url, "--origin", ORIGIN, "--json"], None);
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    let report = json(&output);
    assert_eq!(report["verdict"], "unreachable");
    assert_eq!(report["blame"]["layer"], "network");
    assert_eq!(
        report["network"],
        format!("GET {url} net::ERR_EMPTY_RESPONSE")
    );
    assert_eq!(
        report["fix"][0],
        "the server crashed on the request (no preflight was needed): read its logs (no CORS header can help)",
        "{report}"
    );

    let url = crashing_server(true);
    let output = doctor(
        &[
            "probe",
            &url,
            "--origin",
            ORIGIN,
            "--method",
            "PUT",
            "--send-actual",
            "--json",
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    let report = json(&output);
    assert_eq!(report["verdict"], "unreachable");
    assert_eq!(
        report["network"],
        format!("PUT {url} net::ERR_CONNECTION_RESET")
    );
    assert_eq!(
        report["exchanges"][0]["response"]["status"], 204,
        "{report}"
    );
    assert!(
        report["fix"][0]
            .as_str()
            .is_some_and(|fix| fix.starts_with("the preflight passed; the server crashed")),
        "{report}"
    );
}

#[test]
fn https_to_a_plain_http_port_is_a_protocol_error_and_exits_2() {
    let url = format!("{}/items", server()).replace("http://", "https://");
    let output = doctor(&["probe", &url, "--origin", ORIGIN, "--json"], None);
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    let report = json(&output);
    assert_eq!(report["verdict"], "unreachable");
    assert_eq!(report["blame"]["layer"], "network");
    assert!(report["reason"].is_null());
    assert_eq!(
        report["network"],
        format!("GET {url} net::ERR_SSL_PROTOCOL_ERROR")
    );
    assert!(
        report["blame"]["evidence"][0]
            .as_str()
            .is_some_and(|line| line.contains("does not speak TLS")),
        "{report}"
    );
}
