//! A small reverse proxy in front of the scenario app that injects one
//! misconfiguration per first path segment: `/<mode>/<app path>`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use cors_doctor::client::HttpTransport;
use cors_runtime::browser::{Transport, WireResponse};

/// What the proxy does wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Passes everything through (adds `Via`).
    Pass,
    /// Adds CORS headers to every response, whatever the app said.
    AddCors,
    /// Adds a second `Access-Control-Allow-Origin`.
    Duplicate,
    /// Redirects every `OPTIONS` to the URL with a trailing slash.
    Redirect,
    /// Caches by URL alone, ignoring `Vary`.
    Cache,
    /// Answers with a bot challenge page.
    Waf,
    /// Splits `Access-Control-Request-Headers` into one line per name.
    Split,
    /// Drops the app's `Access-Control-*` headers (nginx's
    /// `proxy_hide_header Access-Control-Allow-Origin`).
    Hide,
}

impl Mode {
    fn parse(segment: &str) -> Option<Self> {
        Some(match segment {
            "pass" => Self::Pass,
            "addcors" => Self::AddCors,
            "dup" => Self::Duplicate,
            "redirect" => Self::Redirect,
            "cache" => Self::Cache,
            "waf" => Self::Waf,
            "split" => Self::Split,
            "hide" => Self::Hide,
            _ => return None,
        })
    }
}

#[derive(Clone)]
struct Proxy {
    app_port: u16,
    cache: Arc<Mutex<HashMap<String, WireResponse>>>,
}

/// The proxy in front of the app on `app_port`.
pub fn proxy(app_port: u16) -> Router {
    Router::new().fallback(forward).with_state(Proxy {
        app_port,
        cache: Arc::default(),
    })
}

async fn forward(State(proxy): State<Proxy>, request: Request) -> Response {
    let path_and_query = request
        .uri()
        .path_and_query()
        .map_or("/", |path| path.as_str())
        .to_owned();
    let (mode, rest) = path_and_query[1..].split_once('/').unwrap_or(("", ""));
    let Some(mode) = Mode::parse(mode) else {
        return StatusCode::BAD_GATEWAY.into_response();
    };
    let rest = format!("/{rest}");
    let (parts, body) = request.into_parts();
    let is_options = parts.method == "OPTIONS";
    match mode {
        Mode::Redirect if is_options => {
            return (
                StatusCode::PERMANENT_REDIRECT,
                [
                    ("location", format!("{path_and_query}/")),
                    ("via", "1.1 scenario-proxy".to_owned()),
                ],
            )
                .into_response();
        }
        Mode::Waf => {
            return (
                StatusCode::FORBIDDEN,
                [("content-type", "text/html; charset=UTF-8"), ("server", "cloudflare"), ("cf-mitigated", "challenge")],
                "<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>Checking your browser before accessing the API. Enable JavaScript and cookies to continue (challenge).</body></html>",
            )
                .into_response();
        }
        Mode::Cache => {
            let cached = proxy
                .cache
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .get(&path_and_query)
                .cloned();
            if let Some(cached) = cached {
                let mut response = to_response(&cached);
                response
                    .headers_mut()
                    .append("age", HeaderValue::from_static("3"));
                response
                    .headers_mut()
                    .append("x-cache", HeaderValue::from_static("HIT"));
                return response;
            }
        }
        _ => {}
    }
    let body = axum::body::to_bytes(body, 1 << 20)
        .await
        .unwrap_or_default();
    let mut upstream = http::Request::builder()
        .method(parts.method.clone())
        .uri(format!("http://127.0.0.1:{}{rest}", proxy.app_port));
    for (name, value) in &parts.headers {
        if name == "access-control-request-headers" && mode == Mode::Split {
            for item in value.to_str().unwrap_or_default().split(',') {
                upstream = upstream.header(name, item.trim());
            }
        } else if name != "host" {
            upstream = upstream.header(name, value);
        }
    }
    let Ok(upstream) = upstream.body(body.to_vec()) else {
        return StatusCode::BAD_GATEWAY.into_response();
    };
    let Ok(mut answer) = HttpTransport::default().send(upstream).await else {
        return StatusCode::BAD_GATEWAY.into_response();
    };
    answer.headers.retain(|(name, _)| {
        !matches!(
            name.as_str(),
            "connection" | "transfer-encoding" | "content-length"
        )
    });
    let origin = parts
        .headers
        .get("origin")
        .and_then(|origin| origin.to_str().ok())
        .unwrap_or("null")
        .to_owned();
    match mode {
        Mode::AddCors => {
            answer
                .headers
                .retain(|(name, _)| !name.starts_with("access-control-"));
            answer
                .headers
                .push(("access-control-allow-origin".into(), origin));
            answer.headers.push((
                "access-control-allow-methods".into(),
                "GET, PUT, POST, DELETE".into(),
            ));
            answer
                .headers
                .push(("access-control-allow-headers".into(), "content-type".into()));
        }
        Mode::Hide => answer
            .headers
            .retain(|(name, _)| !name.starts_with("access-control-")),
        Mode::Duplicate => answer
            .headers
            .push(("access-control-allow-origin".into(), origin)),
        Mode::Cache => {
            proxy
                .cache
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .insert(path_and_query.clone(), answer.clone());
            answer.headers.push(("x-cache".into(), "MISS".into()));
        }
        _ => {}
    }
    let mut response = to_response(&answer);
    response
        .headers_mut()
        .append("via", HeaderValue::from_static("1.1 scenario-proxy"));
    response
}

fn to_response(answer: &WireResponse) -> Response {
    let mut response = Response::new(Body::from(answer.body.clone()));
    *response.status_mut() = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::BAD_GATEWAY);
    for (name, value) in &answer.headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            response.headers_mut().append(name, value);
        }
    }
    response
}
