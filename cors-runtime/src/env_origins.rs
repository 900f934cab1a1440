//! Origins read from the environment: `origins = [env("APP_ORIGINS")]`.
//!
//! Production origins differ per deployment, so a policy may name
//! environment variables holding comma-separated origins and patterns,
//! alone or beside literal ones. They are checked by the same rules the
//! attribute applies to literals (the `cors-rules` crate), when [`init`] runs
//! at start-up; every problem is reported at once, with the variable's name.
//! A policy without `env(...)` never looks at any of this.

use std::fmt;
use std::sync::{Arc, PoisonError, RwLock};

use http::HeaderValue;

use crate::origin::{HostPattern, OriginPattern, PortPattern};
use cors_rules::origin::{
    insecure_message, is_insecure, parse_origin, HostSpec, OriginSpec, PortSpec,
};

/// The `env(...)` part of a policy's origins.
#[derive(Debug)]
pub struct EnvOrigins {
    names: &'static [&'static str],
    /// Refuse plain-`http` entries other than loopback, as the attribute
    /// does for literals of a policy with credentials or private network
    /// access.
    refuse_insecure: bool,
    /// Read on first use, and again by each [`init`], so that a corrected
    /// variable takes effect without a restart of the process.
    loaded: RwLock<Option<Arc<Loaded>>>,
}

#[derive(Debug, Default)]
struct Loaded {
    /// Sorted by bytes.
    exact: Vec<HeaderValue>,
    patterns: Vec<OriginPattern>,
    problems: Vec<Problem>,
}

impl EnvOrigins {
    /// Origins from these variables; `new(&[])` for none.
    pub const fn new(names: &'static [&'static str]) -> Self {
        Self {
            names,
            refuse_insecure: false,
            loaded: RwLock::new(None),
        }
    }

    /// Origins from these variables, refusing plain-`http` entries other
    /// than loopback: for a policy with `credentials` or `private_network`
    /// that does not set `dangerously_tolerate_insecure_origins`.
    pub const fn refusing_insecure(names: &'static [&'static str]) -> Self {
        Self {
            names,
            refuse_insecure: true,
            loaded: RwLock::new(None),
        }
    }

    /// Whether any variable is named.
    #[inline]
    pub(crate) fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// What the variables held when last read; read now if never.
    fn loaded(&self) -> Arc<Loaded> {
        if let Some(loaded) = &*self.loaded.read().unwrap_or_else(PoisonError::into_inner) {
            return Arc::clone(loaded);
        }
        let mut slot = self.loaded.write().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(slot.get_or_insert_with(|| Arc::new(load(self.names, self.refuse_insecure))))
    }

    /// Reads the variables again.
    fn reload(&self) -> Arc<Loaded> {
        let loaded = Arc::new(load(self.names, self.refuse_insecure));
        *self.loaded.write().unwrap_or_else(PoisonError::into_inner) = Some(Arc::clone(&loaded));
        loaded
    }

    /// Whether a variable allows `origin`.
    pub(crate) fn allows(&self, origin: &[u8]) -> bool {
        let loaded = self.loaded();
        loaded
            .exact
            .binary_search_by(|probe| probe.as_bytes().cmp(origin))
            .is_ok()
            || loaded
                .patterns
                .iter()
                .any(|pattern| pattern.matches(origin))
    }

    /// `env(NAME)` for each variable, followed by what it held.
    pub(crate) fn describe(&self) -> Vec<String> {
        let loaded = self.loaded();
        self.names
            .iter()
            .map(|name| format!("env({name})"))
            .chain(
                loaded
                    .exact
                    .iter()
                    .map(|origin| String::from_utf8_lossy(origin.as_bytes()).into_owned()),
            )
            .chain(loaded.patterns.iter().map(OriginPattern::describe))
            .collect()
    }

    /// Some origin the variables allow, for the router self-check.
    pub(crate) fn sample(&self) -> Option<String> {
        let loaded = self.loaded();
        loaded
            .exact
            .first()
            .map(|origin| String::from_utf8_lossy(origin.as_bytes()).into_owned())
    }
}

