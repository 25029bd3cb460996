// Where the signed-in session is kept (the `storage` option), and the lock its refreshes run
// under. Values are the versioned session JSON the wasm writes and reads.

const memory = () => {
  let value = null;
  return { get: async () => value, set: async (v) => { value = v; }, clear: async () => { value = null; } };
};

// Per tab, survives reload.
const session = (key) => ({
  get: async () => sessionStorage.getItem(key),
  set: async (v) => sessionStorage.setItem(key, v),
  clear: async () => sessionStorage.removeItem(key),
});

// One session for every tab of the origin, in IndexedDB (idb.js: a chunk of its own, fetched
// on first use: −0.15 KB gzip on the first download of the other storages).
const shared = (key) => {
  const run = async (op, value) => (await import('./idb.js'))[op](key, value);
  return { get: () => run('get'), set: (v) => run('set', v), clear: () => run('clear') };
};

/** A value kept under `key` in IndexedDB where there is one (in memory otherwise): the DPoP keys. */
export const keyStore = (key) => (globalThis.indexedDB ? shared(key) : memory());

export const openStore = (kind, key) =>
  kind === 'shared' ? shared(key) : kind === 'session' ? session(`oauth-wasm:session:${key}`) : memory();

// Refreshes of one session never overlap, so a refresh token is never sent twice: within a tab
// a promise chain per lock name (shared by every client of that session in the page); across
// the tabs of 'shared' storage the Web Locks API (idb.js `tabs`).
const chains = new Map();
export const makeLock = (name) => (fn) => {
  const run = (chains.get(name) ?? Promise.resolve()).then(fn, fn);
  chains.set(name, run.catch(() => {}));
  return run;
};
