// `npm run bench`: oauth-wasm side by side with two peer libraries, oidc-client-ts and
// oauth4webapi, each doing the same sign-in job on its own page in one headless Chromium,
// against the real local OpenID provider (scripts/provider.mjs). Needs a built pkg/.
//
// The job: discovery, a sign-in URL with PKCE S256 + state + nonce + two audiences (one
// Hydra-style `audience` parameter), the provider's login and consent pages, the callback on
// the page's own redirect URI, the code exchange. The peers are bundled and minified with
// esbuild (bench/entries/ → bench/dist/, rebuilt on every run); oauth-wasm is served as built
// in pkg/. Pages: bench/pages/ (one template, one adapter per library, one shared driver).
//
// Measures, each round a fresh browser context per library, the libraries interleaved:
//   1. bytes of the JS modules + wasm the page downloaded (raw, gzip -9, brotli q11);
//   2. import → ready: just before the dynamic import() → a client that can build a sign-in
//      URL (discovery done);
//   3. sign-in URL: time to build one (median over URL_REPS in the page), µs;
//   4. callback → tokens: the callback handler → tokens (code exchange included), ms;
// then under emulated slow network (150 ms latency, 1.6 Mbit/s down, 0.75 up, cache off):
//   5. import → ready again; 6. navigation → redirect: from navigation start of a page that
//      signs in as soon as it loads to its location.assign() of the authorization URL.
// Prints medians and p95 with ratios to oauth4webapi, and writes bench/results.md and
// bench/results.svg. Environment: ROUNDS (default 40: 20-round medians moved by about ±10%
// between runs of one build; 40 take about two minutes), SLOW_ROUNDS (5), URL_REPS (400),
// CHROMIUM (/usr/bin/chromium); BENCH_DEBUG=1 also prints every sample.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus } from 'node:os';
import { execFileSync, fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { gzipSync, brotliCompressSync, constants as zlib } from 'node:zlib';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { startServer } from '../scripts/serve.mjs';
import { ALLOWED_AUDIENCES, CLIENT_ID } from '../scripts/provider.mjs';
import { loginAndConsent } from '../tests/e2e/harness.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BENCH = join(ROOT, 'bench');
const DIST = join(BENCH, 'dist');
const LIBRARIES = ['oauth-wasm', 'oidc-client-ts', 'oauth4webapi'];
const PEERS = ['oidc-client-ts', 'oauth4webapi'];
const BASELINE = 'oauth4webapi';
const COLOURS = { 'oauth-wasm': '#d9480f', 'oidc-client-ts': '#1c7ed6', oauth4webapi: '#5f3dc4' };
const SCOPE = 'openid offline_access api';

const count = (name, fallback) => {
  const n = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer`);
  return n;
};
const ROUNDS = count('ROUNDS', 40);
const SLOW_ROUNDS = count('SLOW_ROUNDS', 5);
const URL_REPS = count('URL_REPS', 400);
const URL_BATCH = 20;
const SLOW_NETWORK = { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 0.75e6 / 8 };

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm' };

// ---------------------------------------------------------------- statistics and formatting

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
};
const summary = (xs) => ({ median: quantile(xs, 0.5), p95: quantile(xs, 0.95), n: xs.length });
// How far a ratio of medians (ys to base) can be trusted: a 95% interval from a paired bootstrap
// over the rounds (a round's libraries ran back to back on the same machine state, so rounds are
// resampled whole). Seeded, so the same numbers give the same interval.
const ratioInterval = (ys, base, resamples = 2000) => {
  const n = Math.min(ys.length, base.length);
  if (n < 5) return null;
  let seed = 0x9e3779b9;
  const random = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 2 ** 32;
  };
  const ratios = [];
  for (let r = 0; r < resamples; r += 1) {
    const a = [];
    const b = [];
    for (let i = 0; i < n; i += 1) {
      const k = Math.floor(random() * n);
      a.push(ys[k]);
      b.push(base[k]);
    }
    ratios.push(quantile(a, 0.5) / quantile(b, 0.5));
  }
  return [quantile(ratios, 0.025), quantile(ratios, 0.975)];
};
const fixed = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const ratio = (x, base) => `${(x / base).toFixed(2)}×`;
// The ratio with its 95% interval, when there is one: `1.02× [0.97–1.08]`.
const ratioWith = (row, base) => `${ratio(row.median, base)}${row.interval ? ` [${row.interval.map((x) => x.toFixed(2)).join('–')}]` : ''}`;
// One progress line, rewritten in place on a terminal.
const progress = (line, last = false) => {
  if (process.stdout.isTTY) process.stdout.write(`\r${line}${last ? '\n' : ''}`);
  else if (last) console.log(line);
};

// --------------------------------------------------------------------------- the bench pages

async function bundlePeers() {
  await rm(DIST, { recursive: true, force: true });
  await build({
    entryPoints: Object.fromEntries(PEERS.map((lib) => [lib, join(BENCH, 'entries', `${lib}.js`)])),
    outdir: DIST,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'warning',
  });
}

async function pages(origin, issuer) {
  const [template, driver] = await Promise.all(['page.html', 'driver.js'].map((f) => readFile(join(BENCH, 'pages', f), 'utf8')));
  const html = {};
  for (const lib of LIBRARIES) {
    const config = {
      library: lib,
      issuer,
      clientId: CLIENT_ID,
      redirectUri: `${origin}/bench/${lib}/callback`,
      scope: SCOPE,
      audience: ALLOWED_AUDIENCES,
    };
    const importMap = lib === 'oauth-wasm' ? '<script type="importmap">{ "imports": { "oauth-wasm": "/pkg/index.js" } }</script>' : '';
    const adapter = await readFile(join(BENCH, 'pages', `${lib}.js`), 'utf8');
    // Function replacers: the inlined code may contain `$` patterns.
    html[lib] = template
      .replaceAll('<!--LIBRARY-->', () => lib)
      .replace('<!--IMPORTMAP-->', () => importMap)
      .replace('<!--CONFIG-->', () => JSON.stringify(config).replaceAll('<', '\\u003c'))
      .replace('/*ADAPTER*/', () => adapter)
      .replace('/*DRIVER*/', () => driver);
  }
  return html;
}

// The bench's own static server, in place of the example SPA on the app origin that
// startLocalSetup registered with the provider (redirect URIs, CORS): /bench/<lib>/ and
// /bench/<lib>/callback are the library's page, /bench/dist/ the peer bundles, /pkg/ the
// built package.
function benchServer(html) {
  const compressed = new Map();
  return async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const page = /^\/bench\/([a-z0-9-]+)\/(?:callback)?$/.exec(path);
    if (page && html[page[1]]) {
      res.writeHead(200, { 'content-type': TYPES['.html'], 'cache-control': 'no-store' });
      return res.end(html[page[1]]);
    }
    const [dir, rest] = path.startsWith('/pkg/') ? [join(ROOT, 'pkg'), path.slice(5)]
      : path.startsWith('/bench/dist/') ? [DIST, path.slice(12)] : [null, null];
    const full = dir && normalize(join(dir, rest));
    if (!full || !full.startsWith(dir + sep) || !TYPES[extname(full)]) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return res.end('not found');
    }
    try {
      // Compressed as any production server would serve them (gzip -9, cached per file), so
      // that the slow-network measures see the bytes users download.
      if (!compressed.has(full)) compressed.set(full, gzipSync(await readFile(full), { level: 9 }));
      const gzip = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
      const body = gzip ? compressed.get(full) : await readFile(full);
      res.writeHead(200, {
        'content-type': TYPES[extname(full)],
        'cache-control': 'no-store',
        ...(gzip ? { 'content-encoding': 'gzip', vary: 'accept-encoding' } : {}),
      });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  };
}

// ------------------------------------------------------------------------------ the checks

function checkSigninUrl(lib, href, issuer, redirectUri) {
  const url = new URL(href);
  const q = url.searchParams;
  const problems = [];
  if (`${url.origin}${url.pathname}` !== `${issuer}/auth`) problems.push(`endpoint ${url.origin}${url.pathname}`);
  const want = { response_type: 'code', client_id: CLIENT_ID, redirect_uri: redirectUri, scope: SCOPE, code_challenge_method: 'S256', audience: ALLOWED_AUDIENCES.join(' ') };
  for (const [k, v] of Object.entries(want)) if (q.get(k) !== v) problems.push(`${k}=${q.get(k)}`);
  if (!/^[\w-]{43}$/.test(q.get('code_challenge') ?? '')) problems.push('code_challenge');
  for (const k of ['state', 'nonce']) if (!q.get(k)) problems.push(`no ${k}`);
  if (q.getAll('audience').length !== 1) problems.push('audience sent more than once');
  if (problems.length) throw new Error(`${lib}: bad sign-in URL (${problems.join(', ')}): ${href}`);
}

function checkTokens(lib, tokens) {
  if (!tokens?.accessToken || !tokens.idToken) throw new Error(`${lib}: no access token or ID token`);
  const aud = JSON.parse(Buffer.from(tokens.accessToken.split('.')[1], 'base64url').toString('utf8')).aud;
  const granted = [aud].flat();
  if (!ALLOWED_AUDIENCES.every((a) => granted.includes(a))) throw new Error(`${lib}: access token aud ${JSON.stringify(aud)}`);
}

// ------------------------------------------------------------------------------ the browser

function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-dev-shm-usage',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      // Every host but 127.0.0.1 is blocked in the resolver rather than by intercepting each
      // request (Playwright's route() adds a detour of milliseconds to every request, which
      // would weigh on the libraries by their number of requests, not by their work).
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
    ],
  });
}

async function main() {
  for (const file of ['index.js', 'package.json']) {
    await readFile(join(ROOT, 'pkg', file)).catch(() => { throw new Error(`pkg/${file} is missing: build the package first (npm run build)`); });
  }
  const nodeLine = await nodeMicroBench();
  if (nodeLine) console.log(nodeLine);

  process.stdout.write('bundling the peers with esbuild … ');
  await bundlePeers();
  console.log('done');

  // The provider runs in a process of its own, as a real one does: in this one, the browser
  // driver's work (Playwright's protocol messages) and the app's file server would delay the
  // provider's answers, the more so the more the page loaded just before.
  const app = await startServer({ config: {} });
  const child = fork(fileURLToPath(new URL('../scripts/provider.mjs', import.meta.url)), ['--child'], { stdio: 'inherit' });
  let browser;
  try {
    const { origin, server } = app;
    child.send({ appOrigin: origin, redirectUris: LIBRARIES.map((lib) => `${origin}/bench/${lib}/callback`) });
    const { issuer } = await new Promise((resolve, reject) => {
      child.once('message', resolve);
      child.once('exit', (code) => reject(new Error(`the provider process exited (${code})`)));
    });
    server.removeAllListeners('request');
    server.on('request', benchServer(await pages(origin, issuer)));
    browser = await launch();
    const version = browser.version();
    console.log(`Chromium ${version}; ${ROUNDS} rounds, ${SLOW_ROUNDS} on the slow network; provider ${issuer}, pages ${origin}`);

    const blocked = [];
    const newContext = async () => {
      const context = await browser.newContext();
      context.setDefaultTimeout(30_000);
      context.on('requestfailed', (request) => {
        const url = new URL(request.url());
        if (url.hostname !== '127.0.0.1') blocked.push(url.href);
      });
      context.on('requestfinished', (request) => {
        const url = new URL(request.url());
        if (url.hostname !== '127.0.0.1') throw new Error(`a request left 127.0.0.1: ${url.href}`);
      });
      return context;
    };
    const pageUrl = (lib, query = '') => `${origin}/bench/${lib}/${query}`;

    // One full sign-in on a fresh context: every measure but the slow-network ones.
    async function job(lib) {
      const context = await newContext();
      try {
        const page = await context.newPage();
        const errors = [];
        page.on('pageerror', (e) => errors.push(e));
        const files = new Map();
        const bodies = [];
        page.on('response', (response) => {
          const url = new URL(response.url());
          const type = response.request().resourceType();
          const wasm = url.pathname.endsWith('.wasm') || (response.headers()['content-type'] ?? '').startsWith('application/wasm');
          if (url.origin !== origin || !(type === 'script' || wasm) || files.has(url.pathname)) return;
          files.set(url.pathname, null);
          bodies.push(response.body().then((b) => files.set(url.pathname, b)));
        });
        const fail = async (what, e) => {
          const benchError = await page.evaluate(() => window.benchError).catch(() => undefined);
          throw new Error(`${lib}: ${what}: ${e.message}${benchError ? `\n  in page: ${benchError}` : ''}${errors.map((x) => `\n  page error: ${x.message}`).join('')}`);
        };
        await page.goto(pageUrl(lib));
        const ready = await page.evaluate(() => window.bench.ready()).catch((e) => fail('import → ready', e));
        const { url, us } = await page.evaluate(([n, b]) => window.bench.signinUrls(n, b), [URL_REPS, URL_BATCH]).catch((e) => fail('sign-in URLs', e));
        const redirectUri = `${origin}/bench/${lib}/callback`;
        checkSigninUrl(lib, url, issuer, redirectUri);
        await Promise.all(bodies);
        const authorization = page.waitForRequest((r) => r.url().startsWith(`${issuer}/auth?`));
        await page.evaluate(() => window.bench.start());
        const authorizationUrl = await authorization.then((r) => r.url(), (e) => fail('the sign-in redirect', e));
        checkSigninUrl(lib, authorizationUrl, issuer, redirectUri);
        await loginAndConsent(page);
        await page.waitForURL((u) => u.href.startsWith(`${redirectUri}?`)).catch((e) => fail('back on the redirect URI', e));
        const callback = await page.evaluate(() => window.bench.callback()).catch((e) => fail('callback → tokens', e));
        checkTokens(lib, callback.tokens);
        await Promise.all(bodies);
        return { ready, us, callback: callback.ms, callbackClient: callback.clientMs, callbackBefore: callback.beforeMs, callbackAfter: callback.afterMs, files: [...files].map(([path, body]) => ({ path, body })), refreshToken: !!callback.tokens.refreshToken };
      } finally {
        await context.close();
      }
    }

    // A fresh context whose page has slow network and no cache.
    async function slowPage() {
      const context = await newContext();
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      await cdp.send('Network.emulateNetworkConditions', SLOW_NETWORK);
      return { context, page };
    }

    async function slowReady(lib) {
      const { context, page } = await slowPage();
      try {
        await page.goto(pageUrl(lib));
        return await page.evaluate(() => window.bench.ready());
      } finally {
        await context.close();
      }
    }

    async function slowRedirect(lib) {
      const { context, page } = await slowPage();
      try {
        let report;
        const reported = new Promise((resolve) => { report = resolve; });
        await page.exposeBinding('benchReport', (_source, data) => report(data));
        // The provider's page itself is not part of this measure: answered at once.
        await page.route((u) => u.href.startsWith(`${issuer}/auth?`), (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>authorization</title>' }));
        const authorization = page.waitForRequest((r) => r.url().startsWith(`${issuer}/auth?`));
        await page.goto(pageUrl(lib, '?auto'), { waitUntil: 'commit' });
        const data = await Promise.race([reported, new Promise((_, reject) => setTimeout(() => reject(new Error(`${lib}: the auto sign-in page reported nothing within 60 s`)), 60_000).unref())]);
        if (data.error) throw new Error(`${lib}: auto sign-in: ${data.error}`);
        checkSigninUrl(lib, (await authorization).url(), issuer, `${origin}/bench/${lib}/callback`);
        return data.atAssign;
      } finally {
        await context.close();
      }
    }

    // A failed measurement is tried again (twice, after a pause): on a shared machine pkg/ may
    // be in the middle of a rebuild. A third failure ends the bench.
    const retried = async (what, fn) => {
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await fn();
        } catch (e) {
          if (attempt === 3) throw e;
          console.warn(`\n${what} failed (attempt ${attempt}), trying again in 5 s: ${e.message.split('\n')[0]}`);
          await new Promise((r) => setTimeout(r, 5000));
        }
      }
    };

    const results = Object.fromEntries(LIBRARIES.map((lib) => [lib, { ready: [], us: [], callback: [], callbackClient: [], callbackBefore: [], callbackAfter: [], slowReady: [], slowRedirect: [], files: null, refreshToken: true }]));
    const rotated = (i) => LIBRARIES.map((_, k) => LIBRARIES[(i + k) % LIBRARIES.length]);
    const t0 = performance.now();
    // A warm-up job per library first (not recorded): the browser's first pages pay for
    // process start-up that belongs to no library.
    for (const lib of LIBRARIES) await retried(`${lib} warm-up`, () => job(lib));
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const lib of rotated(round)) {
        const r = await retried(`${lib} round ${round + 1}`, () => job(lib));
        const acc = results[lib];
        acc.ready.push(r.ready);
        acc.us.push(r.us);
        acc.callback.push(r.callback);
        acc.callbackClient.push(r.callbackClient);
        acc.callbackBefore.push(r.callbackBefore);
        acc.callbackAfter.push(r.callbackAfter);
        acc.files ??= r.files;
        const raw = r.files.reduce((sum, f) => sum + f.body.length, 0);
        if (raw !== acc.files.reduce((sum, f) => sum + f.body.length, 0)) console.warn(`\n${lib}: round ${round + 1} downloaded ${raw} B, not the ${acc.files.reduce((sum, f) => sum + f.body.length, 0)} B of the first round (was pkg/ rebuilt during the bench?)`);
        acc.refreshToken &&= r.refreshToken;
      }
      progress(`round ${round + 1}/${ROUNDS} (${((performance.now() - t0) / 1000).toFixed(0)} s)`, round === ROUNDS - 1);
    }
    for (let round = 0; round < SLOW_ROUNDS; round += 1) {
      for (const lib of rotated(round)) {
        results[lib].slowReady.push(await retried(`${lib} slow import → ready`, () => slowReady(lib)));
        results[lib].slowRedirect.push(await retried(`${lib} slow navigation → redirect`, () => slowRedirect(lib)));
      }
      progress(`slow network round ${round + 1}/${SLOW_ROUNDS} (${((performance.now() - t0) / 1000).toFixed(0)} s)`, round === SLOW_ROUNDS - 1);
    }
    if (process.env.BENCH_DEBUG) for (const lib of LIBRARIES) console.log(lib, JSON.stringify(Object.fromEntries(['ready', 'us', 'callback', 'callbackClient', 'callbackBefore', 'callbackAfter', 'slowReady', 'slowRedirect'].map((k) => [k, results[lib][k].map((x) => +x.toFixed(1))]))));
    if (blocked.length) console.log(`blocked ${blocked.length} request(s) off 127.0.0.1, e.g. ${blocked[0]}`);

    const report = tabulate(results);
    console.log();
    console.log(textReport(report));
    const meta = { date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), chromium: version, node: process.version, cores: cpus().length, nodeLine, versions: await versions() };
    await writeFile(join(BENCH, 'results.md'), markdownReport(report, meta));
    await writeFile(join(BENCH, 'results.svg'), svgChart(report, meta));
    console.log('\nwritten: bench/results.md, bench/results.svg');
  } finally {
    await browser?.close();
    child.kill();
    await app.close();
  }
}

// The peers' installed versions, and the commit oauth-wasm's pkg/ was (presumably) built from.
async function versions() {
  const out = {};
  for (const lib of PEERS) out[lib] = JSON.parse(await readFile(join(ROOT, 'node_modules', lib, 'package.json'), 'utf8')).version;
  try {
    const git = (...args) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    out.commit = git('rev-parse', '--short', 'HEAD') + (git('status', '--porcelain', '--', 'src', 'js', 'Cargo.toml', 'scripts/build.sh') ? ' + uncommitted changes' : '');
  } catch {
    out.commit = 'unknown';
  }
  return out;
}

// One line of the old Node micro-bench; skipped if the package's Node entry cannot load.
async function nodeMicroBench() {
  try {
    const { generatePkce } = await import('oauth-wasm');
    let n = 0;
    const end = performance.now() + 500;
    while (performance.now() < end) { generatePkce(); n += 1; }
    return `node ${process.version}: oauth-wasm generatePkce ${(n * 2).toLocaleString('en')} /s`;
  } catch (e) {
    console.log(`node micro-bench skipped: ${e.message}`);
    return null;
  }
}

// ------------------------------------------------------------------------------- reporting

function tabulate(results) {
  const bytes = {};
  for (const lib of LIBRARIES) {
    const files = results[lib].files.map(({ path, body }) => ({
      path,
      raw: body.length,
      gzip: gzipSync(body, { level: 9 }).length,
      brotli: brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length } }).length,
    }));
    const sum = (k) => files.reduce((s, f) => s + f[k], 0);
    bytes[lib] = { files, raw: sum('raw'), gzip: sum('gzip'), brotli: sum('brotli') };
  }
  const timing = (key) => Object.fromEntries(LIBRARIES.map((lib) => [lib, {
    ...summary(results[lib][key]),
    interval: lib === BASELINE ? null : ratioInterval(results[lib][key], results[BASELINE][key]),
  }]));
  return {
    bytes,
    refreshTokens: Object.fromEntries(LIBRARIES.map((lib) => [lib, results[lib].refreshToken])),
    timings: [
      { key: 'ready', label: 'import → ready client', short: 'import → ready client', unit: 'ms', rows: timing('ready') },
      { key: 'us', label: 'sign-in URL (PKCE, state, nonce, audience)', short: 'one sign-in URL', unit: 'µs', rows: timing('us') },
      { key: 'callback', label: 'callback → tokens (code exchange)', short: 'callback → tokens', unit: 'ms', rows: timing('callback') },
      { key: 'callbackClient', label: '… of it the library\'s work (without the token request)', short: 'callback: library work', unit: 'ms', rows: timing('callbackClient') },
      { key: 'callbackBefore', label: '… until the token request starts', unit: 'ms', rows: timing('callbackBefore') },
      { key: 'callbackAfter', label: '… after its answer has ended', unit: 'ms', rows: timing('callbackAfter') },
    ],
    slow: [
      { key: 'slowReady', label: 'import → ready client', short: 'slow network: import → ready client', unit: 'ms', rows: timing('slowReady') },
      { key: 'slowRedirect', label: 'navigation → redirect to /auth', short: 'slow network: navigation → redirect', unit: 'ms', rows: timing('slowRedirect') },
    ],
  };
}

function textReport(report) {
  const w0 = 4 + Math.max(...[...report.timings, ...report.slow].map((m) => `  ${m.label}, ${m.unit}`.length));
  const w = 40;
  const head = `${''.padEnd(w0)}${LIBRARIES.map((l) => l.padEnd(w)).join('')}`;
  const lines = [];
  const base = report.bytes[BASELINE];
  lines.push(`bytes downloaded for the job (JS modules + wasm, per file compressed, summed)`);
  lines.push(head);
  for (const [k, label] of [['raw', 'raw'], ['gzip', 'gzip -9'], ['brotli', 'brotli (q11)']]) {
    lines.push(`${`  ${label}`.padEnd(w0)}${LIBRARIES.map((l) => `${kb(report.bytes[l][k])} (${ratio(report.bytes[l][k], base[k])})`.padEnd(w)).join('')}`);
  }
  lines.push(`${'  files'.padEnd(w0)}${LIBRARIES.map((l) => `${report.bytes[l].files.length}`.padEnd(w)).join('')}`);
  const block = (title, measures) => {
    lines.push('', title, head);
    for (const m of measures) {
      const b = m.rows[BASELINE].median;
      lines.push(`${`  ${m.label}, ${m.unit}`.padEnd(w0)}${LIBRARIES.map((l) => `${fixed(m.rows[l].median)} / p95 ${fixed(m.rows[l].p95)} (${ratioWith(m.rows[l], b)})`.padEnd(w)).join('')}`);
    }
  };
  block(`timings, median / p95 (× oauth4webapi of the medians [95% interval]), ${ROUNDS} rounds`, report.timings);
  block(`slow network (150 ms latency, 1.6 Mbit/s down, 0.75 up, cache off), ${SLOW_ROUNDS} rounds`, report.slow);
  return lines.join('\n');
}

function markdownReport(report, meta) {
  const base = report.bytes[BASELINE];
  const row = (cells) => `| ${cells.join(' | ')} |`;
  const head = [row(['', ...LIBRARIES]), row(['---', ...LIBRARIES.map(() => '---:')])];
  const timingTable = (measures) => [
    ...head,
    ...measures.map((m) => row([`${m.label}, ${m.unit}`, ...LIBRARIES.map((l) => `**${fixed(m.rows[l].median)}** (p95 ${fixed(m.rows[l].p95)}) · ${ratioWith(m.rows[l], m.rows[BASELINE].median)}`)])),
  ];
  const files = LIBRARIES.map((l) => `- ${l}: ${report.bytes[l].files.map((f) => `\`${f.path}\` ${f.raw.toLocaleString('en')} B`).join(', ')}`);
  const noRefresh = LIBRARIES.filter((l) => !report.refreshTokens[l]);
  return `# oauth-wasm, oidc-client-ts and oauth4webapi side by side

Written by \`npm run bench\` (bench/bench.mjs) on ${meta.date}: headless Chromium ${meta.chromium},
Node ${meta.node}, ${meta.cores} cores; ${ROUNDS} rounds, ${SLOW_ROUNDS} on the slow network, ${URL_REPS} sign-in URLs per
round. Versions: oauth-wasm as built in \`pkg/\` (source: commit ${meta.versions.commit}), served as
built; oidc-client-ts ${meta.versions['oidc-client-ts']} and oauth4webapi ${meta.versions.oauth4webapi}, each bundled and minified by
esbuild (bench/entries/) into one ES module, as an app's bundler would serve them.

The machines that run this are shared and noisy (another build may be running): the ratios
within one run matter more than the absolute times.

Each library does the same job on its own page, in a fresh browser context per round, the
three interleaved: discovery, a sign-in URL with PKCE S256, state, nonce and two audiences
(one \`audience\` parameter, space-separated), the local provider's login and consent pages
(oidc-provider on 127.0.0.1, in a Node.js process of its own), the callback on the page's
redirect URI, the code exchange. The bench checks every sign-in URL and that the access
token's \`aud\` holds both audiences.

## Bytes downloaded for the job

JS modules and wasm the page fetched from the app origin (not the HTML page, not the
provider's pages); each file compressed alone, then summed; 1 KB = 1024 bytes.

${head.join('\n')}
${[['raw', 'raw'], ['gzip', 'gzip -9'], ['brotli', 'brotli (quality 11)']].map(([k, label]) => row([label, ...LIBRARIES.map((l) => `**${kb(report.bytes[l][k])}** · ${ratio(report.bytes[l][k], base[k])}`)])).join('\n')}

${files.join('\n')}

## Timings

Median (p95, nearest rank: with few rounds the slowest) over the rounds, and the median's ratio
to oauth4webapi's with its 95% interval in brackets (a paired bootstrap over the rounds: where
the interval holds 1, this run cannot tell the two apart).

${timingTable(report.timings).join('\n')}

On an emulated slow network (Chromium network emulation: 150 ms latency, 1.6 Mbit/s down,
0.75 Mbit/s up, cache disabled):

${timingTable(report.slow).join('\n')}

- **import → ready client**: from just before the page's dynamic \`import()\` of the library to
  a client that can build a sign-in URL, discovery done. oauth-wasm: \`OAuthClient.create()\`
  resolved (the wasm fetched and instantiated); oidc-client-ts: a \`UserManager\` whose
  \`metadataService.getMetadata()\` resolved; oauth4webapi: \`processDiscoveryResponse()\` resolved.
- **sign-in URL**: one authorization URL with PKCE S256, state, nonce and the audience, the
  pending login stored (sessionStorage; oidc-client-ts's stateStore). Median over ${URL_REPS} calls
  timed in batches of ${URL_BATCH} (the page's clock is coarse), storage reset between batches.
  oidc-client-ts: \`OidcClient.createSigninRequest\` (what \`UserManager.signinRedirect\` uses);
  the app passes it a nonce. oauth4webapi: its PKCE/state/nonce helpers, the query written by
  the app.
- **callback → tokens**: on the redirect URI, with a ready client, from the callback handler
  (\`handleCallback\`, \`signinRedirectCallback\`, \`validateAuthResponse\` +
  \`authorizationCodeGrantRequest\` + \`processAuthorizationCodeResponse\`) to the tokens. **… of
  it the library's work**: the same minus the token request's own duration from Resource Timing
  (request start → response end), which is the provider's and the network's and varies the most;
  split into the part **until the token request starts** (the callback's checks, the pending
  login read, the request built and handed to \`fetch\`) and the part **after its answer has
  ended** (reading the body, the answer's checks, any ID token signature check, storing the
  session).
- **navigation → redirect**: a page that signs in as soon as it loads: from its navigation
  start (\`performance.timeOrigin\`) to just before \`location.assign()\` of the authorization URL
  (HTML page, library download, discovery, sign-in URL).
${noRefresh.length ? `\nNo refresh token came back for: ${noRefresh.join(', ')}.\n` : ''}${meta.nodeLine ? `\nNode micro-bench: ${meta.nodeLine}.\n` : ''}
![oauth-wasm, oidc-client-ts and oauth4webapi side by side](results.svg)
`;
}

function svgChart(report, meta) {
  const panels = [
    { title: 'JS + wasm downloaded, gzip -9 (KB)', values: LIBRARIES.map((l) => report.bytes[l].gzip / 1024), fmt: (v) => `${v.toFixed(1)} KB` },
    ...[...report.timings, ...report.slow].filter((m) => m.short).map((m) => ({
      title: `${m.short} (${m.unit})`,
      values: LIBRARIES.map((l) => m.rows[l].median),
      fmt: (v) => `${fixed(v)} ${m.unit}`,
    })),
  ];
  const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const W = 760;
  const colW = W / 2;
  const top = 70;
  const panelH = 104;
  const labelW = 104;
  const barMax = colW - labelW - 92;
  const barH = 18;
  const rows = Math.ceil(panels.length / 2);
  const H = top + rows * panelH + 24;
  const out = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(`<text x="16" y="26" font-size="16" font-weight="600" fill="#212529">Sign-in job in headless Chromium: medians (shorter is better)</text>`);
  LIBRARIES.forEach((lib, i) => {
    const x = 16 + i * 150;
    out.push(`<rect x="${x}" y="40" width="12" height="12" fill="${COLOURS[lib]}"/><text x="${x + 18}" y="50" fill="#212529">${esc(lib)}</text>`);
  });
  out.push(`<text x="${W - 16}" y="50" text-anchor="end" fill="#868e96">${esc(`${meta.date.slice(0, 10)} · Chromium ${meta.chromium.split('.')[0]} · ${ROUNDS} rounds`)}</text>`);
  panels.forEach((p, i) => {
    const x0 = (i % 2) * colW + 16;
    const y0 = top + Math.floor(i / 2) * panelH;
    const max = Math.max(...p.values);
    out.push(`<text x="${x0}" y="${y0 + 14}" font-weight="600" fill="#343a40">${esc(p.title)}</text>`);
    p.values.forEach((v, k) => {
      const y = y0 + 24 + k * (barH + 6);
      const w = Math.max(1, (v / max) * barMax);
      out.push(`<text x="${x0}" y="${y + 13}" fill="#495057">${esc(LIBRARIES[k])}</text>`);
      out.push(`<rect x="${x0 + labelW}" y="${y}" width="${w.toFixed(1)}" height="${barH}" fill="${COLOURS[LIBRARIES[k]]}"/>`);
      out.push(`<text x="${(x0 + labelW + w + 6).toFixed(1)}" y="${y + 13}" fill="#212529">${esc(p.fmt(v))}</text>`);
    });
  });
  out.push(`<text x="16" y="${H - 8}" fill="#868e96">Shared, noisy machine: compare the ratios, not the absolute times. Details: bench/results.md</text>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

await main();
