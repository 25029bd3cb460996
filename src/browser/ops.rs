//! The main module's exports (raw ABI, [`crate::abi`]): `call(op, handle, num, ptr, len)`
//! runs operation `op` over the strings in the buffer, on the object `handle` names, with one
//! number `num` (an HTTP status, a step, a flag); `free(handle)` drops an object. Objects
//! (clients, grants in flight) live in a table whose slots are never reused, so a stale handle
//! finds nothing rather than another object. The operations are [`op`]; `js/wasm.js`'s `OP`
//! must be the same list (`tests/node/abi.test.mjs` compares them), and a change to it bumps
//! [`crate::abi::ABI_VERSION`].
#![allow(unsafe_code)]

#[cfg(feature = "server")]
use super::client::Grant;
use super::client::{self, decimal, Client};
#[cfg(all(target_arch = "wasm32", feature = "small-runtime"))]
use super::host::WebHost;
use super::Host;
#[cfg(all(target_arch = "wasm32", feature = "small-runtime"))]
use crate::abi;
use crate::core::http::HttpResponse;
use crate::core::Error;
use crate::prelude::*;
use core::cell::UnsafeCell;

// A few objects per page: boxing the larger variant would cost more code than the bytes it saves.
#[allow(clippy::large_enum_variant)]
enum Object {
    Client(Client),
    #[cfg(feature = "server")]
    Grant(Grant),
}

struct Table(UnsafeCell<Vec<Option<Object>>>);
// SAFETY: wasm32-unknown-unknown without the `atomics` feature runs one thread (the native
// unit tests below take a lock around every use).
unsafe impl Sync for Table {}
static OBJECTS: Table = Table(UnsafeCell::new(Vec::new()));

fn objects() -> &'static mut Vec<Option<Object>> {
    // SAFETY: one thread, and `call` holds at most this one reference at a time (the host
    // imports it calls never re-enter `call` or `free`).
    unsafe { &mut *OBJECTS.0.get() }
}

/// Stores an object; its handle as decimal text (handles start at 1).
fn keep(object: Object) -> String {
    let table = objects();
    table.push(Some(object));
    decimal(table.len() as u64)
}

fn slot(handle: u32) -> Option<&'static mut Option<Object>> {
    objects().get_mut((handle as usize).checked_sub(1)?)
}

fn gone() -> Error {
    Error::config("this object is no longer usable (already finished, or freed)")
}

fn client(handle: u32) -> Result<&'static mut Client, Error> {
    match slot(handle) {
        Some(Some(Object::Client(c))) => Ok(c),
        _ => Err(gone()),
    }
}

/// Takes a grant out of its slot: finishing a grant consumes it.
#[cfg(feature = "server")]
fn take_grant(handle: u32) -> Result<Grant, Error> {
    match slot(handle).map(Option::take) {
        Some(Some(Object::Grant(g))) => Ok(g),
        _ => Err(gone()),
    }
}

/// The operations, by number (`js/wasm.js`'s `OP`, in camelCase).
// GRANT_REQUEST, GRANT_FINISH and CLIENT_CREDENTIALS exist only with the feature `server`.
#[cfg_attr(not(feature = "server"), allow(dead_code))]
pub mod op {
    pub const CLIENT_NEW: u32 = 0;
    pub const DISCOVERY_REQUEST: u32 = 1;
    pub const DISCOVERED: u32 = 2;
    pub const CREATE_SIGNIN_REQUEST: u32 = 3;
    pub const PUSHED: u32 = 4;
    pub const SETTINGS: u32 = 5;
    pub const SELECT: u32 = 6;
    pub const USER: u32 = 7;
    pub const JWKS_REQUEST: u32 = 8;
    pub const GENERATE_PKCE: u32 = 9;
    pub const ENCODE_AUDIENCE: u32 = 10;
    pub const VALIDATE_AUDIENCE: u32 = 11;
    pub const TRANSPORT_ERROR: u32 = 12;
    /// The Node build only (feature `server`), as the two after it.
    pub const GRANT_REQUEST: u32 = 13;
    pub const GRANT_FINISH: u32 = 14;
    pub const CLIENT_CREDENTIALS: u32 = 15;
    pub const CALLBACK: u32 = 16;
}

/// How many strings each operation takes, by number: any other count is a typed error, never
/// a missing string read as "".
const ARITY: [u8; 17] = [1, 0, 2, 2, 2, 0, 2, 1, 0, 0, 2, 1, 1, 0, 2, 1, 2];

/// `Some(text)` → text; `None` → "" (JS reads it as `undefined`).
fn or_empty(text: Option<String>) -> String {
    text.unwrap_or_default()
}

