// The package users get: `npm pack` of pkg/, installed into a fresh app (not the work tree),
// built by each bundler with exactly the configuration the README gives for it, and run in
// headless Chromium against the local provider: sign-in with two audiences and a token per
// API, then a refresh grant (in the account module, which the callback page fetches). webpack 5, Vite (its build
// and its dev server) and a page with an import map need nothing for oauth-wasm; esbuild and
// Rollup take the package's plugin (oauth-wasm/plugins), since neither emits the assets
// `new URL(…, import.meta.url)` names. Prints the gzip bytes the sign-in job fetched.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import webpack from 'webpack';
import { build as viteBuild, createServer as createViteServer } from 'vite';
import * as esbuild from 'esbuild';
import { rollup } from 'rollup';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { launchChromium, loginAndConsent, jwtClaims, loopbackContext, serveBuiltApp, ALLOWED_AUDIENCES } from './harness.mjs';
import { startProvider, CLIENT_ID } from '../../scripts/provider.mjs';

const cleanup = [];
after(async () => { for (const fn of cleanup.reverse()) await fn(); });

let dir;
let app;
let plugins;
let browser;
// The package's own files of a sign-in (the page's and the callback page's), for the comparison.
let ownBytes = 0;

const page = (script) => `<!doctype html><meta charset="utf-8"><title>app</title><button id="signin">Sign in</button><button id="refresh">Refresh</button>${script}`;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'oauth-wasm-tarball-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  // The tarball, and an app that installs it (the package has no dependencies: no registry).
  const pkg = fileURLToPath(new URL('../../pkg/', import.meta.url));
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: pkg, encoding: 'utf8' }));
  app = join(dir, 'app');
  await cp(fileURLToPath(new URL('../tarball/app/', import.meta.url)), join(app, 'src'), { recursive: true });
  await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'tarball-app', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--offline', join(dir, packed.filename)], { cwd: app, stdio: 'pipe' });
  // The plugins as the installed package exports them, imported from the app's own config.
  await writeFile(join(app, 'plugins.mjs'), "export * from 'oauth-wasm/plugins';\n");
  plugins = await import(pathToFileURL(join(app, 'plugins.mjs')).href);
  for (const f of ['index.js', 'oauth_wasm_bg.wasm', 'account.js', 'oauth_wasm_account.wasm']) ownBytes += gzipSync(await readFile(join(pkg, f)), { level: 9 }).length;
  browser = await launchChromium();
  cleanup.push(() => browser.close());
});

// Each bundler: its build of src/main.js into `out`, with the page that loads it.
const builds = {
  'webpack 5 (no configuration for oauth-wasm)': async (out) => {
    const stats = await new Promise((resolve, reject) => webpack({
      mode: 'production',
      context: app,
      entry: './src/main.js',
      output: { path: out, filename: 'main.js', publicPath: '/' },
      resolve: { modules: [join(app, 'node_modules')] },
      performance: false,
    }, (err, s) => (err ? reject(err) : resolve(s))));
    assert.ok(!stats.hasErrors(), stats.toString('errors-only'));
    await writeFile(join(out, 'index.html'), page('<script src="/main.js"></script>'));
  },
  'Vite (no configuration for oauth-wasm)': async (out) => {
    await writeFile(join(app, 'index.html'), page('<script type="module" src="/src/main.js"></script>'));
    await viteBuild({ root: app, configFile: false, logLevel: 'silent', build: { outDir: out, emptyOutDir: true } });
  },
  'esbuild, ES modules with splitting (plugins: [oauthWasmEsbuild()])': async (out) => {
    const result = await esbuild.build({
      absWorkingDir: app, entryPoints: ['src/main.js'], bundle: true, minify: true, format: 'esm', splitting: true, outdir: out,
      plugins: [plugins.oauthWasmEsbuild()], logLevel: 'silent',
    });
    assert.deepEqual(result.warnings, []);
    await writeFile(join(out, 'index.html'), page('<script type="module" src="/main.js"></script>'));
  },
  "esbuild, its default format (iife) (plugins: [oauthWasmEsbuild()])": async (out) => {
    const result = await esbuild.build({
      absWorkingDir: app, entryPoints: ['src/main.js'], bundle: true, minify: true, outdir: out,
      plugins: [plugins.oauthWasmEsbuild()], logLevel: 'silent',
    });
    assert.deepEqual(result.warnings, []);
    await writeFile(join(out, 'index.html'), page('<script src="/main.js"></script>'));
  },
  'Rollup (plugins: [nodeResolve({ browser: true }), oauthWasmRollup()])': async (out) => {
    const warnings = [];
    const bundle = await rollup({
      input: join(app, 'src/main.js'),
      plugins: [nodeResolve({ browser: true, rootDir: app }), plugins.oauthWasmRollup()],
      onwarn: (w) => warnings.push(w.message),
    });
    await bundle.write({ dir: out, format: 'es' });
    await bundle.close();
    assert.deepEqual(warnings, []);
    await writeFile(join(out, 'index.html'), page('<script type="module" src="/main.js"></script>'));
  },
  'a page with an import map, no build step': async (out) => {
    await cp(app, out, { recursive: true });
    const map = JSON.stringify({ imports: { 'oauth-wasm': '/node_modules/oauth-wasm/index.js' } });
    await writeFile(join(out, 'index.html'), page(`<script type="importmap">${map}</script><script type="module" src="/src/main.js"></script>`));
  },
};

