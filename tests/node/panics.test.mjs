// scripts/panics.mjs, the two steps of scripts/build.sh that make panics trap at once, on
// modules written here byte by byte (no cargo): `trap` turns a core panic entry point into
// `unreachable` and leaves the rest; `data` zeroes panic texts and nothing else, in segments
// whose offsets hold the `end` opcode's byte (0x0b) in their LEB128; each step fails loudly,
// naming the module, when its patterns match nothing; the guard on src/ still stops the build.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FRAGMENTS, PanicsError, checkSources, data, segments, trap } from '../../scripts/panics.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'panics-test-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

// ---- A tiny wasm encoder ------------------------------------------------------------------

const uleb = (n) => {
  const out = [];
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
};
const sleb = (n) => {
  const out = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(byte & 0x40)) || (n === -1 && byte & 0x40)) return [...out, byte];
    out.push(byte | 0x80);
  }
};
const bytes = (text) => [...Buffer.from(text, 'latin1')];
const name = (text) => [...uleb(Buffer.byteLength(text)), ...Buffer.from(text)];
const vec = (items) => [...uleb(items.length), ...items.flat()];
const section = (id, body) => [id, ...uleb(body.length), ...body];
const wasmModule = (...sections) => Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...sections.flat()]);
const I32 = 0x7f;
const funcType = (params, results) => [0x60, ...vec(params), ...vec(results)];
const body = (...code) => {
  const b = [0x00 /* no locals */, ...code.flat(), 0x0b];
  return [...uleb(b.length), ...b];
};
const nameSection = (names) =>
  section(0, [...name('name'), ...section(1, vec(names.map(([index, text]) => [...uleb(index), ...name(text)])))]);
const op = {
  unreachable: 0x00,
  call: (f) => [0x10, ...uleb(f)],
  localGet: (i) => [0x20, ...uleb(i)],
  i32Const: (n) => [0x41, ...sleb(n)],
  i32GeU: 0x4f,
  i32Add: 0x6a,
  ifVoid: [0x04, 0x40],
  end: 0x0b,
};

const re = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const write = (file, wasm) => {
  const at = path.join(tmp, file);
  fs.writeFileSync(at, wasm);
  return at;
};
/** The CLI, as scripts/build.sh runs it. */
const panics = (...args) =>
  new Promise((resolve) => {
    execFile(process.execPath, ['scripts/panics.mjs', ...args], { cwd: root, encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ status: error ? error.code : 0, stdout, stderr });
    });
  });
const assertFailed = (run, ...patterns) => {
  assert.equal(run.status, 1, `expected exit 1, got ${run.status}: ${run.stdout}${run.stderr}`);
  for (const pattern of patterns) assert.match(run.stderr, pattern);
  assert.doesNotMatch(run.stderr, /^\s+at /m, 'a failure of the step, not a crash: no stack trace');
};
// The same, the script's functions called in this process (no node, binaryen start-up).
const assertThrows = (fn, ...patterns) =>
  assert.throws(fn, (error) => {
    assert.ok(error instanceof PanicsError, error.stack);
    for (const pattern of patterns) assert.match(error.message, pattern);
    return true;
  });

// ---- trap ---------------------------------------------------------------------------------

// The name rustc 1.95's standard library gives core's bounds-check panic (v0 mangling), and
// another of core's functions that is not a panic entry point.
const BOUNDS_CHECK = '_RNvNtCsgXGp5Oqx2Ny_4core9panicking18panic_bounds_check';
const NOT_A_PANIC = '_RNvNtNtCsgXGp5Oqx2Ny_4core3str11validations15next_code_point';

/**
 * import env.hit (0); 1: the panic entry point (index, len) — calls hit, then traps, as the
 * real one would after formatting its message; 2: `lookup(i)`, i + 100 for i < 4, else the
 * panic; 3: `answer()`, 42. `panicName` names function 1; `names` false: no name section.
 */