fn run(op: u32, handle: u32, num: u32, a: &[&str], host: &dyn Host) -> Result<String, Error> {
    if ARITY.get(op as usize).map(|n| *n as usize) != Some(a.len()) {
        return Err(Error::config("wrong arguments for the operation"));
    }
    let arg = |i: usize| a[i];
    Ok(match op {
        op::CLIENT_NEW => keep(Object::Client(Client::new(arg(0))?)),
        op::DISCOVERY_REQUEST => or_empty(client(handle)?.discovery_request()),
        op::DISCOVERED => {
            client(handle)?.discovered(&HttpResponse::new(num, arg(0), arg(1))).map(|()| String::new())?
        }
        op::CREATE_SIGNIN_REQUEST => client(handle)?.create_signin_request(arg(0), arg(1), host)?,
        op::PUSHED => client(handle)?.pushed(&HttpResponse::new(num, arg(0), arg(1)))?,
        op::SETTINGS => client(handle)?.settings(),
        op::SELECT => or_empty(client(handle)?.select(arg(0), arg(1), host.now())?),
        op::USER => or_empty(client(handle)?.user(arg(0))?),
        op::JWKS_REQUEST => or_empty(client(handle)?.jwks_request()?),
        op::GENERATE_PKCE => client::generate_pkce(host)?,
        op::ENCODE_AUDIENCE => client::encode_audience(arg(0), arg(1))?,
        op::VALIDATE_AUDIENCE => client::validate_audience(arg(0)).map(|()| String::new())?,
        op::TRANSPORT_ERROR => return Err(client::transport_error(num, arg(0))),
        // num: now, in epoch seconds (the account module judges the answer at the same time).
        op::CALLBACK => client(handle)?.callback(arg(0), arg(1), u64::from(num))?,
        #[cfg(feature = "server")]
        op::GRANT_REQUEST => match slot(handle) {
            Some(Some(Object::Grant(g))) => g.request(),
            _ => return Err(gone()),
        },
        #[cfg(feature = "server")]
        op::GRANT_FINISH => take_grant(handle)?.finish(&HttpResponse::new(num, arg(0), arg(1)), host.now())?,
        #[cfg(feature = "server")]
        op::CLIENT_CREDENTIALS => keep(Object::Grant(client::client_credentials(arg(0))?)),
        _ => return Err(Error::config("unknown operation")),
    })
}

/// Runs operation `op`; the output is its text or a tagged error.
#[cfg(all(target_arch = "wasm32", feature = "small-runtime"))]
#[no_mangle]
pub extern "C" fn call(op: u32, handle: u32, num: u32, ptr: *mut u8, len: usize) -> *const u8 {
    // SAFETY: JS passes back the buffer `input(len)` gave it, once.
    unsafe {
        abi::serve(ptr, len, |args| match args {
            Some(args) => run(op, handle, num, args, &WebHost),
            None => Err(Error::config("the arguments could not be read")),
        })
    }
}

/// Drops the object `handle` names (nothing when it is already gone).
#[cfg_attr(all(target_arch = "wasm32", feature = "small-runtime"), no_mangle)]
pub extern "C" fn free(handle: u32) {
    if let Some(slot) = slot(handle) {
        *slot = None;
    }
}

