// The package under a bundler: Vite builds tests/bundler/app (importing 'oauth-wasm' from
// node_modules), and the built app runs in headless Chromium with its wasm emitted as an asset.
import { test, after } from 'node:test';
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

test('Vite bundles the package; the sync helpers work right after import', async () => {
  const outDir = await mkdtemp(join(tmpdir(), 'oauth-wasm-vite-'));
  cleanup.push(() => rm(outDir, { recursive: true, force: true }));
  await build({
    root: fileURLToPath(new URL('../bundler/app/', import.meta.url)),
    logLevel: 'silent',
    configFile: false,
    build: { outDir, emptyOutDir: true },
  });
  const assets = await readdir(join(outDir, 'assets'));
  assert.ok(assets.some((f) => f.endsWith('.wasm')), `the wasm is emitted as an asset: ${assets}`);

  const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
  const server = createServer(async (req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    try {
      const body = await readFile(join(outDir, path === '/' ? 'index.html' : path));
      res.writeHead(200, { 'content-type': types[extname(path)] ?? 'text/html' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => new Promise((resolve) => server.close(resolve)));

  const browser = await launchChromium();
  cleanup.push(() => browser.close());
  const page = await browser.newPage();
  await page.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort()));
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForFunction(() => document.getElementById('out').textContent !== '');
  const out = JSON.parse(await page.textContent('#out'));
  assert.equal(out.pkce.method, 'S256');
  assert.equal(out.pkce.challenge, createHash('sha256').update(out.pkce.verifier).digest('base64url'));
  assert.equal(out.audience, 'https%3A%2F%2Fapi.example.com%2Fuser%20b');
  assert.deepEqual(out.error, { isOAuthError: true, code: 'invalid_audience' });
  assert.equal(out.created, true);
});
