//! The policy is enforced, not only advertised: a state-changing
//! cross-origin request from an origin the policy does not allow never
//! reaches the handler, a method the policy does not list gets no grant,
//! and the `Access-Control-*` headers belong to the policy.

use std::cell::Cell;
use std::convert::Infallible;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Request, StatusCode};
use axum::routing::{get, post};
use axum::Router;
use cors_attr_tests::{has_any_allow_header, header, request, send};
use cors_runtime::cors;

const APP: &str = "https://app.example.com";
const EVIL: &str = "https://evil.example.net";

thread_local! {
    /// `write`'s runs on this thread: each `#[tokio::test]` runs on its own
    /// thread, and so do the handlers of its requests, so tests running in
    /// parallel do not count each other's writes.
    static WRITES: Cell<usize> = const { Cell::new(0) };
}
static UNPROTECTED_WRITES: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// `SideEffect`'s runs, and the polls of a `CountedBody`, on this thread.
    static SIDE_EFFECTS: Cell<usize> = const { Cell::new(0) };
    static BODY_READS: Cell<usize> = const { Cell::new(0) };
}

/// An extractor with a side effect, as one that writes an audit log or
/// takes a rate-limit token would have.
struct SideEffect;

impl<S: Sync> FromRequestParts<S> for SideEffect {
    type Rejection = Infallible;

    async fn from_request_parts(_: &mut Parts, _: &S) -> Result<Self, Infallible> {
        SIDE_EFFECTS.with(|runs| runs.set(runs.get() + 1));
        Ok(Self)
    }
}

/// A request body that counts how often it is read.
struct CountedBody(Option<Bytes>);

impl HttpBody for CountedBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, Infallible>>> {
        BODY_READS.with(|reads| reads.set(reads.get() + 1));
        Poll::Ready(self.0.take().map(|data| Ok(http_body::Frame::data(data))))
    }
}

#[cors(origins = ["https://app.example.com"], methods = [POST])]
async fn with_extractor(_effect: SideEffect, body: String) -> String {
    body
}

#[cors(origins = ["https://app.example.com"], methods = [POST])]
async fn only_body(body: String) -> String {
    body
}

#[cors(origins = ["https://app.example.com"], methods = [POST], credentials = true)]
async fn write() -> &'static str {
    WRITES.with(|writes| writes.set(writes.get() + 1));
    "written"
}

#[cors(origins = ["https://app.example.com"], methods = [POST], cross_origin_protection = false)]
async fn webhook(body: String) -> String {
    UNPROTECTED_WRITES.fetch_add(1, Ordering::SeqCst);
    body
}

#[cors(origins = ["https://app.example.com"], methods = [GET], credentials = true)]
async fn read_only() -> &'static str {
    "read"
}

#[cors(origins = ["https://app.example.com"], methods = [GET], expose_headers = ["x-id"])]
async fn sets_its_own() -> ([(&'static str, &'static str); 4], &'static str) {
    (
        [
            ("access-control-allow-origin", "*"),
            ("access-control-allow-credentials", "true"),
            ("access-control-expose-headers", "x-secret"),
            ("x-id", "1"),
        ],
        "body",
    )
}

/// More headers than `Grant::decorate` compares one by one: it looks the
/// CORS headers and `Vary` up instead.
#[cors(origins = ["https://app.example.com"], methods = [GET])]
async fn sets_its_own_among_many() -> ([(&'static str, &'static str); 12], &'static str) {
    (
        [
            ("x-a", "1"),
            ("x-b", "1"),
            ("x-c", "1"),
            ("x-d", "1"),
            ("x-e", "1"),
            ("x-f", "1"),
            ("x-g", "1"),
            ("x-h", "1"),
            ("vary", "accept-encoding"),
            ("access-control-allow-origin", "*"),
            ("access-control-allow-credentials", "true"),
            ("access-control-expose-headers", "x-secret"),
        ],
        "body",
    )
}

thread_local! {
    /// `live_feed`'s runs on this thread, as `WRITES`.
    static SOCKETS: Cell<usize> = const { Cell::new(0) };
}

/// Stands for a handler taking `WebSocketUpgrade`: `oneshot` cannot
/// upgrade a connection, and the decision comes before any extractor.
#[cors(origins = ["https://app.example.com"], methods = [GET], credentials = true)]
async fn live_feed() -> &'static str {
    SOCKETS.with(|sockets| sockets.set(sockets.get() + 1));
    "switching protocols"
}

