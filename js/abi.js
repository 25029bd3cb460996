// The raw ABI of the wasm modules (src/abi.rs): strings go in as one buffer the module lends
// (`input(len)`: `[count][len][UTF-8]…`, little-endian u32s) and come back as one
// (`[len][UTF-8]`); an answer starting with `oauth-wasm:` is a tagged error, thrown as it is
// for `toError` to turn into an OAuthError.
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const TAG = 'oauth-wasm:';

/** Writes `strings` into a buffer of `x` (a module's exports): `[ptr, len]`. */
export const pass = (x, strings) => {
  const parts = strings.map((s) => encoder.encode(s));
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
  return [ptr, size];
};

/** The text at `out` in `x`'s memory; throws it when it is a tagged error. */
export const read = (x, out) => {
  const len = new DataView(x.memory.buffer).getUint32(out, true);
  const text = decoder.decode(new Uint8Array(x.memory.buffer, out + 4, len));
  if (text.startsWith(TAG)) throw text;
  return text;
};

// The ABI and operations these bindings speak (src/abi.rs `ABI_VERSION`, the same number).
export const ABI_VERSION = 3;

/**
 * Instantiates a module from a Response (streaming compile) or bytes: `{ module, instance }`.
 * A module of another ABI version (a stale cached file, a mismatched deployment) is refused,
 * naming both versions; the loaders report it as `wasm_load_failed`.
 */
export const instantiate = async (source, imports = {}) => {
  const made = await (source instanceof Response ? WebAssembly.instantiateStreaming(source, imports) : WebAssembly.instantiate(source, imports));
  const version = made.instance.exports.abi_version?.();
  if (version !== ABI_VERSION) throw new Error(`the module's ABI version is ${version}, and this JavaScript's ${ABI_VERSION}`);
  return made;
};

export { encoder, decoder };