function trapModule({ panicName = BOUNDS_CHECK, panicResults = [], names = true } = {}) {
  const panicBody = panicResults.length ? body(op.call(0), op.i32Const(0)) : body(op.call(0), op.unreachable);
  return wasmModule(
    section(1, vec([funcType([], []), funcType([I32, I32], panicResults), funcType([I32], [I32]), funcType([], [I32])])),
    section(2, [...uleb(1), ...name('env'), ...name('hit'), 0x00, ...uleb(0)]),
    section(3, vec([uleb(1), uleb(2), uleb(3)])),
    section(7, vec([[...name('lookup'), 0x00, ...uleb(2)], [...name('answer'), 0x00, ...uleb(3)]])),
    section(
      10,
      vec([
        panicBody,
        body(
          op.localGet(0), op.i32Const(4), op.i32GeU, op.ifVoid,
          op.localGet(0), op.i32Const(4), op.call(1), ...(panicResults.length ? [0x1a /* drop */] : []),
          op.end,
          op.localGet(0), op.i32Const(100), op.i32Add,
        ),
        body(op.i32Const(42)),
      ]),
    ),
    names ? nameSection([[0, 'hit'], [1, panicName], [2, '_RNvCs1a2b3c4d5e6_7example6lookup'], [3, NOT_A_PANIC]]) : [],
  );
}

async function instantiate(wasm) {
  const hits = { count: 0 };
  const { instance } = await WebAssembly.instantiate(wasm, { env: { hit: () => hits.count++ } });
  return { ...instance.exports, hits };
}
const isUnreachable = (error) => error instanceof WebAssembly.RuntimeError && /unreachable/.test(error.message);

test('trap: a call that reaches core\'s panic entry point traps at once; other functions are left as they were', async () => {
  const input = trapModule();
  assert.ok(WebAssembly.validate(input));
  // Before: the entry point runs its body (the message formatting, here `hit`) before it traps.
  const before = await instantiate(input);
  assert.equal(before.lookup(3), 103);
  assert.throws(() => before.lookup(4), isUnreachable);
  assert.equal(before.hits.count, 1);

  const out = path.join(tmp, 'trapped.wasm');
  const run = await panics('trap', write('trap-in.wasm', input), out);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout.trim(), `[panics] ${out}: 1 panic entry points trap at once`);

  const trapped = fs.readFileSync(out);
  assert.ok(WebAssembly.validate(trapped));
  const after = await instantiate(trapped);
  assert.throws(() => after.lookup(4), isUnreachable);
  assert.throws(() => after.lookup(0xffffffff), isUnreachable);
  assert.equal(after.hits.count, 0, 'the entry point\'s body no longer runs: the trap comes at once');
  assert.equal(after.lookup(3), 103, 'the caller is intact');
  assert.equal(after.answer(), 42, 'core\'s function that is not a panic is intact');
});

test('trap: a module whose name section names no panic entry point fails loudly, and writes nothing', async () => {
  const input = write('trap-none.wasm', trapModule({ panicName: '_RNvCs1a2b3c4d5e6_7example5abort' }));
  const out = path.join(tmp, 'trap-none-out.wasm');
  const run = await panics('trap', input, out);
  assertFailed(
    run,
    new RegExp(`^\\[panics\\] ${re(input)}: no function is one of core's or alloc's panic entry points`),
    /expected at least one defined function named like/,
  );
  assert.equal(fs.existsSync(out), false);
});

test('trap: a module without function names fails loudly (its entry points are found by name)', () => {
  const input = write('trap-stripped.wasm', trapModule({ names: false }));
  assertThrows(
    () => trap(input, path.join(tmp, 'trap-stripped-out.wasm')),
    new RegExp(`^\\[panics\\] ${re(input)}: no function names \\(name section\\)`),
    /strip = "none"/,
  );
});

test('trap: a function named like a panic entry point that returns a value is not trapped: the step fails', () => {
  const input = write('trap-value.wasm', trapModule({ panicResults: [I32] }));
  const out = path.join(tmp, 'trap-value-out.wasm');
  assertThrows(() => trap(input, out), new RegExp(`${re(input)}: ${re(BOUNDS_CHECK)} returns a value: not a panic`));
});

// ---- data ---------------------------------------------------------------------------------

const DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0')).join('');
const PATH = '/rustc/4d91de4e48198da2e33413efdcd9cd2cc0c46688/library/core/src/slice/index.rs';
const KEPT_DIGITS = 180229; // segment 2's digit table: the code names this address
const BASE = 4096; // segment 4's address, a global.get of an imported global

