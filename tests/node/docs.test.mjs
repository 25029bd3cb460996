// The documentation's links and paths (scripts/check-links.mjs): the real repository has no broken
// link, fragment or stale path, and, on small fixture trees, the checker reports exactly what is
// broken and nothing else.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkLinks, scanDocs } from '../../scripts/check-links.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCRIPT = path.join(ROOT, 'scripts', 'check-links.mjs');

const temps = [];
after(() => {
  for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
});

// A fixture repository in a fresh temp dir: { 'docs/a.md': '…', 'src/': null (empty dir) }.
function fixture(files) {
  const outer = fs.mkdtempSync(path.join(os.tmpdir(), 'check-links-'));
  temps.push(outer);
  const root = path.join(outer, 'repo'); // one level down, so that ../../x leaves the repository
  for (const [rel, text] of Object.entries(files)) {
    const full = path.join(root, rel);
    if (text === null) {
      fs.mkdirSync(full, { recursive: true });
    } else {
      fs.mkdirSync(path.dirname(full), { recursive: true });
      fs.writeFileSync(full, text);
    }
  }
  return root;
}

const lines = (...l) => `${l.join('\n')}\n`;

test('the repository docs have no broken link, fragment or path', () => {
  const problems = checkLinks(ROOT);
  assert.deepEqual(problems, [], `broken links or stale paths in the docs:\n${problems.join('\n')}`);
});

test('broken relative links, images and reference definitions are reported', () => {
  const root = fixture({
    'README.md': lines(
      '# Fixture',
      '',
      '[guide](docs/guide.md) and [missing](docs/missing.md).',
      '[dir](docs/) [dir2](src) [rooted](/docs/guide.md) [dot](./docs/guide.md?plain=1)',
      '[spaced](docs/with%20space.md) [angle](<docs/with space.md>) [titled](docs/guide.md "Guide")',
      '![logo](img/logo.png) ![gone](img/gone.png) [![badge](img/logo.png)](docs/badge-gone.md)',
      '[a link whose text',
      'wraps](docs/wrapped-gone.md) [file as a dir](docs/guide.md/) [empty]()',
      '',
      '[ref]: docs/gone-ref.md',
      '[ok]: docs/guide.md "title"',
      '[^1]: a footnote, not a link',
    ),
    'docs/guide.md': lines('# Guide', '', '[back](../README.md) [rooted](/README.md) [nope](nope.md) [out](../../outside.md)'),
    'docs/with space.md': '# Spaced\n',
    'img/logo.png': 'png',
    'src/': null,
  });
  fs.writeFileSync(path.join(root, '..', 'outside.md'), '# exists, but outside the repository\n');
  assert.deepEqual(checkLinks(root), [
    'README.md:3: link to docs/missing.md: no such file',
    'README.md:6: image to img/gone.png: no such file',
    'README.md:6: link to docs/badge-gone.md: no such file',
    'README.md:8: link to docs/wrapped-gone.md: no such file',
    'README.md:8: link to docs/guide.md/: no such file (docs/guide.md)',
    'README.md:8: link to (empty): empty link target',
    'README.md:10: link to docs/gone-ref.md: no such file',
    'docs/guide.md:3: link to nope.md: no such file (docs/nope.md)',
    'docs/guide.md:3: link to ../../outside.md: outside the repository',
  ]);
});

