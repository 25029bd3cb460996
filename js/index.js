// Entry for browsers and bundlers, shipped as one pre-built ES module. The wasm request
// starts as this module starts and compiles while it downloads (instantiateStreaming); the
// import itself never waits for it and never fails because of it: `OAuthClient.create()` and
// `ready()` wait, and report a failed load as an OAuthError (`wasm_load_failed`).
// `new URL('./….wasm', import.meta.url)` is the pattern bundlers find and emit as an asset.
import { init } from './wasm.js';
import { startLoading } from './shared.js';
import { loadWasm } from './load.js';
import { setModuleSource, lazyModule } from './lazy.js';

startLoading(loadWasm(() => new URL('./oauth_wasm_bg.wasm', import.meta.url), init));
// Fetched when first used: Hydra's audience matching; refresh grants, sign-out and UserInfo.
setModuleSource('audience', (instantiate) => loadWasm(() => new URL('./oauth_wasm_audience.wasm', import.meta.url), instantiate));
// The account module comes with its JavaScript, a chunk of its own (account.js), fetched beside it.
setModuleSource('account', (instantiate) => Promise.all([loadWasm(() => new URL('./oauth_wasm_account.wasm', import.meta.url), instantiate), import('./account.js')])
  .then(([call, chunk]) => chunk.flows(call)));
// A callback page (an authorization response in the query) runs the account module's code
// exchange: fetched now, beside the main module, not once handleCallback asks for it.
if (/[?&]state=/.test(globalThis.location?.search) && /[?&](code|error)=/.test(location.search)) lazyModule('account').catch(() => {});
// With dpop: true: DPoP proofs.
setModuleSource('dpop', (instantiate) => loadWasm(() => new URL('./oauth_wasm_dpop.wasm', import.meta.url), instantiate));

export * from './api.js';