// The data module's segments; each piece is [text, zeroed by `data`?]. Offsets 11 (0x0b),
// 1419 (0x8b 0x0b) and 180226 (0x82 0x80 0x0b) hold the `end` opcode's byte in their LEB128.
const SEGMENTS = [
  {
    flags: 0, offset: [op.i32Const(1419)], address: 1419,
    pieces: [['<ours>', false], [FRAGMENTS[2], true], ['\x00\x01\x0b', false], [PATH, true], [' keep: ', false], [DIGITS, true], ['!', false]],
  },
  { flags: 0, offset: [op.i32Const(11)], address: 11, pieces: [['ab', false], ['capacity overflow', true], ['cd', false]] },
  {
    flags: 2, offset: [op.i32Const(KEPT_DIGITS - 3)], address: KEPT_DIGITS - 3,
    pieces: [['xy:', false], [DIGITS, false], [FRAGMENTS[3], true], ['src/main.rs', true], [' .rsx', false]],
  },
  { flags: 1, pieces: [[FRAGMENTS[0], true], [FRAGMENTS[1], true], ['passive', false]] },
  {
    flags: 0, offset: [0x23, ...uleb(0)], address: BASE, // global.get 0
    pieces: [['$', false], ['attempt to divide by zero', true], [DIGITS, false], ['lib.rs', false]],
  },
];
const payload = (pieces, zeroed) => pieces.flatMap(([text, zero]) => (zeroed && zero ? Array(text.length).fill(0) : bytes(text)));

/** Memory (4 pages) exported, an imported i32 global (segment 4's offset), `digits()` naming KEPT_DIGITS. */
function dataModule(segmentList, { zeroed = false } = {}) {
  return wasmModule(
    section(1, vec([funcType([], [I32])])),
    section(2, [...uleb(1), ...name('env'), ...name('base'), 0x03, I32, 0x00]),
    section(3, vec([uleb(0)])),
    section(5, vec([[0x00, ...uleb(4)]])),
    section(7, vec([[...name('memory'), 0x02, ...uleb(0)], [...name('digits'), 0x00, ...uleb(0)]])),
    section(12, uleb(segmentList.length)),
    section(10, vec([body(op.i32Const(KEPT_DIGITS))])),
    section(
      11,
      vec(
        segmentList.map(({ flags, offset, pieces }) => {
          const data = payload(pieces, zeroed);
          const head =
            flags === 0 ? [0x00, ...offset.flat(), op.end] : flags === 1 ? [0x01] : [0x02, ...uleb(0), ...offset.flat(), op.end];
          return [...head, ...uleb(data.length), ...data];
        }),
      ),
    ),
  );
}

test('segments: offsets are decoded as constant expressions, 0x0b in their LEB128 included', () => {
  const wasm = dataModule(SEGMENTS);
  const found = segments(wasm);
  assert.equal(found.length, SEGMENTS.length);
  found.forEach(({ start, end, address, passive }, i) => {
    const expected = payload(SEGMENTS[i].pieces, false);
    assert.deepEqual([...wasm.subarray(start, end)], expected, `segment ${i}'s bytes`);
    // The address when the offset is one i32.const; unknown for passive and global.get ones.
    assert.equal(address, SEGMENTS[i].flags === 1 || i === 4 ? null : SEGMENTS[i].address, `segment ${i}'s address`);
    assert.equal(passive, SEGMENTS[i].flags === 1);
  });
  // Offsets at the edges of i32.const's range.
  for (const [value, address] of [[0, 0], [-1, 0xffffffff], [0x7fffffff, 0x7fffffff], [-0x80000000, 0x80000000], [0x0b0b0b, 0x0b0b0b]]) {
    const [segment] = segments(dataModule([{ flags: 0, offset: [op.i32Const(value)], pieces: [['\x0b', false]] }]));
    assert.deepEqual({ address: segment.address, length: segment.end - segment.start }, { address, length: 1 }, `offset ${value}`);
  }
});

test('segments: an offset expression it cannot decode fails loudly instead of being guessed', () => {
  const wasm = dataModule([{ flags: 0, offset: [0xfc, 0x00], pieces: [['x', false]] }]);
  assert.throws(() => segments(wasm), (error) => error instanceof PanicsError && /opcode 0xfc not understood/.test(error.message));
});

