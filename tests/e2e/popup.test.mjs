// Popup sign-in (client.signinPopup) in Chromium, through the example SPA's "Sign in with a
// popup" button and the provider's real login and consent pages: the popup lands on the app's
// /callback, whose handleCallback() hands the answer back over a BroadcastChannel, and closes;
// the session starts in the opener, which never leaves its page. Each case runs with the
// provider as it is and with a Cross-Origin-Opener-Policy of same-origin on its pages (which
// severs the popup from its opener: `window.opener` null there, `popup.closed` true here).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorld, settled, shownError, loginAndConsent, signInInPopup, ownStorageKeys, jwtClaims, inPage, settle, ALLOWED_AUDIENCES } from './harness.mjs';

let w;
before(async () => { w = await startWorld(); });
after(async () => { await w?.close(); });

// Opens the example app in a new context and clicks "Sign in with a popup": `{ page, popup }`,
// with the popup on the provider's login page.
async function openPopup() {
  const context = await w.newContext();
  const page = await w.newPage(context);
  await page.goto(`${w.app.origin}/`);
  assert.equal(await settled(page), 'ready');
  const opened = context.waitForEvent('page');
  await page.click('#signin-popup');
  const popup = await opened;
  await popup.waitForSelector('input[name="login"]');
  return { page, popup };
}

// A new context with the app at /manual, which the example leaves alone, so that the test
// drives `client` itself (inPage): `{ context, page }`.
async function manualPage() {
  const context = await w.newContext();
  const page = await w.newPage(context);
  await page.goto(`${w.app.origin}/manual`);
  await settled(page);
  return { context, page };
}

const transactions = async (page) => (await ownStorageKeys(page)).filter((k) => k.startsWith('oauth-wasm:tx:'));

for (const coop of [false, true]) {
  const provider = coop ? 'a provider whose pages set COOP same-origin' : 'the provider as it is';
  test(`signinPopup with ${provider}: one code exchange, the popup closes, the session is the opener's`, async () => {
    w.provider.tamper.coop = coop;
    try {
      const exchanges = w.provider.events.grants.authorization_code ?? 0;
      const { page, popup } = await openPopup();
      assert.equal(await popup.evaluate(() => window.opener === null), coop, 'COOP severs the popup from its opener');
      const closed = popup.waitForEvent('close');
      await loginAndConsent(popup);
      await closed;
      assert.equal(await settled(page), 'signed-in');
      assert.equal(page.url(), `${w.app.origin}/`, 'the opener never left its page');
      assert.equal(await page.textContent('#user'), 'alice');
      assert.deepEqual(JSON.parse(await page.textContent('#tokens-json')).audience.sort(), [...ALLOWED_AUDIENCES].sort());
      assert.equal((w.provider.events.grants.authorization_code ?? 0) - exchanges, 1, 'one code exchange');
      assert.deepEqual(await transactions(page), [], 'the login was used up');
      // The opener's session serves a token per API.
      await page.click('#get-tokens');
      await page.waitForSelector(`#api-tokens li:nth-child(${ALLOWED_AUDIENCES.length})`);
      const tokens = await page.$$eval('#api-tokens li', (items) => items.map((li) => li.dataset.token));
      ALLOWED_AUDIENCES.forEach((audience, i) => assert.ok([jwtClaims(tokens[i]).aud].flat().includes(audience), audience));
      assert.deepEqual(page.pageErrors, []);
      await page.context().close();
    } finally {
      w.provider.tamper.coop = false;
    }
  });

  test(`the user closes the popup on the provider's page (${provider}): popup_closed once back in the app, no login left`, async () => {
    w.provider.tamper.coop = coop;
    try {
      const { page, popup } = await openPopup();
      // Under COOP the opener already reads popup.closed as true: that alone is no reason to give up.
      await new Promise((resolve) => setTimeout(resolve, 600));
      assert.equal(await page.evaluate(() => document.body.dataset.state), 'ready', 'still waiting while the popup is open');
      await popup.close();
      // The user is back in the app (a click on the page).
      await page.mouse.click(5, 5);
      await page.waitForSelector('body[data-state="error"]');
      assert.equal((await shownError(page)).code, 'popup_closed');
      assert.deepEqual(await transactions(page), [], 'no login left behind');
      // Signing in again works.
      await signInInPopup(page);
      assert.equal(await settled(page), 'signed-in');
      await page.context().close();
    } finally {
      w.provider.tamper.coop = false;
    }
  });
}

test("consent refused in the popup: the opener rejects with the provider's access_denied, the popup closes", async () => {
  const { page, popup } = await openPopup();
  const closed = popup.waitForEvent('close');
  await loginAndConsent(popup, { cancelConsent: true });
  await closed;
  assert.equal(await settled(page), 'error');
  assert.equal((await shownError(page)).code, 'access_denied');
  assert.deepEqual(await transactions(page), []);
  await page.context().close();
});

test('popupTimeout: the opener rejects with timeout, closes the popup and keeps no login', async () => {
  const { context, page } = await manualPage();
  const opened = context.waitForEvent('page');
  const outcome = inPage(page, {}, `return ${settle('client.signinPopup({ popupTimeout: 1500 })')};`);
  const popup = await opened;
  const closed = popup.waitForEvent('close');
  assert.equal((await outcome).code, 'timeout');
  await closed;
  assert.deepEqual(await transactions(page), []);
  await context.close();
});

