// Provider faults that must lose nothing (the local oidc-provider, Chromium): the JWK Set that
// checks the ID token cannot be had (no answer, a 500 error page, a 200 that is not a set).
// - On the callback page the code is already spent: the token answer is kept beside the pending
//   login, and handleCallback with the same URL finishes once the set can be had, without a
//   second code exchange.
// - During a refresh the provider has already rotated the refresh token: the new one is stored
//   first, and the next refresh works with exactly one grant.
// - A signature that fails with a key of the set still ends the sign-in or the session.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorld, signInManual, inPage, call, settle } from './harness.mjs';

let world;
before(async () => { world = await startWorld(); });
after(async () => { await world?.close(); });

const FAULTS = {
  'no answer': (route) => route.abort('connectionrefused'),
  'a 500 with an HTML body': (route) => route.fulfill({ status: 500, contentType: 'text/html', body: '<html><h1>Internal Server Error</h1></html>' }),
  'a 200 that is not JSON': (route) => route.fulfill({ status: 200, contentType: 'application/json', body: '{"keys":[{"kty":"RSA"' }),
};
const jwksUrl = () => `${world.provider.issuer}/jwks`;
const grants = (type) => world.provider.events.grants[type] ?? 0;
const storedKeys = (page, prefix) => page.evaluate((p) => Object.keys(sessionStorage).filter((k) => k.startsWith(p)), prefix);

for (const [fault, serve] of Object.entries(FAULTS)) {
  test(`callback, JWK Set ${fault}: network_error naming the key set, then the same URL finishes without a second code exchange`, async () => {
    const page = await world.newPage();
    // The fault from the start: the sign-in page cannot store the set for the callback page either.
    let faulty = true;
    await page.route(jwksUrl(), (route) => (faulty ? serve(route) : route.continue()));
    const exchanges = grants('authorization_code');
    const first = await signInManual(world, page, { storage: 'session' });
    assert.equal(first.code, 'network_error', JSON.stringify(first));
    assert.match(first.description, /JWK Set/);
    assert.equal(grants('authorization_code'), exchanges + 1);
    const url = await page.evaluate(() => location.href);
    assert.deepEqual(await call(page, 'return client.getUser();'), null, 'no unverified claims handed out');
    const kept = await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('oauth-wasm:tx:')).map((k) => JSON.parse(sessionStorage[k])));
    assert.equal(kept.length, 1, 'the pending login is back');
    assert.equal(kept[0].answer?.[0], 200, 'with the token answer, for the retry');

    // Still failing: the same again, the answer still kept.
    const again = await call(page, `return ${settle(`client.handleCallback(${JSON.stringify(url)})`)};`);
    assert.equal(again.code, 'network_error');
    faulty = false;
    const retried = await call(page, `return ${settle(`client.handleCallback(${JSON.stringify(url)})`)};`);
    assert.ok(retried.value?.accessToken, JSON.stringify(retried));
    assert.equal(grants('authorization_code'), exchanges + 1, 'no second code exchange');
    assert.equal(await call(page, 'return client.getUser()?.sub;'), 'alice');
    assert.deepEqual(await storedKeys(page, 'oauth-wasm:tx:'), [], 'the pending login (and the answer it kept) is used up');
    // Nothing of the fault is cached: a new client on this page checks tokens with the fetched set.
    const replay = await call(page, `return ${settle(`client.handleCallback(${JSON.stringify(url)})`)};`);
    assert.equal(replay.code, 'state_mismatch', 'the callback is single use once it succeeded');
  });
}

