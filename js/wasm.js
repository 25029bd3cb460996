// The main module's bindings, over the raw ABI (abi.js, src/browser/ops.rs): `call(op,
// handle, num, …strings)` runs one operation; `Client` and `Grant` wrap the objects the
// module keeps, by handle. The host functions are what the module imports (src/browser/host.rs).
import { pass, read, instantiate, encoder, decoder } from './abi.js';

let x;
// The value `take` found, until `take_copy` collects it.
let taken;
const text = (ptr, len) => decoder.decode(new Uint8Array(x.memory.buffer, ptr, len));

const host = {
  random: (ptr, len) => {
    try {
      crypto.getRandomValues(new Uint8Array(x.memory.buffer, ptr, len));
      return 1;
    } catch {
      return 0;
    }
  },
  now_ms: () => Date.now(),
  put: (kp, kl, vp, vl) => {
    try {
      sessionStorage.setItem(text(kp, kl), text(vp, vl));
      return 1;
    } catch {
      return 0;
    }
  },
  take: (kp, kl) => {
    const key = text(kp, kl);
    let value;
    try {
      value = sessionStorage.getItem(key);
    } catch {
      return -2;
    }
    if (value === null) return -1;
    try {
      sessionStorage.removeItem(key);
    } catch {
      return -3;
    }
    taken = encoder.encode(value);
    return taken.length;
  },
  take_copy: (ptr) => {
    new Uint8Array(x.memory.buffer, ptr, taken.length).set(taken);
    taken = undefined;
  },
};

/** Instantiates the main module from a Response or bytes. */
export const init = async (source) => {
  x = await instantiate(source, { host });
};

// Runs operation `op` (src/browser/ops.rs) on object `handle` with number `num`.
const call = (op, handle, num, ...strings) => read(x, x.call(op, handle, num, ...pass(x, strings)));
// The same, for an operation whose result is an error to return rather than throw.
const failure = (op, handle, num, detail) => {
  try {
    call(op, handle, num, detail);
  } catch (e) {
    return e;
  }
  return undefined;
};
const optional = (text) => (text === '' ? undefined : text);
// Clients are dropped with their JS object; grants when they finish or fail.
const clients = globalThis.FinalizationRegistry ? new FinalizationRegistry((h) => x.free(h)) : { register() {} };

export class Grant {
  constructor(handle) { this.h = handle; }
  request() { return call(14, this.h, 0); }
  finish(status, contentType, body) { return call(15, this.h, status, contentType, body); }
  failed(detail) { return failure(16, this.h, 0, detail); }
}
const grant = (text) => new Grant(Number(text));

export class Client {
  constructor(options) {
    this.h = Number(call(0, 0, 0, options));
    clients.register(this, this.h);
  }
  discoveryRequest() { return optional(call(1, this.h, 0)); }
  discovered(status, contentType, body) { call(2, this.h, status, contentType, body); }
  createSigninRequest(options, jkt) { return call(3, this.h, 0, options, jkt); }
  settings() { return call(5, this.h, 0); }
  select(session, options) { return optional(call(6, this.h, 0, session, options)); }
  user(session) { return optional(call(9, this.h, 0, session)); }
  pushed(status, contentType, body) { return call(21, this.h, status, contentType, body); }
  jwksRequest() { return optional(call(11, this.h, 0)); }
  pickKey(idToken, again, status, contentType, body) { return optional(call(12, this.h, status, idToken, contentType, body, again ? '1' : '')); }
  beginCallback(url) { return grant(call(13, this.h, 0, url)); }
}

export const generatePkce = () => call(17, 0, 0);
export const encodeAudience = (list, encoding) => call(18, 0, 0, list, encoding);
export const clientCredentials = (options) => grant(call(19, 0, 0, options));
export const validateAudience = (value) => { call(20, 0, 0, value); };
/** The tagged error for a request that got no answer: step 0 discovery, 1 token, 2 userinfo, 3 JWK Set, 4 PAR. */
export const transportError = (step, detail) => failure(22, 0, step, detail);
