//! The benchmark harness: the variants and scenarios shared by `cargo
//! bench`, the allocation test and the callgrind runner, so all three
//! measure the same thing, and the load generator ([`load`]) behind the
//! soak test. Not published.
//!
//! A scenario is a kind of request sent to one of three apps ([`App`]):
//! one route `/items`, a `ServeDir` of a small file, or 10,000 routes. Each
//! scenario lists the variants that serve it ([`Scenario::variants`]):
//! `none` (the handler without CORS, the limit for actual requests),
//! `none+opt204` (plus an `OPTIONS` handler returning `204`, the limit for
//! a routed preflight), tower-http's `CorsLayer` with the same policy
//! through `Router::layer` and wrapping the whole `Router`, `#[cors]` in
//! both placements of `preflight!`: `ours` (`.options(preflight!(h))`) and
//! `ours(layer)` (`.preflight_layer(preflight!(h))`), `ours(named)`, the
//! policies of `ours` declared with `policy!` and used by name, and
//! `ours+default`, `ours` with the policy as the app's outermost layer
//! (`Router::layer(layer!(NAME))`).

use std::future::Future;
use std::pin::pin;
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, Method, Request, Response, StatusCode};
use axum::routing::{get, MethodRouter};
use axum::Router;
use bytes::BytesMut;
use cors_runtime::{cors, preflight, MethodRouterExt as _, Preflight};
use tower::util::BoxCloneSyncService;
use tower::{Layer, ServiceExt};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::ServeDir;

pub mod load;

/// A router or a wrapped router, behind one type.
pub type Service = BoxCloneSyncService<Request<Body>, Response<Body>, std::convert::Infallible>;

/// Who answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    /// The handler alone.
    None,
    /// The handler and an `OPTIONS` handler returning `204`.
    NoneOpt204,
    /// tower-http's `CorsLayer` through `Router::layer`.
    TowerLayer,
    /// tower-http's `CorsLayer` wrapping the whole `Router`.
    TowerWrapped,
    /// `#[cors]` and `.options(preflight!(h))`.
    Ours,
    /// `#[cors]` and `.preflight_layer(preflight!(h))`.
    OursLayer,
    /// `#[cors(policy = NAME)]` and `.options(preflight!(h))`, the same
    /// policies as `Ours`.
    OursNamed,
    /// `Ours` with the policy as the app's outermost layer
    /// (`Router::layer(layer!(NAME))`), the default
    /// for every response no annotated handler decided; around `ServeDir`,
    /// the layer alone.
    OursDefault,
    /// [`Variant::OursDefault`] with the policy layer wrapping the whole
    /// `Router` (`layer!(NAME).layer(router)`) instead of going through
    /// `Router::layer`, which boxes every route once more.
    OursDefaultWrapped,
    /// The app of [`Variant::OursDefault`] with a pass-through layer
    /// (`Router::layer(Identity)`) in place of the policy: what axum's
    /// `Router::layer` costs before the layer does anything. A reference.
    Passthrough,
    /// The handler with a pass-through layer (`MethodRouter::layer` with
    /// `tower::layer::util::Identity`): what the layer placement costs in
    /// axum's routing before `preflight!` does anything. A reference, not
    /// in [`Variant::ALL`].
    NoneLayer,
}

impl Variant {
    /// Every variant, baselines and references first.
    pub const ALL: [Variant; 11] = [
        Self::None,
        Self::NoneOpt204,
        Self::NoneLayer,
        Self::Passthrough,
        Self::TowerLayer,
        Self::TowerWrapped,
        Self::Ours,
        Self::OursLayer,
        Self::OursNamed,
        Self::OursDefault,
        Self::OursDefaultWrapped,
    ];

    /// `#[cors]` + `preflight!`: both placements, named policies, and the
    /// default layer in both placements.
    pub const OURS: [Variant; 5] = [
        Self::Ours,
        Self::OursLayer,
        Self::OursNamed,
        Self::OursDefault,
        Self::OursDefaultWrapped,
    ];

    /// The name used in reports and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::NoneOpt204 => "none+opt204",
            Self::TowerLayer => "tower-http(layer)",
            Self::TowerWrapped => "tower-http(wrap)",
            Self::Ours => "ours",
            Self::OursLayer => "ours(layer)",
            Self::OursNamed => "ours(named)",
            Self::OursDefault => "ours+default",
            Self::OursDefaultWrapped => "ours+default(wrap)",
            Self::Passthrough => "passthrough",
            Self::NoneLayer => "none+layer",
        }
    }

    /// The variant called `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|variant| variant.name() == name)
    }

    /// Whether this is `#[cors]`, in either placement.
    pub fn is_ours(self) -> bool {
        Self::OURS.contains(&self)
    }
}