fn load(names: &[&'static str], refuse_insecure: bool) -> Loaded {
    let mut loaded = Loaded::default();
    for &variable in names {
        let list = match std::env::var(variable) {
            Ok(list) => list,
            Err(std::env::VarError::NotPresent) => {
                loaded.problems.push(Problem {
                    variable,
                    item: None,
                    message: "is not set".into(),
                });
                continue;
            }
            Err(std::env::VarError::NotUnicode(_)) => {
                loaded.problems.push(Problem {
                    variable,
                    item: None,
                    message: "is not valid UTF-8".into(),
                });
                continue;
            }
        };
        for item in list
            .split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
        {
            match parse_origin(item) {
                Ok(spec) if refuse_insecure && is_insecure(&spec) => {
                    loaded.problems.push(Problem {
                        variable,
                        item: Some(item.to_owned()),
                        message: insecure_message(item, RISK),
                    })
                }
                Ok(OriginSpec::Exact(origin)) => match HeaderValue::from_str(&origin) {
                    Ok(value) => loaded.exact.push(value),
                    Err(_) => loaded.problems.push(Problem {
                        variable,
                        item: Some(item.to_owned()),
                        message: "is not a valid header value".into(),
                    }),
                },
                Ok(OriginSpec::Pattern(pattern)) => loaded.patterns.push(OriginPattern {
                    // Leaked once per variable, at start-up: patterns hold `&'static str`.
                    scheme: leak(pattern.scheme),
                    host: match pattern.host {
                        HostSpec::Exact(host) => HostPattern::Exact(leak(host)),
                        HostSpec::Subdomains(base) => {
                            HostPattern::Subdomains(leak(format!(".{base}")))
                        }
                    },
                    port: match pattern.port {
                        PortSpec::Exact(port) => PortPattern::Exact(leak(port)),
                        PortSpec::Any => PortPattern::Any,
                    },
                }),
                Err(message) => loaded.problems.push(Problem {
                    variable,
                    item: Some(item.to_owned()),
                    message,
                }),
            }
        }
        if list.split(',').all(|item| item.trim().is_empty()) {
            loaded.problems.push(Problem {
                variable,
                item: None,
                message: "is empty; list origins separated by commas".into(),
            });
        }
    }
    loaded.exact.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
    loaded.exact.dedup();
    loaded
}

/// What an impostor of a plain-`http` entry would gain: the policy has
/// credentials, private network access, or both.
const RISK: &str = "with this policy's credentials or private network access they act as the user";

fn leak(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}

/// One problem with one variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The variable.
    pub variable: &'static str,
    /// The offending entry, if the problem is with one entry.
    pub item: Option<String>,
    /// What is wrong and how to write it instead.
    pub message: String,
}

/// Every problem found in the origins read from the environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// All of them, in policy and variable order.
    pub problems: Vec<Problem>,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} problem(s) in CORS origins read from the environment:",
            self.problems.len()
        )?;
        for problem in &self.problems {
            match &problem.item {
                Some(item) => writeln!(f, "  {}: `{item}`: {}", problem.variable, problem.message)?,
                None => writeln!(f, "  {} {}", problem.variable, problem.message)?,
            }
        }
        Ok(())
    }
}

impl std::error::Error for ConfigError {}

/// Reads and checks every `env(...)` origin of every `#[cors]` policy in the
/// binary, and the app's own public origins in
/// [`TRUSTED_ORIGINS_VARIABLE`](crate::TRUSTED_ORIGINS_VARIABLE) (see
/// "Behind a proxy that rewrites `Host`" in the crate docs). Call it at start-up, before serving: a misconfigured deployment
/// then stops with all its problems listed, instead of refusing browsers.
/// Each call reads the variables again, so after a failed `init` a
/// corrected variable takes effect at the next one.
///
/// ```
/// use cors_runtime::cors;
///
/// #[cors(origins = ["https://app.example.com", env("DOCTEST_EXTRA_ORIGINS")])]
/// async fn items() {}
///
/// // Typically set by the deployment.
/// std::env::set_var("DOCTEST_EXTRA_ORIGINS", "https://staging.example.com, https://*.preview.example.com");
/// cors_runtime::init().expect("valid CORS configuration");
/// ```
///
/// # Errors
///
/// Every unset, empty or invalid variable and every entry that is not a
/// serialized origin or a supported pattern, each with its variable's name;
/// and every entry of [`TRUSTED_ORIGINS_VARIABLE`](crate::TRUSTED_ORIGINS_VARIABLE)
/// that is not a serialized origin.
pub fn init() -> Result<(), ConfigError> {
    let mut problems: Vec<Problem> = crate::trusted_origins::reload();
    for policy in crate::policies() {
        if let crate::origin::AllowedOrigins::List { env, .. } = &policy.origins {
            for problem in &env.reload().problems {
                if !problems.contains(problem) {
                    problems.push(problem.clone());
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ConfigError { problems })
    }
}
