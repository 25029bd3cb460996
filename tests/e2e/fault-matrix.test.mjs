// The fault matrix: every provider endpoint the SDK talks to, in every flow that uses it, under
// each fault (connection refused; a 500 with an HTML body; a 200 whose body is cut off; an answer
// that never comes, ended by the option requestTimeout, here 1 s), in
// Chromium against the local provider. Every cell must give a typed OAuthError with a documented
// code (never a raw TypeError, never an unhandled rejection), lose nothing that can be kept (the
// session refreshes afterwards with exactly one grant; a retried callback finishes without a
// second code exchange where the answer was kept), and put no token, code or secret in any
// error message or console line. The table in docs/fault-matrix.md is this test's own output:
// it fails when the file differs (OAUTH_WASM_WRITE_DOCS=1 writes it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { startWorld, settled, inPage, call, settle, toCallback } from './harness.mjs';

const DOC = new URL('../../docs/fault-matrix.md', import.meta.url);
const CODES = new Set(['network_error', 'invalid_response', 'discovery_failed']);
const CUT_OFF = '{"access_token":"at-secret-cut-off","token_type":"Bea';
const FAULTS = {
  'connection refused': (route) => route.abort('connectionrefused'),
  'HTTP 500, an HTML page': (route) => route.fulfill({ status: 500, contentType: 'text/html', body: '<!doctype html><h1>Internal Server Error</h1>' }),
  'HTTP 200, a cut-off body': (route) => route.fulfill({ status: 200, contentType: 'application/json', body: CUT_OFF }),
  // The request is held: the page's requestTimeout ends it.
  'no answer (requestTimeout)': () => {},
};
// Every client of this test waits 1 s for an answer.
const TIMEOUT = 1000;

let world;
let endpoints;
const rows = [];
before(async () => {
  world = await startWorld();
  const d = await (await fetch(`${world.provider.issuer}/.well-known/openid-configuration`)).json();
  endpoints = {
    discovery: `${world.provider.issuer}/.well-known/openid-configuration`,
    jwks: d.jwks_uri,
    token: d.token_endpoint,
    par: d.pushed_authorization_request_endpoint,
    userinfo: d.userinfo_endpoint,
    revocation: d.revocation_endpoint,
  };
});
after(async () => { await world?.close(); });

const grants = (type) => world.provider.events.grants[type] ?? 0;

/** A page without the example app (only the client under test talks to the provider), watched. */
async function quietPage() {
  const page = await world.newPage();
  page.consoleLines = [];
  page.on('console', (m) => page.consoleLines.push(m.text()));
  await page.route((url) => url.pathname === '/app.js', (route) => route.fulfill({ contentType: 'text/javascript', body: "document.body.dataset.state = 'ready';" }));
  await page.goto(`${world.app.origin}/manual`);
  await settled(page);
  return page;
}

/** What a call in the page rejected with: `{ code, description, typed }`. */
const outcome = (expr) => `${expr}.then((value) => ({ value: value === undefined ? null : typeof value }),
  (e) => ({ code: e?.code, description: e?.description ?? String(e), typed: e instanceof Error && e.name === 'OAuthError' }))`;

const SESSION = { storage: 'session', requestTimeout: TIMEOUT };
/** Signed in on `page` (storage 'session'): the callback URL and the session's secrets. */
async function signIn(page, options = SESSION) {
  return (await toCallback(world, page, options)).callbackUrl;
}
/** Signed in and the callback handled, by `client` (storage 'session') in the page. */
async function signedIn(page) {
  await signIn(page);
  assert.equal((await inPage(page, SESSION, `return ${outcome('client.handleCallback(location.href)')};`)).value, 'object');
}
const sessionSecrets = (page) => page.evaluate(() => {
  const key = Object.keys(sessionStorage).find((k) => k.startsWith('oauth-wasm:session:'));
  const s = key && JSON.parse(sessionStorage[key]);
  return s ? [s.refreshToken, s.idToken, ...s.tokens.map((t) => t.accessToken)].filter(Boolean) : [];
});

/** Nothing lost: once the fault is gone, the session refreshes with exactly one grant (its refresh token is good). */
async function refreshesWithOneGrant(page) {
  const before = grants('refresh_token');
  assert.equal((await call(page, `return ${outcome('client.refresh()')};`)).value, 'object', 'the session refreshes');
  assert.equal(grants('refresh_token'), before + 1, 'with exactly one grant');
}

