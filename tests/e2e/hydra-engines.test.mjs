// The core sign-in against a real Ory Hydra in Firefox ESR and WebKitGTK (Safari's engine),
// over the small WebDriver client (Chromium runs the full set in hydra.test.mjs): the example SPA
// signs in with two audiences through Hydra's login and consent app, the token's aud is exactly
// them, a token per API is served without a refresh, and sign-out goes through Hydra's logout.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser } from './webdriver.mjs';
import { jwtClaims } from './harness.mjs';
import { startHydraSetup, HYDRA_SIGNIN } from './hydra-world.mjs';

let setup;
before(async () => { setup = await startHydraSetup(); });
after(async () => { await setup?.close(); });

const state = (b, want) => b.waitFor(`return document.body.dataset.state === ${JSON.stringify(want)}`, `the page's state ${want}`);

for (const engine of ['firefox', 'webkit']) {
  test(`${engine}: sign-in against Hydra with two audiences, a token per API, sign-out through Hydra's logout`, async () => {
    const b = await openBrowser(engine);
    try {
      await b.goto(`${setup.app.origin}/`);
      await state(b, 'ready');
      await b.click('#signin');
      // Hydra's login app, then its consent page, as a user fills them.
      await b.waitFor('return !!document.querySelector(\'input[name="subject"]\')', "Hydra's login page");
      await b.click('button[value="accept"]');
      await b.waitFor('return !!document.getElementById("audiences")', "Hydra's consent page");
      assert.deepEqual(await b.run("return [...document.querySelectorAll('#audiences li')].map((li) => li.textContent);"), HYDRA_SIGNIN);
      await b.click('button[value="accept"]');
      await state(b, 'signed-in');
      assert.equal(await b.run("return document.getElementById('granted-audience').textContent;"), HYDRA_SIGNIN.join(', '));
      assert.equal(await b.run("return document.getElementById('subject').textContent;"), 'alice');
      const tokens = JSON.parse(await b.run("return document.getElementById('tokens-json').textContent;"));
      assert.deepEqual(jwtClaims(tokens.accessToken).aud, HYDRA_SIGNIN);
      assert.equal(jwtClaims(tokens.idToken).iss, setup.hydra.issuer);

      // A token per API: the sign-in's token serves both (no refresh grant, so the same token).
      const loads = Number(await b.run('return document.body.dataset.loads ?? 0;'));
      await b.click('#get-tokens');
      await b.waitFor(`return Number(document.body.dataset.loads ?? 0) > ${loads}`, 'the tokens per API');
      const perApi = await b.run("return [...document.querySelectorAll('#api-tokens li')].map((li) => [li.dataset.audience, li.dataset.token, li.dataset.code ?? null]);");
      assert.deepEqual(perApi, HYDRA_SIGNIN.map((audience) => [audience, tokens.accessToken, null]));

      // Sign-out: revocation, then Hydra's logout app asks, and the user lands back on the app.
      await b.click('#signout');
      await b.waitFor('return location.pathname === "/logout" && !!document.querySelector(\'button[value="accept"]\')', "Hydra's logout page");
      await b.click('button[value="accept"]');
      await state(b, 'ready');
      assert.equal(new URL(await b.url()).pathname, '/');
      assert.deepEqual(await b.run("return Object.keys(sessionStorage).filter((k) => !k.startsWith('oauth-wasm:jwks:'));"), []);
    } finally {
      await b.quit();
    }
  });
}
