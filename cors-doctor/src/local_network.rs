//! Chromium's Local Network Access: a page on a public origin reaching a
//! loopback or private address. The browser decides before any request is
//! sent, and no response header changes that.

use cors_runtime::browser::authority;

/// The address space of a host, as Chromium names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressSpace {
    /// `127.0.0.0/8`, `::1`, `localhost`.
    Loopback,
    /// RFC 1918, link-local, unique-local, `.local`.
    Local,
    /// Anything else.
    Public,
}

impl AddressSpace {
    /// The name in Chromium's messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Loopback => "loopback",
            Self::Local => "local",
            Self::Public => "public",
        }
    }
}

/// The address space of `url`'s host, from the name alone (an IP literal,
/// `localhost`, `*.localhost`, `*.local`); `Public` otherwise.
pub fn address_space(url: &str) -> AddressSpace {
    let Some(authority) = authority(url) else {
        return AddressSpace::Public;
    };
    let host = if authority.starts_with('[') {
        authority
            .trim_start_matches('[')
            .split(']')
            .next()
            .unwrap_or_default()
    } else {
        authority.split(':').next().unwrap_or_default()
    };
    let host = host.to_ascii_lowercase();
    if host == "localhost" || host.ends_with(".localhost") {
        return AddressSpace::Loopback;
    }
    if host.ends_with(".local") {
        return AddressSpace::Local;
    }
    match host.parse::<std::net::IpAddr>() {
        Ok(ip) if ip.is_loopback() => AddressSpace::Loopback,
        Ok(std::net::IpAddr::V4(ip)) if ip.is_private() || ip.is_link_local() => {
            AddressSpace::Local
        }
        Ok(std::net::IpAddr::V6(ip))
            if (ip.segments()[0] & 0xfe00) == 0xfc00 || (ip.segments()[0] & 0xffc0) == 0xfe80 =>
        {
            AddressSpace::Local
        }
        _ => AddressSpace::Public,
    }
}

/// What Local Network Access does to a page on `origin` fetching `url`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LocalNetworkAccess {
    /// Not concerned: the target is no more private than the page.
    NotConcerned,
    /// A public page on plain `http`: blocked (`InsecureLocalNetwork`).
    Blocked { space: AddressSpace },
    /// A public secure page: Chromium asks the user; denied gives
    /// `LocalNetworkAccessPermissionDenied`.
    NeedsPermission { space: AddressSpace },
}

/// Chromium's decision for `origin` -> `url`.
pub fn local_network_access(origin: &str, url: &str) -> LocalNetworkAccess {
    let target = address_space(url);
    let page = address_space(origin);
    let more_private = matches!(
        (page, target),
        (
            AddressSpace::Public,
            AddressSpace::Local | AddressSpace::Loopback
        ) | (AddressSpace::Local, AddressSpace::Loopback)
    );
    if !more_private {
        return LocalNetworkAccess::NotConcerned;
    }
    if origin.starts_with("https://") {
        LocalNetworkAccess::NeedsPermission { space: target }
    } else {
        LocalNetworkAccess::Blocked { space: target }
    }
}

/// Whether the page's origin really is public: its name resolves, and to
/// public addresses only (a development name mapped to `127.0.0.1` in
/// `/etc/hosts` is not). Unknown counts as not public: the doctor then
/// notes rather than blocks.
pub async fn resolves_public(origin: &str) -> bool {
    let Some(authority) = authority(origin) else {
        return false;
    };
    if address_space(origin) != AddressSpace::Public {
        return false;
    }
    let host = authority.split(':').next().unwrap_or_default().to_owned();
    if host.parse::<std::net::IpAddr>().is_ok() {
        return true;
    }
    let lookup = tokio::net::lookup_host(format!("{host}:443"));
    match tokio::time::timeout(std::time::Duration::from_secs(1), lookup).await {
        Ok(Ok(addresses)) => {
            let spaces: Vec<AddressSpace> = addresses
                .map(|address| address_space(&format!("http://{address}")))
                .collect();
            !spaces.is_empty() && spaces.iter().all(|space| *space == AddressSpace::Public)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_public_page_reaching_loopback_is_blocked_over_http_and_asks_over_https() {
        assert_eq!(
            local_network_access("http://app.example.com", "http://127.0.0.1:3000/x"),
            LocalNetworkAccess::Blocked {
                space: AddressSpace::Loopback
            }
        );
        assert_eq!(
            local_network_access("https://app.example.com", "http://192.168.1.5/x"),
            LocalNetworkAccess::NeedsPermission {
                space: AddressSpace::Local
            }
        );
        assert_eq!(
            local_network_access("http://localhost:5173", "http://127.0.0.1:3000/x"),
            LocalNetworkAccess::NotConcerned
        );
        assert_eq!(
            local_network_access("https://app.example.com", "https://api.example.com/x"),
            LocalNetworkAccess::NotConcerned
        );
        assert_eq!(address_space("http://[::1]:8080/"), AddressSpace::Loopback);
        assert_eq!(address_space("not a url"), AddressSpace::Public);
    }
}
