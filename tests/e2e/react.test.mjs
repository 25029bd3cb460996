// The React bindings (`oauth-wasm/react`) in a React 19 app under StrictMode, built by Vite
// from tests/react/app and run in headless Chromium against the local provider: the callback
// is handled exactly once (one code exchange reaches the provider), the user and a token per
// API show, sign-out makes the app signed out again, also in another tab of the origin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { launchChromium, loginAndConsent, signInInPopup, jwtClaims, loopbackContext, serveBuiltApp, ALLOWED_AUDIENCES } from './harness.mjs';

const cleanup = [];
after(async () => { for (const fn of cleanup.reverse()) await fn(); });

let origin;
let provider;
let browser;

before(async () => {
  const outDir = await mkdtemp(join(tmpdir(), 'oauth-wasm-react-'));
  cleanup.push(() => rm(outDir, { recursive: true, force: true }));
  await build({
    root: fileURLToPath(new URL('../react/app/', import.meta.url)),
    logLevel: 'silent',
    configFile: false,
    build: { outDir, emptyOutDir: true },
  });
  // storage 'shared': the tabs of the origin share the session (IndexedDB, Web Locks, BroadcastChannel).
  const app = await serveBuiltApp(outDir, { storage: 'shared' });
  cleanup.push(app.close);
  ({ origin, provider } = app);
  browser = await launchChromium();
  cleanup.push(() => browser.close());
});

test('React 19 StrictMode: one code exchange, the user and a token per API, then sign-out', async () => {
  const context = await loopbackContext(browser);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  const tokenRequests = [];
  page.on('request', (r) => { if (r.url() === `${provider.issuer}/token`) tokenRequests.push(r.postData() ?? ''); });
  try {
    await page.goto(`${origin}/`);
    await page.click('#signin');
    await loginAndConsent(page);
    await page.waitForSelector('#user');
    assert.equal(await page.textContent('#user'), 'alice');
    const exchanges = tokenRequests.filter((body) => new URLSearchParams(body).get('grant_type') === 'authorization_code');
    assert.equal(exchanges.length, 1, 'StrictMode mounts twice; the code is exchanged once');
    assert.equal(new URL(page.url()).search, '', 'the code and state left the URL');

    // A token per API (here the sign-in's token, whose aud holds both, serves each).
    await page.waitForFunction((n) => document.querySelectorAll('li[data-token]:not([data-token=""])').length === n, ALLOWED_AUDIENCES.length);
    for (const audience of ALLOWED_AUDIENCES) {
      const token = await page.getAttribute(`li[data-audience="${audience}"]`, 'data-token');
      assert.ok([jwtClaims(token).aud].flat().includes(audience), `${audience}: aud ${jwtClaims(token).aud}`);
    }

    // The provider's logout page, then back on the app (with the end-session state).
    const landed = page.waitForURL((u) => u.origin === origin && u.pathname === '/');
    await page.click('#signout');
    await page.click('button:has-text("Yes")');
    await landed;
    await page.waitForSelector('#signin');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('signinPopup from useAuth: the popup (the same app under StrictMode) hands its callback back, one code exchange, the opener shows the user', async () => {
  const context = await loopbackContext(browser);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  const exchanges = [];
  context.on('request', (r) => {
    if (r.url() === `${provider.issuer}/token` && new URLSearchParams(r.postData() ?? '').get('grant_type') === 'authorization_code') exchanges.push(r.frame().page() === page);
  });
  try {
    await page.goto(`${origin}/`);
    await signInInPopup(page);
    await page.waitForSelector('#user');
    assert.equal(await page.textContent('#user'), 'alice');
    assert.equal(page.url(), `${origin}/`);
    assert.deepEqual(exchanges, [true], 'one code exchange, sent by the opener');
    await page.waitForFunction((n) => document.querySelectorAll('li[data-token]:not([data-token=""])').length === n, ALLOWED_AUDIENCES.length);
    assert.equal(await page.evaluate(() => document.body.dataset.popupError), undefined);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a failed callback shows the OAuthError; signing in again works', async () => {
  const context = await loopbackContext(browser);
  const page = await context.newPage();
  try {
    // A callback whose state no sign-in of this tab started.
    await page.goto(`${origin}/callback?code=x&state=${'s'.repeat(43)}&iss=${encodeURIComponent(provider.issuer)}`);
    await page.waitForSelector('#error');
    assert.equal(await page.getAttribute('#error', 'data-code'), 'state_mismatch');
    await page.goto(`${origin}/`);
    await page.click('#signin');
    await loginAndConsent(page);
    await page.waitForSelector('#user');
    assert.equal(await page.textContent('#user'), 'alice');
  } finally {
    await context.close();
  }
});

test('storage shared: a second tab is signed in too, and a sign-out in the first signs it out', async () => {
  const context = await loopbackContext(browser);
  try {
    const first = await context.newPage();
    await first.goto(`${origin}/`);
    await first.click('#signin');
    await loginAndConsent(first);
    await first.waitForSelector('#user');
    const second = await context.newPage();
    await second.goto(`${origin}/`);
    await second.waitForSelector('#user');
    assert.equal(await second.textContent('#user'), 'alice', 'the shared session, read by the second tab');
    await first.click('#signout');
    await first.click('button:has-text("Yes")');
    // The first tab's client tells the others (BroadcastChannel): useAuth() there follows.
    await second.waitForSelector('#signin');
  } finally {
    await context.close();
  }
});
