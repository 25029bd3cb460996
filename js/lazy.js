// The wasm modules fetched on first use (src/lazy/), over the raw ABI (abi.js): 'audience'
// (Hydra's matching; its exports take `allowed ++ requested` and the split between them),
// 'account' (refresh grants, sign-out and UserInfo; its exports take the client options, the
// discovery answer and the session first; the entries' source resolves it to the flows of
// account.js over its call function) and 'dpop' (DPoP proofs).
import { OAuthError, toError } from './shared.js';
import { pass, read, instantiate } from './abi.js';

const sources = {};
const modules = {};

/**
 * The entry says how lazy module `name` ('audience', 'account') is loaded: `load(instantiate)`
 * fetches or reads it and resolves to `instantiate(Response | bytes)`.
 */
export const setModuleSource = (name, load) => { sources[name] = load; };

// A module's call function: export `name` over `strings` with one number (a split, a status,
// a flag); returns its text, throws its error as an OAuthError. The modules keep nothing
// between calls: after a trap (internal_error) the next call runs on a fresh instance.
const bind = ({ module, instance }) => {
  let x = instance.exports;
  return (name, strings, num = 0) => {
    try {
      return read(x, x[name](...pass(x, strings), num));
    } catch (e) {
      if (typeof e !== 'string') x = new WebAssembly.Instance(module).exports;
      throw toError(e);
    }
  };
};
const instantiateModule = async (from) => bind(await instantiate(from));

/** Lazy module `name`'s call function, fetched and instantiated once (a failed load is retried). */
export const lazyModule = (name) => (modules[name] ??= Promise.resolve()
  .then(() => sources[name](instantiateModule))
  .catch((e) => {
    modules[name] = undefined;
    throw e instanceof OAuthError ? e : new OAuthError('wasm_load_failed', `the ${name} module could not be loaded: ${e?.message ?? e}`);
  }));
