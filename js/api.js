// The public API of oauth-wasm, over the main module's bindings (./wasm.js).
// The entries (index.js for browsers and bundlers, node.js for Node) instantiate the wasm,
// then re-export this module. The protocol runs in Rust, the session's rules included; this
// file moves strings, performs the HTTP round trips the Rust side describes, keeps the
// session where `storage` says (store.js), orders refreshes under a lock, emits events and
// shapes errors.
import { OAuthError, toError, guard, json, send, fetchAnswer, takeMismatch, ready, noteNonce, nonceFor } from './shared.js';
import * as wasm from './wasm.js';
import { openStore, makeLock, keyStore } from './store.js';
import { lazyModule } from './lazy.js';

export { OAuthError, ready };

const EVENTS = ['tokenRefreshed', 'tokenExpiring', 'signedOut', 'error', 'audienceMismatch'];
const TRANSACTION = 'oauth-wasm:tx:';

// The discovery request for options that will need one (issuer only, https or loopback
// http), sent before the wasm module is ready: `{ request, answer }`, or undefined.
const prefetchDiscovery = (options) => {
  const issuer = options?.issuer;
  if (typeof issuer !== 'string' || options.authorizationEndpoint !== undefined || options.tokenEndpoint !== undefined) return undefined;
  if (/[\s#@]/.test(issuer) || !/^(https:\/\/|http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/])/.test(issuer)) return undefined;
  const request = { method: 'GET', url: `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`, headers: { Accept: 'application/json' } };
  const answer = fetchAnswer(request, options.requestTimeout);
  answer.catch(() => {}); // judged (or dropped) once the wasm is ready
  return { request, answer };
};

// The providers' JWK Sets (jwks_uri answers), by request: `[at, answer]`, fetched once per page,
// and again when an ID token names a key the cached set lacks (rotation). Only an answer with
// status 200 is kept, for 10 minutes from `at`: in memory, and in sessionStorage so that the
// page the provider sends the user back to checks the ID token without a request of its own
// beside the token request (the sign-in page fetches it once `create()` has resolved). A stored
// copy stamped in the future, older than that or unreadable is not used.
const KEY_SETS = 'oauth-wasm:jwks:';
const keySets = new Map();
const young = (at) => (at = Date.now() - at) >= 0 && at < 6e5;
const keySet = (request, again, timeout) => {
  const name = KEY_SETS + request;
  let entry = !again && keySets.get(request);
  if (!entry || !young(entry[0])) {
    entry = undefined;
    try {
      const stored = JSON.parse(sessionStorage[name]);
      if (!again && young(stored[0])) entry = [stored[0], Promise.resolve(stored.slice(1))];
    } catch {}
    entry ||= [Date.now(), send(request, (detail) => wasm.transportError(3, detail), timeout).then((fetched) => {
      if (fetched[0] !== 200) keySets.delete(request);
      else try {
        sessionStorage[name] = JSON.stringify([Date.now(), ...fetched]);
      } catch {}
      return fetched;
    })];
    keySets.set(request, entry);
    entry[1].catch(() => keySets.get(request) === entry && keySets.delete(request));
  }
  return entry[1];
};
// An array whose every element (holes included) is a string.
const isStringArray = (value) => Array.isArray(value) && Array.from(value).every((v) => typeof v === 'string');

// A chunk of the package's JavaScript, fetched on first use; a failed fetch is retried by the
// next use.
const chunk = (load, name) => {
  let loaded;
  return () => (loaded ??= load().catch((e) => {
    loaded = undefined;
    throw new OAuthError('wasm_load_failed', `the ${name} module could not be loaded: ${e?.message ?? e}`);
  }));
};
// The DPoP key code (dpop.js), fetched with the DPoP wasm when `dpop` is on.
const loadDpop = chunk(() => import('./dpop.js'), 'DPoP');
// The account flows' JavaScript alone (account.js), for client.fetch's origin check.
const loadAccount = chunk(() => import('./account.js'), 'account');
// Popup sign-in (popup.js).
const loadPopup = chunk(() => import('./popup.js'), 'popup');
// IndexedDB and the tabs of a 'shared' session (idb.js).
const loadIdb = chunk(() => import('./idb.js'), 'IndexedDB');
// The DPoP key of the session named `name` (`shared` across tabs, else this tab's own; requests
// end after `timeout` ms without an answer):
// `thumbprint(fresh)`, `appProof()`, `forget()`, `remove()`, and `send()` / `fetch()` with proofs.
const dpopKey = (name, shared, timeout) => {
  let key;
  const deps = { OAuthError, lazyModule, nonceFor, noteNonce, send: (request, onFailure) => send(request, onFailure, timeout), keyStore };
  const call = (method) => (...args) => loadDpop()
    .then((chunk) => (key ??= chunk.dpopKey(name, shared, deps))[method](...args));
  return { thumbprint: call('thumbprint'), appProof: call('appProof'), forget: call('forget'), remove: call('remove'), send: call('send'), fetch: call('fetch') };
};

// Drops the pending logins (sessionStorage) of the client `key` (issuer and client id) not
// started within the last `lifetime` seconds: a state, nonce and PKCE verifier left in the tab by
// a sign-in that never came back. Every one with `lifetime` -1 (sign-out); unreadable ones too.
// (A login stamped in the future, by a clock set back since, is kept, as the core accepts it.)
// The login of the page's own callback URL is left to handleCallback, which then reports it
// expired (login_expired) rather than unknown.
const sweep = (key, lifetime) => {
  const own = loginKey(globalThis.location?.href);
  for (const name of Object.keys(globalThis.sessionStorage ?? {})) {
    if (name.startsWith(TRANSACTION) && name !== own) {
      try {
        const login = JSON.parse(sessionStorage[name]);
        if (`${login.issuer} ${login.clientId}` === key && !(Date.now() / 1e3 - login.at < lifetime)) throw 0;
      } catch {
        sessionStorage.removeItem(name);
      }
    }
  }
};

// The sessionStorage key of the pending login a callback URL's state names.
const loginKey = (url) => TRANSACTION + /[?&]state=([^&#]*)/.exec(url)?.[1];
// Puts `value` under the pending login's `key`, or removes it (no value).
const keep = (key, value) => {
  try {
    if (value === undefined) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, value);
  } catch {}
};

const notSignedIn = () => new OAuthError('login_required', 'not signed in: call signinRedirect');
const storageError = (e) => new OAuthError('platform_error', `session storage failed: ${e?.message ?? e}`);

export class OAuthClient {
  #inner;
  // Callback URLs being handled: a second call for the same URL while the first is in
  // flight (React StrictMode runs effects twice) shares its exchange instead of failing.
  #callbacks = new Map();
  // getAccessToken calls in flight, by options: concurrent calls share one (single-flight).
  #flights = new Map();
  #handlers = new Map(EVENTS.map((name) => [name, new Set()]));
  #settings;
  // allowedAudiences, when set: the mirror of the Hydra client's audience metadata.
  #allowed;
  #store;
  #lock;
  #channel;
  // The last session read or written (its JSON), for the synchronous getUser().
  #session = null;
  #timer;
  // create()'s timer that fetches the provider's keys for the sign-in page's callback.
  #soon;
  // With dpop: the session's DPoP key (dpop.js).
  #dpop;
  // What the account module (refresh, sign-out, UserInfo) rebuilds the client from: the
  // options' JSON and the discovery answer's content type and body ('' without discovery).
  #context;
  // What account.js works with (#inside).
  #in;

  /** Use `await OAuthClient.create(options)`. */
  constructor(inner) {
    if (!(inner instanceof wasm.Client)) throw new TypeError('use await OAuthClient.create(options)');
    this.#inner = inner;
  }

  /** Validates the options, runs discovery unless both endpoints are given, loads the session. */
  static async create(options) {
    // Discovery goes out while the wasm module still loads; its answer is used only if the
    // request the Rust side then describes is exactly this one.
    const early = prefetchDiscovery(options);
    // A page's first sessionStorage access waits for the browser to hand over the tab's storage
    // area (Chromium: a synchronous call; 0.5–0.6 ms on the bench's callback page). Taken now,
    // while the wasm and discovery are in flight, not in the callback's critical path.
    try {
      sessionStorage.length;
    } catch {}
    await ready();
    const context = [json(options), '', ''];
    const inner = guard(() => new wasm.Client(context[0]));
    const discovery = inner.discoveryRequest();
    if (discovery !== undefined) {
      const request = JSON.parse(discovery);
      const same = early && JSON.stringify(request) === JSON.stringify(early.request);
      const answer = await (same ? early.answer : fetchAnswer(request, options.requestTimeout)).catch((e) => {
        throw toError(wasm.transportError(0, e.detail));
      });
      guard(() => inner.discovered(...answer));
      context[1] = answer[1];
      context[2] = answer[2];
    }
    const client = new OAuthClient(inner);
    client.#context = context;
    // Hydra could not parse a value: it would refuse every request (invalid_config). The list's
    // shape has been checked by the Rust side.
    if (options.allowedAudiences !== undefined) {
      client.#allowed = [...options.allowedAudiences];
      (await lazyModule('audience'))('check_allowed', client.#allowed, client.#allowed.length);
    }
    await client.#init();
    // Not signed in: sign-in is next, and its callback page will need the provider's keys
    // (fetched once create() has resolved, not before).
    if (!client.#session && /\bopenid\b/.test(options.scope ?? 'openid')) client.#soon = setTimeout(() => client.#prefetchKeys());
    return client;
  }

  async #init() {
    const settings = (this.#settings = JSON.parse(this.#inner.settings()));
    const shared = settings.storage === 'shared';
    // 'shared': the tabs' channel and refresh lock, from the IndexedDB chunk the store loads anyway.
    if (shared) ({ channel: this.#channel, lock: this.#lock } = (await loadIdb()).tabs(settings.key, (data) => this.#heard(data), OAuthError));
    if (settings.storage === 'session' && !globalThis.sessionStorage) {
      throw new OAuthError('unsupported_environment', "storage 'session' needs sessionStorage");
    }
    if (settings.dpop) {
      if (!globalThis.crypto?.subtle || !crypto.randomUUID) throw new OAuthError('unsupported_environment', 'dpop needs WebCrypto (a secure context)');
      this.#dpop = dpopKey(settings.key, shared, settings.requestTimeout);
      lazyModule('dpop').catch(() => {}); // fetched now; a failure surfaces at sign-in
      loadDpop().catch(() => {});
    }
    sweep(settings.key, settings.loginLifetime);
    this.#store = openStore(settings.storage, settings.key);
    this.#lock ??= makeLock(`oauth-wasm:refresh:${settings.key}`);
    if (settings.autoRefresh) globalThis.document?.addEventListener('visibilitychange', () => this.#schedule());
    // Errors found now are emitted once `create` has resolved, so handlers attached right
    // after it hear them.
    await this.#load((error) => setTimeout(() => this.#emit('error', error)));
    this.#schedule();
  }

  /**
   * Builds the authorization URL and remembers the login (sessionStorage, by state). With PAR
   * (RFC 9126) the parameters are pushed first and the URL carries only client_id and request_uri.
   */
  async createSigninRequest(options = {}) {
    if (this.#allowed) await this.#precheck(options);
    // DPoP: the authorization code is bound to the key (dpop_jkt); a new key unless signed in.
    const jkt = this.#dpop ? await this.#dpop.thumbprint(!this.#session, this.#context[2]) : '';
    const { url, par, state } = JSON.parse(guard(() => this.#inner.createSigninRequest(json(options), jkt)));
    if (!par) return { url, state };
    try {
      const answer = await this.#send(par, (detail) => wasm.transportError(4, detail));
      return { url: guard(() => this.#inner.pushed(...answer)), state };
    } catch (e) {
      // The login was never sent to the browser: nothing may be left of it.
      globalThis.sessionStorage?.removeItem(TRANSACTION + state);
      throw e;
    }
  }

  /** `createSigninRequest`, then navigates to the authorization URL. */
  async signinRedirect(options = {}) {
    const { url } = await this.createSigninRequest(options);
    if (!globalThis.location) throw new OAuthError('platform_error', 'navigation to the authorization endpoint failed: no location');
    globalThis.location.assign(url);
  }

  /**
   * Sign-in in a popup: opens it at once (call this from the click handler), navigates it to
   * the authorization URL and resolves the tokens, as `handleCallback` does, with the session
   * started in this window. The popup lands on the redirect URI, whose `handleCallback()` hands
   * the callback back here over a BroadcastChannel and closes the popup. Rejects with
   * `popup_blocked`, `popup_closed`, `timeout` (`popupTimeout` ms, default 5 minutes) or the
   * callback's own error. Takes the options of `createSigninRequest`, and `popupTimeout`.
   */
  signinPopup(options = {}) {
    // Opened before anything is awaited: popup blockers allow the window a click opens. The
    // chunk refuses what is missing (popup_blocked, unsupported_environment, invalid_config).
    const popup = globalThis.BroadcastChannel && globalThis.open?.('', '_blank', 'popup,width=520,height=680');
    return loadPopup().then((c) => c.signinPopup(OAuthError, popup, this, options, TRANSACTION), (e) => {
      popup?.close();
      throw e;
    });
  }

  // With allowedAudiences, a request Hydra would refuse is refused here, before anything is
  // stored, a new DPoP key included (invalid_audience, naming the value as Hydra's hint does).
  // The audiences are the sign-in's, else the client's; the audience module reads them as
  // createSigninRequest would. A value that is not a string or strings is left to
  // createSigninRequest, which refuses it with the error it always gives.
  async #precheck(options) {
    let requested = options?.audience;
    if (requested === undefined) requested = JSON.parse(this.#context[0]).audience ?? [];
    if (typeof requested === 'string') requested = [requested];
    if (isStringArray(requested)) {
      (await lazyModule('audience'))('precheck', [...this.#allowed, ...requested], this.#allowed.length);
    }
  }

  /**
   * Validates the callback URL, exchanges the code, starts the session, returns the tokens.
   * The checks before the code leaves run here (the main module); the token endpoint's answer
   * and the ID token are judged by the account module, which a callback page fetches as it
   * loads, meanwhile. The pending login is used once: removed once the callback is judged, put
   * back when the token request gets no answer (the code was not spent), and put back with the
   * token answer when the ID token cannot be checked yet (no JWK Set, the module not loaded,
   * a trap), so that the same URL finishes later without a second code exchange (within the
   * login's `loginLifetime`). A trap (internal_error) never consumes it.
   */
  handleCallback(url = globalThis.location?.href) {
    url = String(url);
    let running = this.#callbacks.get(url);
    if (!running) {
      running = (async () => {
        const key = loginKey(url);
        let stored = null;
        try {
          stored = sessionStorage.getItem(key);
        } catch {}
        const now = Math.floor(Date.now() / 1000);
        let request;
        try {
          request = guard(() => this.#inner.callback(url, stored ?? '', now));
        } catch (e) {
          if (stored !== null && e.code !== 'internal_error') keep(key);
          // No login of this tab's for the state: a popup's callback, whose opener has it.
          if (e.code !== 'state_mismatch' || stored !== null) throw e;
          return loadPopup().then((c) => c.handOff(OAuthError, url, e), () => { throw e; });
        }
        const login = JSON.parse(stored);
        keep(key);
        let answer = login.answer;
        if (!answer) {
          const sent = this.#send(request, (detail) => wasm.transportError(1, detail));
          // The JWK Set is read (sessionStorage) or fetched while the token request is in
          // flight, instead of by create()'s timer.
          clearTimeout(this.#soon);
          this.#prefetchKeys();
          try {
            answer = await sent;
          } catch (e) {
            keep(key, stored);
            throw e;
          }
        }
        const account = await lazyModule('account').catch((e) => {
          keep(key, JSON.stringify({ ...login, answer }));
          throw e;
        });
        const result = await account.signedIn(this.#inside(), url, key, stored, login, answer, String(now));
        const tokens = takeMismatch(result.tokens, (detail) => this.#emit('audienceMismatch', detail));
        await this.#lock(() => this.#save(result.session));
        // With storage 'memory' the DPoP key, stored to survive the redirect, lives with the page from now on.
        if (this.#settings.storage === 'memory') await this.#dpop?.forget();
        this.#post('signedIn');
        this.#schedule();
        return tokens;
      })().finally(() => this.#callbacks.delete(url));
      this.#callbacks.set(url, running);
    }
    return running;
  }

  /**
   * An access token for `audience` and `scope` (the client's by default): a cached one that
   * does not expire within `expirySkew`, else one from a refresh grant; `login_required` when
   * there is no session left.
   */
  async getAccessToken(options = {}) {
    const key = json(options);
    let flight = this.#flights.get(key);
    if (!flight) {
      flight = this.#token(key, false).finally(() => this.#flights.delete(key));
      this.#flights.set(key, flight);
    }
    return flight;
  }

  /** Forces a refresh-token grant (for the client's audience and scope unless given). */
  async refresh(options = {}) {
    return this.#token(json(options), true);
  }

  /** The signed-in user's ID token claims, or null. */
  getUser() {
    const claims = this.#session && guard(() => this.#inner.user(this.#session));
    return claims ? JSON.parse(claims) : null;
  }

  /**
   * GET UserInfo with an access token asked for without audience; its `sub` must be the user's.
   * Runs in the account module, fetched on first use.
   */
  async userinfo() {
    const token = await this.getAccessToken({ audience: [] });
    return (await lazyModule('account')).userinfo(this.#inside(), token);
  }

  /**
   * Revokes the refresh token (RFC 7009) when the provider can, clears the session and every
   * pending login of this client, then navigates to the provider's end_session_endpoint when it has one (else
   * to `postLogoutRedirectUri`, when given). Runs in the account module, fetched on first use.
   */
  async signout({ postLogoutRedirectUri } = {}) {
    // Without the module (it could not be loaded) the provider is not told, but the local
    // sign-out still happens; the call then rejects with the load failure.
    const [account, unavailable] = await lazyModule('account').then((m) => [m], (e) => [null, e]);
    const plan = await this.#lock(async () => {
      const session = await this.#load();
      const post = postLogoutRedirectUri === undefined ? [] : [String(postLogoutRedirectUri)];
      const plan = account ? await account.signout(this.#inside(), session, post) : {};
      await this.#end();
      return plan;
    });
    sweep(this.#settings.key, -1);
    if (unavailable) throw unavailable;
    // Without an end_session_endpoint, the post-logout URI is still where the user lands.
    const target = plan.endSession ?? postLogoutRedirectUri;
    if (target) globalThis.location.assign(target);
  }

  /**
   * `fetch(input, init)` with the access token for `audience`/`scope` (cached or refreshed):
   * `Authorization: Bearer …`, or with `dpop` `Authorization: DPoP …` and a proof bound to the
   * token (`ath`), retried once on the resource server's `use_dpop_nonce` challenge. Resolves
   * the final Response. Only to a trusted origin (an https or loopback audience's or resource's,
   * or one of `trustedOrigins`; account.js `trustOrigin`), else `untrusted_origin` before any request.
   */
  async fetch(input, init, options = {}) {
    const request = new Request(input, init);
    (await loadAccount()).trustOrigin(OAuthError, request.url, options, this.#context[0]);
    const { accessToken, tokenType } = await this.getAccessToken(options);
    if (this.#dpop) return this.#dpop.fetch(request, tokenType, accessToken);
    request.headers.set('Authorization', `${tokenType} ${accessToken}`);
    return fetch(request);
  }

  /** A DPoP proof for a request the app sends itself (`ath` when `accessToken` is given). Needs `dpop: true`. */
  async dpopProof(options) {
    if (!this.#dpop) throw new OAuthError('invalid_config', 'dpopProof needs the option dpop: true');
    return this.#dpop.appProof(options);
  }

  // `send`, with a DPoP proof when dpop is on (dpop.js), sent again once with the server's new
  // nonce when it asks for one.
  #send(request, onFailure, accessToken) {
    return this.#dpop ? this.#dpop.send(request, onFailure, accessToken) : send(request, onFailure, this.#settings.requestTimeout);
  }

  /** Calls `handler` on each `event`; returns the function that unsubscribes it. */
  on(event, handler) {
    const handlers = this.#handlers.get(event);
    if (!handlers) throw new OAuthError('invalid_config', `unknown event "${event}"; known: ${EVENTS.join(', ')}`);
    if (typeof handler !== 'function') throw new OAuthError('invalid_config', 'the event handler must be a function');
    const entry = (detail) => handler(detail);
    handlers.add(entry);
    return () => handlers.delete(entry);
  }

  async #token(options, force) {
    if (!force) {
      const cached = await this.#cached(options);
      if (cached) return cached;
    }
    // The refresh grant runs in the account module, fetched on first use (before the lock, so
    // that other tabs do not wait for the download).
    return (await lazyModule('account')).refresh(this.#inside(), options, force);
  }

  // What the account flows (account.js) work with: the client's inside and the entry's helpers.
  #inside() {
    return (this.#in ??= {
      OAuthError, toError, takeMismatch, notSignedIn, transportError: wasm.transportError,
      context: this.#context,
      select: (session, options) => guard(() => this.#inner.select(session, options)),
      load: () => this.#load(),
      save: (session) => this.#save(session),
      send: (...args) => this.#send(...args),
      lock: (task) => this.#lock(task),
      keep,
      jwks: () => guard(() => this.#inner.jwksRequest()),
      keySet: (request, again) => keySet(request, again, this.#settings.requestTimeout),
      end: () => this.#end(),
      emit: (event, detail) => this.#emit(event, detail),
      post: (type) => this.#post(type),
      schedule: () => this.#schedule(),
      session: () => this.#session,
      token: () => this.getAccessToken(),
      timer: (fn, delay) => {
        clearTimeout(this.#timer);
        this.#timer = setTimeout(fn, delay);
      },
      prefetchKeys: () => this.#prefetchKeys(),
    });
  }

  // The JWK Set is fetched while the token request is in flight (once per page).
  #prefetchKeys() {
    try {
      const request = this.#inner.jwksRequest();
      if (request) keySet(request, false, this.#settings.requestTimeout).catch(() => {});
    } catch {
      // reported by the ID token's check (account.js), if an ID token comes
    }
  }

  async #cached(options) {
    const session = await this.#load();
    if (!session) throw notSignedIn();
    const token = guard(() => this.#inner.select(session, options));
    return token && JSON.parse(token);
  }

  // Reads the stored session; unreadable or foreign data is discarded with an `error` event.
  // What this client last read or wrote is already known good, so only new data is checked
  // (getAccessToken then parses the session once, in select, not twice).
  async #load(report = (error) => this.#emit('error', error)) {
    let raw;
    try {
      raw = await this.#store.get();
    } catch (e) {
      throw storageError(e);
    }
    if (raw != null && raw !== this.#session) {
      try {
        this.#inner.user(raw);
      } catch (e) {
        await this.#store.clear().catch(() => {});
        report(toError(e));
        raw = null;
      }
    }
    return (this.#session = raw ?? null);
  }

  async #save(session) {
    try {
      await this.#store.set(session);
    } catch (e) {
      throw storageError(e);
    }
    this.#session = session;
  }

  async #end() {
    clearTimeout(this.#timer);
    await this.#store.clear().catch((e) => this.#emit('error', storageError(e)));
    await this.#dpop?.remove().catch((e) => this.#emit('error', storageError(e)));
    const had = this.#session !== null;
    this.#session = null;
    this.#post('signedOut');
    if (had) this.#emit('signedOut');
  }

  #post(type) {
    this.#channel?.postMessage({ type });
  }

  // Another tab of a 'shared' session signed in, refreshed or signed out.
  async #heard({ type }) {
    const had = this.#session !== null;
    await this.#load().catch((e) => this.#emit('error', e));
    if (type === 'signedOut' && had) this.#emit('signedOut');
    this.#schedule();
  }

  // autoRefresh: the renewal's timer, set by the account module's side (account.js `schedule`,
  // where the token's expiry is read; the renewal needs that module anyway), never while the
  // page is hidden (visibilitychange reschedules).
  #schedule() {
    clearTimeout(this.#timer);
    const session = this.#session;
    if (this.#settings?.autoRefresh && session && !globalThis.document?.hidden) {
      lazyModule('account').then((m) => m.schedule(this.#inside(), session, this.#settings.expirySkew)).catch((e) => this.#emit('error', toError(e)));
    }
  }

  // A throwing handler must not break the SDK's own flow: its error is reported, not thrown.
  #emit(event, detail) {
    const handlers = this.#handlers.get(event);
    if (event === 'error' && handlers.size === 0) console.warn('oauth-wasm:', detail);
    for (const handler of handlers) {
      try {
        handler(detail);
      } catch (e) {
        queueMicrotask(() => { throw e; });
      }
    }
  }
}

/** A fresh PKCE pair (RFC 7636, S256). */
export const generatePkce = () => JSON.parse(guard(() => wasm.generatePkce()));

/** The exact `audience=` query value the authorization URL carries for `list`. */
export const encodeAudience = (list, encoding = 'percent') => guard(() => wasm.encodeAudience(json(list), String(encoding)));

/** The audience list an `audience=` query value decodes to, as a server decodes it. */
export const decodeAudience = async (queryValue) =>
  JSON.parse((await lazyModule('audience'))('decode', [String(queryValue)], 1));

/** Throws `OAuthError` `invalid_audience` (naming the value and why) unless `value` is a valid audience. */
export const validateAudience = (value) => {
  if (typeof value !== 'string') throw new OAuthError('invalid_audience', 'an audience must be a string');
  guard(() => wasm.validateAudience(value));
  return value;
};

/** `value` as a list of strings, else `invalid_audience` naming `what`. */
const stringList = (value, what) => {
  if (!isStringArray(value)) throw new OAuthError('invalid_audience', `${what} must be an array of strings`);
  return Array.from(value);
};

/**
 * Every reason Ory Hydra would refuse `requested` for a client allowed `allowed`; empty when it
 * allows it. Async: the matching is a wasm module of its own, fetched on first use.
 */
export const explainAudience = async (allowed, requested) => {
  const [a, r] = [stringList(allowed, 'allowed'), stringList(requested, 'requested')];
  return JSON.parse((await lazyModule('audience'))('explain', [...a, ...r], a.length));
};

/** Whether Ory Hydra allows `requested` for a client whose `audience` metadata is `allowed`. */
export const audienceAllowed = async (allowed, requested) => (await explainAudience(allowed, requested)).length === 0;

/** Node.js only: this is the browser build, where a client secret must never be. */
export const clientCredentials = async () => {
  throw new OAuthError(
    'unsupported_environment',
    'clientCredentials runs only in Node.js: a client secret has no place in a browser',
  );
};