#[cors(origins = ["https://app.example.com"], methods = [GET], cross_origin_protection = false)]
async fn public_feed() -> &'static str {
    SOCKETS.with(|sockets| sockets.set(sockets.get() + 1));
    "switching protocols"
}

fn app() -> Router {
    Router::new()
        .route("/live", get(live_feed))
        .route("/public-live", get(public_feed))
        .route("/write", post(write))
        .route("/webhook", post(webhook))
        .route("/read", get(read_only).post(read_only))
        .route("/own", get(sets_its_own))
        .route("/own-many", get(sets_its_own_among_many))
        .route("/with-extractor", post(with_extractor))
        .route("/only-body", post(only_body))
}

/// A cross-site `POST` of `hello` from `origin` to `path`: its status and
/// body, and how often `SideEffect` ran and the body was read.
async fn post_counted(path: &str, origin: &str) -> (StatusCode, String, usize, usize) {
    let (effects, reads) = (SIDE_EFFECTS.with(Cell::get), BODY_READS.with(Cell::get));
    let request = Request::post(path)
        .header("origin", origin)
        .header("sec-fetch-site", "cross-site")
        .body(Body::new(CountedBody(Some(Bytes::from_static(b"hello")))))
        .unwrap();
    let response = send(&app(), request).await;
    let status = response.status();
    let body = cors_attr_tests::body_text(response).await;
    (
        status,
        body,
        SIDE_EFFECTS.with(Cell::get) - effects,
        BODY_READS.with(Cell::get) - reads,
    )
}

/// Runs `request` against `/write` and says whether `write` ran.
async fn write_ran(headers: &[(&str, &str)]) -> (StatusCode, bool) {
    let before = WRITES.with(Cell::get);
    let response = send(&app(), request("POST", "/write", headers)).await;
    let status = response.status();
    (status, WRITES.with(Cell::get) > before)
}

#[tokio::test]
async fn cross_site_write_from_a_refused_origin_is_forbidden_and_never_runs() {
    let response = send(
        &app(),
        request(
            "POST",
            "/write",
            &[("origin", EVIL), ("sec-fetch-site", "cross-site")],
        ),
    )
    .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(!has_any_allow_header(&response));
    assert_eq!(header(&response, "vary").as_deref(), Some("Origin"));
    let (status, ran) = write_ran(&[("origin", EVIL), ("sec-fetch-site", "cross-site")]).await;
    assert_eq!((status, ran), (StatusCode::FORBIDDEN, false));
    // `same-site` is still another origin.
    let (status, ran) = write_ran(&[
        ("origin", "https://other.example.com"),
        ("sec-fetch-site", "same-site"),
    ])
    .await;
    assert_eq!((status, ran), (StatusCode::FORBIDDEN, false));
}

#[tokio::test]
async fn a_refused_cross_site_write_is_answered_before_any_extractor_runs() {
    let (status, _, effects, reads) = post_counted("/with-extractor", EVIL).await;
    assert_eq!((status, effects, reads), (StatusCode::FORBIDDEN, 0, 0));
    let (status, _, _, reads) = post_counted("/only-body", EVIL).await;
    assert_eq!((status, reads), (StatusCode::FORBIDDEN, 0));
    // The 403 itself: `Vary`, no grant.
    let response = send(
        &app(),
        request(
            "POST",
            "/with-extractor",
            &[("origin", EVIL), ("sec-fetch-site", "cross-site")],
        ),
    )
    .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(!has_any_allow_header(&response));
    assert_eq!(header(&response, "vary").as_deref(), Some("Origin"));

    // An allowed origin runs them all.
    let (status, body, effects, reads) = post_counted("/with-extractor", APP).await;
    assert_eq!(
        (status, body.as_str(), effects),
        (StatusCode::OK, "hello", 1)
    );
    assert!(reads > 0);
    let (status, body, _, _) = post_counted("/only-body", APP).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "hello"));
}

#[tokio::test]
async fn without_sec_fetch_site_an_origin_other_than_host_is_cross_origin() {
    let (status, ran) = write_ran(&[("origin", EVIL), ("host", "api.example.com")]).await;
    assert_eq!((status, ran), (StatusCode::FORBIDDEN, false));
    // `null` (sandboxed frames, redirects) never names the host.
    let (status, ran) = write_ran(&[("origin", "null"), ("host", "api.example.com")]).await;
    assert_eq!((status, ran), (StatusCode::FORBIDDEN, false));
}