/// The app a scenario's request goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum App {
    /// One route, `/items`.
    OneRoute,
    /// tower-http's `ServeDir` of `bench/assets`, nested at `/assets`
    /// (`Router::nest_service`); the request reads `hello.txt`. It answers
    /// from tokio's blocking pool, so it is sent with [`send_blocking`].
    ServeDir,
    /// [`ROUTES`] routes `/items/0` to `/items/9999`, each with its own
    /// `preflight!`; the request goes to the last.
    ManyRoutes,
}

/// The number of routes of [`App::ManyRoutes`].
pub const ROUTES: usize = 10_000;

/// Which policy a scenario uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicyKind {
    /// `https://app.example.com`.
    OneOrigin,
    /// `https://app0.example.com` to `https://app99.example.com`.
    HundredOrigins,
    /// `https://*.example.com`.
    Subdomains,
    /// `https://app.example.com`, methods `GET, POST` (the writes).
    Writes,
}

/// One kind of request.
#[derive(Clone, Copy, Debug)]
pub struct Scenario {
    /// Its name in reports.
    pub name: &'static str,
    /// The policy it runs against.
    pub policy: PolicyKind,
    /// Whether it is a preflight (baseline `none+opt204`) or an actual
    /// request (baseline `none`).
    pub preflight: bool,
    /// Whether `ours` grants it: `Access-Control-Allow-Origin` on an actual
    /// request, a complete answer (with `-Max-Age`) on a preflight.
    pub granted: bool,
    /// Whether it is a cross-site `POST` (`Sec-Fetch-Site: cross-site`)
    /// that `ours` refuses with `403` before the handler runs; the other
    /// variants run the handler.
    pub forbidden: bool,
    /// The app it is sent to.
    pub app: App,
    /// A preflight's `Access-Control-Request-Method`.
    request_method: &'static str,
    origin: Option<&'static str>,
    request_headers: RequestHeaders,
}

#[derive(Clone, Copy, Debug)]
enum RequestHeaders {
    None,
    Three,
    Thousand,
    Commas,
}

const ALLOWED: &str = "https://app.example.com";
const DISALLOWED: &str = "https://evil.example";

