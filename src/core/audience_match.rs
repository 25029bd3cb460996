//! Ory Hydra's default audience matching, predicted exactly.
//!
//! Hydra checks a requested audience list against the client's `audience` metadata with
//! fosite's `DefaultAudienceMatchingStrategy(haystack = allowed, needle = requested)`. The lists
//! here are what that strategy receives: Hydra has already split the `audience` parameter on
//! spaces and dropped empty values; [`allowed`] does neither.
//!
//! * an empty request is always allowed;
//! * every value on both lists is parsed with Go's `net/url.Parse`, and **any** value that
//!   fails to parse denies the whole request, an allowed one included (fosite parses every
//!   allowed value for every requested one, without stopping at a match);
//! * a requested value matches an allowed one when the (lower-cased) schemes are equal, the
//!   hosts (with port, case-sensitive, percent-decoded) are equal, and the decoded paths are
//!   equal, or equal once the allowed path's trailing slashes are removed, or the requested
//!   path continues the allowed path (trailing slashes removed) at a `/`.
//!
//! The quirks that follow, kept on purpose because Hydra has them: query, fragment and user
//! info are ignored (but must still parse); a string that is not a URL (`foobar`, `foo bar`)
//! is a relative path and matches by path alone, so `foobar` allows `foobar/x`; opaque URIs
//! (`urn:a:b`, `mailto:x`) have an empty host and path, so **any** `urn:` value allows
//! **every** other `urn:` value; an allowed value with an empty path or `/` allows every path
//! of its host; `%2F` in a path is a `/` once decoded; dot segments are not resolved, so
//! `/api` allows `/api/../admin`. Parsing follows Go 1.26 (for `http` and `https` a host's first
//! colon starts its port; brackets must hold an IPv6 address and open the host).

use super::{Check, Error};
use crate::prelude::*;

/// Which list a [`Problem`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The client's allow-list (Hydra's haystack).
    Allowed,
    /// The request (Hydra's needle).
    Requested,
}

/// One reason Hydra would refuse the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The offending value.
    pub value: String,
    /// The list it is on.
    pub source: Source,
    /// Why it fails.
    pub reason: String,
}

/// The parts of a Go `url.URL` that the matching compares. The scheme is borrowed as
/// written and compared case-insensitively (Go lower-cases it).
#[derive(Debug, PartialEq, Eq)]
struct GoUrl<'a> {
    scheme: &'a [u8],
    host: Vec<u8>,
    path: Vec<u8>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Path,
    Host,
    Zone,
}

const fn unhex(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Go's `shouldEscape(c, encodeHost)`: what a host may not hold literally.
fn host_forbids(c: u8) -> bool {
    !(c.is_ascii_alphanumeric() || b"-_.~!$&'()*+,;=:[]<>\"".contains(&c))
}

/// Go's `unescape`: `%XX` must be well-formed; hosts may only escape non-ASCII bytes (or
/// `%25`) and may not hold the characters [`host_forbids`].
fn unescape(s: &[u8], mode: Mode) -> Result<Vec<u8>, &'static str> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if c == b'%' {
            let (hi, lo) = match (s.get(i + 1).copied().and_then(unhex), s.get(i + 2).copied().and_then(unhex)) {
                (Some(hi), Some(lo)) => (hi, lo),
                _ => return Err("invalid URL escape"),
            };
            let v = hi << 4 | lo;
            let pct25 = v == b'%';
            if (mode == Mode::Host && hi < 8 && !pct25)
                || (mode == Mode::Zone && !pct25 && v != b' ' && host_forbids(v))
            {
                return Err("invalid URL escape");
            }
            out.push(v);
            i += 3;
        } else {
            if mode != Mode::Path && c < 0x80 && host_forbids(c) {
                return Err("invalid character in host name");
            }
            out.push(c);
            i += 1;
        }
    }
    Ok(out)
}

