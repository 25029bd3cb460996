// End to end against a real Ory Hydra v2.3.0 (built from source by scripts/bootstrap.sh), in
// headless Chromium: the example SPA and its users' flows through Hydra's login and consent app.
// What only a real Hydra shows: its `audience` allow-list refusing on the redirect before any
// login, a token endpoint that ignores `audience` on the code and refresh grants, consent that
// must grant the audience, no DPoP and no PAR in its discovery, no RFC 9207 `iss`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { launchChromium, settled, shownError, jwtClaims, inPage, call, settle } from './harness.mjs';
import { startHydraSetup, hydraLoginAndConsent, HYDRA_ALLOWED, HYDRA_SIGNIN, API } from './hydra-world.mjs';
import { spaClient } from '../../scripts/hydra.mjs';

const [USER, BILLING, ADMIN] = HYDRA_ALLOWED;
let setup;
let browser;
const blocked = [];
before(async () => {
  setup = await startHydraSetup({ resourceServer: true });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await setup?.close();
});

/** A page in a new context (its own cookies and storage; nothing off 127.0.0.1), logging Hydra's token-endpoint calls. */
async function newPage(context) {
  context ??= await browser.newContext();
  if (!context.tokenCalls) {
    context.tokenCalls = [];
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === '127.0.0.1') return route.continue();
      blocked.push(url.href);
      return route.abort();
    });
    // Recorded as they leave (in order), their status once answered.
    context.on('request', (request) => {
      if (!request.url().startsWith(`${setup.hydra.issuer}/oauth2/`)) return;
      const call = { path: new URL(request.url()).pathname, grant: new URLSearchParams(request.postData() ?? '').get('grant_type') };
      context.tokenCalls.push(call);
      request.response().then((response) => { call.status = response?.status(); }, () => { call.status = 'failed'; });
    });
  }
  const page = await context.newPage();
  page.pageErrors = [];
  page.on('pageerror', (e) => page.pageErrors.push(e));
  return page;
}

/** Hydra's JWK Set, and `jwt`'s RS256 signature checked against it in Node. */
async function verifiedByHydra(jwt) {
  const { keys } = await (await fetch(`${setup.hydra.issuer}/.well-known/jwks.json`)).json();
  const [h, p, s] = jwt.split('.');
  const { kid, alg } = JSON.parse(Buffer.from(h, 'base64url'));
  const jwk = keys.find((k) => k.kid === kid);
  assert.ok(jwk, `Hydra's JWK Set has the key ${kid}`);
  assert.equal(alg, 'RS256');
  return verify('sha256', Buffer.from(`${h}.${p}`), createPublicKey({ key: jwk, format: 'jwk' }), Buffer.from(s, 'base64url'));
}

/**
 * On /manual (a registered redirect URI the example app leaves alone): createSigninRequest with
 * `signinOptions`, Hydra's pages as a user (`consent`: 'Allow' or 'Deny'), then handleCallback.
 * `{ value }` or `{ code, description }`, with `authorizationUrl` and `callbackUrl`.
 */
async function signInManual(page, options, signinOptions = {}, { consent } = {}) {
  await page.goto(`${setup.app.origin}/manual`);
  await settled(page);
  const { url } = await inPage(page, options, `return client.createSigninRequest(${JSON.stringify(signinOptions)});`);
  const back = page.waitForRequest((r) => r.url().startsWith(`${setup.app.origin}/manual?`));
  await page.goto(url);
  await hydraLoginAndConsent(page, { consent });
  const callbackUrl = (await back).url();
  await settled(page);
  const outcome = await inPage(page, options, `return ${settle(`client.handleCallback(${JSON.stringify(callbackUrl)})`)};`);
  return { ...outcome, authorizationUrl: new URL(url), callbackUrl: new URL(callbackUrl) };
}