/// Every scenario.
pub const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "get-allowed",
        policy: PolicyKind::OneOrigin,
        granted: true,
        preflight: false,
        forbidden: false,
        origin: Some(ALLOWED),
        request_headers: RequestHeaders::None,
        app: App::OneRoute,
        request_method: "PUT",
    },
    Scenario {
        name: "get-disallowed",
        policy: PolicyKind::OneOrigin,
        granted: false,
        preflight: false,
        forbidden: false,
        origin: Some(DISALLOWED),
        request_headers: RequestHeaders::None,
        app: App::OneRoute,
        request_method: "PUT",
    },
    Scenario {
        name: "get-no-origin",
        policy: PolicyKind::OneOrigin,
        granted: false,
        preflight: false,
        forbidden: false,
        origin: None,
        request_headers: RequestHeaders::None,
        app: App::OneRoute,
        request_method: "PUT",
    },
    Scenario {
        name: "preflight-method",
        policy: PolicyKind::OneOrigin,
        granted: true,
        preflight: true,
        forbidden: false,
        origin: Some(ALLOWED),
        request_headers: RequestHeaders::None,
        app: App::OneRoute,
        request_method: "PUT",
    },
    Scenario {
        name: "preflight-3-headers",
        policy: PolicyKind::OneOrigin,
        granted: true,
        preflight: true,
        forbidden: false,
        origin: Some(ALLOWED),
        request_headers: RequestHeaders::Three,
        app: App::OneRoute,
        request_method: "PUT",
    },
    Scenario {
        name: "preflight-1000-headers",
        policy: PolicyKind::OneOrigin,
        granted: false,
        preflight: true,
        forbidden: false,
        origin: Some(ALLOWED),
        request_headers: RequestHeaders::Thousand,
        app: App::OneRoute,
        request_method: "PUT",
    },
    Scenario {
        name: "preflight-1024-commas",
        policy: PolicyKind::OneOrigin,
        granted: false,
        preflight: true,
        forbidden: false,
        origin: Some(ALLOWED),
        request_headers: RequestHeaders::Commas,
        app: App::OneRoute,
        request_method: "PUT",
    },
    Scenario {
        name: "100-origins-get-last",
        policy: PolicyKind::HundredOrigins,
        granted: true,
        preflight: false,
        forbidden: false,
        origin: Some("https://app99.example.com"),
        request_headers: RequestHeaders::None,
        app: App::OneRoute,
        request_method: "PUT",
    },
    Scenario {
        name: "100-origins-get-disallowed",
        policy: PolicyKind::HundredOrigins,
        granted: false,
        preflight: false,
        forbidden: false,
        origin: Some(DISALLOWED),
        request_headers: RequestHeaders::None,
        app: App::OneRoute,
        request_method: "PUT",
    },
    Scenario {
        name: "100-origins-preflight",
        policy: PolicyKind::HundredOrigins,
        granted: true,
        preflight: true,
        forbidden: false,
        origin: Some("https://app99.example.com"),
        request_headers: RequestHeaders::Three,
        app: App::OneRoute,
        request_method: "PUT",
    },
    Scenario {
        name: "subdomain-get-allowed",
        policy: PolicyKind::Subdomains,
        granted: true,
        preflight: false,
        forbidden: false,
        origin: Some("https://a.example.com"),
        request_headers: RequestHeaders::None,
        app: App::OneRoute,
        request_method: "PUT",
    },
    Scenario {
        name: "subdomain-get-disallowed",
        policy: PolicyKind::Subdomains,
        granted: false,
        preflight: false,
        forbidden: false,
        origin: Some("https://example.com.evil.net"),
        request_headers: RequestHeaders::None,
        app: App::OneRoute,
        request_method: "PUT",
    },
    Scenario {
        name: "post-refused-cross-site",
        policy: PolicyKind::Writes,
        granted: false,
        preflight: false,
        forbidden: true,
        origin: Some(DISALLOWED),
        request_headers: RequestHeaders::None,
        app: App::OneRoute,
        request_method: "PUT",
    },
    Scenario {
        name: "servedir-get-allowed",
        policy: PolicyKind::OneOrigin,
        granted: true,
        preflight: false,
        forbidden: false,
        origin: Some(ALLOWED),
        request_headers: RequestHeaders::None,
        app: App::ServeDir,
        request_method: "PUT",
    },
    Scenario {
        name: "servedir-preflight",
        policy: PolicyKind::OneOrigin,
        granted: true,
        preflight: true,
        forbidden: false,
        origin: Some(ALLOWED),
        request_headers: RequestHeaders::Three,
        app: App::ServeDir,
        request_method: "PUT",
    },
    Scenario {
        name: "10k-routes-preflight-served",
        policy: PolicyKind::OneOrigin,
        granted: true,
        preflight: true,
        forbidden: false,
        origin: Some(ALLOWED),
        request_headers: RequestHeaders::None,
        app: App::ManyRoutes,
        request_method: "PUT",
    },
    Scenario {
        name: "10k-routes-preflight-unserved",
        policy: PolicyKind::OneOrigin,
        granted: false,
        preflight: true,
        forbidden: false,
        origin: Some(ALLOWED),
        request_headers: RequestHeaders::None,
        app: App::ManyRoutes,
        request_method: "DELETE",
    },
];

