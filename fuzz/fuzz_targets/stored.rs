// What the browser stores and reads back: the signed-in session (versioned JSON, storage
// 'session'/'shared') and the pending login (sessionStorage), each possibly tampered with.
#![no_main]
use libfuzzer_sys::fuzz_target;
use oauth_wasm::core::audience::AudienceList;
use oauth_wasm::core::authorize::PendingLogin;
use oauth_wasm::core::config::Scope;
use oauth_wasm::core::resource::ResourceList;
use oauth_wasm::core::session::Session;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some(input) = common::text(data) else { return };
    let cfg = common::config();
    if let Ok(session) = Session::from_json(input, &cfg) {
        let aud = AudienceList::new(["https://api.example/a"]).expect("audience");
        let scope = Scope::new("api").expect("scope");
        let _ = session.select(&aud, &scope, common::NOW, 30);
        let _ = session.expiry(&aud, &scope);
        let _ = session.claims_json();
        let _ = session.account_parts();
        let endpoints = cfg.endpoints.as_ref().expect("endpoints");
        let _ = session.refresh_request(&cfg, endpoints, aud, scope, true, &ResourceList::default());
        // What it writes back reads back.
        Session::from_json(&session.to_json(), &cfg).expect("own session reads back");
    }
    if let Ok(login) = PendingLogin::from_json(input) {
        PendingLogin::from_json(&login.to_json()).expect("own login reads back");
    }
    // The account module reads the same stored session, and refreshes over it.
    if let Ok(account) = oauth_wasm::core::account::Account::new(common::OPTIONS, None, Some(input)) {
        let _ = account.context("st").signout(None);
        let _ = account.refresh("{}");
        let answer = oauth_wasm::core::http::HttpResponse::new(400, "application/json", r#"{"error":"invalid_grant"}"#);
        let _ = account.refreshed("{}", &answer, common::NOW);
    }
});