/** Records a cell after checking what every cell must hold. */
function record(page, endpoint, flow, fault, got, kept, secrets = []) {
  assert.equal(got.typed, true, `${endpoint} × ${flow} × ${fault}: an OAuthError (${JSON.stringify(got)})`);
  assert.ok(CODES.has(got.code), `${endpoint} × ${flow} × ${fault}: a documented code, not ${got.code}`);
  if (fault.startsWith('no answer')) assert.match(got.description, new RegExp(`no answer within ${TIMEOUT} ms \\(requestTimeout\\)`), `${endpoint} × ${flow}`);
  assert.deepEqual(page.pageErrors, [], `${endpoint} × ${flow} × ${fault}: no uncaught error or unhandled rejection`);
  for (const secret of [...secrets, 'at-secret-cut-off']) {
    assert.ok(!got.description.includes(secret), `${endpoint} × ${flow} × ${fault}: no secret in the message`);
    assert.ok(!page.consoleLines.some((l) => l.includes(secret)), `${endpoint} × ${flow} × ${fault}: no secret on the console`);
  }
  rows.push({ endpoint, flow, fault, code: got.code, kept });
}

for (const [fault, serve] of Object.entries(FAULTS)) {
  test(`discovery × create(), ${fault}`, async () => {
    const page = await quietPage();
    await page.route(endpoints.discovery, serve);
    const got = await page.evaluate(outcome(`import('oauth-wasm').then(async ({ OAuthClient }) => {
      const { client } = await (await fetch('/config.json')).json();
      return OAuthClient.create({ ...client, redirectUri: location.origin + '/manual', requestTimeout: ${TIMEOUT} });
    })`));
    await page.unroute(endpoints.discovery);
    assert.equal(await inPage(page, {}, 'return typeof client.createSigninRequest;'), 'function', 'create() works once the fault is gone');
    record(page, 'discovery', 'create()', fault, got, 'nothing to keep; create() works once the provider answers');
  });

  test(`PAR × sign-in with par: true, ${fault}`, async () => {
    const page = await quietPage();
    await page.route(endpoints.par, serve);
    const got = await inPage(page, { par: true, requestTimeout: TIMEOUT }, `
      const got = await ${outcome('client.createSigninRequest()')};
      got.pending = Object.keys(sessionStorage).filter((k) => k.startsWith('oauth-wasm:tx:')).length;
      return got;`);
    assert.equal(got.pending, 0, 'no pending login left');
    await page.unroute(endpoints.par);
    assert.ok((await call(page, 'return (await client.createSigninRequest()).url;')).includes('request_uri='), 'a new push works');
    record(page, 'PAR', 'sign-in (par: true)', fault, got, 'no pending login left; a new sign-in works');
  });

  test(`token × handleCallback, ${fault}`, async () => {
    const page = await quietPage();
    const callbackUrl = await signIn(page);
    const code = new URL(callbackUrl).searchParams.get('code');
    const exchanges = grants('authorization_code');
    await page.route(endpoints.token, serve);
    const got = await inPage(page, SESSION, `return ${outcome(`client.handleCallback(${JSON.stringify(callbackUrl)})`)};`);
    await page.unroute(endpoints.token);
    const retry = await call(page, `return ${outcome(`client.handleCallback(${JSON.stringify(callbackUrl)})`)};`);
    let kept;
    if (fault === 'connection refused' || fault.startsWith('no answer')) {
      assert.equal(retry.value, 'object', `the same callback URL finishes: ${JSON.stringify(retry)}`);
      assert.equal(grants('authorization_code'), exchanges + 1, 'one code exchange');
      kept = 'the pending login: the same callback URL finishes';
    } else {
      // An answer came: the code may be spent, so the login is not offered again.
      assert.equal(retry.code, 'state_mismatch');
      kept = 'no session was started; sign in again';
    }
    record(page, 'token', 'handleCallback', fault, got, kept, [code]);
  });

  test(`JWK Set × handleCallback, ${fault}`, async () => {
    const page = await quietPage();
    // From the start: the sign-in page cannot store the set for the callback page either.
    await page.route(endpoints.jwks, serve);
    const callbackUrl = await signIn(page);
    const code = new URL(callbackUrl).searchParams.get('code');
    const exchanges = grants('authorization_code');
    const got = await inPage(page, SESSION, `return ${outcome(`client.handleCallback(${JSON.stringify(callbackUrl)})`)};`);
    await page.unroute(endpoints.jwks);
    const retry = await call(page, `return ${outcome(`client.handleCallback(${JSON.stringify(callbackUrl)})`)};`);
    assert.equal(retry.value, 'object', JSON.stringify(retry));
    assert.equal(grants('authorization_code'), exchanges + 1, 'no second code exchange');
    record(page, 'JWK Set', 'handleCallback', fault, got, 'the token answer: the same callback URL finishes, without a second code exchange', [code]);
  });

  test(`token × refresh (getAccessToken), ${fault}`, async () => {
    const page = await quietPage();
    await signedIn(page);
    const secrets = await sessionSecrets(page);
    await page.route(endpoints.token, serve);
    const got = await call(page, `return ${outcome('client.refresh()')};`);
    await page.unroute(endpoints.token);
    await refreshesWithOneGrant(page);
    record(page, 'token', 'refresh', fault, got, 'the session: it refreshes afterwards with one grant', secrets);
  });

  test(`JWK Set × refresh, ${fault}`, async () => {
    const page = await quietPage();
    await signedIn(page);
    const secrets = await sessionSecrets(page);
    // A new page of the tab without the stored key set: the refresh's ID token needs it.
    await page.reload();
    await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('oauth-wasm:jwks:')).forEach((k) => sessionStorage.removeItem(k)));
    await page.route(endpoints.jwks, serve);
    const got = await inPage(page, SESSION, `return ${outcome('client.refresh()')};`);
    await page.unroute(endpoints.jwks);
    await refreshesWithOneGrant(page);
    record(page, 'JWK Set', 'refresh', fault, got, 'the rotated refresh token: the session refreshes afterwards with one grant', secrets);
  });

  test(`UserInfo × userinfo(), ${fault}`, async () => {
    const page = await quietPage();
    await signedIn(page);
    const secrets = await sessionSecrets(page);
    await page.route(endpoints.userinfo, serve);
    const got = await call(page, `return ${outcome('client.userinfo()')};`);
    await page.unroute(endpoints.userinfo);
    assert.equal((await call(page, 'return (await client.userinfo()).sub;')), 'alice', 'UserInfo works once the fault is gone');
    record(page, 'UserInfo', 'userinfo()', fault, got, 'the session', [...secrets, ...await sessionSecrets(page)]);
  });
}

