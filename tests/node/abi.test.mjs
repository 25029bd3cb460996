// The ABI between JavaScript and the wasm modules has one source of truth per side, and this
// test fails on any difference: the main module's operations (src/browser/ops.rs `op` and
// js/wasm.js `OP`), the lazy modules' exports (src/lazy/*.rs and the names js/ calls), and the
// ABI version (src/abi.rs and js/abi.js), which the built modules export and which changes with
// any operation (RECORDED below). The loader's refusal of a module of another version is tested
// end to end (tests/e2e/abi.test.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const read = (path) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const camel = (snake) => snake.toLowerCase().replace(/_([a-z])/g, (_, c) => c.toUpperCase());

// What each ABI version stands for: the main module's operations as `name=number/arity`.
// A change to an operation needs a new version (src/abi.rs and js/abi.js) and its line here.
const RECORDED = {
  2: 'clientNew=0/1 discoveryRequest=1/0 discovered=2/2 createSigninRequest=3/2 pushed=4/2 settings=5/0 select=6/2 user=7/1 '
    + 'jwksRequest=8/0 generatePkce=9/0 encodeAudience=10/2 validateAudience=11/1 transportError=12/1 grantRequest=13/0 '
    + 'grantFinish=14/2 clientCredentials=15/1',
  3: 'clientNew=0/1 discoveryRequest=1/0 discovered=2/2 createSigninRequest=3/2 pushed=4/2 settings=5/0 select=6/2 user=7/1 '
    + 'jwksRequest=8/0 generatePkce=9/0 encodeAudience=10/2 validateAudience=11/1 transportError=12/1 grantRequest=13/0 '
    + 'grantFinish=14/2 clientCredentials=15/1 callback=16/2',
};

function rustOps() {
  const ops = read('src/browser/ops.rs');
  const block = /pub mod op \{([\s\S]*?)\n\}/.exec(ops)[1];
  const consts = [...block.matchAll(/pub const ([A-Z_]+): u32 = (\d+);/g)].map(([, name, n]) => [camel(name), Number(n)]);
  const arity = JSON.parse(/const ARITY: \[u8; \d+\] = (\[[\d, ]+\]);/.exec(ops)[1]);
  return { consts, arity };
}

function jsOps() {
  const wasm = read('js/wasm.js');
  const body = /const OP = \{([\s\S]*?)\};/.exec(wasm)[1];
  return { wasm, ops: [...body.matchAll(/(\w+): (\d+)/g)].map(([, name, n]) => [name, Number(n)]) };
}

test('the main module: js/wasm.js OP is src/browser/ops.rs op, name for name and number for number', () => {
  const { consts, arity } = rustOps();
  const { ops } = jsOps();
  assert.deepEqual(ops, consts);
  assert.deepEqual(consts.map(([, n]) => n), consts.map((_, i) => i), 'numbered 0, 1, 2, … without gaps');
  assert.equal(arity.length, consts.length, 'an arity for every operation');
  for (const [name, n] of consts) {
    assert.match(read('src/browser/ops.rs'), new RegExp(`op::${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()} =>`), `${name} is dispatched`);
    assert.ok(n < arity.length);
  }
});

test('every call in js/wasm.js names an operation of OP', () => {
  const { wasm, ops } = jsOps();
  const names = new Set(ops.map(([name]) => name));
  const used = [...wasm.matchAll(/(?:call|failure|this\.c)\(OP\.(\w+)/g)].map(([, name]) => name);
  assert.ok(used.length >= ops.length, 'every operation is bound');
  for (const name of used) assert.ok(names.has(name), `OP.${name}`);
  assert.doesNotMatch(wasm, /(?:call|failure|this\.c)\(\d/, 'no bare operation number');
  for (const name of names) assert.ok(used.includes(name), `OP.${name} is bound`);
});

test('the ABI version is one number on both sides, and it stands for this list of operations', () => {
  const rust = Number(/pub const ABI_VERSION: u32 = (\d+);/.exec(read('src/abi.rs'))[1]);
  const js = Number(/export const ABI_VERSION = (\d+);/.exec(read('js/abi.js'))[1]);
  assert.equal(js, rust);
  const { consts, arity } = rustOps();
  const list = consts.map(([name, n]) => `${name}=${n}/${arity[n]}`).join(' ');
  assert.equal(list, RECORDED[rust], `the operations changed: bump ABI_VERSION in src/abi.rs and js/abi.js and record the list in ${import.meta.url}`);
});

test("the lazy modules: every export JavaScript calls exists, and every export is called", () => {
  const exports = (file) => new Set([...read(file).matchAll(/pub extern "C" fn (\w+)\(/g)].map(([, name]) => name));
  const calls = (file, pattern) => [...read(file).matchAll(pattern)].map(([, name]) => name);
  const modules = {
    account: { rust: exports('src/lazy/account.rs'), js: calls('js/account.js', /\bcall\('(\w+)'/g) },
    dpop: { rust: exports('src/lazy/dpop.rs'), js: [...calls('js/dpop.js', /(?:lazyModule\('dpop'\)\)|dpop)\('(\w+)'/g)] },
    audience: { rust: exports('src/lazy/audience.rs'), js: calls('js/api.js', /lazyModule\('audience'\)\)\('(\w+)'/g) },
  };
  for (const [name, { rust, js }] of Object.entries(modules)) {
    assert.ok(js.length > 0, `${name}: calls found`);
    for (const call of js) assert.ok(rust.has(call), `${name}: JavaScript calls ${call}, which src/lazy/${name}.rs does not export`);
    for (const exported of rust) assert.ok(js.includes(exported), `${name}: ${exported} is exported but never called`);
  }
});

test('every built module exports the ABI version', async () => {
  const version = Number(/export const ABI_VERSION = (\d+);/.exec(read('js/abi.js'))[1]);
  for (const file of ['oauth_wasm_bg', 'oauth_wasm_server_bg', 'oauth_wasm_account', 'oauth_wasm_audience', 'oauth_wasm_dpop']) {
    const bytes = readFileSync(new URL(`../../pkg/${file}.wasm`, import.meta.url));
    const module = await WebAssembly.compile(bytes);
    // Imports stubbed: only the version is read.
    const imports = {};
    for (const { module: m, name } of WebAssembly.Module.imports(module)) (imports[m] ??= {})[name] = () => 0;
    const { exports } = await WebAssembly.instantiate(module, imports);
    assert.equal(exports.abi_version(), version, file);
  }
});