// The app at `origin`, in a fresh loopback-only context: sign-in through the provider's pages
// with a token per API, then a refresh grant. `{ result, refreshed, atSignin, fetched }`: what the
// page showed, and the .js/.wasm paths it fetched from `origin` (with their Content-Type) by the
// end of the sign-in job and by the end.
async function signInAndRefresh(origin) {
  const context = await loopbackContext(browser);
  const tab = await context.newPage();
  const fetched = new Map();
  tab.on('response', (r) => {
    const url = new URL(r.url());
    if (url.origin === origin && /\.(js|wasm)$/.test(url.pathname)) fetched.set(decodeURIComponent(url.pathname.slice(1)), r.headers()['content-type']);
  });
  try {
    await tab.goto(`${origin}/`);
    await tab.waitForSelector('body[data-state="ready"], body[data-result]');
    await tab.click('#signin');
    await loginAndConsent(tab);
    await tab.waitForSelector('body[data-result]');
    const result = JSON.parse(await tab.getAttribute('body', 'data-result'));
    assert.equal(result.error, undefined, result.description);
    assert.equal(result.sub, 'alice');
    for (const audience of ALLOWED_AUDIENCES) assert.ok([jwtClaims(result.tokens[audience]).aud].flat().includes(audience), audience);
    const atSignin = new Map(fetched);
    // A refresh grant, in the account module the callback page fetched.
    await tab.click('#refresh');
    await tab.waitForSelector('body[data-refreshed]');
    const refreshed = JSON.parse(await tab.getAttribute('body', 'data-refreshed'));
    assert.equal(refreshed.error, undefined, refreshed.description);
    assert.notEqual(refreshed.accessToken, result.tokens[refreshed.audience]);
    assert.ok([jwtClaims(refreshed.accessToken).aud].flat().includes(refreshed.audience));
    return { result, refreshed, atSignin, fetched };
  } finally {
    await context.close();
  }
}

