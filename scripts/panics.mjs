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
// word its panics differently, which costs bytes, not correctness.
//
// Measured on the main module (gzip -9): trap −410 B, data −571 B.
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
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

function leb(buf, at) {
  let value = 0;
  let shift = 0;
  let byte;
  do {
    byte = buf[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [value, at];
}

function sleb32(buf, at) {
  let value = 0;
  let shift = 0;
  let byte;
  do {
    byte = buf[at++];
    value |= (byte & 0x7f) << shift;
    shift += 7;
  } while (byte & 0x80);
  if (shift < 32 && byte & 0x40) value |= -1 << shift;
  return [value >>> 0, at];
}

/** The active data segments: where their bytes are in the file, and their memory address. */
function segments(wasm) {
  const out = [];
  for (let at = 8; at < wasm.length; ) {
    const id = wasm[at];
    const [size, body] = leb(wasm, at + 1);
    if (id === 11) {
      let [count, p] = leb(wasm, body);
      for (; count > 0; count--) {
        let flags;
        [flags, p] = leb(wasm, p);
        if (flags === 2) p = leb(wasm, p)[1];
        let address = null;
        if (flags !== 1) {
          if (wasm[p] === 0x41) address = sleb32(wasm, p + 1)[0];
          while (wasm[p] !== 0x0b) p++;
          p++;
        }
        const [len, start] = leb(wasm, p);
        out.push({ start, end: start + len, address });
        p = start + len;
      }
    }
    at = body + size;
  }
  return out;
}

// core's and alloc's functions that only ever panic (v0-mangled names: crate, then item).
const PANICS =
  /^_RNv.*(?:4core|5alloc).*(?:panicking|slice_index_fail|index_len_fail|index_order_fail|slice_error_fail|len_mismatch_fail|capacity_overflow|handle_error|handle_alloc_error|unwrap_failed|expect_failed|assert_failed)/;

function trap(input, output) {
  const module = binaryen.readBinary(fs.readFileSync(input));
  const F = binaryen.Features;
  module.setFeatures(F.MVP | F.BulkMemory | F.NontrappingFPToInt | F.SignExt | F.MutableGlobals | F.ReferenceTypes | F.Multivalue);
  const trapped = [];
  for (let i = 0; i < module.getNumFunctions(); i++) {
    const fn = module.getFunctionByIndex(i);
    const info = binaryen.getFunctionInfo(fn);
    if (!info.body || !PANICS.test(info.name)) continue;
    if (info.results !== binaryen.none) throw new Error(`[panics] ${info.name} returns a value: not a panic`);
    binaryen.Function.setBody(fn, module.unreachable());
    trapped.push(info.name);
  }
  if (trapped.length === 0) throw new Error(`[panics] ${input}: no panic function found (no name section? Cargo.toml keeps strip = "none")`);
  fs.writeFileSync(output, module.emitBinary());
  module.dispose();
  console.log(`[panics] ${output}: ${trapped.length} panic entry points trap at once`);
}

function data(file) {
  // None of the fragments may be a text of ours: that text would be zeroed with it.
  const src = new URL('../src/', import.meta.url);
  for (const name of fs.readdirSync(src, { recursive: true })) {
    if (!String(name).endsWith('.rs')) continue;
    const code = fs.readFileSync(new URL(String(name), src), 'utf8');
    const clash = FRAGMENTS.find((f) => code.includes(f.trim()));
    if (clash) throw new Error(`[panics] src/${name} contains core's panic text "${clash.trim()}": reword it`);
  }

  const wasm = fs.readFileSync(file);
  let zeroed = 0;
  const zero = (from, to) => {
    wasm.fill(0, from, to);
    zeroed += to - from;
  };
  // Every address the code names: constants and load/store offsets.
  const wat = execFileSync('npx', ['--no-install', 'wasm-opt', ...FEATURES.map((f) => `--enable-${f}`), '--print', file], {
    maxBuffer: 1 << 28,
  })
    .toString()
    .replace(/^ \(data .*$/gm, '');
  const named = [...wat.matchAll(/(?:i32\.const |offset=)(-?\d+)/g)].map((m) => Number(m[1]) >>> 0);

  for (const { start, end, address } of segments(wasm)) {
    const text = wasm.toString('latin1', start, end);
    for (const fragment of FRAGMENTS) {
      for (let i = text.indexOf(fragment); i >= 0; i = text.indexOf(fragment, i + 1)) {
        zero(start + i, start + i + fragment.length);
      }
    }
    for (let i = text.indexOf('.rs'); i >= 0; i = text.indexOf('.rs', i + 1)) {
      if (i + 3 < text.length && PATH_CHAR.test(text[i + 3])) continue;
      let from = i;
      while (from > 0 && PATH_CHAR.test(text[from - 1])) from--;
      if (text.slice(from, i).includes('/')) zero(start + from, start + i + 3);
    }
    const d = text.indexOf(DIGITS);
    if (d >= 0 && address !== null) {
      const at = address + d;
      if (!named.some((a) => a >= at && a < at + DIGITS.length)) zero(start + d, start + d + DIGITS.length);
    }
  }
  fs.writeFileSync(file, wasm);
  console.log(`[panics] ${file}: ${zeroed} bytes of panic texts zeroed`);
}

const [mode, ...files] = process.argv.slice(2);
if (mode === 'trap') trap(files[0], files[1]);
else if (mode === 'data') data(files[0]);
else throw new Error('usage: node scripts/panics.mjs trap <in.wasm> <out.wasm> | data <module.wasm>');
