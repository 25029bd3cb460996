// Token lifecycle end to end, in headless Chromium against oidc-provider (rotating refresh
// tokens): per-audience tokens, expiry and refresh, five tabs sharing one session, reload,
// sign-out with revocation, a grant revoked by the provider, userinfo, autoRefresh.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startWorld, loginAndConsent, settled, jwtClaims, inPage, call, settle, signInManual, createClient, ownStorageKeys, ALLOWED_AUDIENCES } from './harness.mjs';

const [USER, BILLING] = ALLOWED_AUDIENCES;
// Seconds, for the world where tokens expire during the test: long enough that, on a loaded
// machine, the tabs still find the token one of them refreshed unexpired.
const TTL = 3;

let world; // access tokens live 600 s
let short; // access tokens live TTL s
before(async () => { [world, short] = await Promise.all([startWorld(), startWorld({ accessTokenTTL: TTL })]); });
after(async () => { await Promise.all([world?.close(), short?.close()]); });

/** Opens the app at /manual in `page`, signs in with `options`, and leaves `client` signed in. */
async function signIn(w, page, options, signinOptions = {}) {
  const outcome = await signInManual(w, page, options, signinOptions);
  if (!outcome.value) throw new Error(`sign-in failed: ${outcome.code}: ${outcome.description}`);
  return outcome.value;
}

const refreshes = (w) => w.provider.events.grants.refresh_token ?? 0;

