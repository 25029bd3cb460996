// Entry for browsers and bundlers: the wasm is fetched and instantiated once, at import
// (top-level await), so every export is ready to use after `import`.
import init from './oauth_wasm.js';

await init({ module_or_path: new URL('./oauth_wasm_bg.wasm', import.meta.url) });

export * from './api.js';
