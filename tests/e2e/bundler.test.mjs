// The package under a bundler: Vite builds tests/bundler/app (importing 'oauth-wasm' from
// node_modules), and the built app runs in headless Chromium with its wasm emitted as an asset.
// The same build is then served the way misconfigured servers serve it: the wasm URL answered
// by the SPA's HTML fallback page, by a 404, or as application/octet-stream.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { launchChromium } from './harness.mjs';

const cleanup = [];
after(async () => { for (const fn of cleanup.reverse()) await fn(); });

let outDir;
let origin;
let browser;
// How the test server answers the .wasm request: 'asset' | 'html' | 'missing' | 'octet'.
let serveWasm = 'asset';

before(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'oauth-wasm-vite-'));
  cleanup.push(() => rm(outDir, { recursive: true, force: true }));
  await build({
    root: fileURLToPath(new URL('../bundler/app/', import.meta.url)),
    logLevel: 'silent',
    configFile: false,
    build: { outDir, emptyOutDir: true },
  });
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
  const server = createServer(async (req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    const wasm = path.endsWith('.wasm');
    if (wasm && serveWasm === 'missing') return res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    const file = path === '/' || (wasm && serveWasm === 'html') ? 'index.html' : path;
    try {
      const body = await readFile(join(outDir, file));
      const type = wasm && serveWasm === 'octet' ? 'application/octet-stream' : types[extname(file)] ?? 'text/html';
      res.writeHead(200, { 'content-type': type }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => new Promise((resolve) => server.close(resolve)));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await launchChromium();
  cleanup.push(() => browser.close());
});

async function run(mode) {
  serveWasm = mode;
  const page = await browser.newPage();
  const errors = [];
  const warnings = [];
  page.on('pageerror', (e) => errors.push(e));
  page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
  await page.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort()));
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => document.getElementById('out').textContent !== '');
  const out = JSON.parse(await page.textContent('#out'));
  await page.close();
  assert.deepEqual(errors, [], 'no uncaught error: the import itself never fails');
  return { out, warnings };
}

test('Vite emits the wasm as an asset; helpers refuse before ready() and work after it', async () => {
  const assets = await readdir(join(outDir, 'assets'));
  assert.ok(assets.some((f) => f.endsWith('.wasm')), `the wasm is emitted as an asset: ${assets}`);
  const { out, warnings } = await run('asset');
  assert.deepEqual(out.beforeReady, { isOAuthError: true, code: 'wasm_not_ready' });
  assert.equal(out.created, true);
  assert.equal(out.pkce.method, 'S256');
  assert.equal(out.pkce.challenge, createHash('sha256').update(out.pkce.verifier).digest('base64url'));
  assert.equal(out.audience, 'https%3A%2F%2Fapi.example.com%2Fuser%20b');
  assert.deepEqual(out.error, { isOAuthError: true, code: 'invalid_audience' });
  assert.deepEqual(warnings, []);
});

test("a server's HTML fallback page instead of the wasm: create() rejects with wasm_load_failed, naming the URL and what came back", async () => {
  const { out } = await run('html');
  assert.equal(out.created.isOAuthError, true);
  assert.equal(out.created.code, 'wasm_load_failed');
  assert.match(out.created.description, new RegExp(`could not load ${origin}/assets/[^ ]+\\.wasm: `));
  assert.match(out.created.description, /HTTP 200 text\/html starting 3c 21 64 6f \("<!doctype html>/);
  assert.match(out.created.description, /Content-Type: application\/wasm \(oauth-wasm README, "Serving the wasm"\)/);
  assert.deepEqual(out.afterFailure, { isOAuthError: true, code: 'wasm_load_failed' });
});

test('a missing wasm asset: create() rejects with wasm_load_failed and the status', async () => {
  const { out } = await run('missing');
  assert.equal(out.created.code, 'wasm_load_failed');
  assert.match(out.created.description, /\.wasm: HTTP 404 \(text\/plain\)/);
});

test('a wasm served as application/octet-stream still loads (without streaming), with a warning naming the fix', async () => {
  const { out, warnings } = await run('octet');
  assert.equal(out.created, true);
  assert.equal(out.audience, 'https%3A%2F%2Fapi.example.com%2Fuser%20b');
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /served as "application\/octet-stream" instead of application\/wasm/);
});