impl Scenario {
    /// The scenario called `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        SCENARIOS
            .iter()
            .copied()
            .find(|scenario| scenario.name == name)
    }

    /// The baseline this scenario's ratios are taken against.
    pub fn baseline(&self) -> Variant {
        if self.preflight && self.app != App::ServeDir {
            Variant::NoneOpt204
        } else {
            Variant::None
        }
    }

    /// The variants that serve this scenario, its baseline first.
    pub fn variants(&self) -> &'static [Variant] {
        match (self.app, self.preflight) {
            (App::OneRoute, false) => &[
                Variant::None,
                Variant::NoneLayer,
                Variant::Passthrough,
                Variant::TowerLayer,
                Variant::TowerWrapped,
                Variant::Ours,
                Variant::OursLayer,
                Variant::OursNamed,
                Variant::OursDefault,
                Variant::OursDefaultWrapped,
            ],
            (App::OneRoute, true) => &[
                Variant::NoneOpt204,
                Variant::NoneLayer,
                Variant::Passthrough,
                Variant::TowerLayer,
                Variant::TowerWrapped,
                Variant::Ours,
                Variant::OursLayer,
                Variant::OursNamed,
                Variant::OursDefault,
                Variant::OursDefaultWrapped,
            ],
            (App::ServeDir, _) => &[
                Variant::None,
                Variant::Passthrough,
                Variant::TowerLayer,
                Variant::TowerWrapped,
                Variant::OursDefault,
                Variant::OursDefaultWrapped,
            ],
            (App::ManyRoutes, _) => &[Variant::NoneOpt204, Variant::Ours, Variant::OursLayer],
        }
    }

    /// How a request of this scenario is sent: [`send`], or
    /// [`send_blocking`] for `ServeDir`, which answers from tokio's
    /// blocking pool.
    pub fn sender(&self) -> fn(&Service, Request<Body>) -> Response<Body> {
        match self.app {
            App::ServeDir => send_blocking,
            App::OneRoute | App::ManyRoutes => send,
        }
    }

    /// A fresh request. Header values are cut from one shared buffer, as
    /// hyper does when it parses a request, so cloning one shares it.
    pub fn request(&self) -> Request<Body> {
        let mut headers: Vec<(HeaderName, String)> = Vec::new();
        if let Some(origin) = self.origin {
            headers.push((HeaderName::from_static("origin"), origin.to_owned()));
        }
        if self.preflight {
            headers.push((
                HeaderName::from_static("access-control-request-method"),
                self.request_method.to_owned(),
            ));
        }
        if self.forbidden {
            headers.push((
                HeaderName::from_static("sec-fetch-site"),
                "cross-site".to_owned(),
            ));
        }
        let list = match self.request_headers {
            RequestHeaders::None => None,
            RequestHeaders::Three => Some("content-type,authorization,x-request-id".to_owned()),
            RequestHeaders::Thousand => Some(
                (0..1000)
                    .map(|i| format!("x-h{i}"))
                    .collect::<Vec<_>>()
                    .join(","),
            ),
            RequestHeaders::Commas => Some(",".repeat(1024)),
        };
        if let Some(list) = list {
            headers.push((
                HeaderName::from_static("access-control-request-headers"),
                list,
            ));
        }
        let mut buffer = BytesMut::new();
        for (_, value) in &headers {
            buffer.extend_from_slice(value.as_bytes());
        }
        let method = if self.preflight {
            Method::OPTIONS
        } else if self.forbidden {
            Method::POST
        } else {
            Method::GET
        };
        let mut request = Request::builder()
            .method(method)
            .uri(match self.app {
                App::OneRoute => "/items",
                App::ServeDir => "/assets/hello.txt",
                App::ManyRoutes => "/items/9999",
            })
            .body(Body::empty())
            .expect("valid request");
        for (name, value) in headers {
            let bytes = buffer.split_to(value.len()).freeze();
            let value = HeaderValue::from_maybe_shared(bytes).expect("valid header value");
            request.headers_mut().append(name, value);
        }
        request
    }
}

async fn plain() -> &'static str {
    "hello"
}

#[cors(
    origins = ["https://app.example.com"],
    methods = [GET, PUT],
    allow_headers = ["content-type", "authorization", "x-request-id"],
    max_age = 600,
)]
async fn one_origin() -> &'static str {
    "hello"
}

