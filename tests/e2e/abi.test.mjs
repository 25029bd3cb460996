// A module of another ABI version (a stale cached file, a deployment that mixed two versions)
// is refused before any operation runs: create() (the main module) or the first call that
// needs a lazy module rejects with wasm_load_failed naming both versions. Chromium, the local
// provider; the module served instead is a minimal one that only exports abi_version() = 999.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startWorld, settled, inPage, call, settle } from './harness.mjs';

let world;
before(async () => { world = await startWorld(); });
after(async () => { await world?.close(); });

const VERSION = Number(/export const ABI_VERSION = (\d+);/.exec(readFileSync(new URL('../../js/abi.js', import.meta.url), 'utf8'))[1]);
// (module (func (export "abi_version") (result i32) (i32.const 999)))
const OTHER = Buffer.from([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f,
  0x03, 0x02, 0x01, 0x00,
  0x07, 0x0f, 0x01, 0x0b, ...Buffer.from('abi_version'), 0x00, 0x00,
  0x0a, 0x07, 0x01, 0x05, 0x00, 0x41, 0xe7, 0x07, 0x0b,
]);

const serveOther = (page, file) => page.route(`**/pkg/${file}`, (route) => route.fulfill({ status: 200, contentType: 'application/wasm', body: OTHER }));

test('a main module of another ABI version: create() rejects with wasm_load_failed naming both versions', async () => {
  const page = await world.newPage();
  await serveOther(page, 'oauth_wasm_bg.wasm');
  await page.goto(`${world.app.origin}/manual`);
  await settled(page);
  const got = await page.evaluate(`import('oauth-wasm').then(async ({ OAuthClient }) => {
    const { client } = await (await fetch('/config.json')).json();
    return ${settle("OAuthClient.create({ ...client, redirectUri: location.origin + '/manual' })")};
  })`);
  assert.equal(got.code, 'wasm_load_failed');
  assert.match(got.description, new RegExp(`oauth_wasm_bg\\.wasm: .*the module's ABI version is 999, and this JavaScript's ${VERSION}`));
});

test('a lazy module of another ABI version: the call that needs it rejects with wasm_load_failed', async () => {
  const page = await world.newPage();
  await serveOther(page, 'oauth_wasm_audience.wasm');
  await page.goto(`${world.app.origin}/manual`);
  await settled(page);
  await inPage(page, {}, 'return null;');
  const got = await call(page, `const { audienceAllowed } = await import('oauth-wasm'); return ${settle("audienceAllowed(['https://a.example'], ['https://a.example/x'])")};`);
  assert.equal(got.code, 'wasm_load_failed');
  assert.match(got.description, new RegExp(`oauth_wasm_audience\\.wasm: .*the module's ABI version is 999, and this JavaScript's ${VERSION}`));
});
