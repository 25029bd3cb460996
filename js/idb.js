// One session for every tab of the origin, in IndexedDB rather than localStorage: a read in an
// IndexedDB transaction sees every committed write of every tab, and set() resolves once its
// transaction has committed. (Chromium propagates localStorage writes to other tabs
// asynchronously, so a tab could read a refresh token another tab has already spent.)
// A chunk of its own (pkg/idb.js), imported by store.js on first use; it imports nothing.
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
export const get = async (key) => (await transact('readonly', (s) => s.get(key))) ?? null;
export const set = (key, value) => transact('readwrite', (s) => s.put(value, key));
export const clear = (key) => transact('readwrite', (s) => s.delete(key));
// Deletes the records under `prefix` (DPoP keys) stamped (`at`) before `before`; one without a
// stamp (kept by an older version) is stamped now, and judged by a later sweep.
export const sweep = (prefix, before) => transact('readwrite', (s) => {
  const request = s.openCursor(IDBKeyRange.bound(prefix, `${prefix}\uffff`));
  request.onsuccess = () => {
    const cursor = request.result;
    if (!cursor) return;
    const { value } = cursor;
    if (!(value?.at > 0)) cursor.update({ ...value, at: Date.now() });
    else if (value.at < before) cursor.delete();
    cursor.continue();
  };
  return request;
});

// What only 'shared' storage needs besides the store: the check that the engine has all of it,
// the channel the tabs tell each other on (`heard` gets what another tab posted) and the
// refresh lock across tabs (Web Locks API).
export const tabs = (key, heard, OAuthError) => {
  if (!(globalThis.indexedDB && globalThis.navigator?.locks && globalThis.BroadcastChannel)) {
    throw new OAuthError('unsupported_environment', "storage 'shared' needs IndexedDB, the Web Locks API and BroadcastChannel");
  }
  const channel = new BroadcastChannel(`oauth-wasm:${key}`);
  channel.onmessage = ({ data }) => heard(data);
  return { channel, lock: (fn) => navigator.locks.request(`oauth-wasm:refresh:${key}`, fn) };
};
