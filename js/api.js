// The public API of oauth-wasm, over the generated bindings (./oauth_wasm.js).
// The entries (index.js for browsers and bundlers, node.js for Node) instantiate the wasm,
// then re-export this module. The protocol runs in Rust; this file only moves strings,
// performs the HTTP round trips the Rust side describes, and shapes errors.
import * as wasm from './oauth_wasm.js';

const TAG = 'oauth-wasm:';

/** Every failure of the SDK: `code` is the provider's `error` or one of ours. */
export class OAuthError extends Error {
  constructor(code, description, uri) {
    super(description ? `${code}: ${description}` : code);
    this.name = 'OAuthError';
    this.code = code;
    this.description = description;
    this.uri = uri;
  }
}

// Turns what the wasm throws (a tagged JSON string) into an OAuthError. Anything else is a
// bug on our side, e.g. a trap: it still surfaces as an OAuthError, with the cause kept.
const toError = (thrown) => {
  if (thrown instanceof OAuthError) return thrown;
  if (typeof thrown === 'string' && thrown.startsWith(TAG)) {
    const { code, description, uri } = JSON.parse(thrown.slice(TAG.length));
    return new OAuthError(code, description, uri);
  }
  const error = new OAuthError('internal_error', String(thrown?.message ?? thrown));
  error.cause = thrown;
  return error;
};

const guard = (fn) => {
  try {
    return fn();
  } catch (e) {
    throw toError(e);
  }
};

const json = (value) => {
  try {
    return JSON.stringify(value === undefined ? null : value);
  } catch (e) {
    throw new OAuthError('invalid_config', `options cannot be serialised to JSON: ${e.message}`);
  }
};

// Performs a request the Rust side described (JSON {method, url, headers, body}). Resolves to
// [status, contentType, body]; when no answer arrives, rejects with what `onFailure` (a Rust
// call that may also restore state) returns for the browser's message.
const send = async (request, onFailure) => {
  const { method, url, headers, body } = JSON.parse(request);
  let response;
  let text;
  try {
    response = await fetch(url, { method, headers, body, credentials: 'omit', redirect: 'error' });
    text = await response.text();
  } catch (e) {
    throw toError(onFailure(String(e?.message ?? e)));
  }
  return [response.status, response.headers.get('content-type') ?? '', text];
};

export class OAuthClient {
  #inner;
  // Callback URLs being handled: a second call for the same URL while the first is in
  // flight (React StrictMode runs effects twice) shares its exchange instead of failing.
  #callbacks = new Map();

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
        const answer = await send(exchange.request(), (detail) => exchange.failed(detail));
        return JSON.parse(guard(() => exchange.finish(...answer)));
      })().finally(() => this.#callbacks.delete(url));
      this.#callbacks.set(url, running);
    }
    return running;
  }
}

/** A fresh PKCE pair (RFC 7636, S256). */
export const generatePkce = () => JSON.parse(guard(() => wasm.generatePkce()));

/** The exact `audience=` query value the authorization URL carries for `list`. */
export const encodeAudience = (list, encoding = 'percent') => guard(() => wasm.encodeAudience(json(list), String(encoding)));
