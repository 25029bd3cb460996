// Audiences end to end: the npm package in headless Chromium against oidc-provider, whose
// client allow-list is https://api.example.com/user and https://api.example.com/billing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorld, loginAndConsent, settled, jwtClaims, ownStorageKeys, ALLOWED_AUDIENCES } from './harness.mjs';

const [USER, BILLING] = ALLOWED_AUDIENCES;
let world;
before(async () => { world = await startWorld(); });
after(async () => { await world?.close(); });

/**
 * Signs in with a client of the test's own options (redirect URI /manual, which the example
 * app leaves alone), then hands the callback to handleCallback. Returns what happened at each
 * step: a local refusal, or the authorization URL, the token request body, and the tokens or
 * the error, with the audienceMismatch events and console warnings.
 */
async function signInWith(clientOptions, signinOptions = {}) {
  const page = await world.newPage();
  const warnings = [];
  page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
  const providerRequests = [];
  page.on('request', (r) => { if (r.url().startsWith(world.provider.issuer)) providerRequests.push(r); });
  let audienceModule = false;
  page.on('request', (r) => { if (r.url().endsWith('/pkg/oauth_wasm_audience.wasm')) audienceModule = true; });
  await page.goto(`${world.app.origin}/`);
  await settled(page);
  const client = `(async () => {
    const { OAuthClient } = await import('oauth-wasm');
    const { client } = await (await fetch('/config.json')).json();
    return OAuthClient.create({ ...client, redirectUri: location.origin + '/manual', ...${JSON.stringify(clientOptions)} });
  })()`;
  const fail = '(e) => ({ error: e.code, description: e.description, isOAuthError: e.name === "OAuthError" && e instanceof Error })';
  const started = await page.evaluate(`${client}.then((c) => c.createSigninRequest(${JSON.stringify(signinOptions)})).then((r) => r, ${fail})`);
  const stored = async () => (await ownStorageKeys(page)).length;
  if (started.error) return { local: started, providerRequests, stored: await stored() };
  const back = page.waitForRequest((r) => r.url().startsWith(`${world.app.origin}/manual?`));
  await page.goto(started.url);
  if (!page.url().startsWith(`${world.app.origin}/manual`)) await loginAndConsent(page);
  const callbackUrl = new URL((await back).url());
  await settled(page);
  const outcome = await page.evaluate(`${client}.then(async (c) => {
    const events = [];
    c.on('audienceMismatch', (detail) => events.push(detail));
    return c.handleCallback(${JSON.stringify(callbackUrl.href)}).then((tokens) => ({ tokens, events }), ${fail}).then((o) => ({ ...o, events }));
  })`);
  const tokenRequest = providerRequests.find((r) => r.url() === `${world.provider.issuer}/token`);
  return {
    ...outcome,
    authorizationUrl: new URL(started.url),
    callbackUrl,
    tokenBody: tokenRequest ? new URLSearchParams(tokenRequest.postData()) : undefined,
    warnings,
    stored: await stored(),
    audienceModule,
  };
}

// Discovery runs when a client is created; anything else would be the sign-in leaving the page.
// What reached the provider besides discovery and its public key set.
const authorizationRequests = (r) => r.providerRequests.map((q) => q.url()).filter((u) => !u.includes('/.well-known/') && !u.endsWith('/jwks'));

test('allowed by the allow-list: …/user/1234 passes the local pre-check and the provider, aud granted', async () => {
  const r = await signInWith({ allowedAudiences: ALLOWED_AUDIENCES }, { audience: [`${USER}/1234`] });
  assert.equal(r.error, undefined, r.description);
  assert.equal(r.authorizationUrl.searchParams.get('audience'), `${USER}/1234`);
  assert.equal(jwtClaims(r.tokens.accessToken).aud, `${USER}/1234`, 'one audience: a string aud');
  assert.deepEqual(r.tokens.audience, [`${USER}/1234`]);
  assert.equal(r.tokens.audienceVerified, true);
  assert.equal(r.tokenBody.get('audience'), null, 'Hydra ignores audience at the code exchange: not sent');
  assert.deepEqual(r.events, []);
  assert.ok(r.audienceModule, 'allowedAudiences fetched the audience module');
});

test('…/users is refused locally with invalid_audience when allowedAudiences is set', async () => {
  const r = await signInWith({ allowedAudiences: ALLOWED_AUDIENCES }, { audience: [USER, 'https://api.example.com/users'] });
  assert.deepEqual(r.local, {
    error: 'invalid_audience',
    isOAuthError: true,
    description: 'requested audience "https://api.example.com/users" is not allowed by allowedAudiences: its path neither'
      + " equals nor continues at a '/' the path of an allowed value with its scheme and host",
  });
  assert.deepEqual(authorizationRequests(r), [], 'no authorization request reached the provider');
  assert.equal(r.stored, 0, 'no login was stored');
});

