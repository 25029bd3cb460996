// `npm run size`: the gzip -9 size of what a browser loads for a full sign-in: the package's
// .wasm and its JS (entry, API, generated glue). A report, not a test: it never fails on size.
import { readFileSync } from 'node:fs';
import { gzipSync, constants } from 'node:zlib';

const BUDGET = 17.6 * 1024; // oidc-client-ts for the same flow
const pkg = new URL('../pkg/', import.meta.url);
const gz = (name) => {
  const raw = readFileSync(new URL(name, pkg));
  return { name, raw: raw.length, gzip: gzipSync(raw, { level: constants.Z_BEST_COMPRESSION }).length };
};
const kb = (n) => `${(n / 1024).toFixed(2)} KB`;
const wasm = [gz('oauth_wasm_bg.wasm')];
const js = ['index.js', 'api.js', 'shared.js', 'store.js', 'oauth_wasm.js'].map(gz);
const sum = (files) => files.reduce((a, f) => a + f.gzip, 0);
for (const f of [...wasm, ...js]) console.log(`${f.name.padEnd(20)} ${kb(f.raw).padStart(10)} raw ${kb(f.gzip).padStart(10)} gzip -9`);
const total = sum(wasm) + sum(js);
console.log(`wasm ${kb(sum(wasm))} + js ${kb(sum(js))} = ${kb(total)} gzip -9 (budget ${kb(BUDGET)}: ${total < BUDGET ? 'within' : 'OVER'})`);
