//! The public origins the app is served from, for the `403` decision
//! behind a proxy that rewrites `Host` (Go's
//! `CrossOriginProtection.AddTrustedOrigin`).
//!
//! Named in one environment variable, [`TRUSTED_ORIGINS_VARIABLE`], read
//! on the first refusal that needs it and again by each [`init`](crate::init),
//! which reports its problems with those of `env(...)` origins. A request
//! whose `Origin` is one of them counts as same-origin for the `403`: it
//! is never granted CORS headers for it, and forwarded headers
//! (`X-Forwarded-Host`, `Forwarded`) are never read.

use std::sync::{Arc, PoisonError, RwLock};

use cors_rules::origin::{parse_origin, OriginSpec};

use crate::env_origins::Problem;

/// The environment variable naming the app's own public origins,
/// comma-separated (`https://shop.example.com, http://shop.internal:8080`).
pub const TRUSTED_ORIGINS_VARIABLE: &str = "CORS_TRUSTED_ORIGINS";

#[derive(Debug, Default)]
struct Trusted {
    /// Sorted by bytes.
    origins: Vec<String>,
    problems: Vec<Problem>,
}

/// What the variable held when last read; `None` before the first read.
static TRUSTED: RwLock<Option<Arc<Trusted>>> = RwLock::new(None);

/// Whether `origin` (an `Origin` header's bytes) is one of the app's own
/// public origins.
pub(crate) fn is_trusted(origin: &[u8]) -> bool {
    let trusted = loaded();
    trusted
        .origins
        .binary_search_by(|probe| probe.as_bytes().cmp(origin))
        .is_ok()
}

fn loaded() -> Arc<Trusted> {
    if let Some(trusted) = &*TRUSTED.read().unwrap_or_else(PoisonError::into_inner) {
        return Arc::clone(trusted);
    }
    let mut slot = TRUSTED.write().unwrap_or_else(PoisonError::into_inner);
    Arc::clone(slot.get_or_insert_with(|| Arc::new(load())))
}

/// Reads the variable again; its problems.
pub(crate) fn reload() -> Vec<Problem> {
    let trusted = Arc::new(load());
    let problems = trusted.problems.clone();
    *TRUSTED.write().unwrap_or_else(PoisonError::into_inner) = Some(trusted);
    problems
}

fn load() -> Trusted {
    match std::env::var(TRUSTED_ORIGINS_VARIABLE) {
        Ok(list) => parse(&list),
        // Optional: without it, no origin is trusted.
        Err(std::env::VarError::NotPresent) => Trusted::default(),
        Err(std::env::VarError::NotUnicode(_)) => Trusted {
            origins: Vec::new(),
            problems: vec![Problem {
                variable: TRUSTED_ORIGINS_VARIABLE,
                item: None,
                message: "is not valid UTF-8".into(),
            }],
        },
    }
}

/// The variable's value: serialized origins, by the rules the attribute
/// applies to literal ones; no pattern and no `*`.
fn parse(list: &str) -> Trusted {
    let variable = TRUSTED_ORIGINS_VARIABLE;
    let mut trusted = Trusted::default();
    for item in list
        .split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
    {
        match parse_origin(item) {
            Ok(OriginSpec::Exact(origin)) => trusted.origins.push(origin),
            Ok(OriginSpec::Pattern(_)) => trusted.problems.push(Problem {
                variable,
                item: Some(item.to_owned()),
                message: "is a pattern; trusted origins are the app's own, each written out, such as `https://shop.example.com`".into(),
            }),
            Err(message) => trusted.problems.push(Problem {
                variable,
                item: Some(item.to_owned()),
                message,
            }),
        }
    }
    trusted.origins.sort();
    trusted.origins.dedup();
    trusted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_origins_are_trusted_and_every_mistake_is_reported() {
        let trusted = parse(
            " http://shop.example.com , https://shop.example.com:8443,http://shop.example.com",
        );
        assert_eq!(
            trusted.origins,
            ["http://shop.example.com", "https://shop.example.com:8443"]
        );
        assert!(trusted.problems.is_empty());
        let trusted =
            parse("https://shop.example.com/, https://*.example.com, *, shop.example.com");
        assert!(trusted.origins.is_empty());
        let items: Vec<Option<&str>> = trusted
            .problems
            .iter()
            .map(|problem| problem.item.as_deref())
            .collect();
        assert_eq!(
            items,
            [
                Some("https://shop.example.com/"),
                Some("https://*.example.com"),
                Some("*"),
                Some("shop.example.com")
            ]
        );
        assert!(trusted.problems[1].message.contains("is a pattern"));
    }
}