test('Hydra: the example SPA signs in with two audiences; the JWT access token carries exactly them, the ID token is Hydra-signed, the API accepts the token', async () => {
  const page = await newPage();
  await page.goto(`${setup.app.origin}/`);
  assert.equal(await settled(page), 'ready');
  const authorization = page.waitForRequest((r) => r.url().startsWith(`${setup.hydra.issuer}/oauth2/auth?`));
  const back = page.waitForRequest((r) => r.url().startsWith(`${setup.app.origin}/callback?`));
  await page.click('#signin');
  const authorizationUrl = new URL((await authorization).url());
  // One `audience` value, its items joined by %20 (the default audienceEncoding).
  assert.match(authorizationUrl.search, new RegExp(`[?&]audience=${encodeURIComponent(USER)}%20${encodeURIComponent(BILLING)}(&|$)`));
  assert.equal(authorizationUrl.searchParams.get('code_challenge_method'), 'S256');
  await hydraLoginAndConsent(page);
  const callbackUrl = new URL((await back).url());
  assert.equal(callbackUrl.searchParams.get('iss'), null, 'Hydra sends no RFC 9207 iss (and its discovery does not promise one)');
  assert.equal(await settled(page), 'signed-in', await page.textContent('body'));
  assert.equal(await page.textContent('#granted-audience'), HYDRA_SIGNIN.join(', '));
  assert.equal(await page.textContent('#subject'), 'alice');

  const tokens = JSON.parse(await page.textContent('#tokens-json'));
  const access = jwtClaims(tokens.accessToken);
  assert.deepEqual(access.aud, HYDRA_SIGNIN, "Hydra's aud is exactly the granted list");
  assert.equal(access.iss, setup.hydra.issuer);
  assert.equal(access.client_id, 'spa');
  assert.deepEqual(tokens.audience, HYDRA_SIGNIN);
  assert.equal(tokens.audienceVerified, true);
  assert.ok(await verifiedByHydra(tokens.accessToken), "the access token is signed with a key of Hydra's set");
  assert.ok(await verifiedByHydra(tokens.idToken), "the ID token is signed with a key of Hydra's set");
  const id = jwtClaims(tokens.idToken);
  assert.deepEqual([id.iss, id.sub, id.name, id.aud], [setup.hydra.issuer, 'alice', 'Alice Example', ['spa']]);
  assert.deepEqual(tokens.claims.sub, 'alice');

  // The same tab's session, from a client of the test's: a request to the API with the token for its audience.
  const answer = await inPage(page, { storage: 'session', trustedOrigins: [setup.api.origin] }, `
    const response = await client.fetch(${JSON.stringify(`${setup.api.origin}/bearer/invoices`)}, {}, { audience: [${JSON.stringify(BILLING)}] });
    return { status: response.status, body: await response.json() };`);
  assert.deepEqual(answer, { status: 200, body: { sub: 'alice', path: '/bearer/invoices', method: 'GET' } });
  assert.deepEqual(page.pageErrors, []);
});

test("Hydra: '+'-joined audiences (audienceEncoding 'plus') are read by Hydra as the same two", async () => {
  const page = await newPage();
  const outcome = await signInManual(page, { storage: 'session', audienceEncoding: 'plus' });
  assert.match(outcome.authorizationUrl.search, new RegExp(`[?&]audience=${encodeURIComponent(USER)}\\+${encodeURIComponent(BILLING)}(&|$)`));
  assert.ok(outcome.value, JSON.stringify(outcome));
  assert.deepEqual(jwtClaims(outcome.value.accessToken).aud, HYDRA_SIGNIN);
});