/** A refresh grant sent from Node with `refreshToken`: what the provider says of it. */
async function tryRefresh(w, refreshToken) {
  const r = await fetch(`${w.provider.issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: 'spa' }),
  });
  return { status: r.status, body: await r.json() };
}

const storedSession = (page) => page.evaluate(() => {
  const key = Object.keys(sessionStorage).find((k) => k.startsWith('oauth-wasm:session:'));
  return key && JSON.parse(sessionStorage.getItem(key));
});

test('one sign-in, two audiences: getAccessToken gives a token per API with the right aud', async () => {
  const page = await world.newPage();
  const tokens = await signIn(world, page, {}, { audience: [USER] });
  assert.equal(jwtClaims(tokens.accessToken).aud, USER);
  const before = refreshes(world);
  const result = await call(page, `
    const user = await client.getAccessToken({ audience: ['${USER}'] });
    const billing = await client.getAccessToken({ audience: ['${BILLING}'] });
    const again = await client.getAccessToken({ audience: ['${BILLING}'] });
    const [a, b] = await Promise.all([1, 2].map(() => client.getAccessToken({ audience: ['${BILLING}'] })));
    return { user, billing, again: again.accessToken === billing.accessToken, same: a === b, sub: client.getUser().sub };`);
  assert.equal(result.user.accessToken, tokens.accessToken, 'the sign-in token serves its own audience');
  assert.equal(jwtClaims(result.user.accessToken).aud, USER);
  assert.equal(jwtClaims(result.billing.accessToken).aud, BILLING);
  assert.deepEqual(result.billing.audience, [BILLING]);
  assert.equal(result.billing.audienceVerified, true);
  assert.notEqual(result.billing.accessToken, result.user.accessToken);
  assert.equal(result.again, true, 'the billing token is cached');
  assert.equal(result.sub, 'alice');
  assert.equal(refreshes(world), before + 1, 'exactly one refresh grant: for the billing audience');
  assert.equal('refreshToken' in result.billing, false, 'getAccessToken never hands out the refresh token');
});

test('an expired access token is refreshed transparently; concurrent calls share one refresh', async () => {
  const page = await short.newPage();
  const options = { expirySkew: 0 };
  const tokens = await signIn(short, page, options);
  await sleep(TTL * 1000 + 1100);
  const before = refreshes(short);
  const result = await call(page, `
    const all = await Promise.all([1, 2, 3].map(() => client.getAccessToken()));
    return { tokens: all.map((t) => t.accessToken), events: events.map((e) => e.type) };`);
  assert.equal(new Set(result.tokens).size, 1, 'one token for the three calls');
  assert.notEqual(result.tokens[0], tokens.accessToken, 'a new token');
  assert.equal(refreshes(short), before + 1, 'one refresh grant for three concurrent calls');
  assert.deepEqual(result.events, ['tokenRefreshed']);
  assert.deepEqual(jwtClaims(result.tokens[0]).aud, ALLOWED_AUDIENCES);
});

test("five tabs, storage 'shared', all asking at once after expiry: one refresh per round, 0 lost sessions in 20 rounds; one sign-out signs all out", async () => {
  const context = await short.newContext();
  const tabs = [await short.newPage(context)];
  const options = { storage: 'shared', expirySkew: 0 };
  const first = await signIn(short, tabs[0], options);
  for (let i = 1; i < 5; i += 1) {
    const tab = await short.newPage(context);
    await tab.goto(`${short.app.origin}/manual`);
    await settled(tab);
    await inPage(tab, options, 'return true;');
    tabs.push(tab);
  }
  let previous = first.accessToken;
  let expiresAt = first.expiresAt;
  let lost = 0;
  for (let round = 1; round <= 20; round += 1) {
    // Just after expiry (expirySkew 0: the SDK hands the token out until its expiresAt second).
    await sleep(Math.max(0, expiresAt * 1000 - Date.now()) + 50);
    const before = refreshes(short);
    // Every tab calls getAccessToken at the same wall-clock instant.
    const at = Date.now() + 300;
    const results = await Promise.all(tabs.map((tab) => tab.evaluate(
      (t) => new Promise((resolve) => setTimeout(() => client.getAccessToken().then(
        (token) => resolve({ token: token.accessToken, expiresAt: token.expiresAt }),
        (e) => resolve({ code: e.code, description: e.description }),
      ), t - Date.now())),
      at,
    )));
    const failed = results.filter((r) => !r.token);
    if (failed.length) lost += 1;
    assert.deepEqual(failed, [], `round ${round}: every tab got a token`);
    assert.equal(new Set(results.map((r) => r.token)).size, 1, `round ${round}: the tabs share the one refreshed token`);
    assert.notEqual(results[0].token, previous, `round ${round}: a fresh token`);
    assert.equal(refreshes(short), before + 1, `round ${round}: exactly one refresh grant reached the provider`);
    previous = results[0].token;
    expiresAt = results[0].expiresAt;
  }
  assert.equal(lost, 0);
  // The session is still alive: a forced refresh works from any tab.
  const alive = await call(tabs[3], `return ${settle('client.refresh()')};`);
  assert.ok(alive.value?.accessToken, JSON.stringify(alive));
  const seen = await tabs[0].evaluate(() => indexedDB.databases().then((dbs) => dbs.map((d) => d.name)));
  assert.deepEqual(seen, ['oauth-wasm']);
  assert.deepEqual(await tabs[0].evaluate(() => Object.keys(localStorage)), [], 'nothing in localStorage');
  // Signing out in one tab signs every tab out (BroadcastChannel), and the session is gone.
  const leaving = tabs[4].waitForURL((url) => url.href.startsWith(`${short.provider.issuer}/session/end`));
  await tabs[4].evaluate(() => { client.signout(); });
  await leaving;
  for (const tab of tabs.slice(0, 4)) {
    await tab.waitForFunction(() => events.some((e) => e.type === 'signedOut'));
    const after = await call(tab, `return { user: client.getUser(), token: await ${settle('client.getAccessToken()')} };`);
    assert.deepEqual([after.user, after.token.code], [null, 'login_required']);
  }
  await context.close();
});

test("reload: storage 'session' keeps the session, 'memory' does not", async () => {
  for (const [storage, kept] of [['session', true], ['memory', false]]) {
    const page = await world.newPage();
    const tokens = await signIn(world, page, { storage });
    await page.reload();
    await settled(page);
    const after = await inPage(page, { storage }, `return { user: client.getUser(), token: await ${settle('client.getAccessToken()')} };`);
    if (kept) {
      assert.equal(after.user.sub, 'alice', storage);
      assert.equal(after.token.value.accessToken, tokens.accessToken, 'the cached token survived the reload');
    } else {
      assert.equal(after.user, null, storage);
      assert.equal(after.token.code, 'login_required');
    }
    await page.context().close();
  }
});

// Whether `page` has requested the lazily loaded refresh / sign-out / UserInfo module so far.
// The app at /manual again, as a later page of the signed-in tab (the callback page already
// holds the account module, which it fetched for the code exchange), with a client of `options`.
const laterPage = async (w, page, options) => {
  await page.goto(`${w.app.origin}/manual`);
  await settled(page);
  await inPage(page, options, 'return null;');
};

// Whether the page fetched the account module or its JavaScript (account.js).
const watchAccountModule = (page) => {
  const seen = { fetched: false };
  page.on('request', (r) => { if (/\/pkg\/(oauth_wasm_account\.wasm|account\.js)$/.test(r.url())) seen.fetched = true; });
  return seen;
};

test('sign-out revokes the refresh token, clears everything and lands on the post-logout URI', async () => {
  const page = await world.newPage();
  await signIn(world, page, { storage: 'session' });
  const account = watchAccountModule(page);
  await laterPage(world, page, { storage: 'session' });
  assert.equal(account.fetched, false, 'a page that is no callback fetches the account module only on first use');
  const { refreshToken } = await storedSession(page);
  assert.ok(refreshToken);
  const idToken = (await storedSession(page)).idToken;
  const landed = page.waitForRequest((r) => r.url().startsWith(`${world.app.origin}/?`) || r.url() === `${world.app.origin}/`);
  const endSession = page.waitForRequest((r) => r.url().startsWith(`${world.provider.issuer}/session/end?`));
  // signout resolves as it navigates: the page's answer may not come back before the navigation.
  await call(page, `await client.signout({ postLogoutRedirectUri: location.origin + '/' });`)
    .catch((e) => assert.match(e.message, /Execution context was destroyed/));
  const logout = new URL((await endSession).url()).searchParams;
  assert.equal(account.fetched, true, 'signout fetched it');
  assert.equal(logout.get('id_token_hint'), idToken);
  assert.equal(logout.get('client_id'), 'spa');
  assert.equal(logout.get('post_logout_redirect_uri'), `${world.app.origin}/`);
  // oidc-provider asks the user to confirm RP-initiated logout.
  await page.waitForSelector('button[autofocus], button:has-text("Yes")');
  await page.click('button:has-text("Yes")');
  const back = new URL((await landed).url());
  assert.equal(back.origin + back.pathname, `${world.app.origin}/`);
  assert.equal(back.searchParams.get('state'), logout.get('state'), 'state came back');
  await settled(page);
  assert.deepEqual(await ownStorageKeys(page), [], 'no session, no pending login');
  const replay = await tryRefresh(world, refreshToken);
  assert.equal(replay.status, 400);
  assert.equal(replay.body.error, 'invalid_grant', 'the old refresh token is refused');
});

test('sign-out when the sign-out module cannot be loaded: the local sign-out still happens, then wasm_load_failed', async () => {
  const page = await world.newPage();
  await signIn(world, page, { storage: 'session' });
  await page.route('**/pkg/oauth_wasm_account.wasm', (route) => route.fulfill({ status: 404, contentType: 'text/plain', body: 'gone' }));
  await laterPage(world, page, { storage: 'session' });
  const out = await call(page, `const events = []; client.on('signedOut', () => events.push('signedOut'));
    const result = await ${settle('client.signout()')}; return { result, events, user: client.getUser() };`);
  assert.equal(out.result.code, 'wasm_load_failed');
  assert.match(out.result.description, /oauth_wasm_account\.wasm: HTTP 404/);
  assert.deepEqual(out.events, ['signedOut']);
  assert.equal(out.user, null);
  assert.deepEqual(await ownStorageKeys(page), [], 'no session, no pending login');
});

test('the provider revoked the grant: the next refresh gives signedOut and login_required', async () => {
  const page = await world.newPage();
  await signIn(world, page, { storage: 'session' });
  const { refreshToken } = await storedSession(page);
  const revoked = await fetch(`${world.provider.issuer}/token/revocation`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: refreshToken, token_type_hint: 'refresh_token', client_id: 'spa' }),
  });
  assert.equal(revoked.status, 200);
  const result = await call(page, `
    const cached = await client.getAccessToken();
    const fresh = await ${settle('client.refresh()')};
    return { cached: !!cached.accessToken, fresh, events: events.map((e) => e.type), user: client.getUser() };`);
  assert.equal(result.cached, true, 'an unexpired cached token is still handed out');
  assert.equal(result.fresh.code, 'login_required');
  assert.match(result.fresh.description, /invalid_grant/);
  assert.deepEqual(result.events, ['signedOut']);
  assert.equal(result.user, null);
  assert.equal(await storedSession(page), undefined);
});

// After a refresh that failed on our side of the wire: the same call refreshes, for the same
// user, with no signedOut in between.
const retryKeepsSession = async (page) => {
  const retry = await call(page, `
    const token = await client.getAccessToken({ audience: ['${BILLING}'] });
    return { token, user: client.getUser().sub, events: events.map((e) => e.type) };`);
  assert.equal(jwtClaims(retry.token.accessToken).aud, BILLING);
  assert.equal(retry.user, 'alice');
  assert.deepEqual(retry.events, ['tokenRefreshed'], 'no signedOut: the session was kept');
};

test('a refresh without answer keeps the session: network_error, then a retry works', async () => {
  const page = await world.newPage();
  await signIn(world, page, { storage: 'session' }, { audience: [USER] });
  await page.route(`${world.provider.issuer}/token`, (route) => route.abort('internetdisconnected'));
  const offline = await call(page, `return ${settle(`client.getAccessToken({ audience: ['${BILLING}'] })`)};`);
  assert.equal(offline.code, 'network_error');
  assert.match(offline.description, /token endpoint could not be reached/);
  await page.unroute(`${world.provider.issuer}/token`);
  await retryKeepsSession(page);
});

test('a refresh whose module (wasm or JavaScript) cannot be loaded keeps the session: wasm_load_failed, then a retry works', async () => {
  for (const [file, description] of [['oauth_wasm_account.wasm', /oauth_wasm_account\.wasm: HTTP 404/], ['account.js', /account module could not be loaded: .*account\.js/]]) {
    const page = await world.newPage();
    await signIn(world, page, { storage: 'session' }, { audience: [USER] });
    const account = watchAccountModule(page);
    await laterPage(world, page, { storage: 'session' });
    await call(page, `await client.getAccessToken({ audience: ['${USER}'] });`);
    assert.equal(account.fetched, false, 'a cached token needs no module');
    const before = refreshes(world);
    await page.route(`**/pkg/${file}`, (route) => route.fulfill({ status: 404, contentType: 'text/plain', body: 'gone' }));
    const failed = await call(page, `return ${settle(`client.getAccessToken({ audience: ['${BILLING}'] })`)};`);
    assert.equal(failed.code, 'wasm_load_failed', file);
    assert.match(failed.description, description);
    assert.equal(refreshes(world), before, `${file}: no refresh grant was sent`);
    await page.unroute(`**/pkg/${file}`);
    await retryKeepsSession(page);
    assert.equal(refreshes(world), before + 1);
  }
});

test('userinfo: the sub must be the signed-in user', async () => {
  const page = await world.newPage();
  await signIn(world, page, { storage: 'session' });
  const account = watchAccountModule(page);
  await laterPage(world, page, { storage: 'session' });
  assert.equal(account.fetched, false);
  const info = await call(page, 'return client.userinfo();');
  assert.equal(info.sub, 'alice');
  assert.equal(account.fetched, true, 'userinfo fetched the module on first use');
  await page.route(`${world.provider.issuer}/me`, (route) => route.fulfill({
    status: 200, contentType: 'application/json', body: JSON.stringify({ sub: 'mallory' }),
  }));
  const forged = await call(page, `return ${settle('client.userinfo()')};`);
  assert.equal(forged.code, 'userinfo_sub_mismatch');
});

test('corrupt or foreign stored data is discarded with an error event, never a crash', async () => {
  const page = await world.newPage();
  await page.goto(`${world.app.origin}/manual`);
  await settled(page);
  const result = await page.evaluate(async (script) => {
    const { client } = await (await fetch('/config.json')).json();
    sessionStorage.setItem(`oauth-wasm:session:${client.issuer} ${client.clientId}`, '{"v":99,"junk":true}');
    await (0, eval)(script);
    await new Promise((resolve) => setTimeout(resolve, 50));
    return {
      events: globalThis.events,
      user: globalThis.client.getUser(),
      left: Object.keys(sessionStorage).filter((k) => !k.startsWith('oauth-wasm:jwks:')),
      token: await globalThis.client.getAccessToken().then(() => 'token', (e) => e.code),
    };
  }, createClient({ storage: 'session' }));
  assert.deepEqual(result.events, [{ type: 'error', code: 'invalid_session' }]);
  assert.equal(result.user, null);
  assert.deepEqual(result.left, []);
  assert.equal(result.token, 'login_required');
  assert.deepEqual(page.pageErrors, []);
});

test('autoRefresh renews before expiry (tokenExpiring first), and waits while the page is hidden', async () => {
  const page = await short.newPage();
  const options = { autoRefresh: true, expirySkew: 0 };
  await signIn(short, page, options);
  // Hidden: nothing happens, however long the token has been expired.
  await call(page, `
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    document.dispatchEvent(new Event('visibilitychange'));`);
  const before = refreshes(short);
  await sleep(TTL * 1000 + 2500);
  assert.equal(refreshes(short), before, 'no refresh while hidden');
  // Visible again: the overdue renewal runs at once, and again before the next expiry.
  await call(page, `
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => false });
    document.dispatchEvent(new Event('visibilitychange'));`);
  await sleep(TTL * 1000 + 2500);
  const events = await call(page, 'return events.map((e) => e.type);');
  assert.ok(refreshes(short) >= before + 2, `renewed twice: ${refreshes(short) - before}`);
  assert.deepEqual(events.slice(0, 4), ['tokenExpiring', 'tokenRefreshed', 'tokenExpiring', 'tokenRefreshed']);
});
