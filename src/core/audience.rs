//! Access-token audiences: Ory Hydra's `audience` parameter.
//!
//! Hydra reads one `audience` query parameter holding a space-separated list (its audience
//! guide: "multiple strings separated by a url-encoded space (`+` or `%20`)"). Values are
//! case-sensitive and "must not contain whitespaces".

use super::codec::encoding::{form_decode, percent_encode_into, Space};
use super::codec::json::Value;
use super::{Check, Error};

/// Reads `audienceEncoding`: `'percent'` writes the separating space as `%20`, `'plus'` as `+`.
pub fn encoding(name: &str) -> Result<Space, Error> {
    match name {
        "percent" => Ok(Space::Percent),
        "plus" => Ok(Space::Plus),
        _ => Err(Error::config("audienceEncoding must be 'percent' or 'plus'")),
    }
}
use crate::prelude::*;

/// One audience value: non-empty, case-sensitive, without any (Unicode) whitespace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Audience(String);

impl Audience {
    /// Validates a value; the error names the value and what is wrong with it.
    pub fn new(value: &str) -> Result<Self, Error> {
        if value.is_empty() {
            return Err(Error::check(Check::Audience, "audience value is empty"));
        }
        if value.chars().any(char::is_whitespace) {
            return Err(Error::check(Check::Audience, ["audience value \"", value, "\" contains whitespace"].cat()));
        }
        Ok(Audience(value.to_owned()))
    }

    /// The value.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An ordered audience list without duplicates (the first occurrence is kept).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AudienceList(Vec<Audience>);

impl AudienceList {
    /// Validates every value and drops repeats; the first invalid value is the error.
    pub fn new<'a>(values: impl IntoIterator<Item = &'a str>) -> Result<Self, Error> {
        let mut list: Vec<Audience> = Vec::new();
        for value in values {
            let aud = Audience::new(value)?;
            if !list.contains(&aud) {
                list.push(aud);
            }
        }
        Ok(AudienceList(list))
    }

    /// Reads a JSON option: one string, or an array of strings.
    pub fn from_json(value: &Value) -> Result<Self, Error> {
        Self::new(
            value
                .str_list()
                .ok_or_else(|| Error::check(Check::Audience, "audience must be a string or an array of strings"))?,
        )
    }

    /// True when no audience is requested (the parameter is then omitted).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The values in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(Audience::as_str)
    }

    /// The `audience=` query value: values joined by one space, the whole percent-encoded,
    /// the space written as `%20` or `+`.
    pub fn encode(&self, space: Space) -> String {
        let mut out = String::new();
        for (i, aud) in self.0.iter().enumerate() {
            if i > 0 {
                out.push_str(if space == Space::Plus { "+" } else { "%20" });
            }
            percent_encode_into(&mut out, aud.as_str(), space);
        }
        out
    }

    /// The inverse of [`encode`](Self::encode), decoding the way a server does: `+` and
    /// `%20` become spaces, then the value is split on spaces (empty pieces are dropped).
    pub fn decode(query_value: &str) -> Result<Self, Error> {
        let text = form_decode(query_value)
            .ok_or_else(|| Error::check(Check::Audience, "audience query value is not valid percent-encoded UTF-8"))?;
        Self::new(text.split(' ').filter(|v| !v.is_empty()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_hydra_guide_example() {
        let list = AudienceList::new(["https://api.my-cloud.com/user", "https://some-tenant.my-cloud.com/"]).unwrap();
        assert_eq!(
            list.encode(Space::Plus),
            "https%3A%2F%2Fapi.my-cloud.com%2Fuser+https%3A%2F%2Fsome-tenant.my-cloud.com%2F"
        );
        assert_eq!(
            list.encode(Space::Percent),
            "https%3A%2F%2Fapi.my-cloud.com%2Fuser%20https%3A%2F%2Fsome-tenant.my-cloud.com%2F"
        );
    }

    #[test]
    fn round_trips_awkward_values() {
        let values = ["https://a.example/x?q=1&r=2#frag", "a+b", "100%", "é/ü", "urn:x:y=z", "Case", "case"];
        let list = AudienceList::new(values).unwrap();
        for space in [Space::Percent, Space::Plus] {
            let back = AudienceList::decode(&list.encode(space)).unwrap();
            assert_eq!(back.iter().collect::<Vec<_>>(), values);
        }
    }

    #[test]
    fn refuses_empty_and_whitespace_naming_the_value() {
        let e = AudienceList::new(["ok", "bad value"]).unwrap_err();
        assert_eq!(e.code(), "invalid_audience");
        assert_eq!(e.description(), Some("audience value \"bad value\" contains whitespace"));
        for bad in ["", "a\tb", "a\nb", "a\u{a0}b", "a\u{2003}b"] {
            assert_eq!(Audience::new(bad).unwrap_err().code(), "invalid_audience", "{bad:?}");
        }
    }

    #[test]
    fn drops_duplicates_keeping_first() {
        let list = AudienceList::new(["b", "a", "b", "c", "a"]).unwrap();
        assert_eq!(list.iter().collect::<Vec<_>>(), ["b", "a", "c"]);
        assert!(AudienceList::new([]).unwrap().is_empty());
    }
}
