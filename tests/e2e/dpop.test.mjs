// DPoP (RFC 9449) end to end: oidc-provider with DPoP nonces required, the SDK in Chromium with
// `dpop: true`, and a resource server that verifies every proof and demands its own nonce.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorld, signInManual, inPage, call, settle, settled, jwtClaims, ALLOWED_AUDIENCES } from './harness.mjs';
import { startResourceServer } from './resource-server.mjs';

const [, BILLING] = ALLOWED_AUDIENCES;
let world;
let api;
before(async () => {
  world = await startWorld({ dpopNonce: true });
  api = await startResourceServer({ appOrigin: world.app.origin, provider: world.provider, audience: BILLING });
});
after(async () => { await Promise.all([world?.close(), api?.close()]); });

const DPOP = { dpop: true, storage: 'session' };
const keysInIndexedDB = (page) => page.evaluate(() => new Promise((resolve) => {
  const open = indexedDB.open('oauth-wasm', 1);
  open.onupgradeneeded = () => open.result.createObjectStore('sessions');
  open.onsuccess = () => {
    const request = open.result.transaction('sessions').objectStore('sessions').getAllKeys();
    request.onsuccess = () => { resolve(request.result.filter((k) => String(k).startsWith('dpop:'))); open.result.close(); };
  };
}));

test('sign-in, refresh and reload with one DPoP key: dpop_jkt, DPoP tokens bound to it, nonces handled', async () => {
  const page = await world.newPage();
  const before = { ...world.provider.events.grants };
  const challenges = world.provider.events.nonceChallenges;
  const { value, authorizationUrl, description } = await signInManual(world, page, DPOP);
  assert.ok(value, `signed in: ${description}`);
  assert.ok(world.provider.events.nonceChallenges > challenges, 'the provider asked for its nonce, and the SDK retried');
  const jkt = authorizationUrl.searchParams.get('dpop_jkt');
  assert.match(jkt, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(value.tokenType, 'DPoP');
  assert.equal(jwtClaims(value.accessToken).cnf.jkt, jkt, 'the access token is bound to the key of dpop_jkt');
  // A token for another audience: a refresh grant with a proof from the same key.
  const billing = await call(page, `return client.refresh({ audience: ['${BILLING}'] });`);
  assert.equal(billing.tokenType, 'DPoP');
  assert.deepEqual([jwtClaims(billing.accessToken).aud].flat(), [BILLING]);
  assert.equal(jwtClaims(billing.accessToken).cnf.jkt, jkt);
  // Reload: the session and its key come back (IndexedDB), and the bound refresh token still works.
  await page.reload();
  await settled(page);
  const again = await inPage(page, DPOP, 'return client.refresh();');
  assert.equal(jwtClaims(again.accessToken).cnf.jkt, jkt, 'the same key after reload');
  assert.equal((world.provider.events.grants.refresh_token ?? 0) - (before.refresh_token ?? 0), 2);
  assert.deepEqual(page.pageErrors, []);
});

test("storage 'memory': the key survives the redirect, then lives with the page only", async () => {
  const page = await world.newPage();
  const { value, description } = await signInManual(world, page, { dpop: true });
  assert.ok(value, `signed in: ${description}`);
  assert.deepEqual(await keysInIndexedDB(page), [], 'no key at rest after the callback');
  const refreshed = await call(page, `return client.refresh({ audience: ['${BILLING}'] });`);
  assert.equal(jwtClaims(refreshed.accessToken).cnf.jkt, jwtClaims(value.accessToken).cnf.jkt, 'the same key, from memory');
});

test('client.fetch sends the token with a proof the resource server verifies, after its nonce challenge', async () => {
  const page = await world.newPage();
  // The API is on loopback, not at its audience's origin: it is trusted by name.
  const { value } = await signInManual(world, page, { ...DPOP, trustedOrigins: [api.origin] });
  assert.ok(value);
  const from = api.log.length;
  const result = await call(page, `
    const res = await client.fetch('${api.origin}/dpop/invoices?page=2', { method: 'POST', body: '{"n":1}', headers: { 'content-type': 'application/json' } }, { audience: ['${BILLING}'] });
    const second = await client.fetch('${api.origin}/dpop/invoices', undefined, { audience: ['${BILLING}'] });
    return { status: res.status, body: await res.json(), second: second.status };`);
  assert.equal(result.status, 200, JSON.stringify(api.log.slice(from)));
  assert.deepEqual(result.body, { sub: 'alice', path: '/dpop/invoices', method: 'POST' });
  assert.equal(result.second, 200);
  // First proof without the server's nonce: challenged, retried once; the second request
  // already carries the newest nonce.
  assert.deepEqual(api.log.slice(from).map((e) => [e.status, e.reason]), [[401, 'use_dpop_nonce'], [200, undefined], [200, undefined]]);
  // A proof for a request the app sends itself.
  const manual = await call(page, `
    const { accessToken } = await client.getAccessToken({ audience: ['${BILLING}'] });
    const url = '${api.origin}/dpop/report';
    const proof = await client.dpopProof({ url, method: 'GET', accessToken });
    const res = await fetch(url, { headers: { Authorization: 'DPoP ' + accessToken, DPoP: proof } });
    const replay = await fetch(url, { headers: { Authorization: 'DPoP ' + accessToken, DPoP: proof } });
    return [res.status, replay.status];`);
  assert.deepEqual(manual, [200, 401], 'a proof is good once (jti)');
  assert.match(api.log.at(-1).reason, /jti replayed/);
});

test('DPoP with a pushed authorization request: the push carries a proof, the tokens are bound', async () => {
  const page = await world.newPage();
  const { value, authorizationUrl, description } = await signInManual(world, page, { ...DPOP, par: true });
  assert.ok(value, `signed in: ${description}`);
  assert.deepEqual([...authorizationUrl.searchParams.keys()].sort(), ['client_id', 'request_uri']);
  assert.equal(value.tokenType, 'DPoP');
  assert.ok(jwtClaims(value.accessToken).cnf.jkt);
});

test('dpop: true refuses a Bearer token from the token endpoint (no silent downgrade)', async () => {
  world.provider.tamper.token = (body) => ({ ...body, token_type: 'Bearer' });
  try {
    const page = await world.newPage();
    const outcome = await signInManual(world, page, DPOP);
    assert.deepEqual(
      { code: outcome.code, description: outcome.description },
      { code: 'invalid_response', description: 'token endpoint answered HTTP 200: token_type is not DPoP' },
    );
  } finally {
    world.provider.tamper.token = null;
  }
});

test('without dpop, client.fetch sends a Bearer token; sign-out deletes the DPoP key', async () => {
  const plain = await world.newPage();
  assert.ok((await signInManual(world, plain, { storage: 'session', trustedOrigins: [api.origin] })).value);
  const status = await call(plain, `return (await client.fetch('${api.origin}/bearer/me', undefined, { audience: ['${BILLING}'] })).status;`);
  assert.equal(status, 200, JSON.stringify(api.log.at(-1)));
  const dpopProof = await call(plain, `return ${settle('client.dpopProof({ url: location.href })')};`);
  assert.equal(dpopProof.code, 'invalid_config');

  const page = await world.newPage();
  assert.ok((await signInManual(world, page, DPOP)).value);
  assert.equal((await keysInIndexedDB(page)).length, 1);
  const badUrl = await call(page, `return ${settle("client.dpopProof({ url: 'http://[not a url' })")};`);
  assert.deepEqual(badUrl, { code: 'invalid_config', description: 'dpopProof: "http://[not a url" is not a URL' });
  await call(page, 'await client.signout(); return true;').catch(() => {}); // navigates away
  await page.goto(`${world.app.origin}/manual`);
  await settled(page);
  assert.deepEqual(await keysInIndexedDB(page), []);
});

test('the DPoP chunk cannot be loaded: sign-in rejects with wasm_load_failed naming it, and the next try works', async () => {
  const page = await world.newPage();
  await page.route('**/pkg/dpop.js', (route) => route.fulfill({ status: 404, contentType: 'text/plain', body: 'gone' }));
  await page.goto(`${world.app.origin}/manual`);
  await settled(page);
  const failed = await inPage(page, DPOP, `return ${settle('client.createSigninRequest()')};`);
  assert.equal(failed.code, 'wasm_load_failed');
  assert.match(failed.description, /DPoP module could not be loaded: .*dpop\.js/);
  assert.deepEqual(await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('oauth-wasm:tx:'))), [], 'no pending login left behind');
  await page.unroute('**/pkg/dpop.js');
  const again = await call(page, `return ${settle('client.createSigninRequest()')};`);
  assert.match(new URL(again.value.url).searchParams.get('dpop_jkt') ?? '', /^[A-Za-z0-9_-]{43}$/);
});

