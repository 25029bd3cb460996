// Audience values and lists (Hydra's `audience` parameter), URLs and RFC 8707 resources, and
// Hydra's allow-list matching over random audiences.
#![no_main]
use libfuzzer_sys::fuzz_target;
use oauth_wasm::core::audience::{Audience, AudienceList};
use oauth_wasm::core::audience_match;
use oauth_wasm::core::codec::json::Value;
use oauth_wasm::core::resource::ResourceList;
use oauth_wasm::core::codec::url::HttpUrl;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some(input) = common::text(data) else { return };
    if let Ok(list) = AudienceList::decode(input) {
        for encoding in ["percent", "plus"] {
            let encoded = list.encode(oauth_wasm::core::audience::encoding(encoding).expect("encoding"));
            assert_eq!(AudienceList::decode(&encoded).ok().as_ref(), Some(&list), "encode/decode round trip");
        }
    }
    let _ = Audience::new(input);
    let _ = HttpUrl::parse(input, "fuzz");
    let _ = ResourceList::from_json(&Value::String(input.to_owned()));
    // Several values: the first half allowed, the rest requested.
    let values: Vec<&str> = input.split('\n').collect();
    let (allowed, requested) = values.split_at(values.len() / 2);
    let _ = audience_match::explain(allowed, requested);
    let _ = audience_match::precheck(allowed, requested);
    let _ = audience_match::check_allowed(allowed);
});
