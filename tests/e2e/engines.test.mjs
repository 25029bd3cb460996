// One scenario, written once over the small WebDriver client (webdriver.mjs), in all three
// engines: Chromium, Firefox ESR and WebKitGTK (Safari's engine). The example SPA against the
// local provider: sign-in with two audiences, the replayed callback refused, a token per API
// from a refresh each, sign-out; storage 'shared' with three tabs asking for a token at once
// after it expired: one refresh grant, the same new token in every tab; a popup sign-in
// (signinPopup) started by a click, with the provider as it is and with COOP same-origin on its
// pages (which severs the popup from its opener); and that popup closed by its user.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startLocalSetup } from '../../scripts/local-setup.mjs';
import { ALLOWED_AUDIENCES } from '../../scripts/provider.mjs';
import { openBrowser } from './webdriver.mjs';
import { jwtClaims } from './harness.mjs';

let setup;
before(async () => {
  // 2 s access tokens, so that the 'shared' scenario can wait for one to expire.
  setup = await startLocalSetup({ extraRedirectPaths: ['/manual'], accessTokenTTL: 2 });
});
after(async () => { await setup?.close(); });

const state = (b, want) => b.waitFor(`return document.body.dataset.state === ${JSON.stringify(want)}`, `the page's state ${want}`);

// The provider's own login and consent pages (oidc-provider's devInteractions).
async function loginAndConsent(b) {
  await b.type('input[name="login"]', 'alice');
  await b.type('input[name="password"]', 'any password');
  await b.click('button[type="submit"]');
  await b.waitFor('return !document.querySelector(\'input[name="login"]\') && !!document.querySelector(\'button[type="submit"]\')', 'the consent page');
  await b.click('button[type="submit"]');
}

for (const engine of ['chromium', 'firefox', 'webkit']) {
  test(`${engine}: sign-in with two audiences, replay refused, a token per API after a refresh, sign-out`, async () => {
    const b = await openBrowser(engine);
    try {
      const { app, provider } = setup;
      await b.goto(`${app.origin}/`);
      await state(b, 'ready');
      await b.click('#signin');
      await loginAndConsent(b);
      await state(b, 'signed-in');
      assert.equal(await b.run("return document.getElementById('granted-audience').textContent;"), ALLOWED_AUDIENCES.join(', '));
      assert.equal(await b.run("return document.getElementById('subject').textContent;"), 'alice');

      // The callback URL this document was loaded from (the app has replaced it since).
      const callback = await b.run("return performance.getEntriesByType('navigation')[0].name;");
      assert.match(callback, /\/callback\?.*code=/);
      await b.goto(callback);
      await state(b, 'error');
      assert.equal(await b.run("return document.getElementById('error').dataset.code;"), 'state_mismatch', 'a replayed callback is refused');

      await b.goto(`${app.origin}/`);
      await state(b, 'signed-in');
      const refreshes = provider.events.grants.refresh_token ?? 0;
      const loads = Number(await b.run('return document.body.dataset.loads ?? 0;'));
      await b.click('#refresh');
      await b.waitFor(`return Number(document.body.dataset.loads ?? 0) > ${loads}`, 'the refreshed tokens');
      const tokens = await b.run("return [...document.querySelectorAll('#api-tokens li')].map((li) => [li.dataset.audience, li.dataset.token]);");
      assert.deepEqual(tokens.map(([audience]) => audience), ALLOWED_AUDIENCES);
      for (const [audience, token] of tokens) assert.equal(jwtClaims(token).aud, audience, `${audience}: a token of its own`);
      assert.equal(provider.events.grants.refresh_token, refreshes + 2, 'one refresh grant per API');

      await b.click('#signout');
      await b.click('button[value="yes"]');
      await state(b, 'ready');
      assert.equal(new URL(await b.url()).pathname, '/');
      assert.deepEqual(await b.run("return Object.keys(sessionStorage).filter((k) => !k.startsWith('oauth-wasm:jwks:'));"), []);
    } finally {
      await b.quit();
    }
  });
}

