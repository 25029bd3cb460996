// The public API of oauth-wasm, over the generated bindings (./oauth_wasm.js).
// The entries (index.js for browsers and bundlers, node.js for Node) instantiate the wasm,
// then re-export this module. The protocol runs in Rust; this file only moves strings,
// performs the HTTP round trips the Rust side describes, and shapes errors.
import { OAuthError, guard, json, send, exchangeTokens, wasm } from './shared.js';

export { OAuthError };

const EVENTS = ['audienceMismatch'];

export class OAuthClient {
  #inner;
  // Callback URLs being handled: a second call for the same URL while the first is in
  // flight (React StrictMode runs effects twice) shares its exchange instead of failing.
  #callbacks = new Map();
  #handlers = new Map(EVENTS.map((name) => [name, new Set()]));

  /** Use `await OAuthClient.create(options)`. */
  constructor(inner) {
    if (!(inner instanceof wasm.Client)) throw new TypeError('use await OAuthClient.create(options)');
    this.#inner = inner;
  }

  /** Validates the options and, unless both endpoints are given, runs discovery. */
  static async create(options) {
    const inner = guard(() => new wasm.Client(json(options)));
    const discovery = inner.discoveryRequest();
    if (discovery !== undefined) {
      const answer = await send(discovery, (detail) => wasm.transportError(0, detail));
      guard(() => inner.discovered(...answer));
    }
    return new OAuthClient(inner);
  }

  /** Builds the authorization URL and remembers the login (sessionStorage, by state). */
  async createSigninRequest(options = {}) {
    return JSON.parse(guard(() => this.#inner.createSigninRequest(json(options))));
  }

  /** `createSigninRequest`, then navigates to the authorization URL. */
  async signinRedirect(options = {}) {
    guard(() => this.#inner.signinRedirect(json(options)));
  }

  /** Validates the callback URL, exchanges the code, and returns the tokens. */
  handleCallback(url = globalThis.location?.href) {
    url = String(url);
    let running = this.#callbacks.get(url);
    if (!running) {
      running = (async () => {
        const exchange = guard(() => this.#inner.beginCallback(url));
        return exchangeTokens(exchange, (detail) => this.#emit('audienceMismatch', detail));
      })().finally(() => this.#callbacks.delete(url));
      this.#callbacks.set(url, running);
    }
    return running;
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

  // A throwing handler must not break the SDK's own flow: its error is reported, not thrown.
  #emit(event, detail) {
    for (const handler of this.#handlers.get(event)) {
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
export const decodeAudience = (queryValue) => JSON.parse(guard(() => wasm.decodeAudience(String(queryValue))));

/** Throws `OAuthError` `invalid_audience` (naming the value and why) unless `value` is a valid audience. */
export const validateAudience = (value) => {
  if (typeof value !== 'string') throw new OAuthError('invalid_audience', 'an audience must be a string');
  guard(() => wasm.validateAudience(value));
  return value;
};

/** Every reason Ory Hydra would refuse `requested` for a client allowed `allowed`; empty when it allows it. */
export const explainAudience = (allowed, requested) =>
  JSON.parse(guard(() => wasm.explainAudience(json(allowed), json(requested))));

/** Whether Ory Hydra allows `requested` for a client whose `audience` metadata is `allowed`. */
export const audienceAllowed = (allowed, requested) => explainAudience(allowed, requested).length === 0;

/** Node.js only: this is the browser build, where a client secret must never be. */
export const clientCredentials = async () => {
  throw new OAuthError(
    'unsupported_environment',
    'clientCredentials needs a client secret and runs only in Node.js (the package\'s "node" export); a secret has no place in code shipped to browsers',
  );
};
