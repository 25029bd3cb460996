// What a page that signs in with oidc-client-ts imports: esbuild bundles and minifies it (with
// its dependency jwt-decode) into one ES module, bench/dist/oidc-client-ts.js.
export { UserManager, OidcClient } from 'oidc-client-ts';