test('revocation × signout: every fault is an error event; the local sign-out happens', async () => {
  for (const [fault, serve] of Object.entries(FAULTS)) {
    const page = await quietPage();
    await signedIn(page);
    const secrets = await sessionSecrets(page);
    await page.route(endpoints.revocation, serve);
    // A client without end_session_endpoint (explicit endpoints), so that sign-out stays on the page.
    const got = await inPage(page, {
      ...SESSION, authorizationEndpoint: `${world.provider.issuer}/auth`, tokenEndpoint: endpoints.token,
      jwksUri: endpoints.jwks, revocationEndpoint: endpoints.revocation,
    }, `
      const errors = [];
      client.on('error', (e) => errors.push({ code: e.code, description: e.description, typed: e instanceof Error && e.name === 'OAuthError' }));
      await client.signout();
      return { ...(errors[0] ?? { code: 'none', description: '', typed: false }), count: errors.length, user: client.getUser() };`);
    assert.equal(got.user, null, 'signed out locally');
    if (fault === 'HTTP 200, a cut-off body') {
      // RFC 7009 §2.2: 200 is the answer; its body is not read.
      assert.equal(got.count, 0, 'a 200 is a revocation');
      rows.push({ endpoint: 'revocation', flow: 'signout (error event)', fault, code: '(none: 200 means revoked, RFC 7009 §2.2)', kept: 'nothing to keep: the local sign-out happens' });
      continue;
    }
    assert.equal(got.count, 1, 'one error event');
    if (fault === 'connection refused') assert.match(got.description, /^the revocation endpoint could not be reached/);
    record(page, 'revocation', 'signout (error event)', fault, got, 'nothing to keep: the local sign-out happens', secrets);
  }
});

test('the matrix in docs/fault-matrix.md is this run\'s', () => {
  const order = ['discovery', 'PAR', 'token', 'JWK Set', 'UserInfo', 'revocation'];
  const sorted = [...rows].sort((a, b) => order.indexOf(a.endpoint) - order.indexOf(b.endpoint) || a.flow.localeCompare(b.flow) || Object.keys(FAULTS).indexOf(a.fault) - Object.keys(FAULTS).indexOf(b.fault));
  assert.equal(sorted.length, 32, 'every cell ran');
  const table = [
    '# Fault matrix',
    '',
    'Written by `tests/e2e/fault-matrix.test.mjs` from its own results (`OAUTH_WASM_WRITE_DOCS=1 node --test tests/e2e/fault-matrix.test.mjs`',
    'rewrites it; `npm test` fails when it differs). Each fault is injected in Chromium on the request to one endpoint of the',
    'local OpenID provider, in one flow. Every cell rejects with an `OAuthError` (never a raw `TypeError`, never an',
    'unhandled rejection), and no token, code or secret appears in its message or on the console. "No answer" holds the',
    'request until the client\'s `requestTimeout` (here 1 s; default 30 s) ends it.',
    '',
    '| endpoint | flow | fault | `code` | kept |',
    '|---|---|---|---|---|',
    ...sorted.map((r) => `| ${r.endpoint} | ${r.flow} | ${r.fault} | ${r.code.startsWith('(') ? r.code : `\`${r.code}\``} | ${r.kept} |`),
    '',
  ].join('\n');
  if (process.env.OAUTH_WASM_WRITE_DOCS) writeFileSync(DOC, table);
  assert.equal(readFileSync(DOC, 'utf8'), table, 'docs/fault-matrix.md is out of date: run with OAUTH_WASM_WRITE_DOCS=1');
});
