//! A small, strict JSON reader (RFC 8259) and string writer.
//!
//! Hand-written instead of `serde_json`: the core only needs to read a handful of
//! documents (provider metadata, token responses, JWT payloads, options) and `serde_json`
//! plus float formatting would triple the wasm size. The reader never panics, bounds nesting
//! depth, keeps numbers as their source text (no float machinery), and refuses objects with
//! duplicate member names (RFC 7519 §4 allows a JWT parser to reject them; doing so closes
//! the "which duplicate wins" ambiguity).

use crate::prelude::*;
/// A parsed JSON value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number, kept as its (validated) source text.
    Number(String),
    /// A string, unescaped.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object, members in document order (names are unique).
    Object(Vec<(String, Value)>),
}

const MAX_DEPTH: u32 = 32;

impl Value {
    /// Parses a complete JSON text; `None` if it is not valid JSON (or nests deeper than 32).
    pub fn parse(text: &str) -> Option<Value> {
        let mut p = Parser { s: text.as_bytes(), i: 0 };
        let v = p.value(0)?;
        p.ws();
        (p.i == p.s.len()).then_some(v)
    }

    /// Member `name` of an object (`None` for other values or a missing member).
    pub fn get(&self, name: &str) -> Option<&Value> {
        match self {
            Value::Object(members) => members.iter().find(|(k, _)| k == name).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// A string as a list of one, an array of strings as its items; `None` for anything else.
    /// (A loop: `collect` into an `Option<Vec<_>>` costs more wasm.)
    pub fn str_list(&self) -> Option<Vec<&str>> {
        let items = match self {
            Value::String(_) => core::slice::from_ref(self),
            Value::Array(items) => items,
            _ => return None,
        };
        let mut out = Vec::new();
        for item in items {
            out.push(item.as_str()?);
        }
        Some(out)
    }

    /// The elements, if this is an array.
    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The members, if this is an object.
    pub fn as_object(&self) -> Option<&[(String, Value)]> {
        match self {
            Value::Object(members) => Some(members),
            _ => None,
        }
    }

    /// Serialises the value back to JSON text (numbers as they were written).
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Number(n) => out.push_str(n),
            Value::String(s) => push_str(out, s),
            Value::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Value::Object(members) => {
                out.push('{');
                for (i, (name, value)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    push_str(out, name);
                    out.push(':');
                    value.write(out);
                }
                out.push('}');
            }
        }
    }

    /// A non-negative number as whole units, truncating any fraction (`1.9` → 1). `None`
    /// for negatives, exponents, overflow and non-numbers. Enough for `expires_in`, `exp`
    /// and `iat` (RFC 7519 NumericDate may carry a fraction).
    pub fn as_u64(&self) -> Option<u64> {
        let Value::Number(text) = self else { return None };
        let whole = text.split('.').next()?;
        if whole.starts_with('-') || text.contains(['e', 'E']) {
            return None;
        }
        whole.bytes().try_fold(0u64, |acc, d| acc.checked_mul(10)?.checked_add(u64::from(d - b'0')))
    }
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.i += 1;
        Some(c)
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn eat(&mut self, c: u8) -> bool {
        self.ws();
        let hit = self.peek() == Some(c);
        if hit {
            self.i += 1;
        }
        hit
    }

    fn literal(&mut self, word: &[u8], v: Value) -> Option<Value> {
        let end = self.i.checked_add(word.len())?;
        (self.s.get(self.i..end)? == word).then(|| {
            self.i = end;
            v
        })
    }