test('the pre-check judges a single-string audience, and the client\'s own when the sign-in names none', async () => {
  const refused = {
    error: 'invalid_audience',
    isOAuthError: true,
    description: 'requested audience "https://api.example.com/users" is not allowed by allowedAudiences: its path neither'
      + " equals nor continues at a '/' the path of an allowed value with its scheme and host",
  };
  for (const [clientOptions, signinOptions] of [
    [{ allowedAudiences: ALLOWED_AUDIENCES }, { audience: 'https://api.example.com/users' }],
    [{ allowedAudiences: ALLOWED_AUDIENCES, audience: ['https://api.example.com/users'] }, {}],
    [{ allowedAudiences: ALLOWED_AUDIENCES, audience: 'https://api.example.com/users' }, {}],
  ]) {
    const r = await signInWith(clientOptions, signinOptions);
    assert.deepEqual(r.local, refused, JSON.stringify([clientOptions, signinOptions]));
    assert.deepEqual(authorizationRequests(r), [], 'no authorization request reached the provider');
    assert.equal(r.stored, 0, 'no login was left stored');
  }
  // A value createSigninRequest refuses gets the same error with the pre-check as without it.
  for (const audience of ['', 'https://api.example.com/user/a b', [['https://api.example.com/user']], null]) {
    const [withCheck, without] = [
      await signInWith({ allowedAudiences: ALLOWED_AUDIENCES }, { audience }),
      await signInWith({}, { audience }),
    ];
    assert.ok(without.local?.error, `${JSON.stringify(audience)} is refused without the pre-check`);
    assert.deepEqual(withCheck.local, without.local, JSON.stringify(audience));
    assert.equal(withCheck.stored, 0, 'no login was left stored');
  }
  // The sign-in's own audience replaces the client's: an allowed one passes the pre-check.
  const r = await signInWith({ allowedAudiences: ALLOWED_AUDIENCES, audience: 'https://api.example.com/users' }, { audience: `${USER}/1234` });
  assert.equal(r.error, undefined, r.description);
  assert.equal(r.authorizationUrl.searchParams.get('audience'), `${USER}/1234`);
});

test('…/users with the pre-check off: the provider refuses, and the error redirect is an OAuthError', async () => {
  const r = await signInWith({}, { audience: ['https://api.example.com/users'] });
  assert.equal(r.callbackUrl.searchParams.get('error'), 'invalid_request');
  assert.equal(r.error, 'invalid_request');
  assert.equal(r.isOAuthError, true);
  assert.match(r.description, /Requested audience "https:\/\/api\.example\.com\/users" has not been whitelisted/);
  assert.equal(r.stored, 0, 'the failed login is consumed; signing in again starts fresh');
});

test('an RFC 8707 resource gets a token for that resource; resource goes on both requests', async () => {
  const r = await signInWith({ audience: [] }, { resource: BILLING });
  assert.equal(r.error, undefined, r.description);
  assert.deepEqual(r.authorizationUrl.searchParams.getAll('resource'), [BILLING]);
  assert.equal(r.authorizationUrl.searchParams.get('audience'), null);
  assert.deepEqual(r.tokenBody.getAll('resource'), [BILLING], 'RFC 8707 §2.2: resource on the token request');
  assert.equal(jwtClaims(r.tokens.accessToken).aud, BILLING);
  assert.deepEqual(r.tokens.audience, [BILLING]);
  assert.equal(r.tokens.audienceVerified, true);
});

test('invalid_target: locally for a resource with a fragment, from the provider for an unknown resource', async () => {
  const local = await signInWith({}, { resource: `${BILLING}#x` });
  assert.equal(local.local.error, 'invalid_target');
  assert.match(local.local.description, /has a fragment/);
  assert.deepEqual(authorizationRequests(local), []);
  const remote = await signInWith({ audience: [] }, { resource: 'https://other.example.com/' });
  assert.equal(remote.callbackUrl.searchParams.get('error'), 'invalid_target');
  assert.equal(remote.error, 'invalid_target');
  assert.equal(remote.isOAuthError, true);
});

test('the provider narrows the granted audience: audience_not_granted, or tokens with a warning under warn', async () => {
  world.provider.consent.grantAudience = (requested) => requested.filter((a) => a !== BILLING);
  try {
    const r = await signInWith({}, { audience: [USER, BILLING] });
    assert.equal(r.error, 'audience_not_granted');
    assert.equal(r.description, `the access token's aud lacks the requested audience "${BILLING}"`);

    const w = await signInWith({ onAudienceMismatch: 'warn' }, { audience: [USER, BILLING] });
    assert.equal(w.error, undefined, w.description);
    assert.deepEqual(w.tokens.audience, [USER]);
    assert.equal(w.tokens.audienceVerified, false);
    assert.equal('audienceMissing' in w.tokens, false);
    assert.deepEqual(w.events, [{ granted: [USER], missing: [BILLING] }]);
    assert.ok(w.warnings.some((t) => t.includes(`lacks the requested audience "${BILLING}"`)), JSON.stringify(w.warnings));
  } finally {
    world.provider.consent.grantAudience = null;
  }
});

test('the browser build refuses clientCredentials: a secret has no place in a SPA', async () => {
  const page = await world.newPage();
  await page.goto(`${world.app.origin}/`);
  await settled(page);
  const r = await page.evaluate(async () => {
    const { clientCredentials } = await import('oauth-wasm');
    return clientCredentials({ tokenEndpoint: 'http://127.0.0.1:1/t', clientId: 'c', clientSecret: 's' })
      .then(() => 'accepted', (e) => ({ code: e.code, description: e.description }));
  });
  assert.equal(r.code, 'unsupported_environment');
  assert.match(r.description, /only in Node\.js/);
});
