//! The CORS-preflight cache: a passed preflight spares the next ones for
//! the same origin and URL while its `Access-Control-Max-Age` lasts.

use std::collections::HashMap;

use super::request::BrowserRequest;
use super::response_check::{Leniency, PreflightGrant};
use super::safelist::{is_safelisted_method, unsafe_header_names};

/// How a browser keeps grants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheRules {
    /// Seconds a grant lives without `Access-Control-Max-Age`.
    pub default_max_age: u64,
    /// The longest lifetime the browser accepts.
    pub max_age_cap: u64,
    /// `true`: each method and header name is its own entry and a new grant
    /// adds to the old ones (the Fetch standard). `false`: one entry per
    /// origin and URL, replaced by each new grant (Chromium).
    pub per_item: bool,
    /// Where the browser is laxer than the standard.
    pub leniency: Leniency,
}

impl CacheRules {
    /// Chromium: 5 s by default, at most 7200 s, one entry per origin and URL.
    pub const CHROMIUM: Self = Self {
        default_max_age: 5,
        max_age_cap: 7200,
        per_item: false,
        leniency: Leniency::CHROMIUM,
    };
    /// Firefox: at most 86400 s.
    pub const FIREFOX: Self = Self {
        max_age_cap: 86400,
        ..Self::CHROMIUM
    };
    /// Safari (WebKit): 5 s by default, at most 600 s.
    pub const SAFARI: Self = Self {
        max_age_cap: 600,
        ..Self::CHROMIUM
    };
    /// The Fetch standard, read as permissively as it allows: entries per
    /// method and header name, added to rather than replaced, Chromium's
    /// limits, and `*` never covering `authorization`.
    pub const FETCH_STANDARD: Self = Self {
        per_item: true,
        leniency: Leniency::FETCH_STANDARD,
        ..Self::CHROMIUM
    };