fn valid_optional_port(port: &[u8]) -> bool {
    match port.split_first() {
        None => true,
        Some((b':', digits)) => digits.iter().all(u8::is_ascii_digit),
        Some(_) => false,
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// `netip.ParseAddr`'s IPv4 syntax: four decimal fields, no leading zeros, each ≤ 255.
fn ipv4(s: &[u8]) -> bool {
    let mut fields = 0;
    for field in s.split(|&c| c == b'.') {
        fields += 1;
        let ok = !field.is_empty()
            && field.len() <= 3
            && field.iter().all(u8::is_ascii_digit)
            && !(field.len() > 1 && field[0] == b'0')
            && field.iter().fold(0u16, |v, &d| v * 10 + u16::from(d - b'0')) <= 255;
        if !ok {
            return false;
        }
    }
    fields == 4
}

/// `netip.ParseAddr`'s IPv6 syntax (with an optional non-empty `%zone`), RFC 4291 §2.2.
fn ipv6(input: &[u8]) -> bool {
    let mut s = match input.iter().position(|&c| c == b'%') {
        Some(z) if z + 1 == input.len() => return false,
        Some(z) => &input[..z],
        None => input,
    };
    let mut groups = 0;
    let mut ellipsis = false;
    if let Some(rest) = s.strip_prefix(b"::") {
        ellipsis = true;
        s = rest;
        if s.is_empty() {
            return true;
        }
    }
    while groups < 8 {
        let digits = s.iter().take_while(|c| c.is_ascii_hexdigit()).count();
        if digits == 0 || digits > 4 {
            return false;
        }
        if s.get(digits) == Some(&b'.') {
            // An embedded IPv4 address replaces the last two groups.
            if (!ellipsis && groups != 6) || groups + 2 > 8 || !ipv4(s) {
                return false;
            }
            groups += 2;
            s = &[];
            break;
        }
        groups += 1;
        s = &s[digits..];
        if s.is_empty() {
            break;
        }
        if s[0] != b':' || s.len() == 1 {
            return false;
        }
        s = &s[1..];
        if s[0] == b':' {
            if ellipsis {
                return false;
            }
            ellipsis = true;
            s = &s[1..];
            if s.is_empty() {
                break;
            }
        }
    }
    s.is_empty() && (groups == 8) != ellipsis
}

/// Go's `parseHost`: a bracketed IPv6 literal with optional port, or `host[:port]`.
fn parse_host(scheme: &[u8], h: &[u8]) -> Result<Vec<u8>, &'static str> {
    match h.iter().rposition(|&c| c == b'[') {
        Some(0) => {
            let close = h.iter().rposition(|&c| c == b']').ok_or("missing ']' in host")?;
            let port = &h[close + 1..];
            if !valid_optional_port(port) {
                return Err("invalid port after host");
            }
            let name = &h[1..close];
            let mut addr = match find(name, b"%25") {
                Some(z) => {
                    let mut a = unescape(&name[..z], Mode::Host)?;
                    a.extend(unescape(&name[z..], Mode::Zone)?);
                    a
                }
                None => unescape(name, Mode::Host)?,
            };
            // ParseAddr decides by the first '.', ':' or '%': IPv4 is refused in brackets.
            match addr.iter().find(|c| matches!(c, b'.' | b':' | b'%')) {
                Some(b':') if ipv6(&addr) => {}
                _ => return Err("invalid IP-literal"),
            }
            addr.insert(0, b'[');
            addr.push(b']');
            addr.extend_from_slice(port);
            Ok(addr)
        }
        Some(_) => Err("invalid IP-literal"),
        None => {
            // Go 1.26 (`urlstrictcolons`): for http and https the first colon starts the port,
            // so a host with several colons fails; other schemes keep the last colon (database
            // URLs list several hosts).
            let strict = scheme.eq_ignore_ascii_case(b"http") || scheme.eq_ignore_ascii_case(b"https");
            let colon = if strict { h.iter().position(|&c| c == b':') } else { h.iter().rposition(|&c| c == b':') };
            if let Some(colon) = colon {
                if !valid_optional_port(&h[colon..]) {
                    return Err("invalid port after host");
                }
            }
            unescape(h, Mode::Host)
        }
    }
}

/// Go's `url.Parse`, reduced to the scheme, host and path it yields.
fn parse(raw: &str) -> Result<GoUrl<'_>, &'static str> {
    let raw = raw.as_bytes();
    let (u, fragment) = match raw.iter().position(|&c| c == b'#') {
        Some(i) => (&raw[..i], &raw[i + 1..]),
        None => (raw, &[][..]),
    };
    // The fragment is only checked for escapes (control characters are let through there).
    unescape(fragment, Mode::Path)?;
    if u.iter().any(|&c| c < 0x20 || c == 0x7f) {
        return Err("invalid control character in URL");
    }
    if u == b"*" {
        return Ok(GoUrl { scheme: &[], host: Vec::new(), path: b"*".to_vec() });
    }
    // getScheme: [a-zA-Z][a-zA-Z0-9+.-]* followed by ':'.
    let mut scheme: &[u8] = &[];
    let mut rest = u;
    for (i, &c) in u.iter().enumerate() {
        match c {
            b'a'..=b'z' | b'A'..=b'Z' => continue,
            b'0'..=b'9' | b'+' | b'-' | b'.' if i > 0 => continue,
            b':' if i == 0 => return Err("missing protocol scheme"),
            b':' => (scheme, rest) = (&u[..i], &u[i + 1..]),
            _ => {}
        }
        break;
    }
    let questions = rest.iter().filter(|&&c| c == b'?').count();
    if questions == 1 && rest.ends_with(b"?") {
        rest = &rest[..rest.len() - 1];
    } else if let Some(q) = rest.iter().position(|&c| c == b'?') {
        rest = &rest[..q];
    }
    if !rest.starts_with(b"/") {
        if !scheme.is_empty() {
            // scheme:opaque — no host, no path.
            return Ok(GoUrl { scheme, host: Vec::new(), path: Vec::new() });
        }
        let segment = rest.split(|&c| c == b'/').next().unwrap_or_default();
        if segment.contains(&b':') {
            return Err("first path segment in URL cannot contain colon");
        }
    }
    let mut host = Vec::new();
    if rest.starts_with(b"//") && (!scheme.is_empty() || !rest.starts_with(b"///")) {
        let after = &rest[2..];
        let end = after.iter().position(|&c| c == b'/').unwrap_or(after.len());
        let authority = &after[..end];
        rest = &after[end..];
        let at = authority.iter().rposition(|&c| c == b'@');
        host = parse_host(scheme, &authority[at.map_or(0, |i| i + 1)..])?;
        if let Some(at) = at {
            let userinfo = &authority[..at];
            if !userinfo.iter().all(|&c| c.is_ascii_alphanumeric() || b"-._:~!$&'()*+,;=%@".contains(&c)) {
                return Err("invalid userinfo");
            }
            unescape(userinfo, Mode::Path)?;
        }
    }
    Ok(GoUrl { scheme, host, path: unescape(rest, Mode::Path)? })
}

fn trim_trailing_slashes(path: &[u8]) -> &[u8] {
    let keep = path.iter().rposition(|&c| c != b'/').map_or(0, |i| i + 1);
    &path[..keep]
}

/// fosite's path rule: equal, equal to the allowed path without trailing slashes, or
/// continuing it at a `/`.
fn path_matches(requested: &[u8], allowed: &[u8]) -> bool {
    let base = trim_trailing_slashes(allowed);
    requested == allowed
        || requested == base
        || (requested.len() > base.len() && requested.starts_with(base) && requested[base.len()] == b'/')
}

fn parse_problem(value: &str, source: Source) -> Option<Problem> {
    parse(value).err().map(|why| Problem {
        value: value.to_owned(),
        source,
        reason: ["cannot be parsed as a URL (", why, ")"].cat(),
    })
}

/// Every reason Hydra would refuse `requested` for a client whose allow-list is `allowed`.
/// Empty exactly when Hydra allows the request.
pub fn explain(allowed: &[&str], requested: &[&str]) -> Vec<Problem> {
    if requested.is_empty() {
        return Vec::new();
    }
    let mut problems: Vec<Problem> = allowed.iter().filter_map(|a| parse_problem(a, Source::Allowed)).collect();
    let parsed: Vec<GoUrl> = allowed.iter().filter_map(|a| parse(a).ok()).collect();
    for value in requested {
        let url = match parse(value) {
            Ok(url) => url,
            Err(_) => {
                problems.extend(parse_problem(value, Source::Requested));
                continue;
            }
        };
        let same_origin = || parsed.iter().filter(|a| a.scheme.eq_ignore_ascii_case(url.scheme) && a.host == url.host);
        if same_origin().any(|a| path_matches(&url.path, &a.path)) {
            continue;
        }
        let reason = if allowed.is_empty() {
            "the allow-list is empty"
        } else if same_origin().next().is_none() {
            "no allowed value has its scheme and host (with port)"
        } else {
            "its path neither equals nor continues at a '/' the path of an allowed value with its scheme and host"
        };
        problems.push(Problem { value: (*value).to_owned(), source: Source::Requested, reason: reason.into() });
    }
    problems
}

/// Whether Hydra allows `requested` for a client whose allow-list is `allowed`.
pub fn allowed(allowed: &[&str], requested: &[&str]) -> bool {
    explain(allowed, requested).is_empty()
}

/// The `allowedAudiences` pre-check of a sign-in request: `invalid_audience` naming the first
/// value Hydra would refuse, as Hydra's hint does ("requested audience … is not allowed").
pub fn precheck(allowed: &[&str], requested: &[&str]) -> Result<(), Error> {
    match explain(allowed, requested).into_iter().next() {
        Some(p) => Err(Error::check(
            Check::Audience,
            ["requested audience \"", &p.value, "\" is not allowed by allowedAudiences: ", &p.reason].cat(),
        )),
        None => Ok(()),
    }
}

/// Checks the client option `allowedAudiences`: a value Hydra cannot parse makes Hydra refuse
/// every non-empty request, so it is `invalid_config` when the client is created.
pub fn check_allowed(allowed: &[&str]) -> Result<(), Error> {
    for value in allowed {
        if let Err(why) = parse(value) {
            return Err(Error::config(
                [
                    "allowedAudiences value \"",
                    value,
                    "\" cannot be parsed as a URL (",
                    why,
                    "): Hydra would refuse every request",
                ]
                .cat(),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// fosite's own `TestDefaultAudienceMatchingStrategy` table (Ory fosite, 2026).
    #[test]
    fn fosite_table() {
        let users = "https://cloud.ory.sh/api/users";
        let cases: &[(&[&str], &[&str], bool)] = &[
            (&[], &[], true),
            (&["http://foo/bar"], &[], true),
            (&[], &["http://foo/bar"], false),
            (&[users], &[users], true),
            (&[users], &["https://cloud.ory.sh/api/users/"], true),
            (&["https://cloud.ory.sh/api/users/"], &["https://cloud.ory.sh/api/users/"], true),
            (&["https://cloud.ory.sh/api/users/"], &[users], true),
            (&[users], &["https://cloud.ory.sh/api/users/1234"], true),
            (&[users], &[users, "https://cloud.ory.sh/api/users/", "https://cloud.ory.sh/api/users/1234"], true),
            (
                &[users, "https://cloud.ory.sh/api/tenants"],
                &[users, "https://cloud.ory.sh/api/users/1234", "https://cloud.ory.sh/api/tenants"],
                true,
            ),
            (&[users], &["https://cloud.ory.sh/api/users1234"], false),
            (&[users], &["http://cloud.ory.sh/api/users"], false),
            (&[users], &["https://cloud.ory.sh:8000/api/users"], false),
            (&[users], &["https://cloud.ory.xyz/api/users"], false),
            (&["foobar"], &["foobar"], true),
            (&["foo bar"], &["foo bar"], true),
            (&["zoo", "bar"], &["zoo"], true),
            (&["zoo"], &["zoo", "bar"], false),
            (&["foobar"], &["foobar/"], true),
            (&["foobar/"], &["foobar"], true),
        ];
        for (i, (allow, req, expected)) in cases.iter().enumerate() {
            assert_eq!(allowed(allow, req), *expected, "case {i}: {allow:?} {req:?}");
        }
    }

    /// The audience guide's example, and the quirks the module documentation lists.
    #[test]
    fn guide_and_quirks() {
        let a = &["https://api.my-cloud/user"][..];
        assert!(allowed(a, &["https://api.my-cloud/user", "https://api.my-cloud/user/1234"]));
        assert!(!allowed(a, &["https://api.my-cloud/not-user"]));
        assert!(!allowed(a, &["https://something-else/"]));
        let cases: &[(&str, &str, bool)] = &[
            // Query, fragment and user info are ignored.
            ("https://a.example/api", "https://a.example/api?x=1#frag", true),
            ("https://a.example/api?tenant=1", "https://a.example/api/x", true),
            ("https://a.example/api", "https://user:pw@a.example/api", true),
            // The scheme is case-insensitive; host and path are not.
            ("https://a.example/api", "HTTPS://a.example/api", true),
            ("https://a.example/api", "https://A.example/api", false),
            ("https://a.example/api", "https://a.example/API", false),
            // Ports are part of the host: no default-port equivalence.
            ("https://a.example/api", "https://a.example:443/api", false),
            // An empty or "/" path allows every path of the host.
            ("https://a.example", "https://a.example/anything/at/all", true),
            ("https://a.example/", "https://a.example", true),
            // Paths compare decoded.
            ("https://a.example/api/x", "https://a.example/api%2Fx", true),
            ("https://a.example/ä", "https://a.example/%C3%A4/1", true),
            // Dot segments are not resolved (Go keeps the path as written).
            ("https://a.example/api", "https://a.example/api/../admin", true),
            ("https://a.example/api", "https://a.example/api/%2e%2e/admin", true),
            // Hosts compare as written: an empty port, a leading zero and default ports differ.
            ("https://a.example/api", "https://a.example:/api", false),
            ("https://a.example:443/api", "https://a.example:0443/api", false),
            // Trailing slashes of the allowed value are all dropped.
            ("https://a.example/api///", "https://a.example/api", true),
            ("https://a.example/api", "https://a.example/api//x", true),
            // Opaque URIs compare by scheme only.
            ("urn:a:b", "urn:c:d", true),
            ("urn:a:b", "URN:x", true),
            ("urn:a:b", "mailto:a@b", false),
            ("mailto:a@b", "mailto:c@d", true),
            // Relative references match by path.
            ("foobar", "foobar/x", true),
            ("foobar", "foobarx", false),
            ("/api", "/api/x", true),
            ("", "/x", true),
            ("", "x", false),
            // Hosts with IPv6 literals and zones.
            ("https://[::1]:8080/a", "https://[::1]:8080/a/b", true),
            ("https://[fe80::1%25en0]/a", "https://[fe80::1%25en0]/a", true),
            ("https://[::1]/a", "https://[0::1]/a", false),
            // Percent-encoded non-ASCII in a host is decoded.
            ("https://b\u{fc}cher.example/", "https://b%C3%BCcher.example/x", true),
        ];
        for (allow, req, expected) in cases {
            assert_eq!(allowed(&[allow], &[req]), *expected, "{allow:?} allows {req:?}");
        }
    }

    /// What Go's url.Parse refuses, and what it lets through.
    #[test]
    fn parse_errors_deny() {
        let refused = [
            "https://a.example/\x01",
            "https://a.example/\x7f",
            "://x",
            ":x",
            "1a:b/x",
            "a b:c",
            "https://a.example/%zz",
            "https://a.example/%4",
            "https://a.example/x#%zz",
            "https://a.example:abc/x",
            "https://a.example:80:80/x",
            "HTTP://a.example:80:80/x",
            "https://a{b}/",
            "https://a b/",
            "https://a%41/",
            "https://[1.2.3.4]/",
            "https://[v1.x]/",
            "https://[::1/",
            "https://[::1]x/",
            "https://x[::1]/",
            "https://[::1%]/",
            "https://[1::2::3]/",
            "https://[1:2:3:4:5:6:7:8:9]/",
            "https://[1:2:3:4:5:6:7]/",
            "https://[12345::1]/",
            "https://\u{fc}@a.example/",
            "https://a%zz@a.example/",
        ];
        for value in refused {
            assert!(parse(value).is_err(), "Go refuses {value:?}");
            assert!(!allowed(&[value], &[value]), "{value:?}");
        }
        let accepted = [
            "foo bar",
            "*",
            "a/b:c",
            "https://a.example/x#\x01",
            "https://a.example:/x",
            "https://a.example/x?%zz",
            "https://[::ffff:1.2.3.4]:1/",
            "https://[1:2:3:4:5:6:1.2.3.4]/",
            "https://[::]/",
            "https://a%25b/",
            "https://a\"b<c>/",
            "https://u%20:p@a.example/",
            "//host/path",
            "///x",
            "x?",
            "https:opaque",
            // Other schemes keep the last colon: database URLs list several hosts.
            "postgres://h1:5432,h2:5432/db",
            "mongodb://a:1:2/",
        ];
        for value in accepted {
            assert!(parse(value).is_ok(), "Go accepts {value:?}");
        }
        assert_eq!(parse("//host/p").unwrap().host, b"host");
        assert_eq!(parse("///host/p").unwrap().path, b"///host/p");
        assert_eq!(parse("https://[fe80::1%25en0]:9/").unwrap().host, b"[fe80::1%en0]:9");
        assert_eq!(parse("postgres://h1:5432,h2:5432/db").unwrap().host, b"h1:5432,h2:5432");
        assert!(parse("postgres://h1:5432,h2/db").is_err(), "the last colon must start a port");
    }

    #[test]
    fn one_bad_allowed_value_denies_everything() {
        assert!(!allowed(&["https://a.example/api", "https://bad:port/"], &["https://a.example/api"]));
        assert!(allowed(&["https://bad:port/"], &[]), "an empty request is never checked");
    }

    #[test]
    fn explains_each_failure() {
        let problems = explain(
            &["https://a.example/api", "http://%zz/"],
            &["https://a.example/api/1", "https://a.example/apix", "https://b.example/api", "x:y:z", "%"],
        );
        let got: Vec<_> = problems.iter().map(|p| (p.source, p.value.as_str(), p.reason.as_str())).collect();
        assert_eq!(
            got,
            [
                (Source::Allowed, "http://%zz/", "cannot be parsed as a URL (invalid URL escape)"),
                (
                    Source::Requested,
                    "https://a.example/apix",
                    "its path neither equals nor continues at a '/' the path of an allowed value with its scheme and host"
                ),
                (Source::Requested, "https://b.example/api", "no allowed value has its scheme and host (with port)"),
                (Source::Requested, "x:y:z", "no allowed value has its scheme and host (with port)"),
                (Source::Requested, "%", "cannot be parsed as a URL (invalid URL escape)"),
            ]
        );
        assert_eq!(explain(&[], &["a"])[0].reason, "the allow-list is empty");
    }
}
