// The example SPAs as a user sees them: the plain one (www/) and the React one (www/react,
// built by Vite): sign in, the signed-in user, one access token per API with its aud,
// refresh, reload, sign-out.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorld, signIn, signInInPopup, settled, jwtClaims, ownStorageKeys, loginAndConsent, ALLOWED_AUDIENCES } from './harness.mjs';
import { buildReactExample } from '../../scripts/react-example.mjs';

let world;
before(async () => {
  await buildReactExample();
  world = await startWorld();
});
after(async () => { await world?.close(); });

const apiTokens = (page) => page.$$eval('#api-tokens li', (items) => items.map((li) => ({
  audience: li.dataset.audience, aud: li.dataset.aud && JSON.parse(li.dataset.aud), token: li.dataset.token, code: li.dataset.code,
})));

const loadTokens = async (page, button) => {
  const loads = await page.evaluate(() => Number(document.body.dataset.loads ?? 0));
  await page.click(button);
  await page.waitForFunction((n) => Number(document.body.dataset.loads ?? 0) > n, loads);
  return apiTokens(page);
};

test('the example shows the user, a token per API with its aud, refreshes, survives reload, signs out', async () => {
  const page = await world.newPage();
  await signIn(world, page);
  assert.equal(await settled(page), 'signed-in');
  assert.equal(await page.textContent('#user'), 'alice');

  const first = await loadTokens(page, '#get-tokens');
  assert.deepEqual(first.map((t) => [t.audience, t.aud, t.code]), ALLOWED_AUDIENCES.map((a) => [a, ALLOWED_AUDIENCES, undefined]),
    'the sign-in token covers both APIs, so both are served from the cache');
  for (const t of first) assert.deepEqual(jwtClaims(t.token).aud, t.aud);

  const refreshes = world.provider.events.grants.refresh_token ?? 0;
  const refreshed = await loadTokens(page, '#refresh');
  assert.deepEqual(refreshed.map((t) => [t.audience, t.aud]), ALLOWED_AUDIENCES.map((a) => [a, a]),
    'a forced refresh per API gives each its own token');
  assert.equal(world.provider.events.grants.refresh_token, refreshes + 2);
  assert.notEqual(refreshed[0].token, refreshed[1].token);

  await page.reload();
  assert.equal(await settled(page), 'signed-in', 'the session survived the reload');
  const cached = await loadTokens(page, '#get-tokens');
  assert.deepEqual(cached.map((t) => t.token), refreshed.map((t) => t.token), 'served from the cache after reload');

  const landed = page.waitForRequest((r) => r.url().startsWith(`${world.app.origin}/?state=`));
  await page.click('#signout');
  await page.click('button:has-text("Yes")');
  await landed;
  assert.equal(await settled(page), 'ready');
  assert.equal(await page.isHidden('#session'), true);
  assert.deepEqual(await ownStorageKeys(page), [], 'no session, no pending login');
  assert.deepEqual(page.pageErrors, []);
});

test('the React example signs in, shows a token per API, refreshes each and signs out', async () => {
  const page = await world.newPage();
  await page.goto(`${world.app.origin}/react/`);
  await page.click('#signin');
  await loginAndConsent(page);
  await page.waitForSelector('#user');
  assert.equal(await page.textContent('#user'), 'alice');
  assert.equal(new URL(page.url()).search, '', 'the code and state left the URL');
  const tokens = () => page.$$eval('#api-tokens li', (items) => items.map((li) => [li.dataset.audience, li.dataset.token, li.textContent]));
  await page.waitForFunction((n) => [...document.querySelectorAll('#api-tokens li')].filter((li) => li.dataset.token).length === n, ALLOWED_AUDIENCES.length);
  for (const [audience, token] of await tokens()) assert.deepEqual(jwtClaims(token).aud, ALLOWED_AUDIENCES, `${audience}: the sign-in token serves it`);

  const refreshes = world.provider.events.grants.refresh_token ?? 0;
  await page.click('#refresh');
  await page.waitForFunction(() => document.getElementById('session-note').textContent.startsWith('Refreshed'));
  assert.equal(world.provider.events.grants.refresh_token, refreshes + 2, 'one refresh grant per API');
  // useAccessToken follows the refresh: each API shows a token of its own.
  await page.waitForFunction(() => [...document.querySelectorAll('#api-tokens li')].every((li) => li.textContent.endsWith(`aud: ${li.dataset.audience}`)));
  for (const [audience, token] of await tokens()) assert.equal(jwtClaims(token).aud, audience);

  const landed = page.waitForURL((u) => u.origin === world.app.origin && u.pathname === '/react/');
  await page.click('#signout');
  await page.click('button:has-text("Yes")');
  await landed;
  await page.waitForSelector('#signin');
  assert.deepEqual(await ownStorageKeys(page), [], 'no session, no pending login');
  assert.deepEqual(page.pageErrors, []);
});

test('the React example signs in with a popup: the page stays, the user and a token per API show', async () => {
  const context = await world.newContext();
  const page = await world.newPage(context);
  await page.goto(`${world.app.origin}/react/`);
  await signInInPopup(page);
  await page.waitForSelector('#user');
  assert.equal(await page.textContent('#user'), 'alice');
  assert.equal(page.url(), `${world.app.origin}/react/`);
  await page.waitForFunction((n) => [...document.querySelectorAll('#api-tokens li')].filter((li) => li.dataset.token).length === n, ALLOWED_AUDIENCES.length);
  assert.deepEqual(page.pageErrors, []);
  await context.close();
});
