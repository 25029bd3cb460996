// A static server for the example SPA: www/ at `/`, the built package at `/pkg/`, the React
// example (built into target/www-react/) at `/react/`, and `/config.json` with the provider
// settings. Every unknown path without a file extension
// serves www/index.html, so `/callback` is the SPA too.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.ts': 'text/plain; charset=utf-8',
};

export async function startServer({ port = 0, config }) {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (path === '/config.json') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      return res.end(JSON.stringify(config));
    }
    // /react/: the React example as Vite built it (scripts/react-example.mjs).
    const [dir, rest] = path.startsWith('/pkg/') ? ['pkg', path.slice(5)]
      : path === '/react' || path.startsWith('/react/') ? ['target/www-react', path.slice(7)] : ['www', path.slice(1)];
    const file = extname(rest) ? rest : 'index.html';
    const full = normalize(join(root, dir, file));
    if (!full.startsWith(join(root, dir))) {
      res.writeHead(403);
      return res.end();
    }
    try {
      const body = await readFile(full);
      res.writeHead(200, { 'content-type': TYPES[extname(full)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, server, close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(r); }) };
}
