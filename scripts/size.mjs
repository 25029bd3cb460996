// `npm run size`: the gzip -9 (and brotli) bytes a browser downloads from the built package for
// the sign-in job (discovery, sign-in URL, callback, code exchange): the one entry module and
// the wasm it fetches. Modules fetched only on first use of a feature are listed apart. Exits
// non-zero when the first download is over the budget in size-budget.json ({ "gzipBytes": N }).
import { readFileSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const root = new URL('../', import.meta.url);
const budget = JSON.parse(readFileSync(new URL('size-budget.json', root), 'utf8')).gzipBytes;
if (!Number.isInteger(budget) || budget <= 0) throw new Error('size-budget.json: gzipBytes must be a positive integer');

const measure = (name) => {
  const raw = readFileSync(new URL(`pkg/${name}`, root));
  return {
    name,
    raw: raw.length,
    gzip: gzipSync(raw, { level: constants.Z_BEST_COMPRESSION }).length,
    brotli: brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
};
// What the sign-in job downloads, and what later features fetch when first used.
const first = ['index.js', 'oauth_wasm_bg.wasm'].map(measure);
const lazy = ['account.js', 'dpop.js', 'idb.js', 'popup.js', 'oauth_wasm_audience.wasm', 'oauth_wasm_account.wasm', 'oauth_wasm_dpop.wasm'].map(measure);

// One entry module, no waterfall: index.js imports no other module of the package statically.
const entry = readFileSync(new URL('pkg/index.js', root), 'utf8');
if (/(?:\bfrom|\bimport)\s*["'`]/.test(entry)) throw new Error('pkg/index.js imports another module statically: the split left a shared chunk');

// The compile hint (scripts/build.sh) works only as the entry's first line.
if (!entry.startsWith('//# allFunctionsCalledOnLoad\n')) throw new Error('pkg/index.js lost its first line, the compile hint //# allFunctionsCalledOnLoad');

const row = (f) => `${f.name.padEnd(24)} ${String(f.raw).padStart(8)} raw ${String(f.gzip).padStart(8)} gzip -9 ${String(f.brotli).padStart(8)} brotli`;
const total = (files) => files.reduce((sum, f) => ({ raw: sum.raw + f.raw, gzip: sum.gzip + f.gzip, brotli: sum.brotli + f.brotli }), { raw: 0, gzip: 0, brotli: 0 });

console.log('first download (the sign-in job), bytes:');
for (const f of first) console.log(`  ${row(f)}`);
const sum = total(first);
console.log(`  ${row({ name: 'total', ...sum })}`);
if (lazy.length) {
  console.log('fetched on first use, bytes:');
  for (const f of lazy) console.log(`  ${row(f)}`);
}
const verdict = sum.gzip <= budget ? 'within' : 'OVER';
console.log(`first download ${sum.gzip} B gzip -9: ${verdict} the budget of ${budget} B (size-budget.json)`);
if (sum.gzip > budget) process.exitCode = 1;
