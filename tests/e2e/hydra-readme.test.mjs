// The README's "With Ory Hydra" section, run as written: its client registration is posted to a
// real Hydra's admin API, its configuration is merged into Hydra's, and its app code runs in
// Chromium through Hydra's login and consent app. Only the example hosts are replaced by the
// loopback ones (the redirect URI by /manual, a registered page the example app leaves alone).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer } from '../../scripts/serve.mjs';
import { startHydra } from '../../scripts/hydra.mjs';
import { launchChromium, loopbackContext, settled, jwtClaims } from './harness.mjs';
import { hydraLoginAndConsent } from './hydra-world.mjs';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const section = readme.slice(readme.indexOf('\n## With Ory Hydra\n'), readme.indexOf('\n## ', readme.indexOf('\n## With Ory Hydra\n') + 5));
const blocks = [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map(([, lang, code]) => ({ lang, code }));

let app;
let hydra;
let browser;
let local;
// What /config.json hands the example app, which also runs on /manual (and leaves it alone).
const config = {};
before(async () => {
  app = await startServer({ port: 0, config });
  local = (text) => text
    .replaceAll('https://app.example.com/callback', `${app.origin}/manual`)
    .replaceAll('https://app.example.com', app.origin)
    .replaceAll('https://auth.example.com', hydra?.issuer ?? 'https://auth.example.com');
  const [, configuration] = blocks.filter((b) => b.lang === 'json');
  hydra = await startHydra({ configPatch: JSON.parse(local(configuration.code)) });
  config.client = { issuer: hydra.issuer, clientId: 'spa', redirectUri: `${app.origin}/callback` };
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await Promise.all([hydra?.close(), app?.close()]);
});

test("the README's Hydra section has a client registration, a configuration and app code", () => {
  assert.deepEqual(blocks.map((b) => b.lang), ['json', 'json', 'js']);
});

test("the README's Hydra snippets, run: registration, configuration and app code sign in with two audiences", async () => {
  const [registration] = blocks.filter((b) => b.lang === 'json');
  const client = JSON.parse(local(registration.code));
  const stored = await hydra.createClient(client);
  assert.deepEqual(stored.audience, client.audience);
  assert.deepEqual(hydra.config.serve.public.cors.allowed_origins, [app.origin], 'the configuration snippet is in force');

  // The module's `import` as a dynamic one, and the client left where the test can see it.
  const [code] = blocks.filter((b) => b.lang === 'js').map((b) => local(b.code)
    .replace(/^import \{ (\w+) \} from 'oauth-wasm';$/m, "const { $1 } = await import('oauth-wasm');"));
  const run = (page) => page.evaluate(`(async () => { ${code}\n globalThis.readmeClient = client; })()`).catch((e) => {
    // The page leaving for Hydra ends the script's context.
    if (!/context was destroyed|navigation/i.test(e.message)) throw e;
  });
  const page = await (await loopbackContext(browser)).newPage();
  await page.goto(`${app.origin}/manual`);
  await settled(page);
  const back = page.waitForURL((url) => url.href.startsWith(`${app.origin}/manual?`));
  await run(page);
  await hydraLoginAndConsent(page);
  await back;
  await settled(page);
  await run(page);
  const result = await page.evaluate(async () => ({
    sub: readmeClient.getUser()?.sub,
    billing: (await readmeClient.getAccessToken({ audience: ['https://api.example.com/billing'] })).accessToken,
  }));
  assert.equal(result.sub, 'alice');
  assert.deepEqual(jwtClaims(result.billing).aud, ['https://api.example.com/user', 'https://api.example.com/billing']);
});
