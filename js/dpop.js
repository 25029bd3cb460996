// DPoP (RFC 9449), with `dpop: true`: one non-extractable ECDSA P-256 key pair per session,
// made by WebCrypto and kept in IndexedDB (a CryptoKey survives structured cloning; the
// private key never leaves WebCrypto), and proofs: the DPoP module (src/lazy/dpop.rs) writes
// what is signed, WebCrypto signs it here.
//
// A chunk of its own (pkg/dpop.js), fetched beside the DPoP wasm only when `dpop` is on
// (−0.38 KB gzip on the first download). It imports nothing: what it needs of the entry comes
// in as `deps`, so the bundle keeps no chunk shared with the entry (no module waterfall).

const base64url = (buffer) => btoa(String.fromCharCode(...new Uint8Array(buffer))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

// A DPoP server's request for a (new) nonce: the token endpoint's `use_dpop_nonce` error (RFC
// 9449 §8), or a resource server's WWW-Authenticate challenge with it (§9).
const nonceChallenge = (status, body, challenge) =>
  (status === 400 && /"use_dpop_nonce"/.test(body)) || (status === 401 && /use_dpop_nonce/.test(challenge ?? ''));

// One id per tab (sessionStorage): the DPoP key of a tab's own session ('memory' or 'session'
// storage) is its own, and survives the redirect to the provider and back.
const tabId = () => {
  const name = 'oauth-wasm:dpop-tab';
  let id = globalThis.sessionStorage?.getItem(name);
  if (!id) {
    id = crypto.randomUUID();
    globalThis.sessionStorage?.setItem(name, id);
  }
  return id;
};

// A key no page has used for a week (that of a tab long closed, whose session storage went with
// it) is deleted when a page next loads this chunk (a client with `dpop: true`); using a key
// stamps it again, at most once a day. A session whose refresh token outlives a week without
// use needs a sign-in again.
const DAY = 864e5;
if (globalThis.indexedDB) import('./idb.js').then((idb) => idb.sweep('dpop:', Date.now() - 7 * DAY)).catch(() => {});

/**
 * The DPoP key of the session named `name` (the same for every tab when `shared`, else this
 * tab's own), kept in `keyStore`: `thumbprint(fresh)`, `proof()`, `appProof()`, `forget()`,
 * `remove()`, and `send()` / `fetch()`, which attach proofs. `deps`: the entry's `OAuthError`,
 * `lazyModule`, `nonceFor`, `noteNonce`, `send` and `keyStore`.
 */
export const dpopKey = (name, shared, { OAuthError, lazyModule, nonceFor, noteNonce, send, keyStore }) => {
  const store = keyStore(`dpop:${shared ? name : `${name} ${tabId()}`}`);
  // WebCrypto or IndexedDB refused (a private window's storage, a locked-down engine).
  const refused = (what) => (e) => {
    throw e instanceof OAuthError ? e : new OAuthError('platform_error', `${what}: ${e?.message ?? e}`);
  };
  let current;
  const make = async () => {
    const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
    const key = { privateKey: pair.privateKey, jwk: JSON.stringify(await crypto.subtle.exportKey('jwk', pair.publicKey)), at: Date.now() };
    await store.set(key);
    return key;
  };
  // A stored key in use is stamped again (at most daily), so that no sweep takes it.
  const touch = (key) => {
    if (key && !(Date.now() - key.at < DAY)) store.set({ ...key, at: Date.now() }).catch(() => {});
    return key;
  };
  const load = () => (current ??= store.get().then((key) => touch(key) ?? make()).catch((e) => {
    current = undefined;
    refused('the DPoP key could not be made or read')(e);
  }));
  const key = {
    /**
     * The key's RFC 7638 thumbprint (`dpop_jkt`); of a new key pair when `fresh`. Refuses first
     * (invalid_config) when the `discovery` answer's body does not offer DPoP.
     */
    async thumbprint(fresh, discovery) {
      (await lazyModule('dpop'))('offered', [discovery]);
      const { jwk } = await (fresh ? (current = make().catch(refused('the DPoP key could not be made or stored'))) : load());
      return (await lazyModule('dpop'))('thumbprint', [jwk]);
    },
    /** A proof for `method` `url` (with `ath` when an access token is given), with the newest nonce of its origin. */
    async proof(method, url, accessToken = '') {
      const [{ privateKey, jwk }, dpop] = await Promise.all([load(), lazyModule('dpop')]);
      const input = dpop('proof', [jwk, method, url, crypto.randomUUID(), nonceFor(url) ?? '', accessToken], Math.floor(Date.now() / 1000));
      const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, privateKey, new TextEncoder().encode(input)).catch(refused('the DPoP proof could not be signed'));
      return `${input}.${base64url(signature)}`;
    },
    /** `client.dpopProof(options)`: a proof for `url` (resolved against the page's), `method` (GET by default) and `accessToken`. */
    appProof({ url, method = 'GET', accessToken } = {}) {
      let href;
      try {
        href = new URL(url, globalThis.location?.href).href;
      } catch {
        throw new OAuthError('invalid_config', `dpopProof: "${url}" is not a URL`);
      }
      return key.proof(String(method).toUpperCase(), href, accessToken ?? '');
    },
    /** Keeps the key in this page only (storage 'memory': it had to be stored to survive the redirect). */
    forget: () => store.clear(),
    remove() {
      current = undefined;
      return store.clear();
    },
    /** The entry's `send(request, onFailure)` with a proof, sent again once with the server's new nonce when it asks for one. */
    async send(request, onFailure, accessToken) {
      request = typeof request === 'string' ? JSON.parse(request) : request;
      for (let retry = false; ; retry = true) {
        request.headers = { ...request.headers, DPoP: await key.proof(request.method, request.url, accessToken) };
        const answer = await send(request, onFailure);
        if (retry || !nonceChallenge(answer[0], answer[2], answer[3])) return answer;
      }
    },
    /** `fetch(request)` with the access token and a proof bound to it (`ath`), sent again once on the resource server's nonce challenge. */
    async fetch(request, tokenType, accessToken) {
      for (let retry = false; ; retry = true) {
        const attempt = request.clone();
        attempt.headers.set('Authorization', `${tokenType} ${accessToken}`);
        attempt.headers.set('DPoP', await key.proof(attempt.method, attempt.url, accessToken));
        const response = await fetch(attempt);
        noteNonce(attempt.url, response.headers);
        if (retry || !nonceChallenge(response.status, '', response.headers.get('www-authenticate'))) return response;
      }
    },
  };
  return key;
};