test('Hydra: allowedAudiences refuses before navigating what Hydra refuses; without it, Hydra\'s own invalid_request arrives as an OAuthError', async () => {
  const page = await newPage();
  await page.goto(`${setup.app.origin}/manual`);
  await settled(page);
  const other = `${API}/other`;
  const refused = await inPage(page, { allowedAudiences: HYDRA_ALLOWED }, `
    const before = Object.keys(sessionStorage).length;
    const outcome = await ${settle(`client.createSigninRequest({ audience: [${JSON.stringify(USER)}, ${JSON.stringify(other)}] })`)};
    return { ...outcome, stored: Object.keys(sessionStorage).length - before };`);
  assert.equal(refused.code, 'invalid_audience');
  assert.match(refused.description, /api\.example\.com\/other/);
  assert.equal(refused.stored, 0, 'nothing stored for a refused sign-in');
  // What the pre-check allows (a path below an allowed audience), Hydra allows too.
  const allowed = await call(page, `return ${settle(`client.createSigninRequest({ audience: [${JSON.stringify(`${USER}/42`)}] })`)};`);
  assert.ok(allowed.value?.url, JSON.stringify(allowed));

  // No pre-check: Hydra refuses on the redirect, before any login page.
  const { url } = await inPage(page, {}, `return client.createSigninRequest({ audience: [${JSON.stringify(other)}] });`);
  const back = page.waitForRequest((r) => r.url().startsWith(`${setup.app.origin}/manual?`));
  await page.goto(url);
  const callbackUrl = (await back).url();
  assert.equal(new URL(callbackUrl).searchParams.get('error'), 'invalid_request');
  await settled(page);
  const outcome = await inPage(page, {}, `
    const outcome = await ${settle(`client.handleCallback(${JSON.stringify(callbackUrl)})`)};
    try { await client.handleCallback(${JSON.stringify(callbackUrl)}); } catch (e) { outcome.isError = e instanceof Error && e.name === 'OAuthError'; }
    return outcome;`);
  assert.equal(outcome.code, 'invalid_request');
  assert.match(outcome.description, /Requested audience 'https:\/\/api\.example\.com\/other' has not been whitelisted by the OAuth 2\.0 Client/);
  assert.equal(outcome.isError, true);
});

test("Hydra: a token per audience through Hydra's refresh (which ignores audience); one not granted at sign-in is audience_not_granted, and the session survives", async () => {
  const context = await browser.newContext();
  const page = await newPage(context);
  const first = await signInManual(page, { storage: 'session' });
  assert.ok(first.value, JSON.stringify(first));
  const calls = () => context.tokenCalls.filter((c) => c.path === '/oauth2/token').length;
  const atStart = calls();

  // Both signed-in audiences are served by the sign-in's token: no refresh grant.
  const served = await inPage(page, { storage: 'session' }, `
    const user = await client.getAccessToken({ audience: [${JSON.stringify(USER)}] });
    const billing = await client.getAccessToken({ audience: [${JSON.stringify(BILLING)}] });
    return [user.accessToken, billing.accessToken];`);
  assert.deepEqual(served, [first.value.accessToken, first.value.accessToken]);
  assert.equal(calls(), atStart, 'served from the cache');

  // A forced refresh for one audience: Hydra gives the sign-in's two, which then serve both.
  const refreshed = await call(page, `
    const user = await client.refresh({ audience: [${JSON.stringify(USER)}] });
    const billing = await client.getAccessToken({ audience: [${JSON.stringify(BILLING)}] });
    return { user, billing };`);
  assert.deepEqual(jwtClaims(refreshed.user.accessToken).aud, HYDRA_SIGNIN);
  assert.notEqual(refreshed.user.accessToken, first.value.accessToken);
  assert.equal(refreshed.billing.accessToken, refreshed.user.accessToken, 'no refresh loop: the granted audience is served by the refreshed token');
  assert.equal(calls(), atStart + 1);

  // In the client's allow-list, but not asked for at sign-in: Hydra's refresh cannot add it.
  const admin = await call(page, `return ${settle(`client.getAccessToken({ audience: [${JSON.stringify(ADMIN)}] })`)};`);
  assert.equal(admin.code, 'audience_not_granted');
  assert.match(admin.description, /api\.example\.com\/admin/);
  assert.match(admin.description, /only at sign-in/);
  assert.match(admin.description, /signinRedirect/);
  assert.equal(calls(), atStart + 2);
  // Hydra rotated the refresh token in that answer: the kept one works, twice.
  const after = await call(page, `
    const a = await client.refresh({ audience: [${JSON.stringify(BILLING)}] });
    const b = await client.refresh();
    return [a.audience, b.audience, client.getUser()?.sub];`);
  assert.deepEqual(after, [HYDRA_SIGNIN, HYDRA_SIGNIN, 'alice']);
  assert.ok(context.tokenCalls.filter((c) => c.path === '/oauth2/token').every((c) => c.status === 200), JSON.stringify(context.tokenCalls));
  await context.close();
});