    /// How long a grant with `max_age` lives, in seconds.
    pub fn lifetime(&self, max_age: Option<u64>) -> u64 {
        max_age.map_or(self.default_max_age, |max_age| {
            max_age.min(self.max_age_cap)
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct CacheKey {
    origin: String,
    url: String,
    credentials: bool,
}

#[derive(Debug, Default, Clone)]
struct CacheEntry {
    /// Expiry (seconds on the caller's clock) of each method and header.
    methods: HashMap<String, u64>,
    headers: HashMap<String, u64>,
}

/// A model of a browser's preflight cache, on a clock the caller keeps in
/// seconds (`now`).
#[derive(Debug, Clone)]
pub struct PreflightCache {
    rules: CacheRules,
    entries: HashMap<CacheKey, CacheEntry>,
}

impl PreflightCache {
    /// An empty cache that follows `rules`.
    pub fn new(rules: CacheRules) -> Self {
        Self {
            rules,
            entries: HashMap::new(),
        }
    }

    /// The rules it follows.
    pub fn rules(&self) -> CacheRules {
        self.rules
    }

    /// Stores what a passed preflight of `request` granted, at time `now`.
    pub fn store(&mut self, request: &BrowserRequest, grant: &PreflightGrant, now: u64) {
        let key = CacheKey {
            origin: request.origin.clone(),
            url: request.url.clone(),
            credentials: grant.credentials,
        };
        let lifetime = self.rules.lifetime(grant.max_age);
        if !self.rules.per_item {
            self.entries.remove(&key);
        }
        if lifetime == 0 {
            return;
        }
        let expires = now.saturating_add(lifetime);
        let entry = self.entries.entry(key).or_default();
        for method in &grant.methods {
            entry.methods.insert(method.clone(), expires);
        }
        for header in &grant.headers {
            entry.headers.insert(header.clone(), expires);
        }
    }

    /// Whether cached grants spare `request`'s preflight at time `now`:
    /// its method and every unsafe header name are covered. A grant made
    /// without credentials does not serve a credentialed request, and `*`
    /// serves only uncredentialed ones.
    pub fn covers(&self, request: &BrowserRequest, now: u64) -> bool {
        let include = request.credentials.is_include();
        let live = |credentials: bool, pick: &dyn Fn(&CacheEntry) -> Option<u64>| {
            let key = CacheKey {
                origin: request.origin.clone(),
                url: request.url.clone(),
                credentials,
            };
            self.entries
                .get(&key)
                .and_then(pick)
                .is_some_and(|expires| expires > now)
        };
        let cached = |methods: bool, item: &str| {
            let exact = |entry: &CacheEntry| {
                let map = if methods {
                    &entry.methods
                } else {
                    &entry.headers
                };
                map.get(item).copied()
            };
            let wildcard = |entry: &CacheEntry| {
                let map = if methods {
                    &entry.methods
                } else {
                    &entry.headers
                };
                map.get("*").copied()
            };
            let wildcard_applies = !include
                && (methods
                    || item != "authorization"
                    || self.rules.leniency.wildcard_covers_authorization);
            live(true, &exact)
                || (!include && live(false, &exact))
                || (wildcard_applies && (live(false, &wildcard) || live(true, &wildcard)))
        };
        (is_safelisted_method(&request.method) || cached(true, &request.method))
            && unsafe_header_names(request)
                .iter()
                .all(|name| cached(false, name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::browser::request::Credentials;

    fn grant(
        methods: &[&str],
        headers: &[&str],
        max_age: Option<u64>,
        credentials: bool,
    ) -> PreflightGrant {
        PreflightGrant {
            methods: methods.iter().map(|m| (*m).to_owned()).collect(),
            headers: headers.iter().map(|h| (*h).to_owned()).collect(),
            max_age,
            credentials,
        }
    }

    fn put() -> BrowserRequest {
        BrowserRequest::new("/items", "https://a.example").method("PUT")
    }

    #[test]
    fn a_grant_without_max_age_lives_five_seconds() {
        let mut cache = PreflightCache::new(CacheRules::CHROMIUM);
        cache.store(&put(), &grant(&["PUT"], &[], None, false), 10);
        assert!(cache.covers(&put(), 14));
        assert!(!cache.covers(&put(), 15));
    }

    #[test]
    fn max_age_zero_caches_nothing_and_the_cap_applies() {
        let mut cache = PreflightCache::new(CacheRules::SAFARI);
        cache.store(&put(), &grant(&["PUT"], &[], Some(0), false), 0);
        assert!(!cache.covers(&put(), 0));
        cache.store(&put(), &grant(&["PUT"], &[], Some(86400), false), 0);
        assert!(cache.covers(&put(), 599));
        assert!(!cache.covers(&put(), 600));
    }

    #[test]
    fn an_uncredentialed_grant_does_not_serve_a_credentialed_request() {
        let mut cache = PreflightCache::new(CacheRules::CHROMIUM);
        cache.store(&put(), &grant(&["PUT"], &[], Some(60), false), 0);
        assert!(!cache.covers(&put().credentials(Credentials::Include), 1));
        let mut cache = PreflightCache::new(CacheRules::CHROMIUM);
        let include = put().credentials(Credentials::Include);
        cache.store(&include, &grant(&["PUT"], &[], Some(60), true), 0);
        assert!(cache.covers(&put(), 1));
    }

    #[test]
    fn the_cache_is_keyed_by_origin_and_url() {
        let mut cache = PreflightCache::new(CacheRules::CHROMIUM);
        cache.store(&put(), &grant(&["PUT"], &[], Some(60), false), 0);
        let other_origin = BrowserRequest {
            origin: "https://b.example".into(),
            ..put()
        };
        let other_url = BrowserRequest {
            url: "/other".into(),
            ..put()
        };
        assert!(!cache.covers(&other_origin, 1));
        assert!(!cache.covers(&other_url, 1));
    }

    #[test]
    fn chromium_replaces_the_entry_and_the_standard_adds_to_it() {
        let delete = BrowserRequest::new("/items", "https://a.example").method("DELETE");
        for (rules, still_covers_put) in [
            (CacheRules::CHROMIUM, false),
            (CacheRules::FETCH_STANDARD, true),
        ] {
            let mut cache = PreflightCache::new(rules);
            cache.store(&put(), &grant(&["PUT"], &[], Some(60), false), 0);
            cache.store(&delete, &grant(&["DELETE"], &[], Some(60), false), 1);
            assert_eq!(cache.covers(&put(), 2), still_covers_put);
            assert!(cache.covers(&delete, 2));
        }
    }

    #[test]
    fn a_cached_wildcard_covers_authorization_only_in_a_lenient_browser() {
        let mut cache = PreflightCache::new(CacheRules::FETCH_STANDARD);
        cache.store(&put(), &grant(&["PUT"], &["*"], Some(60), false), 0);
        assert!(cache.covers(&put().header("x-any", "1"), 1));
        assert!(!cache.covers(&put().header("authorization", "t"), 1));
        let mut cache = PreflightCache::new(CacheRules::CHROMIUM);
        cache.store(&put(), &grant(&["PUT"], &["*"], Some(60), false), 0);
        assert!(cache.covers(&put().header("authorization", "t"), 1));
    }
}