test('callback, a signature that fails with a key of the set: invalid_id_token, nothing kept, the sign-in is over', async () => {
  const page = await world.newPage();
  world.provider.tamper.idToken = (jwt) => `${jwt.slice(0, -4)}${jwt.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
  try {
    const outcome = await signInManual(world, page, { storage: 'session' });
    assert.equal(outcome.code, 'invalid_id_token', JSON.stringify(outcome));
  } finally {
    world.provider.tamper.idToken = null;
  }
  assert.deepEqual(await storedKeys(page, 'oauth-wasm:tx:'), [], 'nothing kept');
  const url = await page.evaluate(() => location.href);
  const replay = await call(page, `return ${settle(`client.handleCallback(${JSON.stringify(url)})`)};`);
  assert.equal(replay.code, 'state_mismatch');
});

for (const [fault, serve] of Object.entries(FAULTS)) {
  test(`refresh, JWK Set ${fault}: the rotated refresh token is kept; once the set can be had, one grant refreshes`, async () => {
    const page = await world.newPage();
    const signedIn = await signInManual(world, page, { storage: 'session' });
    assert.ok(signedIn.value, JSON.stringify(signedIn));
    // A new page of the same tab, its key sets gone from sessionStorage: the refresh must fetch.
    await page.reload();
    await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('oauth-wasm:jwks:')).forEach((k) => sessionStorage.removeItem(k)));
    let faulty = true;
    await page.route(jwksUrl(), (route) => (faulty ? serve(route) : route.continue()));
    const refreshToken = () => page.evaluate(() => JSON.parse(sessionStorage[Object.keys(sessionStorage).find((k) => k.startsWith('oauth-wasm:session:'))]).refreshToken);
    const before = await refreshToken();
    const refreshes = grants('refresh_token');
    const failed = await inPage(page, { storage: 'session' }, `return ${settle('client.refresh()')};`);
    assert.equal(failed.code, 'network_error', JSON.stringify(failed));
    assert.match(failed.description, /JWK Set/);
    assert.equal(grants('refresh_token'), refreshes + 1);
    const rotated = await refreshToken();
    assert.notEqual(rotated, before, 'the rotated refresh token is stored');
    assert.equal(await call(page, 'return client.getUser()?.sub;'), 'alice', 'the session stays');

    faulty = false;
    const refreshed = await call(page, `return ${settle('client.refresh()')};`);
    assert.ok(refreshed.value?.accessToken, JSON.stringify(refreshed));
    assert.equal(grants('refresh_token'), refreshes + 2, 'exactly one more grant');
    assert.notEqual(await refreshToken(), rotated);
  });
}

test('refresh, a signature that fails with a key of the set: invalid_id_token, and the session ends', async () => {
  const page = await world.newPage();
  const signedIn = await signInManual(world, page, { storage: 'session' });
  assert.ok(signedIn.value, JSON.stringify(signedIn));
  world.provider.tamper.idToken = (jwt) => `${jwt.slice(0, -4)}${jwt.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
  try {
    const outcome = await call(page, `return ${settle('client.refresh()')};`);
    assert.equal(outcome.code, 'invalid_id_token', JSON.stringify(outcome));
  } finally {
    world.provider.tamper.idToken = null;
  }
  assert.equal(await call(page, 'return client.getUser();'), null);
  assert.deepEqual(await call(page, 'return events.filter((e) => e.type === "signedOut").length;'), 1);
  const after = await call(page, `return ${settle('client.getAccessToken()')};`);
  assert.equal(after.code, 'login_required');
});

// Pending logins (state, nonce, PKCE verifier, appState) expire: loginLifetime, 10 minutes by default.
const pendingLogins = (page) => page.evaluate(() => Object.fromEntries(Object.keys(sessionStorage)
  .filter((k) => k.startsWith('oauth-wasm:tx:')).map((k) => [k, JSON.parse(sessionStorage[k])])));
const age = (seconds) => (page) => page.evaluate((s) => {
  for (const key of Object.keys(sessionStorage).filter((k) => k.startsWith('oauth-wasm:tx:'))) {
    sessionStorage[key] = JSON.stringify({ ...JSON.parse(sessionStorage[key]), at: Math.floor(Date.now() / 1000) - s });
  }
}, seconds);

test('a callback for a sign-in started more than loginLifetime ago: login_expired, the login gone, a new sign-in works', async () => {
  const page = await world.newPage();
  const exchanges = grants('authorization_code');
  const old = await signInManual(world, page, { storage: 'session' }, {}, { beforeNavigate: age(601) });
  assert.equal(old.code, 'login_expired', JSON.stringify(old));
  assert.match(old.description, /expired/);
  assert.equal(grants('authorization_code'), exchanges, 'no code exchange for it');
  assert.deepEqual(await pendingLogins(page), {}, 'the expired login is gone');
  // Within the lifetime, and with a longer loginLifetime, the same age is fine (each in a new
  // context: the provider's own session would skip its pages).
  const fresh = await signInManual(world, await world.newPage(), { storage: 'session' }, {}, { beforeNavigate: age(590) });
  assert.ok(fresh.value?.accessToken, JSON.stringify(fresh));
  // Without the example app, whose own client would sweep by the default lifetime.
  const other = await world.newPage();
  await other.route((url) => url.pathname === '/app.js', (route) => route.fulfill({ contentType: 'text/javascript', body: "document.body.dataset.state = 'ready';" }));
  const longer = await signInManual(world, other, { storage: 'session', loginLifetime: 3600 }, {}, { beforeNavigate: age(1800) });
  assert.ok(longer.value?.accessToken, JSON.stringify(longer));
  const bad = await inPage(other, { loginLifetime: -1 }, 'return true;').then(() => null, (e) => e.message);
  assert.match(bad, /loginLifetime must be a number of seconds/);
});

test('create() sweeps stale pending logins of its client: older than loginLifetime, or unreadable', async () => {
  const page = await world.newPage();
  await page.goto(`${world.app.origin}/manual`);
  const now = Math.floor(Date.now() / 1000);
  await page.evaluate(([t, issuer]) => {
    const login = (at, clientId = 'spa') => JSON.stringify({ v: 1, issuer, clientId, at });
    sessionStorage['oauth-wasm:tx:stale'] = login(t - 601);
    sessionStorage['oauth-wasm:tx:future'] = login(t + 3600);
    sessionStorage['oauth-wasm:tx:broken'] = '{';
    sessionStorage['oauth-wasm:tx:recent'] = login(t - 60);
    sessionStorage['oauth-wasm:tx:another-client'] = login(t - 601, 'another');
    sessionStorage['unrelated'] = 'kept';
  }, [now, world.provider.issuer]);
  await inPage(page, {}, 'return true;');
  const keys = await page.evaluate(() => Object.keys(sessionStorage).sort());
  assert.ok(keys.includes('oauth-wasm:tx:recent') && keys.includes('unrelated'), JSON.stringify(keys));
  assert.ok(keys.includes('oauth-wasm:tx:another-client'), "another client's logins are its own business");
  for (const gone of ['stale', 'broken']) assert.ok(!keys.includes(`oauth-wasm:tx:${gone}`), gone);
  assert.ok(keys.includes('oauth-wasm:tx:future'), 'stamped in the future (a clock set back): kept, as the core accepts it');
});

test('a token endpoint that never answers: the refresh ends after 30 s with network_error, and the session refreshes afterwards', { timeout: 120_000 }, async () => {
  const page = await world.newPage();
  const signedIn = await signInManual(world, page, { storage: 'session' });
  assert.ok(signedIn.value, JSON.stringify(signedIn));
  // The request is held: the route is never answered.
  await page.route(`${world.provider.issuer}/token`, () => {});
  const started = Date.now();
  const hung = await call(page, `return ${settle('client.refresh()')};`);
  const took = Date.now() - started;
  assert.equal(hung.code, 'network_error', JSON.stringify(hung));
  assert.match(hung.description, /token endpoint/);
  assert.ok(took >= 29_000 && took < 60_000, `ended after ${took} ms`);
  await page.unroute(`${world.provider.issuer}/token`);
  const refreshes = grants('refresh_token');
  const again = await call(page, `return ${settle('client.refresh()')};`);
  assert.ok(again.value?.accessToken, JSON.stringify(again));
  assert.equal(grants('refresh_token'), refreshes + 1);
});
