// The wasm modules fetched on first use (src/lazy/): today Hydra's audience matching. Their
// raw ABI: `input(len)` gives a buffer for `[count][len][UTF-8]…` strings, an export takes it
// back and returns a pointer to `[len][UTF-8]` (its result text, or a tagged error).
import { OAuthError, toError } from './shared.js';

let source;
let audience;

/**
 * The entry says how the audience module is loaded: `load(instantiate)` fetches or reads it and
 * resolves to `instantiate(Response | bytes)`.
 */
export const setAudienceSource = (load) => { source = load; };

const instantiate = async (from) => {
  const { instance } = from instanceof Response
    ? await WebAssembly.instantiateStreaming(from, {})
    : await WebAssembly.instantiate(from, {});
  const x = instance.exports;
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  // Calls export `name` over `allowed ++ requested`; returns its text, throws its error.
  return (name, allowed, requested) => {
    const parts = [...allowed, ...requested].map((s) => encoder.encode(s));
    const size = parts.reduce((n, p) => n + 4 + p.length, 4);
    const ptr = x.input(size);
    const view = new DataView(x.memory.buffer, ptr, size);
    const bytes = new Uint8Array(x.memory.buffer, ptr, size);
    view.setUint32(0, parts.length, true);
    let at = 4;
    for (const p of parts) {
      view.setUint32(at, p.length, true);
      bytes.set(p, at + 4);
      at += 4 + p.length;
    }
    const out = x[name](ptr, size, allowed.length);
    const len = new DataView(x.memory.buffer).getUint32(out, true);
    const text = decoder.decode(new Uint8Array(x.memory.buffer, out + 4, len));
    if (text.startsWith('oauth-wasm:')) throw toError(text);
    return text;
  };
};

/** The audience module's call function, fetched and instantiated once (a failed load is retried). */
export const audienceModule = () => (audience ??= Promise.resolve()
  .then(() => source(instantiate))
  .catch((e) => {
    audience = undefined;
    throw e instanceof OAuthError ? e : new OAuthError('wasm_load_failed', `the audience module could not be loaded: ${e?.message ?? e}`);
  }));

/** `value` as a list of strings, else `invalid_audience` naming `what`. */
export const stringList = (value, what) => {
  const ok = Array.isArray(value) && Array.from(value).every((v) => typeof v === 'string');
  if (!ok) throw new OAuthError('invalid_audience', `${what} must be an array of strings`);
  return Array.from(value);
};