#[cors(
    origins = ["https://app0.example.com", "https://app1.example.com", "https://app2.example.com", "https://app3.example.com", "https://app4.example.com", "https://app5.example.com", "https://app6.example.com", "https://app7.example.com", "https://app8.example.com", "https://app9.example.com", "https://app10.example.com", "https://app11.example.com", "https://app12.example.com", "https://app13.example.com", "https://app14.example.com", "https://app15.example.com", "https://app16.example.com", "https://app17.example.com", "https://app18.example.com", "https://app19.example.com", "https://app20.example.com", "https://app21.example.com", "https://app22.example.com", "https://app23.example.com", "https://app24.example.com", "https://app25.example.com", "https://app26.example.com", "https://app27.example.com", "https://app28.example.com", "https://app29.example.com", "https://app30.example.com", "https://app31.example.com", "https://app32.example.com", "https://app33.example.com", "https://app34.example.com", "https://app35.example.com", "https://app36.example.com", "https://app37.example.com", "https://app38.example.com", "https://app39.example.com", "https://app40.example.com", "https://app41.example.com", "https://app42.example.com", "https://app43.example.com", "https://app44.example.com", "https://app45.example.com", "https://app46.example.com", "https://app47.example.com", "https://app48.example.com", "https://app49.example.com", "https://app50.example.com", "https://app51.example.com", "https://app52.example.com", "https://app53.example.com", "https://app54.example.com", "https://app55.example.com", "https://app56.example.com", "https://app57.example.com", "https://app58.example.com", "https://app59.example.com", "https://app60.example.com", "https://app61.example.com", "https://app62.example.com", "https://app63.example.com", "https://app64.example.com", "https://app65.example.com", "https://app66.example.com", "https://app67.example.com", "https://app68.example.com", "https://app69.example.com", "https://app70.example.com", "https://app71.example.com", "https://app72.example.com", "https://app73.example.com", "https://app74.example.com", "https://app75.example.com", "https://app76.example.com", "https://app77.example.com", "https://app78.example.com", "https://app79.example.com", "https://app80.example.com", "https://app81.example.com", "https://app82.example.com", "https://app83.example.com", "https://app84.example.com", "https://app85.example.com", "https://app86.example.com", "https://app87.example.com", "https://app88.example.com", "https://app89.example.com", "https://app90.example.com", "https://app91.example.com", "https://app92.example.com", "https://app93.example.com", "https://app94.example.com", "https://app95.example.com", "https://app96.example.com", "https://app97.example.com", "https://app98.example.com", "https://app99.example.com"],
    methods = [GET, PUT],
    allow_headers = ["content-type", "authorization", "x-request-id"],
    max_age = 600,
)]
async fn hundred_origins() -> &'static str {
    "hello"
}

#[cors(
    origins = ["https://*.example.com"],
    methods = [GET, PUT],
    allow_headers = ["content-type", "authorization", "x-request-id"],
    max_age = 600,
)]
async fn subdomains() -> &'static str {
    "hello"
}

#[cors(
    origins = ["https://app.example.com"],
    methods = [GET, POST],
    allow_headers = ["content-type", "authorization", "x-request-id"],
    max_age = 600,
)]
async fn writes() -> &'static str {
    "hello"
}

cors_runtime::policy! {
    /// `one_origin`'s policy, declared.
    ONE_ORIGIN = {
        origins = ["https://app.example.com"],
        methods = [GET, PUT],
        allow_headers = ["content-type", "authorization", "x-request-id"],
        max_age = 600,
    };

    /// `hundred_origins`'s policy, declared.
    HUNDRED_ORIGINS = {
        origins = ["https://app0.example.com", "https://app1.example.com", "https://app2.example.com", "https://app3.example.com", "https://app4.example.com", "https://app5.example.com", "https://app6.example.com", "https://app7.example.com", "https://app8.example.com", "https://app9.example.com", "https://app10.example.com", "https://app11.example.com", "https://app12.example.com", "https://app13.example.com", "https://app14.example.com", "https://app15.example.com", "https://app16.example.com", "https://app17.example.com", "https://app18.example.com", "https://app19.example.com", "https://app20.example.com", "https://app21.example.com", "https://app22.example.com", "https://app23.example.com", "https://app24.example.com", "https://app25.example.com", "https://app26.example.com", "https://app27.example.com", "https://app28.example.com", "https://app29.example.com", "https://app30.example.com", "https://app31.example.com", "https://app32.example.com", "https://app33.example.com", "https://app34.example.com", "https://app35.example.com", "https://app36.example.com", "https://app37.example.com", "https://app38.example.com", "https://app39.example.com", "https://app40.example.com", "https://app41.example.com", "https://app42.example.com", "https://app43.example.com", "https://app44.example.com", "https://app45.example.com", "https://app46.example.com", "https://app47.example.com", "https://app48.example.com", "https://app49.example.com", "https://app50.example.com", "https://app51.example.com", "https://app52.example.com", "https://app53.example.com", "https://app54.example.com", "https://app55.example.com", "https://app56.example.com", "https://app57.example.com", "https://app58.example.com", "https://app59.example.com", "https://app60.example.com", "https://app61.example.com", "https://app62.example.com", "https://app63.example.com", "https://app64.example.com", "https://app65.example.com", "https://app66.example.com", "https://app67.example.com", "https://app68.example.com", "https://app69.example.com", "https://app70.example.com", "https://app71.example.com", "https://app72.example.com", "https://app73.example.com", "https://app74.example.com", "https://app75.example.com", "https://app76.example.com", "https://app77.example.com", "https://app78.example.com", "https://app79.example.com", "https://app80.example.com", "https://app81.example.com", "https://app82.example.com", "https://app83.example.com", "https://app84.example.com", "https://app85.example.com", "https://app86.example.com", "https://app87.example.com", "https://app88.example.com", "https://app89.example.com", "https://app90.example.com", "https://app91.example.com", "https://app92.example.com", "https://app93.example.com", "https://app94.example.com", "https://app95.example.com", "https://app96.example.com", "https://app97.example.com", "https://app98.example.com", "https://app99.example.com"],
        methods = [GET, PUT],
        allow_headers = ["content-type", "authorization", "x-request-id"],
        max_age = 600,
    };

    /// `subdomains`'s policy, declared.
    SUBDOMAINS = {
        origins = ["https://*.example.com"],
        methods = [GET, PUT],
        allow_headers = ["content-type", "authorization", "x-request-id"],
        max_age = 600,
    };

    /// `writes`'s policy, declared.
    WRITES = {
        origins = ["https://app.example.com"],
        methods = [GET, POST],
        allow_headers = ["content-type", "authorization", "x-request-id"],
        max_age = 600,
    };
}

