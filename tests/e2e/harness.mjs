// Shared set-up of the end-to-end tests: a real OpenID provider (oidc-provider) and the
// example SPA, each on its own loopback port, and headless Chromium driven by Playwright.
// Every request that does not go to 127.0.0.1 is blocked (and recorded).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { chromium } from 'playwright-core';
import { startLocalSetup } from '../../scripts/local-setup.mjs';
import { startProvider, CLIENT_ID, ALLOWED_AUDIENCES } from '../../scripts/provider.mjs';

export { ALLOWED_AUDIENCES } from '../../scripts/provider.mjs';

/** Debian's Chromium, headless, with the flags that keep it off the (closed) network. */
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-dev-shm-usage',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

/** A new context of `browser` in which every request off 127.0.0.1 is aborted. */
export async function loopbackContext(browser) {
  const context = await browser.newContext();
  await context.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort()));
  return context;
}

/**
 * A bundler's output in `dir` on loopback, with the local provider: `dir` served as a SPA
 * (every path without a file extension is its index.html), `/config.json` giving the client
 * options (`client` adds to them), `${origin}/callback` registered. `{ origin, provider, close }`.
 */
export async function serveBuiltApp(dir, client = {}) {
  const config = {};
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
  const server = createServer(async (req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (path === '/config.json') return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(config));
    const file = extname(path) ? path : 'index.html';
    const body = await readFile(join(dir, file)).catch(() => null);
    if (!body) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  const provider = await startProvider({ appOrigin: origin, redirectUris: [`${origin}/callback`] });
  config.client = { issuer: provider.issuer, clientId: CLIENT_ID, scope: 'openid offline_access api', audience: ALLOWED_AUDIENCES, ...client };
  const close = () => Promise.all([
    provider.close(),
    new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); }),
  ]);
  return { origin, provider, close };
}

export async function startWorld({ accessTokenTTL, requirePar, dpopNonce } = {}) {
  // `/manual` is a second registered redirect URI that the example app leaves alone.
  const setup = await startLocalSetup({ extraRedirectPaths: ['/manual'], accessTokenTTL, requirePar, dpopNonce });
  const { app, provider } = setup;
  const browser = await launchChromium();
  const blocked = [];

  // A new browser context: its own storage, and every request off 127.0.0.1 blocked.
  async function newContext() {
    const context = await browser.newContext();
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === '127.0.0.1') return route.continue();
      blocked.push(url.href);
      return route.abort();
    });
    return context;
  }

  // A page (a tab) in `context`, or in a new context.
  async function newPage(context) {
    const page = await (context ?? await newContext()).newPage();
    page.pageErrors = [];
    page.on('pageerror', (e) => page.pageErrors.push(e));
    return page;
  }

  async function close() {
    await browser.close();
    await setup.close();
  }

  return { app, provider, browser, blocked, newContext, newPage, close, clientOptions: setup.clientOptions };
}

/** The state the example page reports on `<body data-state>`. */
export async function settled(page) {
  await page.waitForSelector('body:is([data-state="ready"], [data-state="signed-in"], [data-state="error"])');
  return page.evaluate(() => document.body.dataset.state);
}

export async function shownError(page) {
  return page.evaluate(() => ({
    code: document.getElementById('error').dataset.code,
    description: document.getElementById('error-description').textContent,
  }));
}

/**
 * Signs in through the provider's real login and consent pages. Returns the authorization
 * URL the SDK navigated to and the callback URL the provider sent the browser back to.
 */
export async function signIn(world, page, { audience, cancelConsent = false } = {}) {
  await page.goto(`${world.app.origin}/`);
  if ((await settled(page)) !== 'ready') throw new Error('example page did not become ready');
  if (audience) await page.fill('#audience', audience.join('\n'));
  const authorization = page.waitForRequest((r) => r.url().startsWith(`${world.provider.issuer}/auth?`));
  const callback = page.waitForRequest((r) => r.url().startsWith(`${world.app.origin}/callback`));
  await page.click('#signin');
  const authorizationUrl = new URL((await authorization).url());
  await loginAndConsent(page, { cancelConsent });
  const callbackUrl = (await callback).url();
  await settled(page);
  return { authorizationUrl, callbackUrl };
}

/**
 * On the provider's pages: logs in as `login` (unless this browser context already has a
 * session there), then continues, or cancels, on the consent page.
 */