/// The dispatch natively, over a host stand-in: what `js/wasm.js` sends, and what it gets back.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::authorize::tests::FakePlatform;
    use crate::core::codec::json::Value;
    use crate::core::Platform;
    use core::cell::RefCell;
    use std::sync::Mutex;

    /// The object table is one per module: the tests take turns.
    static TURN: Mutex<()> = Mutex::new(());

    struct FakeHost {
        platform: FakePlatform,
        stored: RefCell<Vec<(String, String)>>,
    }

    impl Platform for FakeHost {
        fn fill_random(&self, buf: &mut [u8]) -> Result<(), Error> {
            self.platform.fill_random(buf)
        }
        fn now(&self) -> u64 {
            self.platform.now()
        }
    }

    impl Host for FakeHost {
        fn put(&self, key: &str, value: &str) -> Result<(), Error> {
            self.stored.borrow_mut().push((key.to_owned(), value.to_owned()));
            Ok(())
        }
    }

    fn host() -> FakeHost {
        FakeHost { platform: FakePlatform::new(), stored: RefCell::new(Vec::new()) }
    }

    const OPTIONS: &str = r#"{"issuer":"https://as.example","clientId":"spa","redirectUri":"https://app.example/cb","audience":["https://api.example/a"]}"#;

    fn code(result: Result<String, Error>) -> String {
        result.unwrap_err().code().to_owned()
    }

    #[test]
    fn a_client_from_its_options_discovery_and_a_signin_url() {
        let _turn = TURN.lock().unwrap();
        let h = host();
        let handle: u32 = run(op::CLIENT_NEW, 0, 0, &[OPTIONS], &h).unwrap().parse().unwrap();
        let request = run(op::DISCOVERY_REQUEST, handle, 0, &[], &h).unwrap();
        assert!(request.contains(r#""url":"https://as.example/.well-known/openid-configuration""#), "{request}");
        // No sign-in before discovery.
        assert_eq!(code(run(op::CREATE_SIGNIN_REQUEST, handle, 0, &["{}", ""], &h)), "invalid_config");
        let discovery = r#"{"issuer":"https://as.example","authorization_endpoint":"https://as.example/auth","token_endpoint":"https://as.example/token","jwks_uri":"https://as.example/jwks"}"#;
        assert_eq!(run(op::DISCOVERED, handle, 200, &["application/json", discovery], &h).unwrap(), "");
        let out = Value::parse(&run(op::CREATE_SIGNIN_REQUEST, handle, 0, &["{}", ""], &h).unwrap()).unwrap();
        let url = out.get("url").unwrap().as_str().unwrap();
        assert!(url.starts_with("https://as.example/auth?response_type=code&client_id=spa&"), "{url}");
        assert!(url.contains("&audience=https%3A%2F%2Fapi.example%2Fa"), "{url}");
        let state = out.get("state").unwrap().as_str().unwrap();
        assert_eq!(h.stored.borrow()[0].0, ["oauth-wasm:tx:", state].concat(), "the pending login, under its state");
        let settings = Value::parse(&run(op::SETTINGS, handle, 0, &[], &h).unwrap()).unwrap();
        assert_eq!(settings.get("requestTimeout").unwrap().as_u64(), Some(30_000));
        assert_eq!(
            run(op::JWKS_REQUEST, handle, 0, &[], &h).unwrap(),
            r#"{"method":"GET","url":"https://as.example/jwks","headers":{"Accept":"application/jwk-set+json, application/json"}}"#
        );
        // Freed: the handle finds nothing, and never another object.
        free(handle);
        assert_eq!(code(run(op::SETTINGS, handle, 0, &[], &h)), "invalid_config");
        let next: u32 = run(op::CLIENT_NEW, 0, 0, &[OPTIONS], &h).unwrap().parse().unwrap();
        assert_ne!(next, handle);
    }

    #[test]
    fn arguments_are_counted_and_operations_known() {
        let _turn = TURN.lock().unwrap();
        let h = host();
        assert_eq!(ARITY.len(), op::CALLBACK as usize + 1, "an arity for every operation");
        for (op, args) in
            [(op::CLIENT_NEW, &[][..]), (op::CLIENT_NEW, &[OPTIONS, "x"][..]), (op::ENCODE_AUDIENCE, &["[]"][..])]
        {
            let e = run(op, 0, 0, args, &h).unwrap_err();
            assert_eq!(
                (e.code(), e.description()),
                ("invalid_config", Some("wrong arguments for the operation")),
                "op {op}"
            );
        }
        assert_eq!(code(run(99, 0, 0, &[], &h)), "invalid_config");
        assert_eq!(code(run(op::SELECT, 12345, 0, &["", "{}"], &h)), "invalid_config", "an unknown handle");
        assert_eq!(code(run(op::CLIENT_NEW, 0, 0, &["{}"], &h)), "invalid_config");
        assert_eq!(run(op::ENCODE_AUDIENCE, 0, 0, &[r#"["x/y","z"]"#, "plus"], &h).unwrap(), "x%2Fy+z");
        assert_eq!(code(run(op::VALIDATE_AUDIENCE, 0, 0, &["a b"], &h)), "invalid_audience");
        let pkce = Value::parse(&run(op::GENERATE_PKCE, 0, 0, &[], &h).unwrap()).unwrap();
        assert_eq!(pkce.get("method").unwrap().as_str(), Some("S256"));
        for (step, expected) in
            [(0, "discovery_failed"), (1, "network_error"), (3, "network_error"), (5, "network_error")]
        {
            assert_eq!(code(run(op::TRANSPORT_ERROR, 0, step, &["offline"], &h)), expected, "step {step}");
        }
        let e = run(op::TRANSPORT_ERROR, 0, 5, &["offline"], &h).unwrap_err();
        assert_eq!(
            e.description(),
            Some("the revocation endpoint could not be reached (offline, or refused by CORS): offline")
        );
    }
}