#[cors(policy = ONE_ORIGIN)]
async fn named_one_origin() -> &'static str {
    "hello"
}

#[cors(policy = HUNDRED_ORIGINS)]
async fn named_hundred_origins() -> &'static str {
    "hello"
}

#[cors(policy = SUBDOMAINS)]
async fn named_subdomains() -> &'static str {
    "hello"
}

#[cors(policy = WRITES)]
async fn named_writes() -> &'static str {
    "hello"
}

fn tower_layer(policy: PolicyKind) -> CorsLayer {
    let origins = match policy {
        PolicyKind::OneOrigin => AllowOrigin::exact(HeaderValue::from_static(ALLOWED)),
        PolicyKind::HundredOrigins => AllowOrigin::list((0..100).map(|i| {
            HeaderValue::from_str(&format!("https://app{i}.example.com")).expect("valid origin")
        })),
        PolicyKind::Writes => AllowOrigin::exact(HeaderValue::from_static(ALLOWED)),
        PolicyKind::Subdomains => AllowOrigin::predicate(|origin, _| {
            origin
                .as_bytes()
                .strip_prefix(b"https://")
                .and_then(|host| host.strip_suffix(b".example.com"))
                .is_some_and(|labels| !labels.is_empty() && !labels.contains(&b':'))
        }),
    };
    let methods = match policy {
        PolicyKind::Writes => [Method::GET, Method::POST],
        _ => [Method::GET, Method::PUT],
    };
    CorsLayer::new()
        .allow_origin(origins)
        .allow_methods(methods)
        .allow_headers([
            HeaderName::from_static("content-type"),
            HeaderName::from_static("authorization"),
            HeaderName::from_static("x-request-id"),
        ])
        .max_age(Duration::from_secs(600))
}

/// The handlers without `OPTIONS`; `POST` goes to every router, as it
/// does not change how axum routes the other methods.
fn plain_routes(policy: PolicyKind) -> MethodRouter {
    match policy {
        PolicyKind::Writes => get(plain).post(plain),
        _ => get(plain).put(plain),
    }
}

/// The annotated handler of `policy` routed for its methods, and its
/// `preflight!`, to be placed by the caller.
fn ours(policy: PolicyKind) -> (MethodRouter, Preflight<1>) {
    match policy {
        PolicyKind::OneOrigin => (get(one_origin).put(one_origin), preflight!(one_origin)),
        PolicyKind::HundredOrigins => (
            get(hundred_origins).put(hundred_origins),
            preflight!(hundred_origins),
        ),
        PolicyKind::Subdomains => (get(subdomains).put(subdomains), preflight!(subdomains)),
        PolicyKind::Writes => (get(writes).post(writes), preflight!(writes)),
    }
}

/// [`ours`] with the same policies declared once with `policy!`.
fn ours_named(policy: PolicyKind) -> (MethodRouter, Preflight<1>) {
    match policy {
        PolicyKind::OneOrigin => (
            get(named_one_origin).put(named_one_origin),
            preflight!(named_one_origin),
        ),
        PolicyKind::HundredOrigins => (
            get(named_hundred_origins).put(named_hundred_origins),
            preflight!(named_hundred_origins),
        ),
        PolicyKind::Subdomains => (
            get(named_subdomains).put(named_subdomains),
            preflight!(named_subdomains),
        ),
        PolicyKind::Writes => (
            get(named_writes).post(named_writes),
            preflight!(named_writes),
        ),
    }
}

