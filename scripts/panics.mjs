// What nightly's `panic_immediate_abort` does, on stable, in two steps of scripts/build.sh:
//
//   node scripts/panics.mjs trap <in.wasm> <out.wasm>   before wasm-opt
//   node scripts/panics.mjs data <module.wasm>          after it (in place)
//
// The shipped modules' panic handler traps without formatting (src/runtime.rs): a panic is a
// bug, and JS turns the trap into `OAuthError('internal_error')`. Yet core's and alloc's panic
// entry points (`panic_bounds_check`, `slice_index_fail`, `capacity_overflow`, …) still build
// their `fmt::Arguments` on the shadow stack before reaching it, and the messages, source
// paths and digit table they point at stay in the one `.rodata` segment, which neither wasm-ld
// nor wasm-opt can shrink.
//
// `trap` replaces the body of each such entry point (found by name in core or alloc; each
// diverges, so its only outcome is the trap either way) with `unreachable`; wasm-opt then
// folds every bounds-check failure into a bare trap. `data` zeroes the texts nothing reads any
// more, for gzip to all but drop (`--memory-packing` cuts zero runs out, but its extra segment
// headers cost more than they save). Only bytes recognised by content are zeroed: core's and
// alloc's exact message fragments below (the build fails if a text in src/ contains one),
// source paths ending in `.rs`, and the two-digit table of integer formatting, zeroed only
// when no code names an address inside it. A fragment not found is skipped: a newer rustc may
// word its panics differently, which costs bytes, not correctness. But a step whose patterns
// match nothing fails the build, naming the module and what it expected: `trap` when no function
// is a panic entry point (rustc 1.95: 8 to 10 in each shipped module, 13 and 14 in the trap-hook
// builds), `data` when not one fragment or not one source path is found (10 to 18 of the 19
// fragments, 6 to 11 paths): all of a kind gone means the patterns no longer fit this rustc, or
// the input is not what the step expects (no name section, or `data` run twice), and the
// saving would be lost without a word.
//
// Tests: tests/node/panics.test.mjs (modules built byte by byte, no cargo).
//
// Measured on the main module (gzip -9): trap −410 B, data −571 B.
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import binaryen from 'binaryen';

export const FRAGMENTS = [
  'slice index starts at ', ' but ends at ', 'index out of bounds: the len is ', ' but the index is ',
  'range start index ', ' out of range for slice of length ', 'range end index ', 'memory allocation of ',
  ' bytes failed', 'copy_from_slice: source slice length (', ') does not match destination slice length (',
  'removal index (is ', ') should be < len (is ', 'capacity overflow', 'attempt to divide by zero',
  'called `Option::unwrap()` on a `None` value', 'called `Result::unwrap()` on an `Err` value',
  ' is not a char boundary; it is inside ', ' is out of bounds of `',
];
const DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0')).join('');
const PATH_CHAR = /[A-Za-z0-9/_.+@-]/;
const FEATURES = ['bulk-memory', 'nontrapping-float-to-int', 'sign-ext', 'mutable-globals', 'reference-types', 'multivalue'];

/** A failure of the step itself (the CLI prints its message alone, and exits with 1). */
export class PanicsError extends Error {}
const fail = (message) => {
  throw new PanicsError(`[panics] ${message}`);
};

