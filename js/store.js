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

// One session for every tab of the origin, in IndexedDB rather than localStorage: a read in an
// IndexedDB transaction sees every committed write of every tab, and set() resolves once its
// transaction has committed. (Chromium propagates localStorage writes to other tabs
// asynchronously, so a tab could read a refresh token another tab has already spent.)
let database;
const open = () => (database ??= new Promise((resolve, reject) => {
  const request = indexedDB.open('oauth-wasm', 1);
  request.onupgradeneeded = () => request.result.createObjectStore('sessions');
  request.onsuccess = () => resolve(request.result);
  request.onerror = () => reject(request.error);
}).catch((e) => {
  database = undefined; // a failed open (blocked, quota) is retried by the next call
  throw e;
}));
const transact = async (mode, op) => {
  const tx = (await open()).transaction('sessions', mode);
  const request = op(tx.objectStore('sessions'));
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve(request.result);
    tx.onerror = tx.onabort = () => reject(tx.error);
  });
};
const shared = (key) => ({
  get: async () => (await transact('readonly', (s) => s.get(key))) ?? null,
  set: (v) => transact('readwrite', (s) => s.put(v, key)),
  clear: () => transact('readwrite', (s) => s.delete(key)),
});

/** A value kept under `key` in IndexedDB where there is one (in memory otherwise): the DPoP keys. */
export const keyStore = (key) => (globalThis.indexedDB ? shared(key) : memory());

export const openStore = (kind, key) =>
  kind === 'shared' ? shared(key) : kind === 'session' ? session(`oauth-wasm:session:${key}`) : memory();

// Refreshes of one session never overlap, so a refresh token is never sent twice: within a tab
// a promise chain per lock name (shared by every client of that session in the page); across
// the tabs of 'shared' storage the Web Locks API.
const chains = new Map();
export const makeLock = (name, acrossTabs) => {
  if (acrossTabs) return (fn) => navigator.locks.request(name, fn);
  return (fn) => {
    const run = (chains.get(name) ?? Promise.resolve()).then(fn, fn);
    chains.set(name, run.catch(() => {}));
    return run;
  };
};