fn with_options((routes, preflight): (MethodRouter, Preflight<1>)) -> MethodRouter {
    routes.options(preflight)
}

fn with_layer((routes, preflight): (MethodRouter, Preflight<1>)) -> MethodRouter {
    routes.preflight_layer(preflight)
}

/// The policy of `ours` as a tower layer, declared once with `policy!`.
fn default_layer(policy: PolicyKind) -> cors_runtime::PolicyLayer {
    match policy {
        PolicyKind::OneOrigin => cors_runtime::layer!(ONE_ORIGIN),
        PolicyKind::HundredOrigins => cors_runtime::layer!(HUNDRED_ORIGINS),
        PolicyKind::Subdomains => cors_runtime::layer!(SUBDOMAINS),
        PolicyKind::Writes => cors_runtime::layer!(WRITES),
    }
}

/// The service `variant` uses for `scenario`.
///
/// # Panics
///
/// If `variant` is not one of `scenario`'s [`Scenario::variants`].
pub fn service(variant: Variant, scenario: &Scenario) -> Service {
    match scenario.app {
        App::OneRoute => one_route(variant, scenario.policy),
        App::ServeDir => serve_dir(variant, scenario.policy),
        App::ManyRoutes => many_routes(variant, scenario.policy),
    }
}

fn one_route(variant: Variant, policy: PolicyKind) -> Service {
    // `with_state` turns every handler into a route once, as `axum::serve`
    // does (`Router::into_make_service`); without it axum would box each
    // handler again on every request.
    let router = |route: MethodRouter| Router::new().route("/items", route).with_state(());
    match variant {
        Variant::None => BoxCloneSyncService::new(router(match policy {
            PolicyKind::Writes => get(plain).post(plain),
            _ => get(plain),
        })),
        Variant::NoneOpt204 => BoxCloneSyncService::new(router(
            plain_routes(policy).options(|| async { StatusCode::NO_CONTENT }),
        )),
        Variant::TowerLayer => {
            BoxCloneSyncService::new(router(plain_routes(policy)).layer(tower_layer(policy)))
        }
        Variant::TowerWrapped => {
            BoxCloneSyncService::new(tower_layer(policy).layer(router(plain_routes(policy))))
        }
        Variant::Ours => BoxCloneSyncService::new(router(with_options(ours(policy)))),
        Variant::OursLayer => BoxCloneSyncService::new(router(with_layer(ours(policy)))),
        Variant::OursNamed => BoxCloneSyncService::new(router(with_options(ours_named(policy)))),
        Variant::OursDefault => BoxCloneSyncService::new(
            router(with_options(ours(policy))).layer(default_layer(policy)),
        ),
        Variant::OursDefaultWrapped => BoxCloneSyncService::new(
            default_layer(policy).layer(router(with_options(ours(policy)))),
        ),
        Variant::Passthrough => BoxCloneSyncService::new(
            router(with_options(ours(policy))).layer(tower::layer::util::Identity::new()),
        ),
        Variant::NoneLayer => BoxCloneSyncService::new(router(
            plain_routes(policy)
                .options(|| async { StatusCode::NO_CONTENT })
                .layer(tower::layer::util::Identity::new()),
        )),
    }
}

/// `ServeDir` nested at `/assets`: alone (`none`), behind a pass-through
/// `Router::layer` (`passthrough`), or with the policy as a `Router::layer`,
/// tower-http's (`tower-http(layer)`) or ours (`ours+default`), or
/// wrapping the whole `Router` (`tower-http(wrap)`, `ours+default(wrap)`).
fn serve_dir(variant: Variant, policy: PolicyKind) -> Service {
    let router = Router::new()
        .nest_service(
            "/assets",
            ServeDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/assets")),
        )
        .with_state(());
    match variant {
        Variant::None => BoxCloneSyncService::new(router),
        Variant::Passthrough => {
            BoxCloneSyncService::new(router.layer(tower::layer::util::Identity::new()))
        }
        Variant::TowerLayer => BoxCloneSyncService::new(router.layer(tower_layer(policy))),
        Variant::TowerWrapped => BoxCloneSyncService::new(tower_layer(policy).layer(router)),
        Variant::OursDefault => BoxCloneSyncService::new(router.layer(default_layer(policy))),
        Variant::OursDefaultWrapped => {
            BoxCloneSyncService::new(default_layer(policy).layer(router))
        }
        _ => panic!("{} does not serve ServeDir", variant.name()),
    }
}

