// oauth4webapi: its bundle, bench/dist/oauth4webapi.js (esbuild, tree-shaken, minified).
// Ready: the authorization server metadata processed (discovery done).
// oauth4webapi leaves the authorization URL and the pending login's storage to the app: here
// the URL is built with URLSearchParams and the login kept in sessionStorage, as the other
// two libraries do.
const PENDING = 'bench-o4w:';

const adapter = {
  load: () => import('/bench/dist/oauth4webapi.js'),
  async ready(lib, cfg) {
    const issuer = new URL(cfg.issuer);
    // http is refused unless allowed; the provider is on plain http://127.0.0.1.
    const insecure = { [lib.allowInsecureRequests]: true };
    const as = await lib.processDiscoveryResponse(issuer, await lib.discoveryRequest(issuer, insecure));
    return { lib, cfg, as, client: { client_id: cfg.clientId }, insecure };
  },
  async signinUrl({ lib, cfg, as }) {
    const verifier = lib.generateRandomCodeVerifier();
    const challenge = await lib.calculatePKCECodeChallenge(verifier);
    const state = lib.generateRandomState();
    const nonce = lib.generateRandomNonce();
    const url = new URL(as.authorization_endpoint);
    const q = url.searchParams;
    q.set('response_type', 'code');
    q.set('client_id', cfg.clientId);
    q.set('redirect_uri', cfg.redirectUri);
    q.set('scope', cfg.scope);
    q.set('code_challenge', challenge);
    q.set('code_challenge_method', 'S256');
    q.set('state', state);
    q.set('nonce', nonce);
    q.set('audience', cfg.audience.join(' '));
    sessionStorage.setItem(PENDING + state, JSON.stringify({ verifier, nonce }));
    return url.href;
  },
  async callback({ lib, cfg, as, client, insecure }, href) {
    const url = new URL(href);
    const key = PENDING + url.searchParams.get('state');
    const pending = JSON.parse(sessionStorage.getItem(key));
    if (!pending) throw new Error('unknown state');
    sessionStorage.removeItem(key);
    const params = lib.validateAuthResponse(as, client, url, url.searchParams.get('state'));
    const response = await lib.authorizationCodeGrantRequest(
      as, client, lib.None(), params, cfg.redirectUri, pending.verifier, insecure,
    );
    const tokens = await lib.processAuthorizationCodeResponse(as, client, response, {
      expectedNonce: pending.nonce,
      requireIdToken: true,
    });
    return { accessToken: tokens.access_token, idToken: tokens.id_token, refreshToken: tokens.refresh_token };
  },
};
