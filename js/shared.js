// What api.js (every environment) and server.js (Node only) share: the error class, the
// wasm module's loading state, the mapping of what the wasm throws, and the HTTP round trip
// the Rust side describes.

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
export const toError = (thrown) => {
  if (thrown instanceof OAuthError) return thrown;
  if (typeof thrown === 'string' && thrown.startsWith(TAG)) {
    const { code, description, uri } = JSON.parse(thrown.slice(TAG.length));
    return new OAuthError(code, description, uri);
  }
  const error = new OAuthError('internal_error', String(thrown?.message ?? thrown));
  error.cause = thrown;
  return error;
};

// The wasm module's loading, started by the entry (index.js fetches it as it starts, node.js
// reads it from disk). Until it settles, and after it failed, every call into it throws an
// OAuthError (`wasm_not_ready`, or the load failure) instead of a TypeError from the bindings.
let loaded = false;
let failure;
let loading = new Promise(() => {});
export const startLoading = (work) => {
  loading = work.then(
    () => { loaded = true; },
    (e) => { failure = toError(e); },
  );
};

/** Resolves once the wasm module is ready; rejects with the OAuthError of a failed load. */
export const ready = async () => {
  await loading;
  if (failure) throw failure;
};

export const guard = (fn) => {
  if (!loaded) {
    throw failure ?? new OAuthError('wasm_not_ready', 'the WebAssembly module is still loading: await ready() or OAuthClient.create() first');
  }
  try {
    return fn();
  } catch (e) {
    throw toError(e);
  }
};

export const json = (value) => {
  try {
    return JSON.stringify(value === undefined ? null : value);
  } catch (e) {
    throw new OAuthError('invalid_config', `options cannot be serialised to JSON: ${e.message}`);
  }
};

// DPoP (RFC 9449 §8): the newest DPoP-Nonce each server origin sent.
const nonces = new Map();
export const nonceFor = (url) => nonces.get(new URL(url).origin);
export const noteNonce = (url, headers) => {
  const nonce = headers.get('dpop-nonce');
  if (nonce) nonces.set(new URL(url).origin, nonce);
};

// Performs a request the Rust side described ({method, url, headers, body}, as JSON text or
// already parsed). Resolves to [status, contentType, body, WWW-Authenticate]; when no answer
// arrives, or none within `timeout` ms (the option requestTimeout, default 30 s: a provider
// that never answers is no reason to hang), rejects with `{ detail }`, the browser's message.
export const fetchAnswer = async (request, timeout = 3e4) => {
  const { method, url, headers, body } = typeof request === 'string' ? JSON.parse(request) : request;
  try {
    const response = await fetch(url, { method, headers, body, credentials: 'omit', redirect: 'error', signal: AbortSignal.timeout(timeout) });
    noteNonce(url, response.headers);
    return [response.status, response.headers.get('content-type') ?? '', await response.text(), response.headers.get('www-authenticate') ?? ''];
  } catch (e) {
    throw { detail: e?.name === 'TimeoutError' ? `no answer within ${timeout} ms (requestTimeout)` : String(e?.message ?? e) };
  }
};

// `fetchAnswer`, where no answer rejects with what `onFailure` (a Rust call that may also
// restore state) returns for the browser's message.
export const send = (request, onFailure, timeout) =>
  fetchAnswer(request, timeout).catch((e) => { throw toError(onFailure(e.detail)); });

// Under onAudienceMismatch 'warn', the wasm lists the requested audiences a granted token lacks
// in `audienceMissing`: they are taken off the tokens, warned about and passed to `onMismatch`.
export const takeMismatch = (tokens, onMismatch) => {
  const missing = tokens.audienceMissing;
  if (missing) {
    delete tokens.audienceMissing;
    console.warn(`oauth-wasm: the access token's aud lacks the requested audience ${missing.map((m) => `"${m}"`).join(', ')}`);
    onMismatch?.({ granted: tokens.audience, missing });
  }
  return tokens;
};

// Sends a token request (a wasm Grant: client credentials, Node.js) and judges its answer: `{ tokens }`.
export const exchangeTokens = async (exchange) => {
  const answer = await send(exchange.request(), (detail) => exchange.failed(detail));
  const result = JSON.parse(guard(() => exchange.finish(...answer)));
  takeMismatch(result.tokens);
  return result;
};
