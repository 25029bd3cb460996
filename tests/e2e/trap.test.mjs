// A trap (a Rust panic: a bug of ours) must leave the SDK usable and lose nothing: the next call
// runs on a fresh instance (the main module's clients built again from their options and
// discovery answer, the lazy modules re-instantiated), and neither a pending login nor a session
// is consumed. The page gets the test builds of the main and account modules
// (`scripts/build.sh --trap-hook`, feature `trap-hook`: a call with an argument that contains
// `oauth-wasm-trap:<module>` traps); nothing of this ships. Local oidc-provider, Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { startWorld, settled, inPage, call, settle, toCallback } from './harness.mjs';

let world;
let builds;
before(async () => {
  try {
    builds = await Promise.all(['oauth_wasm_bg.wasm', 'oauth_wasm_account.wasm'].map(async (file) => [file, await readFile(new URL(`../../target/trap-hook/${file}`, import.meta.url))]));
  } catch (e) {
    throw new Error(`the trap-hook builds are missing: run bash scripts/build.sh --trap-hook (${e.message})`);
  }
  world = await startWorld();
});
after(async () => { await world?.close(); });

const grants = (type) => world.provider.events.grants[type] ?? 0;
const pendingLogins = (page) => page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('oauth-wasm:tx:')));
const OPTIONS = { storage: 'session' };

// A page whose package serves the trap-hook builds.
async function hookedPage() {
  const page = await world.newPage();
  for (const [file, body] of builds) {
    await page.route(`**/pkg/${file}`, (route) => route.fulfill({ status: 200, contentType: 'application/wasm', body }));
  }
  return page;
}

// Signs in at /manual up to the callback, which is left to the test: the callback URL.
async function reachCallback(page) {
  await page.goto(`${world.app.origin}/manual`);
  await settled(page);
  const { callbackUrl } = await toCallback(world, page, OPTIONS);
  await inPage(page, OPTIONS, 'return null;');
  return callbackUrl;
}

const handle = (page, url) => call(page, `return ${settle(`client.handleCallback(${JSON.stringify(url)})`)};`);

test('a trap in the callback\'s checks leaves the pending login: internal_error, then the same callback signs in with one code exchange', async () => {
  const page = await hookedPage();
  const url = await reachCallback(page);
  const exchanges = grants('authorization_code');
  const trapped = await handle(page, `${url}&debug=oauth-wasm-trap:main`);
  assert.equal(trapped.code, 'internal_error', JSON.stringify(trapped));
  assert.equal((await pendingLogins(page)).length, 1, 'the pending login is still there');
  assert.equal(grants('authorization_code'), exchanges, 'no code exchange was sent');
  const signedIn = await handle(page, url);
  assert.ok(signedIn.value?.accessToken, JSON.stringify(signedIn));
  assert.equal(grants('authorization_code'), exchanges + 1);
  assert.equal(await call(page, 'return client.getUser()?.sub;'), 'alice');
  assert.deepEqual(await pendingLogins(page), []);
});

test('a trap while the token answer is judged keeps the answer with the login: the same callback then signs in without a second code exchange', async () => {
  const page = await hookedPage();
  const url = await reachCallback(page);
  const exchanges = grants('authorization_code');
  const trapped = await handle(page, `${url}&debug=oauth-wasm-trap:account`);
  assert.equal(trapped.code, 'internal_error', JSON.stringify(trapped));
  assert.equal(grants('authorization_code'), exchanges + 1, 'the code was exchanged');
  const kept = await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('oauth-wasm:tx:')).map((k) => JSON.parse(sessionStorage[k])));
  assert.equal(kept.length, 1, 'the pending login is back');
  assert.equal(kept[0].answer?.[0], 200, 'with the token answer');
  assert.equal(await call(page, 'return client.getUser();'), null, 'no claims handed out');
  const signedIn = await handle(page, url);
  assert.ok(signedIn.value?.accessToken, JSON.stringify(signedIn));
  assert.equal(grants('authorization_code'), exchanges + 1, 'no second code exchange');
  assert.deepEqual(await pendingLogins(page), []);
});

test('a trap in the main module: the next calls run on a fresh instance, with the client built again and the session kept', async () => {
  const page = await hookedPage();
  const url = await reachCallback(page);
  assert.ok((await handle(page, url)).value?.accessToken);
  const refreshes = grants('refresh_token');
  const out = await call(page, `
    const before = await client.getAccessToken();
    const trapped = await ${settle("client.getAccessToken({ scope: 'openid oauth-wasm-trap:main' })")};
    const after = await client.getAccessToken();
    const signin = await ${settle("client.createSigninRequest({ appState: 'oauth-wasm-trap:main' })")};
    const again = await client.createSigninRequest({});
    return { trapped, same: before.accessToken === after.accessToken, sub: client.getUser()?.sub, signin, again };`);
  assert.equal(out.trapped.code, 'internal_error', JSON.stringify(out.trapped));
  assert.equal(out.same, true, 'the cached token is served from the kept session');
  assert.equal(out.sub, 'alice');
  assert.equal(grants('refresh_token'), refreshes, 'no refresh was needed');
  assert.equal(out.signin.code, 'internal_error');
  assert.match(out.again.url, /^http:\/\/127\.0\.0\.1:\d+\/auth\?/, 'the client (options, discovery) was built again');
  assert.equal((await pendingLogins(page)).length, 1, 'only the sign-in that worked left a pending login');
});

test('a trap in the account module: the session is kept, and the next refresh works with one grant', async () => {
  const page = await hookedPage();
  const url = await reachCallback(page);
  assert.ok((await handle(page, url)).value?.accessToken);
  const refreshes = grants('refresh_token');
  const out = await call(page, `
    const trapped = await ${settle("client.getAccessToken({ scope: 'openid oauth-wasm-trap:account' })")};
    const refreshed = await ${settle('client.refresh()')};
    return { trapped, refreshed, sub: client.getUser()?.sub };`);
  assert.equal(out.trapped.code, 'internal_error', JSON.stringify(out.trapped));
  assert.ok(out.refreshed.value?.accessToken, JSON.stringify(out.refreshed));
  assert.equal(grants('refresh_token'), refreshes + 1, 'one grant: the trapped call sent none');
  assert.equal(out.sub, 'alice');
});
