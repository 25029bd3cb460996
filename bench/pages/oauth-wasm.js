// oauth-wasm: imported by its name; the page's import map points it at the built /pkg/index.js.
// Ready: OAuthClient.create resolved (wasm instantiated, discovery done).
const adapter = {
  load: () => import('oauth-wasm'),
  ready: ({ OAuthClient }, cfg) =>
    OAuthClient.create({
      issuer: cfg.issuer,
      clientId: cfg.clientId,
      redirectUri: cfg.redirectUri,
      scope: cfg.scope,
      audience: cfg.audience,
    }),
  // Stores the pending login (verifier, state, nonce, …) in sessionStorage.
  signinUrl: async (client) => (await client.createSigninRequest()).url,
  async callback(client, href) {
    const tokens = await client.handleCallback(href);
    return { accessToken: tokens.accessToken, idToken: tokens.idToken, refreshToken: tokens.refreshToken };
  },
};
