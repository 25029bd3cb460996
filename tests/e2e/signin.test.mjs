// Sign-in end to end: the npm package in headless Chromium against oidc-provider.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorld, signIn, loginAndConsent, settled, shownError, jwtClaims, ALLOWED_AUDIENCES } from './harness.mjs';

let world;
before(async () => { world = await startWorld(); });
after(async () => { await world?.close(); });

// Pending logins (sessionStorage, by state), the example app's signed-in session (it uses
// storage: 'session'), and localStorage, which must stay empty.
const storage = (page) => page.evaluate(() => ({
  session: Object.keys(sessionStorage).filter((k) => k.startsWith('oauth-wasm:tx:')),
  signedIn: Object.keys(sessionStorage).some((k) => k.startsWith('oauth-wasm:session:')),
  local: Object.keys(localStorage),
}));

test('sign in with two audiences: JWT access token for both, nonce-checked ID token', async () => {
  const page = await world.newPage();
  const fromPackage = [];
  page.on('request', (r) => { if (r.url().startsWith(`${world.app.origin}/pkg/`)) fromPackage.push(new URL(r.url()).pathname); });
  const { authorizationUrl, callbackUrl } = await signIn(world, page, { audience: ALLOWED_AUDIENCES });
  assert.equal(await settled(page), 'signed-in', JSON.stringify(await shownError(page)));
  // Each page load (the app, then the callback) fetched one entry module and the main wasm; the
  // callback page also the account module and its JavaScript (the code exchange), requested as
  // the entry starts: no module waterfall, and no audience module, which only allowedAudiences /
  // the matching use.
  assert.deepEqual(fromPackage, ['/pkg/index.js', '/pkg/oauth_wasm_bg.wasm', '/pkg/index.js', '/pkg/oauth_wasm_bg.wasm', '/pkg/oauth_wasm_account.wasm', '/pkg/account.js']);

  // The redirect carried one space-joined, %20-encoded audience parameter and S256 PKCE.
  assert.ok(
    authorizationUrl.href.includes('&audience=https%3A%2F%2Fapi.example.com%2Fuser%20https%3A%2F%2Fapi.example.com%2Fbilling'),
    authorizationUrl.href,
  );
  assert.equal(authorizationUrl.searchParams.get('code_challenge_method'), 'S256');
  assert.match(authorizationUrl.searchParams.get('code_challenge'), /^[A-Za-z0-9_-]{43}$/);
  assert.match(authorizationUrl.searchParams.get('state'), /^[A-Za-z0-9_-]{43}$/);
  const nonce = authorizationUrl.searchParams.get('nonce');
  assert.match(nonce, /^[A-Za-z0-9_-]{43}$/);
  // RFC 9207: the provider sends iss back, and the SDK accepted it.
  assert.equal(new URL(callbackUrl).searchParams.get('iss'), world.provider.issuer);

  const tokens = JSON.parse(await page.textContent('#tokens-json'));
  assert.equal(tokens.tokenType, 'Bearer');
  assert.deepEqual(jwtClaims(tokens.accessToken).aud, ALLOWED_AUDIENCES);
  assert.deepEqual(tokens.audience, ALLOWED_AUDIENCES);
  const idClaims = jwtClaims(tokens.idToken);
  assert.equal(idClaims.nonce, nonce);
  assert.equal(idClaims.aud, 'spa');
  assert.deepEqual(tokens.claims, idClaims);
  assert.deepEqual(tokens.appState, { returnTo: '/' }, 'appState came back');
  assert.ok(!authorizationUrl.href.includes('returnTo'), 'appState never went to the provider');
  assert.equal(tokens.claims.sub, 'alice');
  assert.equal('refreshToken' in tokens, false, 'the refresh token never leaves the SDK');
  assert.equal(tokens.scope, 'api', 'the access token carries the API scope of its resource');
  assert.equal(jwtClaims(tokens.accessToken).scope, 'api');
  const now = Date.now() / 1000;
  assert.ok(tokens.expiresAt > now && tokens.expiresAt <= now + 601, String(tokens.expiresAt));
  assert.equal(world.provider.events.grants.authorization_code >= 1, true);

  // The consumed login is gone; nothing ever went to localStorage.
  assert.deepEqual(await storage(page), { session: [], signedIn: true, local: [] });
  assert.deepEqual(page.pageErrors, []);
});

test('the user cancels consent: OAuthError access_denied shown, and signing in again works', async () => {
  const page = await world.newPage();
  await signIn(world, page, { cancelConsent: true });
  assert.equal(await settled(page), 'error');
  const error = await shownError(page);
  assert.equal(error.code, 'access_denied');
  assert.match(error.description, /aborted/i);
  assert.deepEqual((await storage(page)).session, [], 'the failed login is consumed');
  // Nothing was lost: the next attempt succeeds.
  await signIn(world, page);
  assert.equal(await settled(page), 'signed-in', JSON.stringify(await shownError(page)));
});

