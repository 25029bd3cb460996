// oidc-client-ts: its bundle, bench/dist/oidc-client-ts.js (esbuild, minified).
// Ready: a UserManager whose metadata (discovery) is loaded.
// oidc-client-ts sends a nonce only when given one: the app makes it (32 random bytes).
const randomNonce = () =>
  btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))))
    .replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

const adapter = {
  load: () => import('/bench/dist/oidc-client-ts.js'),
  async ready(lib, cfg) {
    const settings = {
      authority: cfg.issuer,
      client_id: cfg.clientId,
      redirect_uri: cfg.redirectUri,
      response_type: 'code',
      scope: cfg.scope,
      extraQueryParams: { audience: cfg.audience.join(' ') },
    };
    const manager = new lib.UserManager(settings);
    const metadata = await manager.metadataService.getMetadata();
    return { lib, settings, manager, metadata, client: null };
  },
  // signinRedirect navigates by itself; the URL alone comes from the lower-level OidcClient
  // (the one UserManager uses inside), given the metadata already loaded. It stores the
  // pending login (state, code_verifier, nonce) in its stateStore.
  async signinUrl(ctx) {
    ctx.client ??= new ctx.lib.OidcClient({ ...ctx.settings, metadata: ctx.metadata });
    const request = await ctx.client.createSigninRequest({ request_type: 'si:r', nonce: randomNonce() });
    return request.url;
  },
  // The sign-in of the full job, as an app starts it.
  start: (ctx) => ctx.manager.signinRedirect({ nonce: randomNonce() }),
  async callback(ctx, href) {
    const user = await ctx.manager.signinRedirectCallback(href);
    return { accessToken: user.access_token, idToken: user.id_token, refreshToken: user.refresh_token };
  },
};
