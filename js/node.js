// Entry for Node.js ≥ 20, shipped as one pre-built ES module: the wasm is read from disk and
// instantiated once, at import, so the synchronous helpers work right after it. A failed
// read does not break the import; calls then throw the OAuthError (`wasm_load_failed`).
import { readFile } from 'node:fs/promises';
import { init } from './wasm.js';
import { OAuthError, startLoading, ready } from './shared.js';
import { setModuleSource } from './lazy.js';

// The server build: the browser's module plus the server grants (client credentials).
const url = new URL('./oauth_wasm_server_bg.wasm', import.meta.url);
startLoading(readFile(url).then(init).catch((e) => {
  throw new OAuthError('wasm_load_failed', `could not load ${url.pathname}: ${e?.message ?? e}`);
}));
await ready().catch(() => {});
// Read when first used: Hydra's audience matching; DPoP proofs.
for (const name of ['audience', 'dpop']) {
  setModuleSource(name, (instantiate) => readFile(new URL(`./oauth_wasm_${name}.wasm`, import.meta.url)).then(instantiate));
}
// The account module comes with its JavaScript (account.js, inlined in this build).
setModuleSource('account', (instantiate) => Promise.all([readFile(new URL('./oauth_wasm_account.wasm', import.meta.url)).then(instantiate), import('./account.js')])
  .then(([call, chunk]) => chunk.flows(call)));

export * from './api.js';
// The server-side grants replace the browser build's refusing stubs.
export { clientCredentials } from './server.js';