test("Hydra: storage 'shared' across three tabs: an expired token is renewed by one refresh grant, every tab gets it, nothing refused", async () => {
  await setup.hydra.createClient(spaClient({ clientId: 'spa-shared', origin: setup.app.origin, audience: HYDRA_ALLOWED }));
  await setup.hydra.setLifespans('spa-shared', {
    authorization_code_grant_access_token_lifespan: '4s',
    refresh_token_grant_access_token_lifespan: '4s',
  });
  const options = { clientId: 'spa-shared', storage: 'shared', expirySkew: 0 };
  const context = await browser.newContext();
  const tabs = [await newPage(context), await newPage(context), await newPage(context)];
  const signedIn = await signInManual(tabs[0], options);
  assert.ok(signedIn.value, JSON.stringify(signedIn));
  for (const tab of tabs.slice(1)) {
    await tab.goto(`${setup.app.origin}/manual`);
    await settled(tab);
    assert.equal(await inPage(tab, options, 'return client.getUser()?.sub;'), 'alice');
  }
  await new Promise((resolve) => setTimeout(resolve, 5000));
  const grants = () => context.tokenCalls.filter((c) => c.grant === 'refresh_token');
  const before = grants().length;
  const tokens = await Promise.all(tabs.map((tab) => call(tab, 'return (await client.getAccessToken()).accessToken;')));
  assert.equal(grants().length, before + 1, 'one refresh grant for three tabs');
  assert.equal(new Set(tokens).size, 1, 'every tab has the same new token');
  assert.notEqual(tokens[0], signedIn.value.accessToken);
  // And again, from another tab: the rotated refresh token the first renewal stored is the one used.
  await new Promise((resolve) => setTimeout(resolve, 4500));
  const again = await call(tabs[2], 'return (await client.getAccessToken()).accessToken;');
  assert.notEqual(again, tokens[0]);
  assert.ok(context.tokenCalls.filter((c) => c.path === '/oauth2/token').every((c) => c.status === 200), JSON.stringify(context.tokenCalls));
  await context.close();
});

