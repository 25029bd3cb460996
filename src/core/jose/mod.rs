//! JOSE (RFC 7515–7519) as the client uses it: JWT decoding and the ID token's claims
//! (`id_token`, OIDC Core §3.1.3.7), which published key checks an ID token's signature
//! (`jwks`), and DPoP proofs (`dpop`, RFC 9449). The signatures themselves are WebCrypto's.

pub mod dpop;
pub mod id_token;
pub mod jwks;
