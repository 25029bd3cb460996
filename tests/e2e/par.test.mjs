// Pushed authorization requests (RFC 9126) end to end against oidc-provider: pushed because
// discovery requires it, and because the option `par` asks for it; the redirect then carries
// only client_id and request_uri. A push the provider refuses is its OAuthError, and leaves no
// pending login behind.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startWorld, signInManual, inPage, settled, settle, jwtClaims, ALLOWED_AUDIENCES } from './harness.mjs';

let required; // the provider requires PAR (discovery: require_pushed_authorization_requests)
let optional; // it supports PAR without requiring it
before(async () => { [required, optional] = await Promise.all([startWorld({ requirePar: true }), startWorld()]); });
after(async () => { await Promise.all([required?.close(), optional?.close()]); });

const onlyPushed = (url, issuer) => {
  assert.equal(`${url.origin}${url.pathname}`, `${issuer}/auth`);
  assert.deepEqual([...url.searchParams.keys()].sort(), ['client_id', 'request_uri']);
  assert.equal(url.searchParams.get('client_id'), 'spa');
  assert.match(url.searchParams.get('request_uri'), /^urn:ietf:params:oauth:request_uri:/);
};

test('a provider that requires PAR: the request is pushed, the sign-in with two audiences works', async () => {
  const page = await required.newPage();
  const { value, authorizationUrl, description } = await signInManual(required, page, {});
  onlyPushed(authorizationUrl, required.provider.issuer);
  assert.ok(value?.accessToken, `signed in: ${description}`);
  assert.deepEqual(jwtClaims(value.accessToken).aud, ALLOWED_AUDIENCES);
  assert.deepEqual(page.pageErrors, []);
});

test('par: true pushes where the provider does not require it', async () => {
  const page = await optional.newPage();
  const { value, authorizationUrl, description } = await signInManual(optional, page, { par: true });
  onlyPushed(authorizationUrl, optional.provider.issuer);
  assert.ok(value?.idToken, `signed in: ${description}`);
  // Without the option, the same provider gets a plain authorization request.
  const plain = await inPage(page, {}, 'return client.createSigninRequest();');
  assert.ok(new URL(plain.url).searchParams.has('code_challenge'));
});

test('a push the provider refuses is its error, and no pending login is left', async () => {
  const page = await required.newPage();
  await page.goto(`${required.app.origin}/manual`);
  await settled(page);
  const result = await inPage(page, {}, `
    const outcome = await ${settle("client.createSigninRequest({ audience: ['https://evil.example/'] })")};
    return { outcome, left: Object.keys(sessionStorage).filter((k) => k.startsWith('oauth-wasm:tx:')) };`);
  assert.equal(result.outcome.code, 'invalid_request');
  assert.match(result.outcome.description, /evil\.example/);
  assert.deepEqual(result.left, []);
});

test('par: true without the endpoint is invalid_config', async () => {
  const page = await optional.newPage();
  await page.goto(`${optional.app.origin}/manual`);
  await settled(page);
  const issuer = optional.provider.issuer;
  const outcome = await inPage(page, {
    par: true, authorizationEndpoint: `${issuer}/auth`, tokenEndpoint: `${issuer}/token`, jwksUri: `${issuer}/jwks`,
  }, `return ${settle('client.createSigninRequest()')};`);
  assert.deepEqual(outcome, { code: 'invalid_config', description: "option par needs the provider's pushed_authorization_request_endpoint" });
});