test("DPoP keys of tabs long closed are swept: one unused for a week is deleted, one in use is stamped and kept", async () => {
  const page = await world.newPage();
  const { value } = await signInManual(world, page, DPOP);
  assert.ok(value);
  // Two keys another tab left: one last used eight days ago, one from a version without stamps.
  await page.evaluate(() => new Promise((resolve) => {
    const open = indexedDB.open('oauth-wasm', 1);
    open.onsuccess = () => {
      const tx = open.result.transaction('sessions', 'readwrite');
      const store = tx.objectStore('sessions');
      store.put({ jwk: '{}', at: Date.now() - 8 * 864e5 }, 'dpop:stale closed-tab');
      store.put({ jwk: '{}' }, 'dpop:unstamped closed-tab');
      tx.oncomplete = () => { open.result.close(); resolve(); };
    };
  }));
  const own = (await keysInIndexedDB(page)).filter((k) => !k.includes('closed-tab'));
  assert.equal(own.length, 1, "this tab's own key");
  // A new page of the tab: its client sweeps once.
  await page.reload();
  await inPage(page, DPOP, 'return (await client.getAccessToken()).tokenType;');
  let keys;
  for (const end = Date.now() + 5000; (keys = await keysInIndexedDB(page)).includes('dpop:stale closed-tab') && Date.now() < end;) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.deepEqual(keys.filter((k) => k.includes('closed-tab')), ['dpop:unstamped closed-tab'], 'the stale key is gone, the unstamped one stamped');
  assert.ok(keys.includes(own[0]), 'the key in use stays');
  const refreshed = await call(page, `return client.refresh({ audience: ['${BILLING}'] });`);
  assert.equal(jwtClaims(refreshed.accessToken).cnf.jkt, jwtClaims(value.accessToken).cnf.jkt, 'the same key');
});