test('fragments must match a heading, by GitHub\'s slug rules', () => {
  const root = fixture({
    'README.md': lines(
      '# Fixture',
      '',
      '[a](docs/guide.md#npm-test-every-test) [b](docs/guide.md#size--speed) [c](docs/guide.md#usage)',
      '[d](docs/guide.md#usage-1) [e](docs/guide.md#usage-2) [f](docs/guide.md#über-die-größe--2--faster)',
      '[g](docs/guide.md#%C3%BCber-die-gr%C3%B6%C3%9Fe--2--faster) [h](docs/guide.md#snake_case-and-emphasis-and-bold)',
      '[i](docs/guide.md#linked-heading) [j](docs/guide.md#setext-heading) [k](docs/guide.md#custom-anchor)',
      '[l](#fixture) [m](#local-section) [n](src/lib.rs#L10) [o](docs/#anything) [p](#)',
      '',
      '## Local section',
      '',
      '[q](docs/guide.md#usage-3) [r](docs/guide.md#not-a-heading) [s](#nope)',
      '[t](docs/guide.md#Usage) [u](docs/guide.md#size-speed) [v](docs/guide.md#npm-test-every-test)',
    ),
    'docs/guide.md': lines(
      '# Guide',
      '',
      '## `npm test`: every test',
      '',
      '## Size & speed',
      '',
      '## Usage',
      '',
      '## Usage',
      '',
      '### Usage',
      '',
      '## Über die Größe — 2 × faster!',
      '',
      '## snake_case and _emphasis_ and **bold**',
      '',
      '## [Linked](https://example.com) heading ##',
      '',
      'Setext heading',
      '--------------',
      '',
      '<a id="custom-anchor"></a>',
      '',
      '```md',
      '## Not a heading',
      '```',
    ),
    'src/lib.rs': '// L10 is not checked\n',
  });
  assert.deepEqual(checkLinks(root), [
    'README.md:11: link to docs/guide.md#usage-3: no heading with anchor #usage-3 in docs/guide.md',
    'README.md:11: link to docs/guide.md#not-a-heading: no heading with anchor #not-a-heading in docs/guide.md',
    'README.md:11: link to #nope: no heading with anchor #nope in README.md',
    'README.md:12: link to docs/guide.md#Usage: no heading with anchor #Usage in docs/guide.md (did you mean #usage?)',
    'README.md:12: link to docs/guide.md#size-speed: no heading with anchor #size-speed in docs/guide.md',
  ]);
});

test('paths in code spans must exist, from the repository root', () => {
  const root = fixture({
    'README.md': lines(
      '# Paths',
      '',
      'Good: `src/lib.rs`, `./src/lib.rs`, `src/`, `tests/node/`, `Cargo.toml`, `package.json`, `` src/lib.rs ``,',
      '[`scripts/build.sh`](scripts/build.sh), `.ci/run.sh`.',
      'Bad: `src/gone.rs`, `tests/e2e/`, `size-budget.json`,',
      '`src/lib.rs/` and [`src/old.rs`](src/lib.rs).',
      'Not paths: `src/*.rs`, `fuzz/artifacts/<target>/`, `src/{a,b}.rs`, `src/…`, `$HOME/src`, `pkg/index.js`,',
      '`target/debug/x`, `fuzz/target/x`, `tests/app/node_modules/x`, `scripts/build.sh --trap-hook`, `npm test`,',
      '`lib/gone.rs`, `/src/gone.rs`, `src/gone.rs:12`, `gone.md`, `docs/gone.md#x`.',
    ),
    'docs/guide.md': lines('# Guide', '', 'From the root, not from docs/: `src/lib.rs`, `docs/guide.md`; not `guide.md`; bad: `docs/docs/guide.md`.'),
    'src/lib.rs': '',
    'scripts/build.sh': '',
    '.ci/run.sh': '',
    'tests/node/a.test.mjs': '',
    'Cargo.toml': '',
    'package.json': '{}',
  });
  assert.deepEqual(checkLinks(root), [
    'README.md:5: path `src/gone.rs`: no such file',
    'README.md:5: path `tests/e2e/`: no such file',
    'README.md:5: path `size-budget.json`: no such file',
    'README.md:6: path `src/lib.rs/`: no such file',
    'README.md:6: path `src/old.rs`: no such file',
    'docs/guide.md:3: path `docs/docs/guide.md`: no such file',
  ]);
});

