// The token endpoint's answer (RFC 6749 §5.1/§5.2, the ID token and the JWT access token in it),
// for a code exchange and for a refresh of a stored session.
#![no_main]
use libfuzzer_sys::fuzz_target;
use oauth_wasm::core::callback;
use oauth_wasm::core::http::HttpResponse;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some((&status, rest)) = data.split_first() else { return };
    let Some(body) = common::text(rest) else { return };
    let cfg = common::config();
    let meta = common::metadata(&cfg);
    let login = common::pending(&cfg);
    let url = format!("https://app.example/cb?code=c&state={}&iss=https%3A%2F%2Fas.example", login.state());
    let params = callback::parse(&url).expect("a valid callback");
    let exchange = login.accept(&params, &cfg, &meta, common::NOW).expect("accepted");
    let status = [200, 400, 401, 500, 201, 302][usize::from(status) % 6];
    let resp = HttpResponse { status, content_type: "application/json".into(), body: body.into() };
    if let Ok(tokens) = exchange.finish(&resp, common::NOW) {
        let mut session = oauth_wasm::core::session::Session::start("https://as.example", "spa", &tokens);
        let _ = tokens.to_json();
        session.store(&tokens, common::NOW);
        session.salvage(&resp);
        let _ =
            oauth_wasm::core::session::Session::from_json(&session.to_json(), &cfg).expect("own session reads back");
    }
});