test('a blocked popup (window.open gives null) is popup_blocked; a bad popupTimeout is invalid_config with no popup left open', async () => {
  const { context, page } = await manualPage();
  const pages = () => context.pages().length;
  const outcome = await inPage(page, {}, `
    const open = window.open;
    window.open = () => null; // what a popup blocker gives
    const blocked = await ${settle('client.signinPopup()')};
    window.open = open;
    const bad = await ${settle("client.signinPopup({ popupTimeout: 'soon' })")};
    const unknown = await ${settle('client.signinPopup({ popupSize: 3 })')};
    return { blocked, bad, unknown, left: Object.keys(sessionStorage).filter((k) => k.startsWith('oauth-wasm:tx:')) };`);
  assert.equal(outcome.blocked.code, 'popup_blocked');
  assert.equal(outcome.bad.code, 'invalid_config');
  assert.equal(outcome.unknown.code, 'invalid_config');
  assert.match(outcome.unknown.description, /popupSize/);
  assert.deepEqual(outcome.left, []);
  for (let i = 0; i < 40 && pages() > 1; i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(pages(), 1, 'every popup opened for a refused call was closed');
  await context.close();
});

test("a callback URL no window waits for is still state_mismatch, after the popup hand-off found nobody", async () => {
  const { page, popup } = await openPopup();
  const back = popup.waitForRequest((r) => r.url().startsWith(`${w.app.origin}/callback?`));
  const closed = popup.waitForEvent('close');
  await loginAndConsent(popup);
  const callbackUrl = (await back).url();
  await closed;
  assert.equal(await settled(page), 'signed-in');
  // The same answer again, in a tab of its own: nobody waits for its state any more.
  const other = await w.newPage(page.context());
  await other.goto(callbackUrl);
  assert.equal(await settled(other), 'error');
  assert.equal((await shownError(other)).code, 'state_mismatch');
  await page.context().close();
});

test('signinPopup with dpop and par: the push and the code exchange come from the opener, the tokens are bound to its key', async () => {
  const { context, page } = await manualPage();
  const options = { dpop: true, par: true };
  const pushes = [];
  const exchanges = [];
  context.on('request', (r) => {
    if (r.url() === `${w.provider.issuer}/request`) pushes.push(r.frame().page() === page);
    if (r.url() === `${w.provider.issuer}/token` && new URLSearchParams(r.postData() ?? '').get('grant_type') === 'authorization_code') exchanges.push(r.frame().page() === page);
  });
  const opened = context.waitForEvent('page');
  const outcome = inPage(page, options, `
    const tokens = await client.signinPopup();
    return { tokens, again: await client.refresh({ audience: [${JSON.stringify(ALLOWED_AUDIENCES[1])}] }) };`);
  const popup = await opened;
  // The popup's page is the app's /manual, whose own code would call handleCallback: here, the test does.
  const landed = popup.waitForURL((u) => u.pathname === '/manual' && u.searchParams.has('code'));
  const closed = popup.waitForEvent('close');
  await loginAndConsent(popup);
  await landed;
  await inPage(popup, options, 'await client.handleCallback(location.href);').catch(() => {}); // the window closes under it
  await closed;
  const { tokens, again } = await outcome;
  assert.deepEqual(pushes, [true], 'one pushed request, from the opener');
  assert.deepEqual(exchanges, [true], 'one code exchange, from the opener');
  assert.equal(tokens.tokenType, 'DPoP');
  const jkt = jwtClaims(tokens.accessToken).cnf?.jkt;
  assert.ok(jkt, 'the access token is bound to a key');
  assert.equal(again.tokenType, 'DPoP');
  assert.notEqual(again.accessToken, tokens.accessToken);
  assert.equal(jwtClaims(again.accessToken).cnf.jkt, jkt, 'a refresh grant from the opener, bound to the same key');
  await context.close();
});

test("the opener runs only its own sign-in's callback: a URL of another state posted on its channel is ignored", async () => {
  const exchanges = w.provider.events.grants.authorization_code ?? 0;
  const { page, popup } = await openPopup();
  // The opener's state (its pending login's key); another window posts a callback for another
  // state (and one that is no URL) on that sign-in's channel.
  const sentState = await page.evaluate(() => Object.keys(sessionStorage).find((k) => k.startsWith('oauth-wasm:tx:')).slice('oauth-wasm:tx:'.length));
  const other = await w.newPage(page.context());
  await other.goto(`${w.app.origin}/manual`);
  const claimed = await other.evaluate(async ([name, origin]) => {
    const channel = new BroadcastChannel(name);
    const heard = [];
    channel.onmessage = ({ data }) => heard.push(data.t);
    channel.postMessage({ t: 'callback', url: `${origin}/callback?code=forged&state=someone-elses-state` });
    channel.postMessage({ t: 'callback', url: 'not a url' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    channel.close();
    return heard;
  }, [`oauth-wasm:popup:${sentState}`, w.app.origin]);
  assert.deepEqual(claimed, [], 'nobody claimed those callbacks');
  assert.equal((w.provider.events.grants.authorization_code ?? 0) - exchanges, 0, 'no code exchange for them');
  // The real popup still completes the sign-in.
  const closed = popup.waitForEvent('close');
  await loginAndConsent(popup);
  await closed;
  assert.equal(await settled(page), 'signed-in');
  assert.equal((w.provider.events.grants.authorization_code ?? 0) - exchanges, 1);
});