export async function loginAndConsent(page, { login = 'alice', cancelConsent = false } = {}) {
  await page.waitForSelector('input[name="login"], button:has-text("Continue")');
  if (await page.$('input[name="login"]')) {
    await page.fill('input[name="login"]', login);
    await page.fill('input[name="password"]', 'any password');
    await page.click('button[type="submit"]');
    await page.waitForSelector('button:has-text("Continue")');
  }
  if (cancelConsent) await page.click('a:has-text("[ Cancel ]")');
  else await page.click('button:has-text("Continue")');
}

/**
 * Clicks `selector` on `page` (a "Sign in with a popup" button), signs in through the
 * provider's pages in the popup it opens (`consent`: as for loginAndConsent) and waits for the
 * popup to close. The popup's page.
 */
export async function signInInPopup(page, { selector = '#signin-popup', ...consent } = {}) {
  const opened = page.context().waitForEvent('page');
  await page.click(selector);
  const popup = await opened;
  const closed = popup.waitForEvent('close');
  await loginAndConsent(popup, consent);
  await closed;
  return popup;
}

/** The page's sessionStorage keys, without the provider's public key sets (`oauth-wasm:jwks:…`). */
export const ownStorageKeys = (page) => page.evaluate(() => Object.keys(sessionStorage).filter((k) => !k.startsWith('oauth-wasm:jwks:')));

export function jwtClaims(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
}

/** In the page: `globalThis.client`, an OAuthClient with the test's options (redirect URI
 * /manual, which the example app leaves alone), and `globalThis.events`, what it emitted. */
export const createClient = (options) => `(async () => {
  const { OAuthClient } = await import('oauth-wasm');
  const { client: base } = await (await fetch('/config.json')).json();
  globalThis.events ??= [];
  globalThis.client = await OAuthClient.create({ ...base, redirectUri: location.origin + '/manual', ...${JSON.stringify(options)} });
  for (const type of ['tokenRefreshed', 'tokenExpiring', 'signedOut', 'error', 'audienceMismatch']) {
    client.on(type, (detail) => events.push({ type, code: detail?.code }));
  }
  return true;
})()`;

/** Creates `client` in the page with `options`, then runs `body` (an async function body). */
export const inPage = (page, options, body) => page.evaluate(`${createClient(options)}.then(async () => { ${body} })`);
/** Runs `body` (an async function body) in the page. */
export const call = (page, body) => page.evaluate(`(async () => { ${body} })()`);
/** An expression for the outcome of the promise `expr`: `{ value }` or `{ code, description }`. */
export const settle = (expr) => `${expr}.then((value) => ({ value }), (e) => ({ code: e.code, description: e.description }))`;

/**
 * From the page at /manual: a client with `options` starts a sign-in (`signinOptions`), then
 * `beforeNavigate` runs, and the provider's pages sign in up to the callback, which is left to
 * the caller (the page is back at /manual with it): `{ url, callbackUrl }`, the authorization
 * URL and the callback URL.
 */
export async function toCallback(w, page, options, signinOptions = {}, beforeNavigate) {
  const { url } = await inPage(page, options, `return client.createSigninRequest(${JSON.stringify(signinOptions)});`);
  await beforeNavigate?.(page);
  const back = page.waitForRequest((r) => r.url().startsWith(`${w.app.origin}/manual?`));
  await page.goto(url);
  await loginAndConsent(page);
  const callbackUrl = (await back).url();
  await settled(page);
  return { url, callbackUrl };
}

/**
 * Opens the app at /manual in `page`, signs in with `options` through the provider's pages and
 * hands the callback to `client.handleCallback`: its outcome, `{ value }` or `{ code, description }`,
 * with `authorizationUrl`, where the SDK sent the browser, and `jwksAtCallback`, the JWK Set
 * requests the provider got from the time the sign-in page left.
 * `beforeNavigate(page)` runs on the sign-in page just before it leaves for the provider.
 */
export async function signInManual(w, page, options, signinOptions = {}, { beforeNavigate } = {}) {
  await page.goto(`${w.app.origin}/manual`);
  await settled(page);
  // JWK Set requests from when the sign-in page leaves.
  let jwksBefore;
  const { url, callbackUrl } = await toCallback(w, page, options, signinOptions, async () => {
    await beforeNavigate?.(page);
    jwksBefore = w.provider.events.jwks;
  });
  const outcome = await inPage(page, options, `return ${settle(`client.handleCallback(${JSON.stringify(callbackUrl)})`)};`);
  return { ...outcome, authorizationUrl: new URL(url), jwksAtCallback: w.provider.events.jwks - jwksBefore };
}