    fn value(&mut self, depth: u32) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.ws();
        match self.peek()? {
            b'{' => {
                self.i += 1;
                let mut members: Vec<(String, Value)> = Vec::new();
                if !self.eat(b'}') {
                    loop {
                        self.ws();
                        if self.next()? != b'"' {
                            return None;
                        }
                        let name = self.string()?;
                        if members.iter().any(|(k, _)| *k == name) || !self.eat(b':') {
                            return None;
                        }
                        let v = self.value(depth + 1)?;
                        members.push((name, v));
                        if self.eat(b'}') {
                            break;
                        }
                        if !self.eat(b',') {
                            return None;
                        }
                    }
                }
                Some(Value::Object(members))
            }
            b'[' => {
                self.i += 1;
                let mut items = Vec::new();
                if !self.eat(b']') {
                    loop {
                        items.push(self.value(depth + 1)?);
                        if self.eat(b']') {
                            break;
                        }
                        if !self.eat(b',') {
                            return None;
                        }
                    }
                }
                Some(Value::Array(items))
            }
            b'"' => {
                self.i += 1;
                self.string().map(Value::String)
            }
            b't' => self.literal(b"true", Value::Bool(true)),
            b'f' => self.literal(b"false", Value::Bool(false)),
            b'n' => self.literal(b"null", Value::Null),
            _ => self.number(),
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.i += 1;
        }
        self.i - start
    }

    fn number(&mut self) -> Option<Value> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        let first = self.peek();
        let int_len = self.digits();
        if int_len == 0 || (int_len > 1 && first == Some(b'0')) {
            return None;
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if self.digits() == 0 {
                return None;
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if self.digits() == 0 {
                return None;
            }
        }
        let text = core::str::from_utf8(self.s.get(start..self.i)?).ok()?;
        Some(Value::Number(text.to_owned()))
    }

    fn hex4(&mut self) -> Option<u32> {
        let mut n = 0;
        for _ in 0..4 {
            n = n * 16 + (self.next()? as char).to_digit(16)?;
        }
        Some(n)
    }

    /// Reads a string body; the opening quote is already consumed.
    fn string(&mut self) -> Option<String> {
        let mut out = Vec::new();
        loop {
            // The run up to the next quote, backslash or control byte is copied at once (tokens
            // are kilobytes of plain text; byte by byte was the callback's hottest loop).
            let start = self.i;
            while self.peek().is_some_and(|c| c != b'"' && c != b'\\' && c >= 0x20) {
                self.i += 1;
            }
            out.extend_from_slice(self.s.get(start..self.i)?);
            match self.next()? {
                b'"' => return String::from_utf8(out).ok(),
                b'\\' => {
                    let c = match self.next()? {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let hi = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&hi) {
                                if self.next()? != b'\\' || self.next()? != b'u' {
                                    return None;
                                }
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return None;
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else {
                                hi
                            };
                            char::from_u32(code)?
                        }
                        _ => return None,
                    };
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                _ => return None,
            }
        }
    }
}

/// Appends a JSON array of `items`, each written by `write` (e.g. [`push_str`]).
pub fn push_array<T>(out: &mut String, items: impl IntoIterator<Item = T>, write: impl Fn(&mut String, T)) {
    out.push('[');
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write(out, item);
    }
    out.push(']');
}

/// Appends `text` as a JSON string literal (quotes included).
pub fn push_str(out: &mut String, text: &str) {
    use super::encoding::HEX;
    out.reserve(text.len() + 2);
    out.push('"');
    // Runs without anything to escape are copied at once; the bytes that need escaping are
    // ASCII, so every run ends on a character boundary.
    let mut start = 0;
    for (i, &b) in text.as_bytes().iter().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "\\u00",
            _ => continue,
        };
        out.push_str(text.get(start..i).unwrap_or_default());
        out.push_str(escape);
        if escape.len() == 4 {
            out.push(char::from(HEX[usize::from(b) >> 4]));
            out.push(char::from(HEX[usize::from(b) & 15]));
        }
        start = i + 1;
    }
    out.push_str(text.get(start..).unwrap_or_default());
    out.push('"');
}

/// Writes a JSON object member by member; values are strings, numbers, string arrays or
/// already-serialised JSON.
pub struct ObjectWriter {
    out: String,
}

impl Default for ObjectWriter {
    fn default() -> Self {
        ObjectWriter { out: String::from("{") }
    }
}

impl ObjectWriter {
    fn key(&mut self, name: &str) -> &mut String {
        if self.out.len() > 1 {
            self.out.push(',');
        }
        push_str(&mut self.out, name);
        self.out.push(':');
        &mut self.out
    }

    /// `"name":"value"`
    pub fn str(&mut self, name: &str, value: &str) -> &mut Self {
        push_str(self.key(name), value);
        self
    }

    /// `"name":"value"` when `value` is `Some`.
    pub fn opt_str(&mut self, name: &str, value: Option<&str>) -> &mut Self {
        if let Some(v) = value {
            self.str(name, v);
        }
        self
    }

    /// `"name":123`
    pub fn num(&mut self, name: &str, value: u64) -> &mut Self {
        super::encoding::push_u64(self.key(name), value);
        self
    }

    /// `"name":true|false`
    pub fn bool(&mut self, name: &str, value: bool) -> &mut Self {
        self.key(name).push_str(if value { "true" } else { "false" });
        self
    }

