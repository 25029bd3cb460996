// Entry for Node.js ≥ 20: the wasm is read from disk and instantiated once, at import.
import { readFile } from 'node:fs/promises';
import { initSync } from './oauth_wasm.js';

// The server build: the browser's module plus the server grants (client credentials).
initSync({ module: await readFile(new URL('./oauth_wasm_server_bg.wasm', import.meta.url)) });

export * from './api.js';
// The server-side grants replace the browser build's refusing stubs.
export { clientCredentials } from './server.js';
