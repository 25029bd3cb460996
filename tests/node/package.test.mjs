// The built package as Node ≥ 20 sees it (its "node" export): sync helpers right after
// import, OAuthError as a real Error subclass, typed failures, and the package metadata.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { OAuthClient, OAuthError, generatePkce, encodeAudience } from 'oauth-wasm';

test('generatePkce gives a fresh S256 pair (RFC 7636)', () => {
  const a = generatePkce();
  const b = generatePkce();
  assert.equal(a.method, 'S256');
  assert.match(a.verifier, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(a.challenge, createHash('sha256').update(a.verifier).digest('base64url'));
  assert.notEqual(a.verifier, b.verifier);
});

test('encodeAudience is the exact query value, and decodes back the way servers decode', () => {
  const list = ['https://api.example.com/user', 'https://x.example/?q=a+b&c=%41#f', 'ünï'];
  const encoded = encodeAudience(list);
  assert.equal(encodeAudience(list.slice(0, 1)), 'https%3A%2F%2Fapi.example.com%2Fuser');
  assert.deepEqual(new URLSearchParams(`audience=${encoded}`).get('audience').split(' '), list);
  assert.deepEqual(new URLSearchParams(`audience=${encodeAudience(list, 'plus')}`).get('audience').split(' '), list);
  assert.equal(encodeAudience(['a', 'b', 'a']), 'a%20b', 'duplicates dropped, first kept');
});

test('bad input throws OAuthError with a code, never something else', () => {
  for (const [call, code] of [
    [() => encodeAudience(['ok', 'not ok']), 'invalid_audience'],
    [() => encodeAudience(['']), 'invalid_audience'],
    [() => encodeAudience('not a list'), 'invalid_audience'],
    [() => encodeAudience(['a'], 'tabs'), 'invalid_config'],
  ]) {
    assert.throws(call, (e) => e instanceof OAuthError && e instanceof Error && e.code === code && e.name === 'OAuthError');
  }
});

test('OAuthClient.create rejects with typed errors', async () => {
  await assert.rejects(OAuthClient.create(), (e) => e.code === 'invalid_config' && /must be an object/.test(e.description));
  await assert.rejects(
    OAuthClient.create({ issuer: 'http://example.com', clientId: 'spa', redirectUri: 'https://app.example/cb' }),
    (e) => e.code === 'invalid_config' && /must use https/.test(e.description),
  );
  await assert.rejects(
    OAuthClient.create({ issuer: 'https://as.example', clientId: 'spa', redirectUri: 'https://app.example/cb', scopes: 'x' }),
    (e) => e.code === 'invalid_config' && e.description === 'unknown option "scopes"',
  );
  // Nothing listens on port 9: discovery gets no answer.
  await assert.rejects(
    OAuthClient.create({ issuer: 'http://127.0.0.1:9', clientId: 'spa', redirectUri: 'http://127.0.0.1:8/cb' }),
    (e) => e instanceof OAuthError && e.code === 'discovery_failed',
  );
  assert.throws(() => new OAuthClient({}), TypeError);
});

test('signinPopup in Node (no windows): unsupported_environment', async () => {
  const client = await OAuthClient.create({
    issuer: 'https://as.example', authorizationEndpoint: 'https://as.example/auth', tokenEndpoint: 'https://as.example/token',
    jwksUri: 'https://as.example/jwks', clientId: 'spa', redirectUri: 'https://app.example/cb',
  });
  await assert.rejects(client.signinPopup(), (e) => e instanceof OAuthError && e.code === 'unsupported_environment' && /window\.open/.test(e.description));
});

test("storage 'shared' where there is no IndexedDB (Node): unsupported_environment, naming what is missing", async () => {
  await assert.rejects(
    OAuthClient.create({
      issuer: 'https://as.example', authorizationEndpoint: 'https://as.example/auth', tokenEndpoint: 'https://as.example/token',
      jwksUri: 'https://as.example/jwks', clientId: 'spa', redirectUri: 'https://app.example/cb', storage: 'shared',
    }),
    (e) => e instanceof OAuthError && e.code === 'unsupported_environment' && /IndexedDB, the Web Locks API and BroadcastChannel/.test(e.description),
  );
});

test('OAuthError is usable on its own', () => {
  const e = new OAuthError('access_denied', 'no', 'https://as.example/e');
  assert.equal(e.message, 'access_denied: no');
  assert.equal(e.uri, 'https://as.example/e');
  assert.ok(e.stack.includes('OAuthError'));
});

test('package.json exports ESM entries and types', async () => {
  const meta = JSON.parse(await readFile(new URL('../../pkg/package.json', import.meta.url), 'utf8'));
  assert.equal(meta.type, 'module');
  assert.deepEqual(Object.keys(meta.exports['.']), ['types', 'node', 'default']);
  for (const file of meta.files) await readFile(new URL(`../../pkg/${file}`, import.meta.url));
});

test('the packed package holds every module and wasm the build made (npm pack)', async () => {
  const { execFileSync } = await import('node:child_process');
  const { readdirSync } = await import('node:fs');
  const pkg = new URL('../../pkg/', import.meta.url);
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: pkg, encoding: 'utf8' }));
  const inTarball = new Set(packed.files.map((f) => f.path));
  const built = readdirSync(pkg).filter((f) => /\.(js|wasm|d\.ts)$/.test(f));
  assert.ok(built.includes('account.js') && built.includes('oauth_wasm_bg.wasm'), `built: ${built}`);
  assert.deepEqual(built.filter((f) => !inTarball.has(f)), [], 'built but not packed (js/package.json "files")');
});