    /// `"name":["a","b"]`
    pub fn str_array<'a>(&mut self, name: &str, values: impl IntoIterator<Item = &'a str>) -> &mut Self {
        push_array(self.key(name), values, push_str);
        self
    }

    /// [`raw`](Self::raw) when there is a value.
    pub fn opt_raw(&mut self, name: &str, raw: Option<&str>) -> &mut Self {
        if let Some(raw) = raw {
            self.raw(name, raw);
        }
        self
    }

    /// `"name":<raw>` where `raw` is already valid JSON.
    pub fn raw(&mut self, name: &str, raw: &str) -> &mut Self {
        self.key(name).push_str(raw);
        self
    }

    /// The finished object text.
    pub fn finish(mut self) -> String {
        self.out.push('}');
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_documents() {
        let v = Value::parse(r#" {"a":"x\u00e9\ud83d\ude00\n","b":[1,-2.5e3,true,null],"c":{"d":false}} "#).unwrap();
        assert_eq!(v.get("a").unwrap().as_str(), Some("xé😀\n"));
        let b = v.get("b").unwrap().as_array().unwrap();
        assert_eq!(b[0].as_u64(), Some(1));
        assert_eq!(b[1], Value::Number("-2.5e3".into()));
        assert_eq!(b[1].as_u64(), None);
        assert_eq!(b[2].as_bool(), Some(true));
        assert_eq!(v.get("c").unwrap().get("d").unwrap().as_bool(), Some(false));
        assert_eq!(v.get("zz"), None);
    }

    #[test]
    fn as_u64_truncates_fractions_and_refuses_the_rest() {
        assert_eq!(Value::Number("1700000000.75".into()).as_u64(), Some(1_700_000_000));
        assert_eq!(Value::Number("-1".into()).as_u64(), None);
        assert_eq!(Value::Number("1e3".into()).as_u64(), None);
        assert_eq!(Value::Number("99999999999999999999".into()).as_u64(), None);
        assert_eq!(Value::String("3600".into()).as_u64(), None);
    }

    #[test]
    fn rejects_invalid_json() {
        let deep = "[".repeat(40) + &"]".repeat(40);
        for bad in [
            "",
            "{",
            "{\"a\":1,}",
            "[1,]",
            "01",
            "1.",
            "-",
            "tru",
            "\"\\x\"",
            "\"a\nb\"",
            "{\"a\":1,\"a\":2}",
            "\"\\ud800\"",
            "{} x",
            "{'a':1}",
            "nul",
            &deep,
        ] {
            assert_eq!(Value::parse(bad), None, "{bad:?}");
        }
        assert!(Value::parse(&("[".repeat(30) + &"]".repeat(30))).is_some());
    }

    #[test]
    fn to_json_round_trips() {
        let text = r#"{"a":[1,-2.5e3,true,false,null,"x\"y\u0001é"],"b":{},"c":[]}"#;
        let v = Value::parse(text).unwrap();
        assert_eq!(v.to_json(), text);
        assert_eq!(Value::parse(&v.to_json()), Some(v));
    }

    #[test]
    fn writer_escapes_and_round_trips() {
        let mut w = ObjectWriter::default();
        w.str("s", "q\"\\\n\u{1}é").num("n", 42).bool("b", true).str_array("a", ["x", "y"]).raw("r", "{}");
        w.opt_str("none", None);
        let text = w.finish();
        assert_eq!(text, r#"{"s":"q\"\\\n\u0001é","n":42,"b":true,"a":["x","y"],"r":{}}"#);
        let v = Value::parse(&text).unwrap();
        assert_eq!(v.get("s").unwrap().as_str(), Some("q\"\\\n\u{1}é"));
    }

    /// Strings are written and read in runs between the bytes that need escaping: escapes at
    /// either end, next to each other and next to multi-byte characters, every control byte.
    #[test]
    fn strings_round_trip_in_runs() {
        let controls: String = (0u8..0x20).map(char::from).collect();
        let cases = [
            "",
            "plain",
            "\"",
            "\"\"",
            "\\a\\",
            "é\"ü\n😀",
            "\u{7f}\u{80}ÿ",
            "ab\tcd\r",
            controls.as_str(),
            "x\u{1f}y",
        ];
        for text in cases {
            let mut out = String::new();
            push_str(&mut out, text);
            assert!(!out[1..out.len() - 1].bytes().any(|b| b < 0x20), "no raw control byte in {out:?}");
            assert_eq!(Value::parse(&out), Some(Value::String(text.to_owned())), "{text:?} → {out}");
        }
        let mut out = String::new();
        push_str(&mut out, "\u{1}\u{1f}");
        assert_eq!(out, r#""\u0001\u001F""#);
        // The reader copies runs, and still refuses raw control bytes inside a string.
        assert_eq!(Value::parse("\"a\u{1}b\""), None);
        assert_eq!(Value::parse(r#""a\u00e9b\"c""#), Some(Value::String("aéb\"c".into())));
    }
}