test("Hydra: UserInfo with the sub check; sign-out revokes the refresh token (RFC 7009) and ends Hydra's session through its logout app", async () => {
  const context = await browser.newContext();
  const page = await newPage(context);
  const signedIn = await signInManual(page, { storage: 'session' });
  assert.ok(signedIn.value, JSON.stringify(signedIn));
  const info = await inPage(page, { storage: 'session' }, 'return client.userinfo();');
  assert.equal(info.sub, 'alice');

  const refreshToken = await page.evaluate(() => {
    const key = Object.keys(sessionStorage).find((k) => k.startsWith('oauth-wasm:session'));
    return key && JSON.parse(sessionStorage[key]).refreshToken;
  });
  assert.ok(refreshToken, 'the stored session has a refresh token');
  const landed = page.waitForURL((url) => url.href.startsWith(`${setup.app.origin}/?state=`));
  await call(page, `client.signout({ postLogoutRedirectUri: location.origin + '/' }); return true;`);
  // Hydra's logout goes through the logout app: the user confirms.
  await page.waitForSelector('button:has-text("Sign out")');
  await page.click('button:has-text("Sign out")');
  await landed;
  const revoke = context.tokenCalls.find((c) => c.path === '/oauth2/revoke');
  assert.deepEqual(revoke && [revoke.status], [200], JSON.stringify(context.tokenCalls));
  assert.equal(await settled(page), 'ready', 'signed out');
  const refused = await fetch(`${setup.hydra.issuer}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: 'spa' }),
  });
  assert.equal(refused.status >= 400, true);
  assert.match((await refused.json()).error, /invalid_grant|token_inactive/);
  // A new sign-in needs a login again (Hydra's session ended).
  await page.goto(`${setup.app.origin}/`);
  await settled(page);
  await page.click('#signin');
  await page.waitForSelector('input[name="subject"]');
  await context.close();
});

test('Hydra: consent denied reaches the app as access_denied, and the user can sign in again', async () => {
  const page = await newPage();
  await page.goto(`${setup.app.origin}/`);
  await settled(page);
  await page.click('#signin');
  await hydraLoginAndConsent(page, { consent: 'Deny' });
  await page.waitForURL(/\/callback\?/);
  assert.equal(await settled(page), 'error');
  const { code, description } = await shownError(page);
  assert.equal(code, 'access_denied');
  assert.match(description, /denied/);
  await page.goto(`${setup.app.origin}/`);
  assert.equal(await settled(page), 'ready');
  await page.click('#signin');
  await hydraLoginAndConsent(page);
  assert.equal(await settled(page), 'signed-in');
});

test("Hydra: a consent app that grants no audience (aud comes back empty) gets audience_not_granted pointing at grant_access_token_audience", async () => {
  setup.hydra.loginApp.settings.grantAudience = false;
  try {
    const page = await newPage();
    const outcome = await signInManual(page, { storage: 'session' });
    assert.equal(outcome.code, 'audience_not_granted', JSON.stringify(outcome));
    assert.match(outcome.description, /grant_access_token_audience/);
    assert.match(outcome.description, /api\.example\.com\/user/);
  } finally {
    setup.hydra.loginApp.settings.grantAudience = true;
  }
});

test('Hydra: dpop and par fail before any navigation with invalid_config naming the discovery field Hydra lacks', async () => {
  const page = await newPage();
  await page.goto(`${setup.app.origin}/manual`);
  await settled(page);
  for (const [options, field] of [[{ dpop: true }, 'dpop_signing_alg_values_supported'], [{ par: true }, 'pushed_authorization_request_endpoint']]) {
    const outcome = await inPage(page, options, `
      const outcome = await ${settle('client.createSigninRequest()')};
      // Nothing kept of the refused sign-in: no pending login, and with dpop no key made.
      const keys = await new Promise((resolve) => {
        const open = indexedDB.open('oauth-wasm', 1);
        open.onupgradeneeded = () => open.result.createObjectStore('sessions');
        open.onsuccess = () => {
          const store = open.result.transaction('sessions').objectStore('sessions').getAllKeys();
          store.onsuccess = () => resolve(store.result.length);
        };
        open.onerror = () => resolve(-1);
      });
      return { ...outcome, pending: Object.keys(sessionStorage).filter((k) => k.startsWith('oauth-wasm:tx:')).length, keys };`);
    assert.equal(outcome.code, 'invalid_config', JSON.stringify(outcome));
    assert.match(outcome.description, new RegExp(field));
    assert.deepEqual([outcome.pending, outcome.keys], [0, 0]);
  }
  const signin = await call(page, `return ${settle('client.signinRedirect()')};`);
  assert.equal(signin.code, 'invalid_config');
  assert.equal(page.url(), `${setup.app.origin}/manual`, 'no navigation');
});

test('Hydra: no request left loopback', () => {
  assert.deepEqual(blocked, []);
});
