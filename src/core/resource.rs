//! RFC 8707 resource indicators: the `resource` parameter, repeated once per value on the
//! authorization request (§2.1) and on the token request (§2.2).

use super::codec::json::Value;
use super::{Check, Error};
use crate::prelude::*;

/// An RFC 8707 §2 resource: "an absolute URI, as specified by Section 4.3 of RFC 3986", which
/// "MUST NOT include a fragment component".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource(String);

fn invalid(value: &str, why: &str) -> Error {
    Error::check(Check::Target, ["resource \"", value, "\" ", why].cat())
}

impl Resource {
    /// Validates `value`: `scheme ":" hier-part [ "?" query ]` (RFC 3986 §4.3) made of URI
    /// characters only (§2: unreserved, reserved, well-formed `%XX`), no `#`.
    pub fn new(value: &str) -> Result<Self, Error> {
        let b = value.as_bytes();
        let colon = b.iter().position(|&c| c == b':').unwrap_or(0);
        let scheme_ok = colon > 0
            && b[0].is_ascii_alphabetic()
            && b[1..colon].iter().all(|c| c.is_ascii_alphanumeric() || b"+-.".contains(c));
        if !scheme_ok || colon + 1 == b.len() {
            return Err(invalid(value, "is not an absolute URI (RFC 8707 §2)"));
        }
        if b.contains(&b'#') {
            return Err(invalid(value, "has a fragment (RFC 8707 §2)"));
        }
        for (i, &c) in b.iter().enumerate() {
            let ok = match c {
                b'%' => b.get(i + 1..i + 3).is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)),
                _ => c.is_ascii_alphanumeric() || b"-._~:/?[]@!$&'()*+,;=".contains(&c),
            };
            if !ok {
                return Err(invalid(value, "has characters a URI cannot hold (RFC 3986 §2)"));
            }
        }
        Ok(Resource(value.to_owned()))
    }

    /// The value.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Resources in order, repeats dropped (the first is kept).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ResourceList(Vec<Resource>);

impl ResourceList {
    /// Reads the `resource` option: one string or an array of strings.
    pub fn from_json(value: &Value) -> Result<Self, Error> {
        let one = [value.clone()];
        let items = match value {
            Value::String(_) => &one[..],
            Value::Array(items) => items,
            _ => &[],
        };
        let mut list: Vec<Resource> = Vec::new();
        for item in items {
            let r = Resource::new(
                item.as_str()
                    .ok_or_else(|| Error::check(Check::Target, "resource must be a string or an array of strings"))?,
            )?;
            if !list.contains(&r) {
                list.push(r);
            }
        }
        if items.is_empty() && !matches!(value, Value::Array(_)) {
            return Err(Error::check(Check::Target, "resource must be a string or an array of strings"));
        }
        Ok(ResourceList(list))
    }

    /// The values in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(Resource::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Result<Vec<String>, Error> {
        ResourceList::from_json(&Value::parse(json).unwrap()).map(|l| l.iter().map(str::to_owned).collect())
    }

    #[test]
    fn accepts_absolute_uris() {
        assert_eq!(
            read(r#"["https://api.example.com/app/","urn:example:res","https://a.example/x?y=%2F","https://api.example.com/app/"]"#)
                .unwrap(),
            ["https://api.example.com/app/", "urn:example:res", "https://a.example/x?y=%2F"]
        );
        assert_eq!(read(r#""https://a.example""#).unwrap(), ["https://a.example"]);
        assert!(read("[]").unwrap().is_empty());
    }

    #[test]
    fn refuses_with_invalid_target_naming_the_value() {
        let cases = [
            (r#"["/api/v1"]"#, "resource \"/api/v1\" is not an absolute URI (RFC 8707 §2)"),
            (r#"["api.example.com/x"]"#, "resource \"api.example.com/x\" is not an absolute URI (RFC 8707 §2)"),
            (r#"["1http://x"]"#, "resource \"1http://x\" is not an absolute URI (RFC 8707 §2)"),
            (r#"["https:"]"#, "resource \"https:\" is not an absolute URI (RFC 8707 §2)"),
            (
                r#"["https://a.example/api#section"]"#,
                "resource \"https://a.example/api#section\" has a fragment (RFC 8707 §2)",
            ),
            (r#"["https://a.example/#"]"#, "resource \"https://a.example/#\" has a fragment (RFC 8707 §2)"),
            (r#"["https://a b"]"#, "resource \"https://a b\" has characters a URI cannot hold (RFC 3986 §2)"),
            (r#"["https://a/%zz"]"#, "resource \"https://a/%zz\" has characters a URI cannot hold (RFC 3986 §2)"),
            (r#"["https://ä"]"#, "resource \"https://ä\" has characters a URI cannot hold (RFC 3986 §2)"),
            (r#"[1]"#, "resource must be a string or an array of strings"),
            (r#"{}"#, "resource must be a string or an array of strings"),
        ];
        for (json, description) in cases {
            let e = read(json).unwrap_err();
            assert_eq!((e.code(), e.description().unwrap()), ("invalid_target", description), "{json}");
        }
    }
}
