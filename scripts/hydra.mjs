// A real Ory Hydra v2.3.0 on loopback, for the tests and `npm run demo -- --hydra`: the binary
// that scripts/bootstrap.sh builds from the Go module proxy (.cache/hydra/hydra), started with
// `hydra serve all --dev` over an in-memory database, and its login, consent and logout app
// (Hydra has no UI of its own), which a browser test drives as a user would.
//
// Every failure names its step ("Hydra (start): …") and fails the caller: nothing here is ever
// skipped quietly.
import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { mkdtempSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './serve.mjs';

export const HYDRA_VERSION = 'v2.3.0';
export const HYDRA_BIN = process.env.HYDRA_BIN ?? fileURLToPath(new URL('../.cache/hydra/hydra', import.meta.url));

const fail = (step, message) => new Error(`Hydra (${step}): ${message}`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A port nobody listens on now, or `port` itself when it is free (else an error naming it). */
export async function freePort(port = 0, step = 'ports') {
  const server = createNetServer();
  await new Promise((resolve, reject) => {
    server.once('error', (e) => reject(fail(step, e.code === 'EADDRINUSE' ? `port ${port} on 127.0.0.1 is taken` : e.message)));
    server.listen(port, '127.0.0.1', resolve);
  });
  const { port: chosen } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return chosen;
}

/** The version the cached binary prints, or an error saying how to build it. */
export function checkBinary() {
  if (!existsSync(HYDRA_BIN)) throw fail('binary', `${HYDRA_BIN} is missing: run \`npm run bootstrap\` (it builds Hydra ${HYDRA_VERSION} from source)`);
  const out = execFileSync(HYDRA_BIN, ['version'], { encoding: 'utf8' });
  if (!new RegExp(`^Version:\\s+${HYDRA_VERSION.replace(/\./g, '\\.')}$`, 'm').test(out)) throw fail('binary', `${HYDRA_BIN} is not ${HYDRA_VERSION} (it says: ${out.trim()}): run \`npm run bootstrap\``);
  return HYDRA_VERSION;
}

/**
 * Hydra's login, consent and logout app on loopback. `settings` (mutable by a test):
 * `grantAudience` — false grants no access-token audience at consent, as a consent app that
 * forgets `grant_access_token_audience` does; `idTokenClaims` — added to the ID token.
 * Every page is a plain form with buttons a user (or a test) clicks.
 */
async function startLoginApp({ admin, port = 0 }) {
  const settings = { grantAudience: true, idTokenClaims: { name: 'Alice Example' } };
  const adminCall = async (method, path, body) => {
    const response = await fetch(`${admin}/admin/oauth2/auth/requests/${path}`, {
      method, headers: { 'content-type': 'application/json' }, body: body && JSON.stringify(body),
    });
    const json = await response.json().catch(() => null);
    if (!response.ok) throw fail('login app', `${method} ${path.split('?')[0]} answered ${response.status}: ${JSON.stringify(json)}`);
    return json;
  };
  const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const page = (title, body) => `<!doctype html><meta charset="utf-8"><title>${escape(title)}</title>`
    + `<body style="font:16px system-ui;max-width:32em;margin:3em auto"><h1>${escape(title)}</h1>${body}</body>`;
  const form = (action, challenge, inner, buttons) => `<form method="post" action="${action}">`
    + `<input type="hidden" name="challenge" value="${escape(challenge)}">${inner}`
    + buttons.map(([value, label]) => `<button type="submit" name="action" value="${value}">${escape(label)}</button> `).join('')
    + '</form>';
  const redirect = (res, { redirect_to: to }) => res.writeHead(303, { location: to }).end();

  const consentGrant = (request) => ({
    grant_scope: request.requested_scope,
    grant_access_token_audience: settings.grantAudience ? request.requested_access_token_audience : [],
    // remember: false, or Hydra would skip consent for this user and client from then on, in
    // every browser (a refused consent could never be tested again).
    remember: false,
    session: { id_token: settings.idTokenClaims },
  });

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://x');
      if (req.method === 'POST') {
        let raw = '';
        for await (const chunk of req) raw += chunk;
        const body = new URLSearchParams(raw);
        const challenge = body.get('challenge');
        const accept = body.get('action') === 'accept';
        if (url.pathname === '/login') {
          const q = `login_challenge=${encodeURIComponent(challenge)}`;
          return redirect(res, accept
            // remember: Hydra keeps a login session (its cookie), which sign-out then ends through /logout.
            ? await adminCall('PUT', `login/accept?${q}`, { subject: body.get('subject') || 'alice', remember: true, remember_for: 3600 })
            : await adminCall('PUT', `login/reject?${q}`, { error: 'access_denied', error_description: 'The user cancelled the login.' }));
        }
        if (url.pathname === '/consent') {
          const q = `consent_challenge=${encodeURIComponent(challenge)}`;
          return redirect(res, accept
            ? await adminCall('PUT', `consent/accept?${q}`, consentGrant(await adminCall('GET', `consent?${q}`)))
            : await adminCall('PUT', `consent/reject?${q}`, { error: 'access_denied', error_description: 'The resource owner denied the request.' }));
        }
        if (url.pathname === '/logout') {
          const q = `logout_challenge=${encodeURIComponent(challenge)}`;
          if (accept) return redirect(res, await adminCall('PUT', `logout/accept?${q}`));
          await adminCall('PUT', `logout/reject?${q}`);
          return res.writeHead(200, { 'content-type': 'text/html' }).end(page('Still signed in', '<p>You stayed signed in.</p>'));
        }
      } else if (url.pathname === '/login') {
        const challenge = url.searchParams.get('login_challenge');
        const request = await adminCall('GET', `login?login_challenge=${encodeURIComponent(challenge)}`);
        // Hydra knows this user already (its session cookie): login must be accepted as is.
        if (request.skip) return redirect(res, await adminCall('PUT', `login/accept?login_challenge=${encodeURIComponent(challenge)}`, { subject: request.subject }));
        return res.writeHead(200, { 'content-type': 'text/html' }).end(page('Sign in', form('/login', challenge,
          `<p>${escape(request.client?.client_name || request.client?.client_id)} asks you to sign in.</p>`
          + '<p><label>User <input name="subject" value="alice" autocomplete="username"></label></p>',
          [['accept', 'Sign in'], ['reject', 'Cancel']])));
      } else if (url.pathname === '/consent') {
        const challenge = url.searchParams.get('consent_challenge');
        const request = await adminCall('GET', `consent?consent_challenge=${encodeURIComponent(challenge)}`);
        if (request.skip) return redirect(res, await adminCall('PUT', `consent/accept?consent_challenge=${encodeURIComponent(challenge)}`, consentGrant(request)));
        const list = (items) => (items?.length ? `<ul>${items.map((i) => `<li>${escape(i)}</li>`).join('')}</ul>` : '<p>(none)</p>');
        return res.writeHead(200, { 'content-type': 'text/html' }).end(page('Allow access?', form('/consent', challenge,
          `<p>${escape(request.client?.client_id)} asks for:</p>${list(request.requested_scope)}`
          + `<p>for the APIs:</p><div id="audiences">${list(request.requested_access_token_audience)}</div>`,
          [['accept', 'Allow'], ['reject', 'Deny']])));
      } else if (url.pathname === '/logout') {
        const challenge = url.searchParams.get('logout_challenge');
        return res.writeHead(200, { 'content-type': 'text/html' }).end(page('Sign out?', form('/logout', challenge, '', [['accept', 'Sign out'], ['reject', 'Stay signed in']])));
      } else if (url.pathname === '/error') {
        const p = url.searchParams;
        return res.writeHead(200, { 'content-type': 'text/html' }).end(page('Error', `<p id="error">${escape(p.get('error'))}</p><p>${escape(p.get('error_description') ?? '')}</p>`));
      }
      res.writeHead(404).end('not found');
    } catch (e) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(e.message ?? e));
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', (e) => reject(fail('login app', e.code === 'EADDRINUSE' ? `port ${port} on 127.0.0.1 is taken` : e.message)));
    server.listen(port, '127.0.0.1', resolve);
  });
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, settings, close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); }) };
}

