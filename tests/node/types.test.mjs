// The shipped TypeScript types: tests/types/usage.ts and react-usage.ts must compile with
// `tsc --noEmit`, which also proves that every misuse marked @ts-expect-error there is a type
// error. Twice: under `moduleResolution: "bundler"` and `"node16"` (the package's "exports").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const tsc = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));

for (const [resolution, config] of [['bundler', 'tsconfig.json'], ['node16', 'tsconfig.node16.json']]) {
  test(`index.d.ts and react.d.ts type real usage and reject misuse (moduleResolution ${resolution})`, () => {
    const project = fileURLToPath(new URL(`../types/${config}`, import.meta.url));
    const run = spawnSync(process.execPath, [tsc, '-p', project], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stdout + run.stderr);
  });
}
