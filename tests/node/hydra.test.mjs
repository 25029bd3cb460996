// The package in Node against a real Ory Hydra v2.3.0 (scripts/hydra.mjs):
// - client credentials with Hydra's `audience` allow-list: an allowed audience comes back as
//   the JWT's `aud`, a refused one is Hydra's own invalid_request as an OAuthError;
// - the audience pre-check (audienceAllowed) proven against Hydra itself: at least 500
//   generated (allow-list × requested list) cases, one Hydra client per allow-list, Hydra's
//   decision read from its authorization redirect (no browser), and every case must agree.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { OAuthError, audienceAllowed, encodeAudience, clientCredentials, generatePkce } from 'oauth-wasm';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { startHydra } from '../../scripts/hydra.mjs';

const jwtClaims = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
const API = 'https://api.example.com';
const REDIRECT = 'http://127.0.0.1:1/cb';

let hydra;
before(async () => {
  hydra = await startHydra();
  await hydra.createClient({
    client_id: 'service',
    client_secret: 'a service secret: +/=?',
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['client_credentials'],
    response_types: [],
    scope: 'api',
    audience: [`${API}/user`, `${API}/billing`],
  });
});
after(async () => { await hydra?.close(); });

const grant = (extra) => clientCredentials({
  tokenEndpoint: `${hydra.issuer}/oauth2/token`,
  clientId: 'service',
  clientSecret: 'a service secret: +/=?',
  auth: 'client_secret_basic',
  scope: 'api',
  ...extra,
});

test('Hydra client credentials: an allowed audience (and a path below one) comes back as the JWT aud', async () => {
  const tokens = await grant({ audience: [`${API}/billing`, `${API}/user/42`] });
  const claims = jwtClaims(tokens.accessToken);
  assert.deepEqual(claims.aud, [`${API}/billing`, `${API}/user/42`]);
  assert.deepEqual([claims.iss, claims.sub, claims.client_id], [hydra.issuer, 'service', 'service']);
  assert.deepEqual(tokens.audience, [`${API}/billing`, `${API}/user/42`]);
  assert.equal(tokens.audienceVerified, true);
  assert.equal(tokens.tokenType, 'Bearer');
  assert.ok(tokens.expiresAt > Date.now() / 1000);
});

test("Hydra client credentials: a refused audience is Hydra's invalid_request, as an OAuthError with Hydra's description", async () => {
  const error = await grant({ audience: [`${API}/admin`] }).then(() => null, (e) => e);
  assert.ok(error instanceof OAuthError && error instanceof Error, String(error));
  assert.equal(error.code, 'invalid_request');
  assert.match(error.description, /Requested audience 'https:\/\/api\.example\.com\/admin' has not been whitelisted by the OAuth 2\.0 Client/);
  // A wrong secret is Hydra's invalid_client.
  const wrong = await grant({ clientSecret: 'wrong' }).then(() => null, (e) => e);
  assert.equal(wrong?.code, 'invalid_client');
});

// ---- the differential test ------------------------------------------------------------------

// A small deterministic generator (mulberry32), so that a disagreement reproduces.
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BASES = [
  'https://api.example.com', 'https://API.example.com', 'HTTPS://api.example.com', 'http://api.example.com',
  'https://api.example.com:8443', 'https://api.example.com:443', 'https://user:pw@api.example.com',
  'https://[::1]:8443', 'https://[::1]', 'https://[fe80::1%25eth0]', 'https://exa%41mple.com',
  'https://other.example.com', 'https://api.example.com.evil.example',
];
const PATHS = [
  '', '/', '/user', '/user/', '/user//', '/user/42', '/userx', '/User', '/user/../admin', '/user%2F42',
  '/%75ser', '/user?q=1', '/user#frag', '/user/42?x=y#z', '//user', '/billing', '/user%zz',
];
const LITERALS = [
  'urn:example:api', 'urn:other:thing', 'URN:example:api', 'mailto:ops@example.com', 'foobar', 'foobar/x',
  'foo/bar', '/abs/path', 'https://[::1', 'https://api.example.com:abc/user', '://no-scheme', 'https://exa mple',
  '%zz', 'https://api.example.com/%', 'http://[::1]:80/user', 'https:', 'https://', 'ftp://api.example.com/user',
];

const pick = (rnd, list) => list[Math.floor(rnd() * list.length)];
const value = (rnd) => (rnd() < 0.2 ? pick(rnd, LITERALS) : pick(rnd, BASES) + pick(rnd, PATHS));
// A requested value, mostly a mutation of an allowed one (so that many cases are allowed).
function requestedFrom(rnd, allowed) {
  const base = pick(rnd, allowed);
  switch (Math.floor(rnd() * 8)) {
    case 0: return base;
    case 1: return `${base.replace(/\/+$/, '')}/${pick(rnd, ['42', 'x/y', '', '..', '%2F'])}`;
    case 2: return `${base}/`;
    case 3: return `${base}${pick(rnd, ['?a=b', '#f', 'x', 'Z'])}`;
    case 4: return base.toUpperCase();
    case 5: return base.replace('api.example.com', pick(rnd, ['api.example.com:8443', 'API.example.com', 'other.example.com']));
    default: return value(rnd);
  }
}

