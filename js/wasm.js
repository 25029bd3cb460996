// The main module's bindings, over the raw ABI (abi.js, src/browser/ops.rs): `call(op,
// handle, num, …strings)` runs one operation; `Client` and `Grant` wrap the objects the
// module keeps, by handle. The host functions are what the module imports (src/browser/host.rs).
// A trap (a Rust panic, a bug of ours) may leave the instance's heap inconsistent: the next call
// runs on a fresh instance of the same compiled module, where each client is built again from its
// options and discovery answer.
import { pass, read, instantiate, decoder } from './abi.js';

// The operations (src/browser/ops.rs `op`, the same names in camelCase and numbers;
// tests/node/abi.test.mjs compares them).
const OP = {
  clientNew: 0, discoveryRequest: 1, discovered: 2, createSigninRequest: 3, pushed: 4, settings: 5, select: 6, user: 7,
  jwksRequest: 8, generatePkce: 9, encodeAudience: 10, validateAudience: 11, transportError: 12,
  grantRequest: 13, grantFinish: 14, clientCredentials: 15, callback: 16,
};

let x;
let compiled;
// Bumped by each fresh instance: a client built on an older one is built again.
let generation = 0;
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
};

/** Instantiates the main module from a Response or bytes. */
export const init = async (source) => {
  ({ module: compiled, instance: { exports: x } } = await instantiate(source, { host }));
};

// Runs operation `op` (src/browser/ops.rs) on object `handle` with number `num`.
const call = (op, handle, num, ...strings) => {
  try {
    return read(x, x.call(op, handle, num, ...pass(x, strings)));
  } catch (e) {
    // Anything but the module's own tagged error is a trap: this instance is done with.
    if (typeof e !== 'string') {
      x = new WebAssembly.Instance(compiled, { host }).exports;
      generation++;
    }
    throw e;
  }
};
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
// `k` is `{ h, g }`: the handle and the instance's generation it belongs to.
const clients = globalThis.FinalizationRegistry ? new FinalizationRegistry((k) => k.g === generation && x.free(k.h)) : { register() {} };

/** A client credentials grant in flight (Node.js). */
export class Grant {
  constructor(handle) { this.h = handle; }
  request() { return call(OP.grantRequest, this.h, 0); }
  finish(status, contentType, body) { return call(OP.grantFinish, this.h, status, contentType, body); }
  failed(detail) { return transportError(1, detail); }
}

export class Client {
  constructor(options) {
    this.o = options;
    this.k = { g: generation, h: Number(call(OP.clientNew, 0, 0, options)) };
    clients.register(this, this.k);
  }
  // Runs op on this client, built again first when a trap has replaced the instance.
  c(op, num, ...strings) {
    const k = this.k;
    if (k.g !== generation) {
      k.g = generation;
      k.h = Number(call(OP.clientNew, 0, 0, this.o));
      if (this.d) call(OP.discovered, k.h, ...this.d);
    }
    return call(op, k.h, num, ...strings);
  }
  discoveryRequest() { return optional(this.c(OP.discoveryRequest, 0)); }
  discovered(status, contentType, body) { this.c(OP.discovered, status, contentType, body); this.d = [status, contentType, body]; }
  createSigninRequest(options, jkt) { return this.c(OP.createSigninRequest, 0, options, jkt); }
  settings() { return this.c(OP.settings, 0); }
  select(session, options) { return optional(this.c(OP.select, 0, session, options)); }
  user(session) { return optional(this.c(OP.user, 0, session)); }
  pushed(status, contentType, body) { return this.c(OP.pushed, status, contentType, body); }
  jwksRequest() { return optional(this.c(OP.jwksRequest, 0)); }
  callback(url, stored, now) { return this.c(OP.callback, now, url, stored); }
}

export const generatePkce = () => call(OP.generatePkce, 0, 0);
export const encodeAudience = (list, encoding) => call(OP.encodeAudience, 0, 0, list, encoding);
export const clientCredentials = (options) => new Grant(Number(call(OP.clientCredentials, 0, 0, options)));
export const validateAudience = (value) => { call(OP.validateAudience, 0, 0, value); };
/** The tagged error for a request that got no answer: step 0 discovery, 1 token, 2 userinfo, 3 JWK Set, 4 PAR, 5 revocation. */
export const transportError = (step, detail) => failure(OP.transportError, 0, step, detail);