test('data: panic texts become zeros, every other byte of the module stays, and it instantiates as expected', async () => {
  const input = dataModule(SEGMENTS);
  assert.ok(WebAssembly.validate(input));
  const file = write('data.wasm', input);
  const run = await panics('data', file);
  assert.equal(run.status, 0, run.stderr);
  const zeroedBytes = SEGMENTS.flatMap((s) => s.pieces).reduce((n, [text, zero]) => n + (zero ? text.length : 0), 0);
  assert.equal(
    run.stdout.trim(),
    `[panics] ${file}: ${zeroedBytes} bytes of panic texts zeroed (6 of ${FRAGMENTS.length} fragments, 2 source paths, digit table zeroed)`,
  );

  // Byte for byte the module with those texts zeroed and nothing else: sections, segment
  // headers and the texts around them untouched.
  const output = fs.readFileSync(file);
  assert.ok(output.equals(dataModule(SEGMENTS, { zeroed: true })), 'only the panic texts are zeroed');
  assert.ok(WebAssembly.validate(output));

  const { instance } = await WebAssembly.instantiate(output, { env: { base: new WebAssembly.Global({ value: 'i32' }, BASE) } });
  const memory = new Uint8Array(instance.exports.memory.buffer);
  for (const [i, { flags, address, pieces }] of SEGMENTS.entries()) {
    if (flags === 1) continue; // passive: not in memory until memory.init
    const expected = payload(pieces, true);
    assert.deepEqual([...memory.subarray(address, address + expected.length)], expected, `segment ${i} in memory`);
    assert.deepEqual([...memory.subarray(address - 2, address)], [0, 0], `before segment ${i}`);
    assert.equal(memory[address + expected.length], 0, `after segment ${i}`);
  }
  assert.equal(Buffer.from(memory.subarray(KEPT_DIGITS, KEPT_DIGITS + 200)).toString('latin1'), DIGITS, 'the digit table the code names stays');
  assert.equal(instance.exports.digits(), KEPT_DIGITS);
});

test('data: run twice, it finds nothing left to zero the second time, and fails', () => {
  const pieces = [['capacity overflow', true], [' ', false], [PATH, true]];
  const file = write('data-twice.wasm', dataModule([{ flags: 0, offset: [op.i32Const(1419)], pieces }]));
  assert.deepEqual(data(file), { zeroed: 17 + PATH.length, fragments: ['capacity overflow'], paths: 1, digits: 'absent' });
  const once = fs.readFileSync(file);
  assert.ok(once.equals(dataModule([{ flags: 0, offset: [op.i32Const(1419)], pieces }], { zeroed: true })));
  assertThrows(() => data(file), new RegExp(`^\\[panics\\] ${re(file)}: none of core's and alloc's ${FRAGMENTS.length} panic message fragments`));
  assert.ok(fs.readFileSync(file).equals(once), 'left as it was');
});

test('data: a module with no panic message fragment fails loudly, and is left as it was', async () => {
  const input = dataModule([{ flags: 0, offset: [op.i32Const(1024)], pieces: [['hello, world ', false], [PATH, false]] }]);
  const file = write('data-none.wasm', input);
  assertFailed(
    await panics('data', file),
    new RegExp(`^\\[panics\\] ${re(file)}: none of core's and alloc's ${FRAGMENTS.length} panic message fragments `),
    /\(e\.g\. "index out of bounds: the len is "\) is in its data segments/,
    /no longer fit this rustc/,
  );
  assert.ok(fs.readFileSync(file).equals(input));
});

test('data: a module with fragments but no source path fails loudly', () => {
  const pieces = [['capacity overflow', false], [' lib.rs', false]];
  const file = write('data-no-path.wasm', dataModule([{ flags: 0, offset: [op.i32Const(1024)], pieces }]));
  assertThrows(() => data(file), new RegExp(`^\\[panics\\] ${re(file)}: no source path ending in \\.rs`));
});

test('the guard: a text of ours that contains a panic fragment stops the step; src/ has none', () => {
  const dir = path.join(tmp, 'src');
  fs.mkdirSync(path.join(dir, 'core'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'lib.rs'), 'const OK: &str = "index out of range";\n');
  checkSources(dir);
  fs.writeFileSync(path.join(dir, 'core', 'util.rs'), 'const MESSAGE: &str = "capacity overflow";\n');
  assert.throws(
    () => checkSources(dir),
    (error) =>
      error instanceof PanicsError &&
      error.message === `[panics] ${dir}/core/util.rs contains core's panic text "capacity overflow": reword it`,
  );
  checkSources(); // the repository's src/, as `data` checks it in the build
});

test('the CLI: a wrong usage fails with the usage line', async () => {
  assertFailed(await panics('data'), /^\[panics\] usage: node scripts\/panics\.mjs trap <in\.wasm> <out\.wasm> \| data <module\.wasm>/);
});
