// The package users get: `npm pack` of pkg/, installed into a fresh app (not the work tree),
// bundled by webpack 5 with no configuration for oauth-wasm, run in headless Chromium against
// the local provider: sign-in with two audiences and a token per API. Prints the gzip bytes of
// what webpack emitted for the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import webpack from 'webpack';
import { launchChromium, loginAndConsent, jwtClaims, loopbackContext, serveBuiltApp, ALLOWED_AUDIENCES } from './harness.mjs';

const cleanup = [];
after(async () => { for (const fn of cleanup.reverse()) await fn(); });

let origin;
let browser;
let outDir;

before(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'oauth-wasm-tarball-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  // The tarball, and an app that installs it (the package has no dependencies: no registry).
  const pkg = fileURLToPath(new URL('../../pkg/', import.meta.url));
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: pkg, encoding: 'utf8' }));
  const app = join(dir, 'app');
  await cp(fileURLToPath(new URL('../tarball/app/', import.meta.url)), join(app, 'src'), { recursive: true });
  await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'tarball-app', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--offline', join(dir, packed.filename)], { cwd: app, stdio: 'pipe' });

  outDir = join(dir, 'dist');
  const stats = await new Promise((resolve, reject) => webpack({
    mode: 'production',
    context: app,
    entry: './src/main.js',
    output: { path: outDir, filename: 'main.js', publicPath: '/' },
    resolve: { modules: [join(app, 'node_modules')] },
    performance: false,
  }, (err, s) => (err ? reject(err) : resolve(s))));
  assert.ok(!stats.hasErrors(), stats.toString('errors-only'));
  await writeFile(join(outDir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>webpack app</title><button id="signin">Sign in</button><script src="/main.js"></script>');

  const served = await serveBuiltApp(outDir);
  cleanup.push(served.close);
  origin = served.origin;
  browser = await launchChromium();
  cleanup.push(() => browser.close());
});

test('webpack 5, from the packed tarball with no configuration: sign-in with two audiences, a token per API', async () => {
  const context = await loopbackContext(browser);
  const page = await context.newPage();
  const fetched = new Map();
  page.on('response', async (r) => {
    const url = new URL(r.url());
    if (url.origin === origin && /\.(js|wasm)$/.test(url.pathname)) fetched.set(url.pathname, (await r.body()).length);
  });
  try {
    await page.goto(`${origin}/`);
    await page.waitForSelector('body[data-state="ready"]');
    await page.click('#signin');
    await loginAndConsent(page);
    await page.waitForSelector('body[data-result]');
    const result = JSON.parse(await page.getAttribute('body', 'data-result'));
    assert.equal(result.error, undefined, result.description);
    assert.equal(result.sub, 'alice');
    for (const audience of ALLOWED_AUDIENCES) assert.ok([jwtClaims(result.tokens[audience]).aud].flat().includes(audience), audience);
    // What the sign-in job fetched of webpack's output, gzip -9 per file.
    const files = await readdir(outDir);
    const job = [...fetched.keys()].map((path) => path.slice(1)).filter((f) => files.includes(f));
    assert.ok(job.some((f) => f.endsWith('.wasm')), `the wasm came from webpack's output: ${job}`);
    let gzip = 0;
    for (const f of job) gzip += gzipSync(await readFile(join(outDir, f)), { level: 9 }).length;
    console.log(`webpack 5: the sign-in job fetched ${job.join(', ')}: ${gzip} B gzip -9`);
  } finally {
    await context.close();
  }
});
