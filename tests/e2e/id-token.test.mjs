// ID token signatures end to end: oidc-provider signs, and the test rewrites the ID token in its
// token response (or the JWK Set it publishes) the way an attacker or a broken deployment
// would. The SDK in Chromium must refuse each forgery with invalid_id_token naming the check,
// and accept a token without kid when one key fits, and a key published after its first fetch.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac, sign, constants } from 'node:crypto';
import { startWorld, signInManual, call, settle } from './harness.mjs';
import { signingKey } from '../../scripts/provider.mjs';

let world;
before(async () => { world = await startWorld(); });
after(async () => { await world?.close(); });

const b64 = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const parts = (jwt) => jwt.split('.');
const claimsOf = (jwt) => JSON.parse(Buffer.from(parts(jwt)[1], 'base64url'));

/** Signs `claims` with `header` by `key` (a signingKey, or `{ secret }` for HS256, or nothing). */
function forge(header, claims, key) {
  const input = `${b64(header)}.${b64(claims)}`;
  let signature = '';
  if (key?.secret !== undefined) signature = createHmac('sha256', key.secret).update(input).digest('base64url');
  else if (key) {
    const hash = header.alg.startsWith('Ed') ? null : header.alg === 'ES384' ? 'sha384' : 'sha256';
    const pss = header.alg.startsWith('PS') ? { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : {};
    signature = sign(hash, Buffer.from(input), { key: key.privateKey, dsaEncoding: 'ieee-p1363', ...pss }).toString('base64url');
  }
  return `${input}.${signature}`;
}

const rsa = () => world.provider.keys[0];
const published = (...keys) => () => ({ keys: keys.map((k) => k.jwk) });

// The JWK Set the sign-in page keeps in sessionStorage for the callback page: [time, answer…].
const storedKeySet = (page) => page.evaluate(() => {
  const name = Object.keys(sessionStorage).find((k) => k.startsWith('oauth-wasm:jwks:'));
  return name && { name, value: JSON.parse(sessionStorage[name]) };
});
// Waits on the sign-in page until the set it fetched once `create()` resolved is stored.
const keySetStored = (page) => page.waitForFunction(() => Object.keys(sessionStorage).some((k) => k.startsWith('oauth-wasm:jwks:')));

/**
 * Signs in with the provider's answers rewritten by `tamper`: handleCallback's outcome. The
 * sign-in page leaves once its key set is stored (unless `beforeNavigate` says otherwise), so
 * that the counts of JWK Set requests are exact.
 */
async function signInWith(tamper, options = {}, beforeNavigate = keySetStored) {
  Object.assign(world.provider.tamper, { idToken: null, jwks: null, token: null, ...tamper });
  const page = await world.newPage();
  // The example page without its app, whose own client would fetch keys too: only the client
  // under test runs, so the counts are its own.
  await page.route((url) => url.pathname === '/app.js', (route) => route.fulfill({ contentType: 'text/javascript', body: "document.body.dataset.state = 'ready';" }));
  try {
    const jwksBefore = world.provider.events.jwks;
    const outcome = await signInManual(world, page, options, {}, { beforeNavigate });
    return { ...outcome, jwksFetches: world.provider.events.jwks - jwksBefore, page };
  } finally {
    Object.assign(world.provider.tamper, { idToken: null, jwks: null, token: null });
  }
}

test('the provider\'s RS256 ID token is verified with its published key, fetched once by the sign-in page', async () => {
  const { value, jwksFetches, jwksAtCallback, page } = await signInWith({});
  assert.ok(value?.idToken, 'signed in');
  assert.deepEqual(JSON.parse(Buffer.from(parts(value.idToken)[0], 'base64url')), { alg: 'RS256', kid: 'rsa-1' });
  assert.equal(jwksFetches, 1, 'fetched once');
  assert.equal(jwksAtCallback, 0, 'the callback page used the set the sign-in page stored');
  assert.deepEqual(page.pageErrors, []);
});

test('a key set stored more than 10 minutes ago, stamped in the future, or unreadable, is fetched again beside the token request', async () => {
  const rewrite = (value) => async (page) => {
    await keySetStored(page);
    const { name, value: stored } = await storedKeySet(page);
    await page.evaluate(([n, v]) => { sessionStorage[n] = v; }, [name, value(stored)]);
  };
  for (const [what, value] of [
    ['stored 601 s ago', ([at, ...answer]) => JSON.stringify([at - 601_000, ...answer])],
    ['stamped a minute in the future', ([at, ...answer]) => JSON.stringify([at + 60_000, ...answer])],
    ['not JSON', () => '{'],
    ['not a list', () => '{"at":1}'],
  ]) {
    const outcome = await signInWith({}, {}, rewrite(value));
    assert.ok(outcome.value?.idToken, `${what}: signed in (${outcome.description})`);
    assert.equal(outcome.jwksAtCallback, 1, `${what}: fetched again by the callback page`);
    const [at] = (await storedKeySet(outcome.page)).value;
    assert.ok(Date.now() - at < 60_000, `${what}: the new answer is stored`);
  }
  // A page that leaves at once (its own fetch cut short) still signs in: the callback fetches.
  const hasty = await signInWith({}, {}, null);
  assert.ok(hasty.value?.idToken, `signed in at once (${hasty.description})`);
  assert.ok(hasty.jwksFetches >= 1 && hasty.jwksFetches <= 2, `fetched ${hasty.jwksFetches} times`);
});

test('forged ID tokens are refused with the check that failed', async () => {
  const attacker = signingKey('rsa', 'rsa-1');
  const cases = [
    ['corrupted signature', (jwt) => {
      const [h, p, s] = parts(jwt);
      return `${h}.${p}.${s.slice(0, 20)}${s[20] === 'A' ? 'B' : 'A'}${s.slice(21)}`;
    }, /^the ID token's signature does not verify \(alg RS256, key "rsa-1"\)$/],
    ['HS256 keyed by the client id', (jwt) => forge({ alg: 'HS256', kid: 'rsa-1' }, claimsOf(jwt), { secret: 'spa' }),
      /^alg HS256: a MAC, which a public client cannot check$/],
    ['alg none', (jwt) => forge({ alg: 'none' }, claimsOf(jwt)), /unsigned \(alg none\)|alg none: the ID token is unsigned/],
    ['a key the provider never published, under its kid', (jwt) => forge({ alg: 'RS256', kid: 'rsa-1' }, claimsOf(jwt), attacker),
      /signature does not verify \(alg RS256, key "rsa-1"\)/],
    ['no kid, signed by none of the published keys', (jwt) => forge({ alg: 'RS256' }, claimsOf(jwt), attacker),
      /^the ID token's signature does not verify \(alg RS256, no kid\)$/],
  ];
  for (const [name, idToken, description] of cases) {
    const outcome = await signInWith({ idToken });
    assert.equal(outcome.code, 'invalid_id_token', name);
    assert.match(outcome.description, description, name);
    assert.deepEqual(outcome.page.pageErrors, [], name);
  }
});

test('an unknown kid makes the SDK fetch the JWK Set again, once, then refuse', async () => {
  const stranger = signingKey('rsa', 'stranger');
  const outcome = await signInWith({ idToken: (jwt) => forge({ alg: 'RS256', kid: 'stranger' }, claimsOf(jwt), stranger) });
  assert.equal(outcome.code, 'invalid_id_token');
  assert.equal(outcome.description, 'alg RS256, key "stranger": no published key fits, also after fetching the JWK Set again');
  assert.equal(outcome.jwksFetches, 2);
});

test('no kid: refused when several published keys fit, accepted when one does', async () => {
  const second = signingKey('rsa', 'rsa-2');
  const several = await signInWith({
    jwks: published(rsa(), second, world.provider.keys[1]),
    idToken: (jwt) => forge({ alg: 'RS256' }, claimsOf(jwt), rsa()),
  });
  assert.equal(several.code, 'invalid_id_token');
  assert.equal(several.description, 'alg RS256, no kid: several published keys fit');
  // The provider's own set: one RSA key and one EC key, so an RS256 token has one candidate.
  const single = await signInWith({ idToken: (jwt) => forge({ alg: 'RS256' }, claimsOf(jwt), rsa()) });
  assert.ok(single.value?.accessToken, `accepted: ${single.description}`);
  // ES256 from the EC key, without kid, too.
  const ec = await signInWith({ idToken: (jwt) => forge({ alg: 'ES256' }, claimsOf(jwt), world.provider.keys[1]) });
  assert.ok(ec.value?.accessToken, `accepted: ${ec.description}`);
});

test('PS256 and EdDSA verified by WebCrypto; ES384 and Ed25519, which the provider does not list, refused', async () => {
  const discovery = await (await fetch(`${world.provider.issuer}/.well-known/openid-configuration`)).json();
  const listed = discovery.id_token_signing_alg_values_supported;
  assert.deepEqual([...listed].sort(), ['ES256', 'EdDSA', 'PS256', 'RS256']);
  for (const [kind, alg] of [['rsa', 'PS256'], ['ec-384', 'ES384'], ['ed25519', 'EdDSA'], ['ed25519', 'Ed25519']]) {
    const key = signingKey(kind, `k-${alg}`, alg);
    const outcome = await signInWith({
      jwks: published(rsa(), key),
      idToken: (jwt) => forge({ alg, kid: key.kid }, claimsOf(jwt), key),
    });
    if (listed.includes(alg)) assert.ok(outcome.value?.accessToken, `${alg} accepted: ${outcome.description}`);
    else assert.equal(outcome.description, `alg ${alg}: not in the provider's id_token_signing_alg_values_supported`);
  }
});

test("at_hash is checked with the hash of the ID token's alg: SHA-512 for EdDSA", async () => {
  const key = signingKey('ed25519', 'k-at-hash', 'EdDSA');
  // The left half of the access token's hash (OIDC Core §3.1.3.8).
  const half = (hash, token) => { const d = createHash(hash).update(token).digest(); return d.subarray(0, d.length / 2).toString('base64url'); };
  for (const [hash, accepted] of [['sha512', true], ['sha256', false]]) {
    const outcome = await signInWith({
      jwks: published(rsa(), key),
      token: (body) => ({ ...body, id_token: forge({ alg: 'EdDSA', kid: key.kid }, { ...claimsOf(body.id_token), at_hash: half(hash, body.access_token) }, key) }),
    });
    if (accepted) assert.ok(outcome.value?.accessToken, `SHA-512 at_hash accepted: ${outcome.description}`);
    else assert.deepEqual([outcome.code, outcome.description], ['invalid_id_token', 'at_hash does not match the access token']);
  }
});

test('a refreshed ID token signed by a key published after the first fetch is accepted (rotation)', async () => {
  const { value, page } = await signInWith({});
  assert.ok(value);
  const rotated = signingKey('rsa', 'rsa-rotated');
  Object.assign(world.provider.tamper, {
    jwks: published(rsa(), world.provider.keys[1], rotated),
    idToken: (jwt) => forge({ alg: 'RS256', kid: 'rsa-rotated' }, claimsOf(jwt), rotated),
  });
  try {
    const before = world.provider.events.jwks;
    const refreshed = await call(page, `return ${settle('client.refresh()')};`);
    assert.ok(refreshed.value?.accessToken, `refresh accepted: ${refreshed.description}`);
    assert.equal(world.provider.events.jwks - before, 1, 'the cached set lacked the key: fetched again once');
    // A refresh whose ID token is forged is refused, and the tokens are not handed out.
    world.provider.tamper.idToken = (jwt) => forge({ alg: 'RS256', kid: 'rsa-rotated' }, claimsOf(jwt), signingKey('rsa', 'x'));
    const forged = await call(page, `return ${settle('client.refresh()')};`);
    assert.equal(forged.code, 'invalid_id_token');
    assert.match(forged.description, /signature does not verify \(alg RS256, key "rsa-rotated"\)/);
  } finally {
    Object.assign(world.provider.tamper, { idToken: null, jwks: null });
  }
});

test('dangerouslySkipIdTokenSignature accepts a corrupted signature and fetches no keys', async () => {
  const outcome = await signInWith(
    { idToken: (jwt) => `${jwt.slice(0, jwt.lastIndexOf('.'))}.AAAA` },
    { dangerouslySkipIdTokenSignature: true },
    null,
  );
  assert.ok(outcome.value?.accessToken, `accepted: ${outcome.description}`);
  assert.equal(outcome.jwksFetches, 0);
  assert.equal(await storedKeySet(outcome.page), undefined, 'no key set stored');
});
