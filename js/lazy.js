// The wasm modules fetched on first use (src/lazy/): today Hydra's audience matching, whose
// exports take `allowed ++ requested` through the raw ABI (abi.js) and the split between them.
import { OAuthError, toError } from './shared.js';
import { pass, read, instantiate } from './abi.js';

let source;
let audience;

/**
 * The entry says how the audience module is loaded: `load(instantiate)` fetches or reads it and
 * resolves to `instantiate(Response | bytes)`.
 */
export const setAudienceSource = (load) => { source = load; };

// The module's call function: export `name` over `allowed ++ requested` (the first
// `allowed.length` strings); returns its text, throws its error as an OAuthError.
const bind = (x) => (name, allowed, requested) => {
  try {
    return read(x, x[name](...pass(x, [...allowed, ...requested]), allowed.length));
  } catch (e) {
    throw toError(e);
  }
};
const instantiateModule = async (from) => bind(await instantiate(from));

/** The audience module's call function, fetched and instantiated once (a failed load is retried). */
export const audienceModule = () => (audience ??= Promise.resolve()
  .then(() => source(instantiateModule))
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