test('the audience pre-check agrees with Hydra itself on 540 generated cases', { timeout: 600_000 }, async (t) => {
  const rnd = random(20261207);
  const lists = [];
  while (lists.length < 60) {
    const allowed = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => value(rnd)).filter((v) => !/\s/.test(v));
    if (allowed.length) lists.push(allowed);
  }
  const { challenge } = generatePkce();
  const cases = [];
  const refusedClients = [];
  for (const [i, allowed] of lists.entries()) {
    const clientId = `diff-${i}`;
    try {
      await hydra.createClient({
        client_id: clientId, token_endpoint_auth_method: 'none', grant_types: ['authorization_code'], response_types: ['code'],
        scope: 'openid', redirect_uris: [REDIRECT], audience: allowed,
      });
    } catch (e) {
      refusedClients.push({ allowed, error: e.message });
      continue;
    }
    for (let k = 0; k < 9; k += 1) {
      const requested = Array.from({ length: 1 + Math.floor(rnd() * 2) }, () => requestedFrom(rnd, allowed)).filter((v) => v && !/\s/.test(v));
      const query = `response_type=code&client_id=${clientId}&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=openid`
        + `&state=state-${i}-${k}-0123456789&code_challenge=${challenge}&code_challenge_method=S256`
        + (requested.length ? `&audience=${encodeAudience(requested)}` : '');
      const response = await fetch(`${hydra.issuer}/oauth2/auth?${query}`, { redirect: 'manual' });
      const location = new URL(response.headers.get('location') ?? 'about:blank');
      let hydraAllows;
      if (location.href.startsWith(`${hydra.loginApp.origin}/login`)) hydraAllows = true;
      else if (location.href.startsWith(REDIRECT) && location.searchParams.get('error') === 'invalid_request'
        && /audience/i.test(location.searchParams.get('error_description'))) hydraAllows = false;
      else throw new Error(`Hydra answered ${response.status} ${location.href} for ${JSON.stringify({ allowed, requested })}`);
      cases.push({ allowed, requested, hydraAllows, ours: await audienceAllowed(allowed, requested) });
    }
  }
  const disagreements = cases.filter((c) => c.hydraAllows !== c.ours);
  assert.deepEqual(refusedClients, [], 'Hydra stored every allow-list');
  assert.ok(cases.length >= 500, `${cases.length} cases`);
  const allowedCount = cases.filter((c) => c.hydraAllows).length;
  assert.ok(allowedCount > 100 && cases.length - allowedCount > 100, `both outcomes well represented: ${allowedCount} allowed of ${cases.length}`);
  t.diagnostic(`${cases.length} cases over ${lists.length} allow-lists: Hydra allowed ${allowedCount}, refused ${cases.length - allowedCount}; ${disagreements.length} disagreements`);
  assert.deepEqual(disagreements, [], `${disagreements.length} of ${cases.length} cases disagree`);
});

// ---- the harness fails loudly, naming the step -----------------------------------------------

test('the Hydra harness names the failing step: a taken port, a configuration Hydra refuses, a client the admin API refuses, a missing binary', async () => {
  const squatter = createServer();
  await new Promise((resolve) => squatter.listen(0, '127.0.0.1', resolve));
  const taken = squatter.address().port;
  try {
    await assert.rejects(startHydra({ publicPort: taken }), new RegExp(`^Error: Hydra \\(ports\\): port ${taken} on 127\\.0\\.0\\.1 is taken`));
  } finally {
    squatter.close();
  }
  // Hydra's configuration schema refuses an unknown key: it exits, and its own words are quoted.
  await assert.rejects(startHydra({ configPatch: { oauth2: { no_such_option: true } } }), (e) => {
    assert.match(e.message, /^Hydra \(start\): hydra serve exited \(exit code \d+\) before http:\/\/127\.0\.0\.1:\d+ was ready/);
    assert.match(e.message, /no_such_option/);
    return true;
  });
  await assert.rejects(hydra.createClient({ client_id: 'bad', redirect_uris: ['not a url'], grant_types: ['authorization_code'] }), /^Error: Hydra \(create client\): POST \/admin\/clients answered 400: /);
  const missing = (() => {
    try {
      execFileSync(process.execPath, ['--input-type=module', '-e', `await (await import(${JSON.stringify(new URL('../../scripts/hydra.mjs', import.meta.url).href)})).startHydra()`], {
        env: { ...process.env, HYDRA_BIN: '/nonexistent/hydra' }, stdio: 'pipe', encoding: 'utf8',
      });
      return '';
    } catch (e) {
      return e.stderr;
    }
  })();
  assert.match(missing, /Hydra \(binary\): \/nonexistent\/hydra is missing: run `npm run bootstrap`/);
});