function leb(buf, at) {
  let value = 0;
  let shift = 0;
  let byte;
  do {
    if (at >= buf.length) fail(`LEB128 runs past the end of the module (byte ${at})`);
    byte = buf[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [value, at];
}

/** A signed LEB128 as a BigInt (i32.const and i64.const immediates). */
function sleb(buf, at) {
  let value = 0n;
  let shift = 0n;
  let byte;
  do {
    if (at >= buf.length) fail(`LEB128 runs past the end of the module (byte ${at})`);
    byte = buf[at++];
    value |= BigInt(byte & 0x7f) << shift;
    shift += 7n;
  } while (byte & 0x80);
  if (byte & 0x40) value -= 1n << shift;
  return [value, at];
}

const asBuffer = (bytes) => (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));

/** The module's sections: id, and where the body starts and ends in the file. */
export function sections(bytes) {
  const wasm = asBuffer(bytes);
  if (wasm.length < 8 || wasm.readUInt32BE(0) !== 0x0061736d || wasm.readUInt32LE(4) !== 1) fail('not a wasm module (version 1)');
  const out = [];
  for (let at = 8; at < wasm.length; ) {
    const id = wasm[at];
    const [size, body] = leb(wasm, at + 1);
    if (body + size > wasm.length) fail(`section ${id} at byte ${at} runs past the end of the module`);
    out.push({ id, start: body, end: body + size });
    at = body + size;
  }
  return out;
}

/** Whether the module has a name section with function names (subsection 1). */
export function hasFunctionNames(bytes) {
  const wasm = asBuffer(bytes);
  for (const { id, start, end } of sections(wasm)) {
    if (id !== 0) continue;
    const [len, p] = leb(wasm, start);
    if (wasm.toString('latin1', p, p + len) !== 'name') continue;
    for (let q = p + len; q < end; ) {
      const sub = wasm[q];
      const [size, body] = leb(wasm, q + 1);
      if (sub === 1) return true;
      q = body + size;
    }
  }
  return false;
}

/**
 * A constant expression (a data segment's offset), decoded opcode by opcode up to its `end`
 * (not found by scanning for 0x0b: the LEB128 immediate of an offset such as 11 or 1419 holds
 * that byte): its value when it is one `i32.const` (or `i64.const`, memory64), else null
 * (`global.get`, extended-const arithmetic: an address not known before instantiation).
 */
function constExpr(wasm, p) {
  const from = p;
  const ops = [];
  for (;;) {
    if (p >= wasm.length) fail(`constant expression at byte ${from} has no end`);
    const op = wasm[p++];
    if (op === 0x0b) break;
    let value = null;
    if (op === 0x41 || op === 0x42) [value, p] = sleb(wasm, p); // i32.const, i64.const
    else if (op === 0x23) p = leb(wasm, p)[1]; // global.get
    else if (![0x6a, 0x6b, 0x6c, 0x7c, 0x7d, 0x7e].includes(op)) {
      // i32/i64 add, sub, mul (extended-const) aside, nothing else is constant.
      fail(`constant expression at byte ${from}: opcode 0x${op.toString(16)} not understood`);
    }
    ops.push({ op, value });
  }
  if (ops.length !== 1 || ops[0].value === null) return [null, p];
  const bits = ops[0].op === 0x41 ? 32 : 64;
  return [Number(BigInt.asUintN(bits, ops[0].value)), p];
}

/**
 * The data segments: where their bytes are in the file, and their memory address (null when
 * passive or not a constant). Flags 0 (active, memory 0), 1 (passive), 2 (active, memory index).
 */
export function segments(bytes) {
  const wasm = asBuffer(bytes);
  const out = [];
  for (const { id, start: body, end: bodyEnd } of sections(wasm)) {
    if (id !== 11) continue;
    let [count, p] = leb(wasm, body);
    for (; count > 0; count--) {
      let flags;
      [flags, p] = leb(wasm, p);
      if (flags > 2) fail(`data segment at byte ${p}: flags ${flags} not understood`);
      if (flags === 2) p = leb(wasm, p)[1];
      let address = null;
      if (flags !== 1) [address, p] = constExpr(wasm, p);
      const [len, start] = leb(wasm, p);
      if (start + len > bodyEnd) fail(`data segment at byte ${p} runs past the data section`);
      out.push({ start, end: start + len, address, passive: flags === 1 });
      p = start + len;
    }
    if (p !== bodyEnd) fail(`data section: ${bodyEnd - p} bytes left over after its segments`);
  }
  return out;
}

// core's and alloc's functions that only ever panic (v0-mangled names: crate, then item).
export const PANICS =
  /^_RNv.*(?:4core|5alloc).*(?:panicking|slice_index_fail|index_len_fail|index_order_fail|slice_error_fail|len_mismatch_fail|capacity_overflow|handle_error|handle_alloc_error|unwrap_failed|expect_failed|assert_failed)/;

/** `trap`: each panic entry point's body becomes `unreachable`; returns their names. */
export function trap(input, output) {
  const bytes = fs.readFileSync(input);
  if (!hasFunctionNames(bytes)) {
    fail(`${input}: no function names (name section): trap finds core's and alloc's panic entry points by name (Cargo.toml keeps strip = "none")`);
  }
  const module = binaryen.readBinary(bytes);
  const F = binaryen.Features;
  module.setFeatures(F.MVP | F.BulkMemory | F.NontrappingFPToInt | F.SignExt | F.MutableGlobals | F.ReferenceTypes | F.Multivalue);
  const trapped = [];
  try {
    for (let i = 0; i < module.getNumFunctions(); i++) {
      const fn = module.getFunctionByIndex(i);
      const info = binaryen.getFunctionInfo(fn);
      if (!info.body || !PANICS.test(info.name)) continue;
      if (info.results !== binaryen.none) fail(`${input}: ${info.name} returns a value: not a panic`);
      binaryen.Function.setBody(fn, module.unreachable());
      trapped.push(info.name);
    }
    if (trapped.length === 0) {
      fail(
        `${input}: no function is one of core's or alloc's panic entry points (expected at least one defined ` +
          `function named like ${PANICS}): the pattern no longer fits this rustc's names`,
      );
    }
    fs.writeFileSync(output, module.emitBinary());
  } finally {
    module.dispose();
  }
  console.log(`[panics] ${output}: ${trapped.length} panic entry points trap at once`);
  return trapped;
}

/** The guard: none of the fragments may be a text of ours, which would be zeroed with it. */
export function checkSources(dir = fileURLToPath(new URL('../src/', import.meta.url))) {
  for (const name of fs.readdirSync(dir, { recursive: true })) {
    if (!String(name).endsWith('.rs')) continue;
    const code = fs.readFileSync(`${dir}/${name}`, 'utf8');
    const clash = FRAGMENTS.find((f) => code.includes(f.trim()));
    if (clash) fail(`${dir.endsWith('/') ? dir : `${dir}/`}${name} contains core's panic text "${clash.trim()}": reword it`);
  }
}

/** `data`: zeroes the panic texts in `file` in place; returns what it found. */
export function data(file, { src } = {}) {
  checkSources(src);

  const wasm = fs.readFileSync(file);
  let zeroed = 0;
  const zero = (from, to) => {
    wasm.fill(0, from, to);
    zeroed += to - from;
  };
  // Every address the code names: constants and load/store offsets (read once, when needed).
  let named;
  const namedAddresses = () => {
    if (named) return named;
    const wat = execFileSync('npx', ['--no-install', 'wasm-opt', ...FEATURES.map((f) => `--enable-${f}`), '--print', file], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      maxBuffer: 1 << 28,
    })
      .toString()
      .replace(/^ \(data .*$/gm, '');
    named = [...wat.matchAll(/(?:i32\.const |offset=)(-?\d+)/g)].map((m) => Number(m[1]) >>> 0);
    return named;
  };

  const fragments = new Set();
  let paths = 0;
  let digits = 'absent';
  for (const { start, end, address } of segments(wasm)) {
    const text = wasm.toString('latin1', start, end);
    for (const fragment of FRAGMENTS) {
      for (let i = text.indexOf(fragment); i >= 0; i = text.indexOf(fragment, i + 1)) {
        zero(start + i, start + i + fragment.length);
        fragments.add(fragment);
      }
    }
    for (let i = text.indexOf('.rs'); i >= 0; i = text.indexOf('.rs', i + 1)) {
      if (i + 3 < text.length && PATH_CHAR.test(text[i + 3])) continue;
      let from = i;
      while (from > 0 && PATH_CHAR.test(text[from - 1])) from--;
      if (text.slice(from, i).includes('/')) {
        zero(start + from, start + i + 3);
        paths++;
      }
    }
    const d = text.indexOf(DIGITS);
    if (d >= 0 && address !== null) {
      const at = address + d;
      if (!namedAddresses().some((a) => a >= at && a < at + DIGITS.length)) {
        zero(start + d, start + d + DIGITS.length);
        digits = 'zeroed';
      } else if (digits === 'absent') digits = 'kept (named by the code)';
    }
  }
  const expected = 'its data segments (the one .rodata of a Rust module, before `data` ran on it)';
  if (fragments.size === 0) {
    fail(
      `${file}: none of core's and alloc's ${FRAGMENTS.length} panic message fragments (e.g. "${FRAGMENTS[2]}") ` +
        `is in ${expected}: the fragments no longer fit this rustc's panic texts`,
    );
  }
  if (paths === 0) fail(`${file}: no source path ending in .rs (e.g. "library/core/src/slice/index.rs") is in ${expected}`);
  fs.writeFileSync(file, wasm);
  console.log(
    `[panics] ${file}: ${zeroed} bytes of panic texts zeroed (${fragments.size} of ${FRAGMENTS.length} fragments, ${paths} source paths, digit table ${digits})`,
  );
  return { zeroed, fragments: [...fragments], paths, digits };
}

function main([mode, ...files]) {
  if (mode === 'trap' && files.length === 2) trap(files[0], files[1]);
  else if (mode === 'data' && files.length === 1) data(files[0]);
  else fail('usage: node scripts/panics.mjs trap <in.wasm> <out.wasm> | data <module.wasm>');
}

// The CLI (scripts/build.sh); imported (the tests), the module only exports.
const real = (file) => {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
};
if (process.argv[1] && real(process.argv[1]) === real(fileURLToPath(import.meta.url))) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof PanicsError)) throw error;
    console.error(error.message);
    process.exitCode = 1;
  }
}