test('no answer from the token endpoint: network_error, and a retry of the same callback succeeds', async () => {
  const page = await world.newPage();
  // The token request fails at the network level once (as offline or a CORS refusal would).
  let cut = true;
  await page.route(`${world.provider.issuer}/token`, (route) => (cut ? route.abort('internetdisconnected') : route.fallback()));
  await signIn(world, page);
  assert.equal(await settled(page), 'error');
  const error = await shownError(page);
  assert.equal(error.code, 'network_error');
  assert.match(error.description, /token endpoint could not be reached/);
  assert.equal((await storage(page)).session.length, 1, 'the login was kept');
  cut = false;
  await page.click('#retry');
  await page.waitForSelector('body[data-state="signed-in"]');
  assert.equal(JSON.parse(await page.textContent('#tokens-json')).claims.sub, 'alice');
  assert.deepEqual((await storage(page)).session, []);
});

test('a replayed callback URL is refused with state_mismatch', async () => {
  const page = await world.newPage();
  const { callbackUrl } = await signIn(world, page);
  assert.equal(await settled(page), 'signed-in');
  const grants = world.provider.events.grants.authorization_code;
  await page.goto(callbackUrl);
  assert.equal(await settled(page), 'error');
  assert.equal((await shownError(page)).code, 'state_mismatch');
  assert.equal(world.provider.events.grants.authorization_code, grants, 'no second code exchange was attempted');
});

test('concurrent handleCallback calls for one URL share one exchange; a later call is a replay', async () => {
  // The example app handles /callback by itself; this client redirects to /manual, where the
  // test calls handleCallback twice at once, as React StrictMode's double effects do.
  const page = await world.newPage();
  await page.goto(`${world.app.origin}/`);
  await settled(page);
  const startClient = `(async () => {
    const { OAuthClient } = await import('oauth-wasm');
    const { client } = await (await fetch('/config.json')).json();
    return OAuthClient.create({ ...client, redirectUri: location.origin + '/manual' });
  })()`;
  const url = await page.evaluate(`${startClient}.then((c) => c.createSigninRequest()).then((r) => r.url)`);
  const back = page.waitForRequest((r) => r.url().startsWith(`${world.app.origin}/manual?`));
  await page.goto(url);
  await loginAndConsent(page, { login: 'bob' });
  const callbackUrl = (await back).url();
  await settled(page);
  const grants = world.provider.events.grants.authorization_code;
  const outcome = await page.evaluate(`${startClient}.then(async (c) => {
    const [a, b] = await Promise.all([c.handleCallback(${JSON.stringify(callbackUrl)}), c.handleCallback(${JSON.stringify(callbackUrl)})]);
    const later = await c.handleCallback(${JSON.stringify(callbackUrl)}).then(() => 'accepted', (e) => e.code);
    return { same: a.accessToken === b.accessToken, sub: a.claims.sub, later };
  })`);
  assert.deepEqual(outcome, { same: true, sub: 'bob', later: 'state_mismatch' });
  assert.equal(world.provider.events.grants.authorization_code, grants + 1, 'exactly one code exchange');
});

test('a forged state is refused with state_mismatch', async () => {
  const page = await world.newPage();
  // A login is pending in this tab, but the callback names a state we never issued.
  await page.goto(`${world.app.origin}/`);
  await settled(page);
  await page.evaluate(() => import('oauth-wasm').then(async ({ OAuthClient }) => {
    const { client } = await (await fetch('/config.json')).json();
    await (await OAuthClient.create(client)).createSigninRequest();
  }));
  const iss = encodeURIComponent(world.provider.issuer);
  await page.goto(`${world.app.origin}/callback?code=stolen-code&state=forged-state-value&iss=${iss}`);
  assert.equal(await settled(page), 'error');
  const error = await shownError(page);
  assert.equal(error.code, 'state_mismatch');
  assert.equal((await storage(page)).session.length, 1, 'the genuine pending login is untouched');
});

test('an audience with whitespace is refused with invalid_audience before leaving the page', async () => {
  const page = await world.newPage();
  await page.goto(`${world.app.origin}/`);
  await settled(page);
  const providerRequests = [];
  page.on('request', (r) => { if (r.url().startsWith(world.provider.issuer)) providerRequests.push(r.url()); });
  await page.fill('#audience', 'https://api.example.com/user\nhttps://api.example.com/billing extra');
  await page.click('#signin');
  assert.equal(await settled(page), 'error');
  const error = await shownError(page);
  assert.equal(error.code, 'invalid_audience');
  assert.match(error.description, /"https:\/\/api\.example\.com\/billing extra" contains whitespace/);
  assert.equal(new URL(page.url()).origin, world.app.origin);
  assert.deepEqual(providerRequests, []);
  assert.deepEqual((await storage(page)).session, [], 'no login was stored');
});

test('non-loopback requests were cut off', () => {
  // The provider's pages load a web font from the internet; the route must have aborted it.
  assert.ok(world.blocked.some((url) => new URL(url).hostname === 'fonts.googleapis.com'), JSON.stringify(world.blocked));
});