#[tokio::test]
async fn same_origin_writes_pass() {
    for headers in [
        &[
            ("sec-fetch-site", "same-origin"),
            ("origin", "https://api.example.com"),
        ][..],
        &[("sec-fetch-site", "none")][..],
        &[
            ("origin", "https://api.example.com"),
            ("host", "api.example.com"),
        ][..],
    ] {
        let (status, ran) = write_ran(headers).await;
        assert_eq!((status, ran), (StatusCode::OK, true), "{headers:?}");
    }
}

#[tokio::test]
async fn requests_without_a_sign_of_a_browser_pass() {
    let (status, ran) = write_ran(&[("host", "api.example.com")]).await;
    assert_eq!((status, ran), (StatusCode::OK, true));
}

#[tokio::test]
async fn allowed_origin_writes_pass_with_a_grant() {
    let response = send(
        &app(),
        request(
            "POST",
            "/write",
            &[("origin", APP), ("sec-fetch-site", "cross-site")],
        ),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
}

#[tokio::test]
async fn cross_site_reads_are_not_refused_only_ungranted() {
    let response = send(
        &app(),
        request(
            "GET",
            "/read",
            &[("origin", EVIL), ("sec-fetch-site", "cross-site")],
        ),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(!has_any_allow_header(&response));
}

#[tokio::test]
async fn an_unlisted_method_gets_no_grant_and_is_forbidden_when_state_changing() {
    // `read_only` lists GET only, but is routed for POST too.
    let response = send(
        &app(),
        request(
            "POST",
            "/read",
            &[("origin", APP), ("host", "api.example.com")],
        ),
    )
    .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(!has_any_allow_header(&response));
    // Same-origin, the unlisted method runs but is still not granted.
    let response = send(
        &app(),
        request(
            "POST",
            "/read",
            &[("origin", APP), ("sec-fetch-site", "same-origin")],
        ),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(!has_any_allow_header(&response));
    // HEAD is served by `get`, so it counts as GET.
    let response = send(&app(), request("HEAD", "/read", &[("origin", APP)])).await;
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
}

#[tokio::test]
async fn cross_origin_protection_false_lets_simple_cross_site_requests_run() {
    let before = UNPROTECTED_WRITES.load(Ordering::SeqCst);
    let response = send(
        &app(),
        request(
            "POST",
            "/webhook",
            &[
                ("origin", EVIL),
                ("sec-fetch-site", "cross-site"),
                ("content-type", "text/plain"),
            ],
        ),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(UNPROTECTED_WRITES.load(Ordering::SeqCst) > before);
    // It ran, but the page still may not read the answer.
    assert!(!has_any_allow_header(&response));
}

#[tokio::test]
async fn a_handler_cannot_grant_more_than_its_policy() {
    let response = send(&app(), request("GET", "/own", &[("origin", EVIL)])).await;
    assert!(!has_any_allow_header(&response), "refused origin");
    assert_eq!(header(&response, "access-control-expose-headers"), None);

    let response = send(&app(), request("GET", "/own", &[("origin", APP)])).await;
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
    assert_eq!(header(&response, "access-control-allow-credentials"), None);
    assert_eq!(
        header(&response, "access-control-expose-headers").as_deref(),
        Some("x-id")
    );
}

#[tokio::test]
async fn a_handler_cannot_grant_more_than_its_policy_among_many_headers() {
    let response = send(&app(), request("GET", "/own-many", &[("origin", EVIL)])).await;
    assert!(!has_any_allow_header(&response), "refused origin");
    assert_eq!(header(&response, "access-control-expose-headers"), None);

    let response = send(&app(), request("GET", "/own-many", &[("origin", APP)])).await;
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some(APP)
    );
    assert_eq!(header(&response, "access-control-allow-credentials"), None);
    assert_eq!(header(&response, "access-control-expose-headers"), None);
    let vary: Vec<_> = response.headers().get_all("vary").iter().collect();
    assert_eq!(vary, ["accept-encoding", "Origin"]);
}

/// A WebSocket handshake as Chromium sends it: a `GET` with the page's
/// `Origin` and cookies, no preflight, and no `Sec-Fetch-Site`.
async fn handshake_ran(path: &str, origin: &str, more: &[(&str, &str)]) -> (StatusCode, bool) {
    let before = SOCKETS.with(Cell::get);
    let mut headers = vec![
        ("host", "api.example.com"),
        ("origin", origin),
        ("connection", "Upgrade"),
        ("upgrade", "websocket"),
        ("sec-websocket-version", "13"),
        ("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ=="),
        ("cookie", "session=victim"),
    ];
    headers.extend_from_slice(more);
    let response = send(&app(), request("GET", path, &headers)).await;
    let status = response.status();
    if status == StatusCode::FORBIDDEN {
        assert!(!has_any_allow_header(&response));
    }
    (status, SOCKETS.with(Cell::get) > before)
}

#[tokio::test]
async fn websocket_handshake_from_a_refused_origin_is_forbidden_and_never_runs() {
    let (status, ran) = handshake_ran("/live", EVIL, &[]).await;
    assert_eq!((status, ran), (StatusCode::FORBIDDEN, false));
    // `Upgrade` in another case, beside another protocol.
    let before = SOCKETS.with(Cell::get);
    let response = send(
        &app(),
        request(
            "GET",
            "/live",
            &[
                ("host", "api.example.com"),
                ("origin", EVIL),
                ("upgrade", "h2c, WebSocket"),
            ],
        ),
    )
    .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(SOCKETS.with(Cell::get), before);
    // A browser that does send `Sec-Fetch-Site` is refused by it.
    let (status, ran) = handshake_ran("/live", EVIL, &[("sec-fetch-site", "cross-site")]).await;
    assert_eq!((status, ran), (StatusCode::FORBIDDEN, false));
}

#[tokio::test]
async fn websocket_handshakes_from_the_same_origin_or_an_allowed_one_pass() {
    let (status, ran) = handshake_ran("/live", "https://api.example.com", &[]).await;
    assert_eq!((status, ran), (StatusCode::OK, true));
    let (status, ran) = handshake_ran("/live", APP, &[]).await;
    assert_eq!((status, ran), (StatusCode::OK, true));
    let (status, ran) = handshake_ran("/live", EVIL, &[("sec-fetch-site", "same-origin")]).await;
    assert_eq!((status, ran), (StatusCode::OK, true));
}

#[tokio::test]
async fn websocket_handshake_protection_is_off_with_cross_origin_protection_false() {
    let (status, ran) = handshake_ran("/public-live", EVIL, &[]).await;
    assert_eq!((status, ran), (StatusCode::OK, true));
}

#[tokio::test]
async fn a_cross_origin_get_without_upgrade_still_runs() {
    let before = SOCKETS.with(Cell::get);
    let response = send(
        &app(),
        request(
            "GET",
            "/live",
            &[("host", "api.example.com"), ("origin", EVIL)],
        ),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(SOCKETS.with(Cell::get) > before);
    assert!(!has_any_allow_header(&response));
}

/// Behind a proxy that rewrites `Host` (nginx's default `proxy_set_header
/// Host $proxy_host`) on plain `http`, where browsers send no
/// `Sec-Fetch-Site`, the app's own page posts with an `Origin` that names
/// its public host, not the `Host` the app sees. Naming that origin in
/// `CORS_TRUSTED_ORIGINS` makes it same-origin for the `403`, without a
/// CORS grant.
#[tokio::test]
async fn a_trusted_public_origin_behind_a_host_rewriting_proxy_is_same_origin() {
    const PUBLIC: &str = "http://shop.example.com";
    let behind_proxy = [("origin", PUBLIC), ("host", "backend:8080")];
    std::env::set_var(cors_runtime::TRUSTED_ORIGINS_VARIABLE, PUBLIC);
    cors_runtime::init().expect("valid configuration");
    let response = send(&app(), request("POST", "/write", &behind_proxy)).await;
    assert_eq!(response.status(), StatusCode::OK);
    // Same-origin for the `403` only: not a CORS grant.
    assert!(!has_any_allow_header(&response));
    let (status, ran) = write_ran(&behind_proxy).await;
    assert_eq!((status, ran), (StatusCode::OK, true));
    // As Go's `AddTrustedOrigin`, also when a browser says cross-site.
    let (status, ran) = write_ran(&[("origin", PUBLIC), ("sec-fetch-site", "cross-site")]).await;
    assert_eq!((status, ran), (StatusCode::OK, true));
    // Other origins are still refused, whatever forwarded headers say.
    let (status, ran) = write_ran(&[
        ("origin", EVIL),
        ("host", "backend:8080"),
        ("x-forwarded-host", "evil.example.net"),
        ("forwarded", "host=evil.example.net;proto=https"),
    ])
    .await;
    assert_eq!((status, ran), (StatusCode::FORBIDDEN, false));
    // A WebSocket handshake from the app's own page passes too.
    let (status, ran) = handshake_ran("/live", PUBLIC, &[]).await;
    assert_eq!((status, ran), (StatusCode::OK, true));
}