test('fenced code, inline code, escapes and external links are not checked', () => {
  const root = fixture({
    'README.md': lines(
      '# Ignored',
      '',
      '```md',
      '[fenced](docs/fenced.md) `src/fenced.rs`',
      '```',
      '',
      '~~~',
      '[tilde](docs/tilde.md)',
      '~~~',
      '',
      '````md',
      '```',
      '[nested](docs/nested.md)',
      '```',
      '````',
      '',
      '1. A list item with a fence:',
      '   ```sh',
      '   [indented](docs/indented.md)',
      '   ```',
      '',
      'Inline code: `[not a link](docs/inline.md)` and ``[double](docs/double.md) `x` ``.',
      'External: [site](https://example.com/missing.md) [mail](mailto:someone@example.com)',
      '[proto](//example.com/x) <https://example.com/auto> [ref-ext].',
      'Escaped: \\[not a link](docs/escaped.md).',
      '',
      '[ref-ext]: https://example.com/ref',
      '',
      'After the fences: [after](docs/after.md).',
    ),
  });
  const { problems, links, external } = scanDocs(root);
  assert.deepEqual(problems, ['README.md:29: link to docs/after.md: no such file']);
  assert.equal(links, 1);
  assert.equal(external, 4);
});

test('which Markdown files are read', () => {
  const broken = '[x](gone.md)\n';
  const root = fixture({
    'README.md': broken,
    'CHANGELOG.md': broken,
    'other/README.md': broken,
    'docs/a.md': broken,
    'docs/deep/b.md': broken,
    'bench/c.md': broken,
    'js/d.md': broken,
    'src/browser/README.md': broken,
    'scripts/e.md': broken,
    'tests/f.md': broken,
    'docs/notes.txt': broken,
    'node_modules/pkg/README.md': broken,
    'js/node_modules/x/README.md': broken,
    'tests/app/node_modules/x/README.md': broken,
    'target/doc/a.md': broken,
    'src/target/a.md': broken,
    'pkg/README.md': broken,
    'docs/.cache/a.md': broken,
    'fuzz/corpus/a.md': broken,
  });
  const { problems, files } = scanDocs(root);
  assert.deepEqual(problems, [
    'README.md:1: link to gone.md: no such file',
    'docs/a.md:1: link to gone.md: no such file (docs/gone.md)',
    'docs/deep/b.md:1: link to gone.md: no such file (docs/deep/gone.md)',
    'bench/c.md:1: link to gone.md: no such file (bench/gone.md)',
    'js/d.md:1: link to gone.md: no such file (js/gone.md)',
    'src/browser/README.md:1: link to gone.md: no such file (src/browser/gone.md)',
    'scripts/e.md:1: link to gone.md: no such file (scripts/gone.md)',
    'tests/f.md:1: link to gone.md: no such file (tests/gone.md)',
  ]);
  assert.equal(files, 8);
});

test('run directly: the problems and exit 1, or a summary and exit 0', () => {
  const bad = fixture({ 'README.md': '# Bad\n\n[x](gone.md) `src/gone.rs`\n' });
  const failed = spawnSync(process.execPath, [SCRIPT, bad], { encoding: 'utf8' });
  assert.equal(failed.status, 1, failed.stderr);
  assert.match(failed.stderr, /^README\.md:3: link to gone\.md: no such file$/m);
  assert.match(failed.stderr, /^README\.md:3: path `src\/gone\.rs`: no such file$/m);
  assert.match(failed.stderr, /check-links: 2 problems in 1 Markdown file, 1 relative link .*, 1 path in code spans/);

  const good = fixture({ 'README.md': '# Good\n\n[x](src/) `src/lib.rs`\n', 'src/lib.rs': '' });
  const passed = spawnSync(process.execPath, [SCRIPT, good], { encoding: 'utf8' });
  assert.equal(passed.status, 0, passed.stderr);
  assert.match(passed.stdout, /^check-links: ok, 1 Markdown file, 1 relative link \(0 external, not fetched\), 1 path in code spans \(\d+ ms\)\n$/);
});
