// Server-side grants, exported by the Node.js entry only: a client secret has no place in code
// shipped to browsers, so the browser entry exports a clientCredentials that refuses.
import { guard, json, exchangeTokens } from './shared.js';
import { clientCredentials as grant } from './wasm.js';

/** RFC 6749 §4.4 client credentials, with Hydra's `audience` in the body and RFC 8707 resources. */
export const clientCredentials = async (options) =>
  (await exchangeTokens(guard(() => grant(json(options))))).tokens;
