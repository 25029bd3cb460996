// Fetching a .wasm file in the browser, checking what came back, so that a missing asset, a
// server's HTML fallback page or a wrong media type becomes an OAuthError that says so (and
// the README section that says how to serve the file), not a CompileError at import.
import { OAuthError } from './shared.js';

const HOW = 'serve the file itself with Content-Type: application/wasm (oauth-wasm README, "Serving the wasm")';

const failed = (url, what) => new OAuthError('wasm_load_failed', `could not load ${url}: ${what}; ${HOW}`);

// The first bytes, as hex and as text, e.g. `3c 21 64 6f ("<!doctype html>…")`.
const head = (bytes) => {
  const first = bytes.subarray(0, 4);
  const hex = Array.from(first, (b) => b.toString(16).padStart(2, '0')).join(' ');
  const text = new TextDecoder().decode(bytes.subarray(0, 24)).replace(/[^\x20-\x7e]/g, '.');
  return `${hex || 'nothing'}${text ? ` ("${text}${bytes.length > 24 ? '…' : ''}")` : ''}`;
};

/**
 * Fetches the URL `where()` gives and resolves to what `WebAssembly.instantiateStreaming` takes
 * (the Response, when it is served as application/wasm) or else to the checked bytes; rejects
 * with an OAuthError `wasm_load_failed` naming the URL and what came back. `where` is a
 * function so that a bundle without `import.meta.url` (esbuild's iife without the package's
 * plugin) fails here, not at import.
 */
export const fetchWasm = async (where) => {
  let url;
  let response;
  try {
    url = where();
    response = await fetch(url, { credentials: 'same-origin' });
  } catch (e) {
    throw failed(url ?? 'the wasm', `${url ? 'no answer' : 'no URL'} (${e?.message ?? e})`);
  }
  const type = response.headers.get('content-type') ?? '';
  if (!response.ok) throw failed(url, `HTTP ${response.status}${type ? ` (${type})` : ''}`);
  if (/^application\/wasm\s*(;|$)/i.test(type)) return response;
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    throw failed(url, `HTTP ${response.status} ${type || 'without Content-Type'} starting ${head(bytes)}, not a WebAssembly module (00 61 73 6d)`);
  }
  console.warn(`oauth-wasm: ${url} is served as "${type}" instead of application/wasm, so it cannot be compiled while it downloads; ${HOW}`);
  return bytes;
};

/** Runs `instantiate` over `fetchWasm(where)`; a module that does not compile is `wasm_load_failed` too. */
export const loadWasm = async (where, instantiate) => {
  const source = await fetchWasm(where);
  // A copy of a streamed answer, to say what came back if it does not compile.
  const copy = source instanceof Response ? source.clone() : null;
  try {
    return await instantiate(source);
  } catch (e) {
    const bytes = copy ? new Uint8Array(await copy.arrayBuffer().catch(() => new ArrayBuffer(0))) : source;
    throw failed(where(), `what came back, starting ${head(bytes)}, does not compile for this version of oauth-wasm (${e?.message ?? e})`);
  }
};
