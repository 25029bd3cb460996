// Audience helpers as users call them (Node entry), and client credentials against a real
// oidc-provider on loopback with confidential clients: audience in the body, JWT aud checked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  OAuthError, audienceAllowed, explainAudience, decodeAudience, validateAudience, encodeAudience, clientCredentials,
} from 'oauth-wasm';
import { startProvider, SERVICE_CLIENTS, ALLOWED_AUDIENCES } from '../../scripts/provider.mjs';

const jwtClaims = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
const [USER, BILLING] = ALLOWED_AUDIENCES;

let provider;
before(async () => { provider = await startProvider({ appOrigin: 'http://127.0.0.1:1', redirectUris: ['http://127.0.0.1:1/cb'] }); });
after(async () => { await provider?.close(); });

const grant = (auth, extra = {}) => clientCredentials({
  tokenEndpoint: `${provider.issuer}/token`,
  ...SERVICE_CLIENTS[auth],
  auth,
  scope: 'api',
  ...extra,
});

for (const auth of ['client_secret_basic', 'client_secret_post']) {
  test(`client credentials (${auth}): the audience goes in the body and comes back as the JWT aud`, async () => {
    const before = provider.events.grants.client_credentials ?? 0;
    const tokens = await grant(auth, { audience: [`${USER}/1234`, BILLING] });
    assert.deepEqual(jwtClaims(tokens.accessToken).aud, [`${USER}/1234`, BILLING]);
    assert.deepEqual(tokens.audience, [`${USER}/1234`, BILLING]);
    assert.equal(tokens.audienceVerified, true);
    assert.equal(tokens.tokenType, 'Bearer');
    assert.equal(tokens.scope, 'api');
    assert.ok(tokens.expiresAt > Date.now() / 1000);
    assert.equal(jwtClaims(tokens.accessToken).client_id, SERVICE_CLIENTS[auth].clientId);
    assert.equal(provider.events.grants.client_credentials, before + 1);
  });
}

test('client credentials with a resource indicator and plus-encoded audience', async () => {
  const tokens = await grant('client_secret_basic', { resource: BILLING });
  assert.equal(jwtClaims(tokens.accessToken).aud, BILLING);
  assert.deepEqual(tokens.audience, [BILLING]);
  const plus = await grant('client_secret_post', { audience: [USER, BILLING], audienceEncoding: 'plus' });
  assert.deepEqual(jwtClaims(plus.accessToken).aud, [USER, BILLING]);
});

test('client credentials failures are typed: provider refusal, wrong secret, narrowed audience, no answer', async () => {
  const refused = await grant('client_secret_basic', { audience: 'https://api.example.com/users' }).catch((e) => e);
  assert.ok(refused instanceof OAuthError);
  assert.equal(refused.code, 'invalid_request');
  assert.match(refused.description, /https:\/\/api\.example\.com\/users/);

  const wrong = await clientCredentials({
    tokenEndpoint: `${provider.issuer}/token`, clientId: 'service-basic', clientSecret: 'nope',
  }).catch((e) => e);
  assert.equal(wrong.code, 'invalid_client');

  provider.consent.grantAudience = (requested) => requested.slice(0, 1);
  try {
    const narrowed = await grant('client_secret_post', { audience: [USER, BILLING] }).catch((e) => e);
    assert.equal(narrowed.code, 'audience_not_granted');
    assert.match(narrowed.description, /"https:\/\/api\.example\.com\/billing"/);
    const ignored = await grant('client_secret_post', { audience: [USER, BILLING], onAudienceMismatch: 'ignore' });
    assert.deepEqual([ignored.audience, ignored.audienceVerified], [[USER], false]);
  } finally {
    provider.consent.grantAudience = null;
  }

  const offline = await grant('client_secret_basic', { tokenEndpoint: 'http://127.0.0.1:9/token' }).catch((e) => e);
  assert.equal(offline.code, 'network_error');
  const bad = await grant('client_secret_basic', { resource: 'https://api.example.com/x#frag' }).catch((e) => e);
  assert.equal(bad.code, 'invalid_target');
  const unknown = await grant('client_secret_basic', { resource: 'https://other.example.com/' }).catch((e) => e);
  assert.equal(unknown.code, 'invalid_target', 'the provider refuses an unknown resource');
});

test('audienceAllowed / explainAudience predict Hydra, including its quirks (the audience module, loaded on first use)', async () => {
  const allowed = ['https://api.example.com/user', 'https://api.example.com/billing'];
  assert.equal(await audienceAllowed(allowed, ['https://api.example.com/user/1234']), true);
  assert.equal(await audienceAllowed(allowed, ['https://api.example.com/users']), false);
  assert.equal(await audienceAllowed(allowed, []), true);
  assert.equal(await audienceAllowed(['urn:a:b'], ['urn:totally:else']), true, 'opaque URIs compare by scheme only');
  assert.equal(await audienceAllowed([...allowed, 'https://x:port/'], ['https://api.example.com/user']), false);
  assert.deepEqual(await explainAudience(allowed, ['https://api.example.com/user', 'http://api.example.com/user', '%']), [
    { value: 'http://api.example.com/user', source: 'requested', reason: 'no allowed value has its scheme and host (with port)' },
    { value: '%', source: 'requested', reason: 'cannot be parsed as a URL (invalid URL escape)' },
  ]);
  assert.deepEqual(await explainAudience(['https://a.example/\u0000x', 'ünï'], ['ünï/x', 'a b']), [
    { value: 'https://a.example/\u0000x', source: 'allowed', reason: 'cannot be parsed as a URL (invalid control character in URL)' },
    { value: 'a b', source: 'requested', reason: "its path neither equals nor continues at a '/' the path of an allowed value with its scheme and host" },
  ], 'any string survives the trip into the module and back (ünï/x continues ünï at a /)');
  for (const [a, r, what] of [['https://a', [], 'allowed'], [[], [1], 'requested'], [[], new Array(2), 'requested'], [null, [], 'allowed']]) {
    await assert.rejects(audienceAllowed(a, r), (e) => e instanceof OAuthError && e.code === 'invalid_audience'
      && e.description === `${what} must be an array of strings`);
  }
});

test('validateAudience and decodeAudience (the audience module)', async () => {
  assert.equal(validateAudience('https://api.example.com/user?x=1'), 'https://api.example.com/user?x=1');
  for (const bad of ['', 'a b', 'a\tb', 'a\u00a0b', 42]) {
    assert.throws(() => validateAudience(bad), (e) => e instanceof OAuthError && e.code === 'invalid_audience'
      && typeof e.description === 'string', String(bad));
  }
  assert.match(
    (() => { try { validateAudience('bad value'); } catch (e) { return e.description; } })(),
    /"bad value" contains whitespace/,
  );
  const list = ['https://x.example/?q=a+b&c=%41#f', 'ünï', 'a=b', 'urn:x'];
  for (const encoding of ['percent', 'plus']) assert.deepEqual(await decodeAudience(encodeAudience(list, encoding)), list);
  assert.deepEqual(await decodeAudience('a+b%20c'), ['a', 'b', 'c']);
  await assert.rejects(decodeAudience('%zz'), (e) => e instanceof OAuthError && e.code === 'invalid_audience');
});
