// Tokens only where they belong: client.fetch sends an access token only to the origins of the
// requested audiences and resources that are https (or loopback http) URLs, and to the client's
// trustedOrigins; anywhere else it rejects with untrusted_origin before any request leaves.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorld, signInManual, inPage, call, settle } from './harness.mjs';
import { startResourceServer } from './resource-server.mjs';
import { ALLOWED_AUDIENCES } from '../../scripts/provider.mjs';

const [, BILLING] = ALLOWED_AUDIENCES; // https://api.example.com/billing
let world;
let api;
before(async () => {
  world = await startWorld();
  api = await startResourceServer({ appOrigin: world.app.origin, provider: world.provider, audience: BILLING });
});
after(async () => { await Promise.all([world?.close(), api?.close()]); });

test('client.fetch: the audience\'s https origin and trustedOrigins get the token; another origin, http off loopback, a relative URL and a bad trustedOrigins entry are refused before any request', async () => {
  const page = await world.newPage();
  // What reaches https://api.example.com (the audience's origin), answered in the page.
  const seen = [];
  await page.route('https://api.example.com/**', (route) => {
    seen.push({ url: route.request().url(), authorization: route.request().headers().authorization });
    return route.fulfill({ status: 200, contentType: 'application/json', body: '{"ok":true}', headers: { 'access-control-allow-origin': '*' } });
  });
  const other = [];
  await page.route((url) => url.hostname === 'evil.example' || url.hostname === 'api.example.org', (route) => { other.push(route.request().url()); return route.abort(); });
  const { value } = await signInManual(world, page, { storage: 'session' });
  assert.ok(value);
  const apiLog = api.log.length;
  const fetchTo = (url, options = { audience: [BILLING] }) => `${settle(`client.fetch(${JSON.stringify(url)}, undefined, ${JSON.stringify(options)}).then((r) => r.status)`)}`;
  const outcomes = await call(page, `return {
    audience: await ${fetchTo('https://api.example.com/billing/invoices')},
    sameHostOtherPath: await ${fetchTo('https://api.example.com/user/me')},
    otherOrigin: await ${fetchTo('https://evil.example/steal')},
    otherTld: await ${fetchTo('https://api.example.org/billing')},
    httpOffLoopback: await ${fetchTo('http://api.example.com/billing/x')},
    relative: await ${fetchTo('/billing/invoices')},
    loopbackApi: await ${fetchTo(`${api.origin}/bearer/me`)},
  };`);
  assert.deepEqual(outcomes.audience, { value: 200 });
  assert.deepEqual(outcomes.sameHostOtherPath, { value: 200 }, 'an origin, not a path: the audience\'s whole origin is trusted');
  for (const name of ['otherOrigin', 'otherTld', 'httpOffLoopback', 'relative', 'loopbackApi']) {
    assert.equal(outcomes[name].code, 'untrusted_origin', name);
  }
  assert.match(outcomes.otherOrigin.description, /https:\/\/evil\.example is none of them/);
  assert.equal(seen.length, 2);
  assert.ok(seen.every((s) => s.authorization?.startsWith('Bearer ')));
  assert.deepEqual(other, [], 'nothing left for an untrusted origin');
  assert.equal(api.log.length, apiLog, 'nor for the loopback API that is not trusted');

  // trustedOrigins: the loopback API by name; an entry that is not https (or loopback http) is invalid_config.
  const trusted = await inPage(page, { storage: 'session', trustedOrigins: [api.origin] }, `return ${fetchTo(`${api.origin}/bearer/me`)};`);
  assert.deepEqual(trusted, { value: 200 });
  assert.equal(api.log.at(-1)?.status, 200);
  for (const bad of [['http://api.example.com'], ['not a url'], [7], 'https://a.example']) {
    const outcome = await inPage(page, { storage: 'session', trustedOrigins: bad }, `return ${fetchTo(`${api.origin}/bearer/me`)};`);
    assert.equal(outcome.code, 'invalid_config', JSON.stringify(bad));
    assert.match(outcome.description, /trustedOrigins/);
  }
  // A client whose audience is a URN has no origin to trust: only trustedOrigins count.
  const urn = await inPage(page, { storage: 'session' }, `return ${fetchTo('https://api.example.com/billing/x', { audience: ['urn:api:billing'] })};`);
  assert.equal(urn.code, 'untrusted_origin');
});
