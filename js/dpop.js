// DPoP (RFC 9449), with `dpop: true`: one non-extractable ECDSA P-256 key pair per session,
// made by WebCrypto and kept in IndexedDB (a CryptoKey survives structured cloning; the
// private key never leaves WebCrypto), and proofs: the DPoP module (src/lazy/dpop.rs) writes
// what is signed, WebCrypto signs it here.
//
// A chunk of its own (pkg/dpop.js), fetched beside the DPoP wasm only when `dpop` is on
// (−0.38 KB gzip on the first download). It imports nothing: what it needs of the entry comes
// in as `deps`, so the bundle keeps no chunk shared with the entry (no module waterfall).

const base64url = (buffer) => btoa(String.fromCharCode(...new Uint8Array(buffer))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/**
 * The DPoP key kept in `store`: `thumbprint(fresh)`, `proof()`, `forget()`, `remove()`. `deps`:
 * the entry's `OAuthError`, `lazyModule` and `nonceFor`.
 */
export const dpopKey = (store, { OAuthError, lazyModule, nonceFor }) => {
  // WebCrypto or IndexedDB refused (a private window's storage, a locked-down engine).
  const refused = (what) => (e) => {
    throw e instanceof OAuthError ? e : new OAuthError('platform_error', `${what}: ${e?.message ?? e}`);
  };
  let current;
  const make = async () => {
    const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
    const key = { privateKey: pair.privateKey, jwk: JSON.stringify(await crypto.subtle.exportKey('jwk', pair.publicKey)) };
    await store.set(key);
    return key;
  };
  const load = () => (current ??= store.get().then((key) => key ?? make()).catch((e) => {
    current = undefined;
    refused('the DPoP key could not be made or read')(e);
  }));
  return {
    /** The key's RFC 7638 thumbprint (`dpop_jkt`); of a new key pair when `fresh`. */
    async thumbprint(fresh) {
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
    /** Keeps the key in this page only (storage 'memory': it had to be stored to survive the redirect). */
    forget: () => store.clear(),
    remove() {
      current = undefined;
      return store.clear();
    },
  };
};