/** Deep-merges `patch` into `target` (objects member by member; arrays and values replace). */
function merge(target, patch) {
  for (const [key, value] of Object.entries(patch)) {
    if (value && typeof value === 'object' && !Array.isArray(value) && typeof target[key] === 'object') merge(target[key], value);
    else target[key] = value;
  }
  return target;
}

/**
 * Starts Hydra (public and admin ports: free loopback ports unless given) and its login app.
 * `appOrigins`: the SPA origins its CORS allows; `configPatch` is merged into the configuration.
 * Resolves `{ issuer, admin, loginApp, createClient,
 * deleteClient, setLifespans, logs, close }` once both ports are ready and the signing keys exist
 * (Hydra makes two RSA-4096 pairs on first use: about 2.5 s).
 */
export async function startHydra({ appOrigins = [], publicPort = 0, adminPort = 0, loginPort = 0, configPatch = {} } = {}) {
  checkBinary();
  publicPort = await freePort(publicPort);
  adminPort = await freePort(adminPort);
  const issuer = `http://127.0.0.1:${publicPort}`;
  const admin = `http://127.0.0.1:${adminPort}`;
  const loginApp = await startLoginApp({ admin, port: loginPort });
  const dir = mkdtempSync(join(tmpdir(), 'oauth-wasm-hydra-'));
  const config = {
    dsn: 'memory',
    serve: {
      public: { host: '127.0.0.1', port: publicPort, cors: { enabled: true, allowed_origins: appOrigins } },
      admin: { host: '127.0.0.1', port: adminPort },
      cookies: { same_site_mode: 'Lax' },
    },
    urls: {
      self: { issuer },
      login: `${loginApp.origin}/login`,
      consent: `${loginApp.origin}/consent`,
      logout: `${loginApp.origin}/logout`,
      error: `${loginApp.origin}/error`,
      post_logout_redirect: `${loginApp.origin}/logged-out`,
    },
    secrets: { system: ['oauth-wasm-tests-system-secret-32c'] },
    strategies: { access_token: 'jwt' },
    oauth2: { pkce: { enforced_for_public_clients: true } },
    ttl: { access_token: '1h', refresh_token: '24h', id_token: '1h' },
  };
  merge(config, configPatch);
  writeFileSync(join(dir, 'hydra.json'), JSON.stringify(config));
  const child = spawn(HYDRA_BIN, ['serve', 'all', '-c', join(dir, 'hydra.json'), '--dev', '--sqa-opt-out'], {
    stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: process.env.HYDRA_LOG_LEVEL ?? 'warn' },
  });
  // Hydra logs each request on stderr: kept (the last 20 kB) for an error message, shown with HYDRA_DEBUG.
  let logs = '';
  const keep = (d) => {
    logs = (logs + d).slice(-20_000);
    if (process.env.HYDRA_DEBUG) process.stderr.write(d);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  // Never outlive this process (a crashed test run would leave Hydra holding its ports).
  const orphan = () => child.kill('SIGKILL');
  process.once('exit', orphan);
  child.on('exit', (code, signal) => {
    exited = signal ?? `exit code ${code}`;
    process.removeListener('exit', orphan);
  });
  const stopChild = async () => {
    if (exited === null) {
      child.kill('SIGTERM');
      for (let i = 0; i < 50 && exited === null; i += 1) await sleep(100);
      if (exited === null) child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const abort = async (step, message) => {
    await stopChild();
    await loginApp.close();
    return fail(step, `${message}\n--- Hydra's log (last lines) ---\n${logs.split('\n').slice(-15).join('\n')}`);
  };

  for (const base of [issuer, admin]) {
    for (const end = Date.now() + 30_000; ;) {
      if (exited !== null) throw await abort('start', `hydra serve exited (${exited}) before ${base} was ready`);
      const status = await fetch(`${base}/health/ready`).then((r) => r.status, () => 0);
      if (status === 200) break;
      if (Date.now() > end) throw await abort('ready', `${base}/health/ready did not answer 200 within 30 s`);
      await sleep(100);
    }
  }
  const keys = await fetch(`${issuer}/.well-known/jwks.json`).then((r) => r.json(), () => null);
  if (!keys?.keys?.length) throw await abort('keys', 'the JWK Set is empty or did not answer');

  const adminJson = async (step, method, path, body, want) => {
    const response = await fetch(`${admin}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body && JSON.stringify(body) });
    const text = await response.text();
    if (response.status !== want) throw fail(step, `${method} ${path} answered ${response.status}: ${text}`);
    return text ? JSON.parse(text) : null;
  };

  return {
    issuer,
    admin,
    loginApp,
    config,
    get logs() { return logs; },
    /** Registers an OAuth 2.0 client (Hydra's client JSON); resolves what Hydra stored. */
    createClient: (client) => adminJson('create client', 'POST', '/admin/clients', client, 201),
    deleteClient: (id) => adminJson('delete client', 'DELETE', `/admin/clients/${encodeURIComponent(id)}`, undefined, 204),
    /** Per-client token lifespans (`{ authorization_code_grant_access_token_lifespan: '5s', … }`). */
    setLifespans: (id, lifespans) => adminJson('client lifespans', 'PUT', `/admin/clients/${encodeURIComponent(id)}/lifespans`, lifespans, 200),
    async close() {
      await stopChild();
      await loginApp.close();
    },
  };
}

/** The public SPA client these tests and the demo register: Hydra's JSON for `origin`'s app. */
export const spaClient = ({ clientId = 'spa', origin, redirectPaths = ['/callback', '/manual', '/react/callback'], audience }) => ({
  client_id: clientId,
  client_name: 'oauth-wasm example SPA',
  token_endpoint_auth_method: 'none',
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  scope: 'openid offline_access profile',
  redirect_uris: redirectPaths.map((p) => `${origin}${p}`),
  post_logout_redirect_uris: [`${origin}/`, `${origin}/react/`],
  audience,
  allowed_cors_origins: [origin],
});

export const API = 'https://api.example.com';
/** The SPA client's `audience` metadata in Hydra (its allow-list). */
export const HYDRA_ALLOWED = [`${API}/user`, `${API}/billing`, `${API}/admin`];
/** What the example SPA asks for at sign-in: two of them. */
export const HYDRA_SIGNIN = HYDRA_ALLOWED.slice(0, 2);

/**
 * The example SPA (scripts/serve.mjs) and Hydra, wired together as `npm run demo -- --hydra`
 * and the tests use them: the SPA registered as client `spa` with HYDRA_ALLOWED, and its
 * /config.json asking for HYDRA_SIGNIN. `ports`: startHydra's. `{ app, hydra, clientOptions, close }`.
 */
export async function startHydraSetup({ appPort = 0, ports = {} } = {}) {
  const config = {};
  const app = await startServer({ port: appPort, config });
  let hydra;
  try {
    hydra = await startHydra({ appOrigins: [app.origin], ...ports });
    await hydra.createClient(spaClient({ origin: app.origin, audience: HYDRA_ALLOWED }));
  } catch (e) {
    await Promise.all([app.close(), hydra?.close()]);
    throw e;
  }
  config.client = {
    issuer: hydra.issuer,
    clientId: 'spa',
    redirectUri: `${app.origin}/callback`,
    scope: 'openid offline_access profile',
    audience: HYDRA_SIGNIN,
  };
  return { app, hydra, clientOptions: config.client, close: () => Promise.all([app.close(), hydra.close()]) };
}