for (const engine of ['chromium', 'firefox', 'webkit']) {
  test(`${engine}: storage 'shared', three tabs asking at once after expiry: one refresh grant, one new token`, async () => {
    const b = await openBrowser(engine);
    // A client in the page (the module by its URL: Firefox's WebDriver scripts do not see the
    // page's import map), 'shared' storage, no expiry skew (the tokens live 2 s).
    const inPage = (body) => b.run(`
      const { OAuthClient } = await import(location.origin + '/pkg/index.js');
      const { client: base } = await (await fetch('/config.json')).json();
      const client = globalThis.client = await OAuthClient.create({ ...base, redirectUri: location.origin + '/manual', storage: 'shared', expirySkew: 0 });
      ${body}`);
    try {
      const { app, provider } = setup;
      await b.goto(`${app.origin}/manual`);
      await state(b, 'ready');
      const { url } = await inPage('return client.createSigninRequest();');
      await b.goto(url);
      await loginAndConsent(b);
      await b.waitFor("return location.pathname === '/manual' && location.search.includes('code=') && document.body.dataset.state === 'ready'", 'the callback on /manual');
      const first = await inPage('return (await client.handleCallback(location.href)).accessToken;');
      // In each tab a client that asks for a token on a DOM event and writes it into the page
      // (Firefox runs every WebDriver script in a sandbox of its own: nothing else outlives one).
      const listen = `
        document.addEventListener('ask', () => client.getAccessToken().then(
          (t) => { document.body.dataset.asked = t.accessToken; }, (e) => { document.body.dataset.asked = 'error ' + e.code; }));
        return client.getUser()?.sub;`;
      assert.equal(await inPage(listen), 'alice');
      const tabs = [await b.tab()];
      for (let i = 0; i < 2; i += 1) {
        tabs.push(await b.newTab());
        await b.goto(`${app.origin}/manual`);
        await state(b, 'ready');
        assert.equal(await inPage(listen), 'alice', 'the shared session, read by another tab');
      }
      // Let the access token expire (2 s).
      await new Promise((resolve) => setTimeout(resolve, 2500));
      const before = provider.events.grants.refresh_token ?? 0;
      for (const tab of tabs) {
        await b.switchTo(tab);
        await b.run("document.dispatchEvent(new Event('ask'));");
      }
      const tokens = [];
      for (const tab of tabs) {
        await b.switchTo(tab);
        tokens.push(await b.waitFor('return document.body.dataset.asked', 'the token'));
      }
      assert.equal(provider.events.grants.refresh_token, before + 1, `one refresh grant for the three tabs: ${tokens}`);
      assert.notEqual(tokens[0], first, 'a new token');
      assert.deepEqual(tokens, [tokens[0], tokens[0], tokens[0]], 'every tab got the refreshed token');
    } finally {
      await b.quit();
    }
  });
}

// The example app, and a click on "Sign in with a popup": the opener's and the popup's window
// handles, with the driver in the popup once it shows the provider's login page (before it, the
// popup may still be on its first, blank document).
async function openPopup(b) {
  await b.goto(`${setup.app.origin}/`);
  await state(b, 'ready');
  const opener = await b.tab();
  await b.click('#signin-popup');
  const popup = await b.until(async () => (await b.handles()).find((h) => h !== opener), 'the popup window');
  await b.switchTo(popup);
  await b.waitFor('return !!document.querySelector(\'input[name="login"]\')', 'the login page');
  return { opener, popup };
}

for (const engine of ['chromium', 'firefox', 'webkit']) {
  // The provider as it is, and with COOP same-origin on its pages (the popup severed from its opener).
  for (const coop of [false, true]) {
    const how = coop ? ' under the provider\'s COOP' : '';
    test(`${engine}: signinPopup from a click${how}: the popup signs in, hands the callback back and closes; the session is the opener's`, async () => {
      const b = await openBrowser(engine);
      const { provider } = setup;
      provider.tamper.coop = coop;
      try {
        const exchanges = provider.events.grants.authorization_code ?? 0;
        const { opener, popup } = await openPopup(b);
        assert.equal(await b.run('return window.opener === null;'), coop, 'COOP severs the popup from its opener');
        // The consent's click ends in the popup closing itself, which a driver may report.
        await loginAndConsent(b).catch((e) => { if (!/window|closed|discarded/i.test(e.message)) throw e; });
        await b.until(async () => !(await b.handles()).includes(popup), 'the popup to close');
        await b.switchTo(opener);
        await state(b, 'signed-in');
        assert.equal(new URL(await b.url()).pathname, '/', 'the opener never left its page');
        assert.equal(await b.run("return document.getElementById('granted-audience').textContent;"), ALLOWED_AUDIENCES.join(', '));
        assert.equal(await b.run("return document.getElementById('subject').textContent;"), 'alice');
        assert.equal(provider.events.grants.authorization_code, exchanges + 1, 'one code exchange');
      } finally {
        provider.tamper.coop = false;
        await b.quit();
      }
    });
  }

  test(`${engine}: the user closes the sign-in popup on the provider's COOP page: popup_closed once back in the app`, async () => {
    const b = await openBrowser(engine);
    const { provider } = setup;
    provider.tamper.coop = true;
    try {
      const { opener } = await openPopup(b);
      await b.closeWindow();
      // Back in the app (the driver's switch focuses it in Firefox, which is enough there), and
      // a click on its page.
      await b.switchTo(opener);
      await b.click('h1');
      await state(b, 'error');
      assert.equal(await b.run("return document.getElementById('error').dataset.code;"), 'popup_closed');
      assert.deepEqual(await b.run("return Object.keys(sessionStorage).filter((k) => k.startsWith('oauth-wasm:tx:'));"), [], 'no login left behind');
    } finally {
      provider.tamper.coop = false;
      await b.quit();
    }
  });
}