/// [`ROUTES`] routes, each with `OPTIONS` answered by a `204` handler
/// (`none+opt204`; behind a pass-through layer, `none+layer`),
/// `.options(preflight!(h))` (`ours`) or `.preflight_layer(preflight!(h))`
/// (`ours(layer)`).
fn many_routes(variant: Variant, policy: PolicyKind) -> Service {
    let (_, preflight) = ours(policy);
    let route = |_: usize| -> MethodRouter {
        match variant {
            Variant::NoneOpt204 => {
                plain_routes(policy).options(|| async { StatusCode::NO_CONTENT })
            }
            Variant::Ours => with_options((ours(policy).0, preflight.clone())),
            Variant::OursLayer => with_layer((ours(policy).0, preflight.clone())),
            Variant::NoneLayer => plain_routes(policy)
                .options(|| async { StatusCode::NO_CONTENT })
                .layer(tower::layer::util::Identity::new()),
            _ => panic!("{} does not serve {ROUTES} routes", variant.name()),
        }
    };
    let router = (0..ROUTES).fold(Router::new(), |router, i| {
        router.route(&format!("/items/{i}"), route(i))
    });
    BoxCloneSyncService::new(router.with_state(()))
}

/// Checks, once before timing, that `variant` answers `scenario` as it
/// should: a success status (`403` for `ours` on a refused cross-site
/// write), and for every variant with `#[cors]` inside the grant the
/// scenario expects.
///
/// # Errors
///
/// What is wrong, with the status and CORS headers seen.
pub fn check(
    scenario: &Scenario,
    variant: Variant,
    response: &Response<Body>,
) -> Result<(), String> {
    let allow_origin = response.headers().get("access-control-allow-origin");
    let max_age = response.headers().get("access-control-max-age");
    let described = format!(
        "{} {}: status {}, allow-origin {allow_origin:?}, max-age {max_age:?}",
        scenario.name,
        variant.name(),
        response.status()
    );
    // `passthrough` has `ours` inside, but for `ServeDir`, where it has
    // nothing but `ServeDir`, which (as `none`) refuses `OPTIONS`.
    let serve_dir_alone = scenario.app == App::ServeDir && variant == Variant::Passthrough;
    let ours = variant.is_ours() || (variant == Variant::Passthrough && !serve_dir_alone);
    let routed = !(variant == Variant::None || serve_dir_alone) || !scenario.preflight;
    if ours && scenario.forbidden {
        if response.status() != StatusCode::FORBIDDEN {
            return Err(described);
        }
    } else if routed && !response.status().is_success() {
        return Err(described);
    }
    if ours {
        let granted = if scenario.preflight {
            max_age.is_some()
        } else {
            allow_origin.is_some()
        };
        if granted != scenario.granted {
            return Err(described);
        }
    }
    Ok(())
}

/// Sends one request as hyper does: clone the service, `oneshot`, drop the
/// response. Every router here answers without waiting.
///
/// # Panics
///
/// If the service is not ready at once.
#[inline(never)]
pub fn send(service: &Service, request: Request<Body>) -> Response<Body> {
    now(service.clone().oneshot(request)).expect("infallible")
}

/// Sends one request as [`send`] does, on a current-thread tokio runtime
/// (kept for the process): for services that wait on tokio's blocking
/// pool, as `ServeDir` does for its file.
#[inline(never)]
pub fn send_blocking(service: &Service, request: Request<Body>) -> Response<Body> {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME
        .get_or_init(|| {
            tokio::runtime::Builder::new_current_thread()
                .build()
                .expect("a tokio runtime")
        })
        .block_on(service.clone().oneshot(request))
        .expect("infallible")
}

/// Polls `future` once; it must be ready.
///
/// # Panics
///
/// If it is not.
pub fn now<F: Future>(future: F) -> F::Output {
    struct Noop;
    impl Wake for Noop {
        fn wake(self: Arc<Self>) {}
    }
    thread_local! {
        static WAKER: Waker = Waker::from(Arc::new(Noop));
    }
    let future = pin!(future);
    WAKER.with(|waker| match future.poll(&mut Context::from_waker(waker)) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("the service did not answer at once"),
    })
}
