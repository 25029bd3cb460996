// `npm run size`: the gzip -9 (and brotli) bytes a browser downloads from the built package.
// The first download is what any page of the app fetches to sign in (discovery, the sign-in URL):
// the one entry module and the wasm it fetches. The callback page fetches beside it (from the
// HTTP cache, after the sign-in page) the account module and its JavaScript, which run the
// code exchange and the ID token's checks. Modules fetched only on first use of a feature are
// listed apart. Exits non-zero when either is over its budget in size-budget.json
// ({ "gzipBytes": first download, "callbackGzipBytes": the callback page's own }).
import { readFileSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const root = new URL('../', import.meta.url);
const budgets = JSON.parse(readFileSync(new URL('size-budget.json', root), 'utf8'));
const { gzipBytes: budget, callbackGzipBytes: callbackBudget } = budgets;
for (const name of ['gzipBytes', 'callbackGzipBytes']) {
  if (!Number.isInteger(budgets[name]) || budgets[name] <= 0) throw new Error(`size-budget.json: ${name} must be a positive integer`);
}

const measure = (name) => {
  const raw = readFileSync(new URL(`pkg/${name}`, root));
  return {
    name,
    raw: raw.length,
    gzip: gzipSync(raw, { level: constants.Z_BEST_COMPRESSION }).length,
    brotli: brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
};
// What a page downloads to sign in, what the callback page adds, and what later features fetch
// when first used.
const first = ['index.js', 'oauth_wasm_bg.wasm'].map(measure);
const callback = ['account.js', 'oauth_wasm_account.wasm'].map(measure);
const lazy = ['dpop.js', 'idb.js', 'popup.js', 'oauth_wasm_audience.wasm', 'oauth_wasm_dpop.wasm'].map(measure);

// One entry module, no waterfall: index.js imports no other module of the package statically.
const entry = readFileSync(new URL('pkg/index.js', root), 'utf8');
if (/(?:\bfrom|\bimport)\s*["'`]/.test(entry)) throw new Error('pkg/index.js imports another module statically: the split left a shared chunk');

// The compile hint (scripts/build.sh) works only as the entry's first line.
if (!entry.startsWith('//# allFunctionsCalledOnLoad\n')) throw new Error('pkg/index.js lost its first line, the compile hint //# allFunctionsCalledOnLoad');

const row = (f) => `${f.name.padEnd(24)} ${String(f.raw).padStart(8)} raw ${String(f.gzip).padStart(8)} gzip -9 ${String(f.brotli).padStart(8)} brotli`;
const total = (files) => files.reduce((sum, f) => ({ raw: sum.raw + f.raw, gzip: sum.gzip + f.gzip, brotli: sum.brotli + f.brotli }), { raw: 0, gzip: 0, brotli: 0 });

console.log('first download (any page, to sign in), bytes:');
for (const f of first) console.log(`  ${row(f)}`);
const sum = total(first);
console.log(`  ${row({ name: 'total', ...sum })}`);
console.log('the callback page, beside the first download (code exchange, ID token; refresh, sign-out, UserInfo), bytes:');
for (const f of callback) console.log(`  ${row(f)}`);
const back = total(callback);
console.log(`  ${row({ name: 'total', ...back })}`);
if (lazy.length) {
  console.log('fetched on first use, bytes:');
  for (const f of lazy) console.log(`  ${row(f)}`);
}
const verdict = (bytes, limit) => (bytes <= limit ? 'within' : 'OVER');
console.log(`first download ${sum.gzip} B gzip -9: ${verdict(sum.gzip, budget)} the budget of ${budget} B (size-budget.json)`);
console.log(`callback page ${back.gzip} B gzip -9 beside it: ${verdict(back.gzip, callbackBudget)} the budget of ${callbackBudget} B`);
if (sum.gzip > budget || back.gzip > callbackBudget) process.exitCode = 1;