let n = 0;
for (const [name, make] of Object.entries(builds)) {
  test(`${name}, from the packed tarball: sign-in with two audiences, a token per API, a refresh`, async () => {
    const out = join(dir, `out-${n++}`);
    await mkdir(out, { recursive: true });
    await make(out);
    const served = await serveBuiltApp(out);
    try {
      const { atSignin, fetched } = await signInAndRefresh(served.origin);
      // The wasm came from the bundler's output, as application/wasm (so it was streamed).
      const files = new Set(await readdir(out, { recursive: true }));
      const job = [...atSignin.keys()].filter((f) => files.has(f));
      // The main module, and the account module, which the callback page fetched for the code
      // exchange (and the refresh then used): each from the bundler's output, as application/wasm.
      const wasm = job.filter((f) => f.endsWith('.wasm'));
      assert.equal(wasm.length, 2, `two wasm modules fetched by the sign-in job: ${job}`);
      const accountModule = await readFile(new URL('../../pkg/oauth_wasm_account.wasm', import.meta.url));
      const same = await Promise.all(wasm.map(async (f) => (await readFile(join(out, f))).equals(accountModule)));
      assert.equal(same.filter(Boolean).length, 1, `one of them the account module: ${job}`);
      for (const f of wasm) assert.equal(fetched.get(f), 'application/wasm', f);
      let gzip = 0;
      for (const f of job) gzip += gzipSync(await readFile(join(out, f)), { level: 9 }).length;
      console.log(`${name}: the sign-in job fetched ${job.join(', ')}: ${gzip} B gzip -9 (${gzip - ownBytes >= 0 ? '+' : ''}${gzip - ownBytes} B beside the package's own ${ownBytes} B)`);
      // The refresh needed nothing more.
      const later = [...fetched.keys()].filter((f) => files.has(f) && !job.includes(f));
      assert.deepEqual(later, [], 'the refresh fetched nothing new');
    } finally {
      await served.close();
    }
  });
}

// Where apps are developed: Vite's dev server (its dependency optimizer pre-bundles the
// package), with no configuration for oauth-wasm either.
test("Vite's dev server, from the packed tarball: sign-in with two audiences, a token per API, a refresh", async () => {
  await writeFile(join(app, 'index.html'), page('<script type="module" src="/src/main.js"></script>'));
  const config = {};
  const server = await createViteServer({
    root: app, configFile: false, logLevel: 'silent', server: { host: '127.0.0.1', port: 0, strictPort: true },
    plugins: [{ name: 'config', configureServer: (s) => { s.middlewares.use('/config.json', (req, res) => res.end(JSON.stringify(config))); } }],
  });
  await server.listen();
  const origin = `http://127.0.0.1:${server.httpServer.address().port}`;
  const provider = await startProvider({ appOrigin: origin, redirectUris: [`${origin}/callback`] });
  config.client = { issuer: provider.issuer, clientId: CLIENT_ID, scope: 'openid offline_access api', audience: ALLOWED_AUDIENCES };
  try {
    const { fetched } = await signInAndRefresh(origin);
    const wasm = [...fetched.keys()].filter((f) => f.endsWith('.wasm'));
    assert.deepEqual(wasm.map((f) => f.replace(/^.*\//, '').replace(/\?.*$/, '')).sort(), ['oauth_wasm_account.wasm', 'oauth_wasm_bg.wasm'], `${wasm}`);
    for (const f of wasm) assert.equal(fetched.get(f), 'application/wasm', f);
  } finally {
    await server.close();
    await provider.close();
  }
});

// Without the plugin neither build fails, but the wasm is not in the output: the import still
// works, and create() rejects with an OAuthError that names what went wrong.
test('esbuild without the plugin: the import works, OAuthClient.create() rejects with wasm_load_failed', async () => {
  for (const format of ['esm', 'iife']) {
    const out = join(dir, `out-${n++}`);
    await esbuild.build({ absWorkingDir: app, entryPoints: ['src/main.js'], bundle: true, format, outdir: out, logLevel: 'silent' });
    assert.ok(!(await readdir(out)).some((f) => f.endsWith('.wasm')), 'esbuild emitted no wasm');
    await writeFile(join(out, 'index.html'), page(`<script ${format === 'esm' ? 'type="module" ' : ''}src="/main.js"></script>`));
    const served = await serveBuiltApp(out);
    const context = await loopbackContext(browser);
    try {
      const tab = await context.newPage();
      const errors = [];
      tab.on('pageerror', (e) => errors.push(e.message));
      await tab.goto(`${served.origin}/`);
      await tab.waitForSelector('body[data-result]');
      const result = JSON.parse(await tab.getAttribute('body', 'data-result'));
      assert.equal(result.error, 'wasm_load_failed', format);
      assert.match(result.description, format === 'esm' ? /main\.js|oauth_wasm_bg\.wasm: HTTP 404/ : /the wasm: no URL \(/, format);
      assert.deepEqual(errors, [], format);
    } finally {
      await context.close();
      await served.close();
    }
  }
});
