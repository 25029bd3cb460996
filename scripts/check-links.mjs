// Documentation link checker, run by `npm test` (tests/node/docs.test.mjs) and on its own:
//   node scripts/check-links.mjs [root]
// Reads README.md and every *.md under docs/, bench/, js/, src/, scripts/ and tests/, and reports
//   a. relative links, images and reference definitions whose file or directory does not exist
//      (resolved from the Markdown file's folder; a leading / is the repository root),
//   b. #fragments that match no heading of the target Markdown file (GitHub's anchor slugs),
//   c. inline code spans that name a repository path (`src/…`, `tests/…`, `Cargo.toml`, …) that
//      does not exist (resolved from the repository root).
// Fenced code blocks are skipped, and so are links written inside inline code. External URLs are
// never fetched. Exit status 1 when anything is reported.
import fs from 'node:fs';
import path from 'node:path';

const ROOT_FILES = ['README.md'];
const DOC_DIRS = ['docs', 'bench', 'js', 'src', 'scripts', 'tests'];
// Never descended into, wherever they are (build outputs, dependencies, caches).
const SKIP_DIRS = new Set(['node_modules', 'target', 'pkg', '.git', '.cache']);
// Skipped as repository-relative paths.
const SKIP_PATHS = new Set(['fuzz/corpus']);

// c. What a repository path in a code span looks like.
const CODE_PATH = /^(\.\/)?(src|js|scripts|tests|docs|bench|www|fuzz|\.ci)\/[A-Za-z0-9_./@-]*$/;
const CODE_TOP_FILES = new Set(['Cargo.toml', 'package.json', 'size-budget.json', 'rust-toolchain.toml', 'README.md']);
const CODE_SKIP_CHARS = /[*<{…$]/;
const BUILD_SEGMENTS = new Set(['pkg', 'target', 'node_modules']);

const MARKDOWN_EXT = /\.(md|markdown)$/i;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/; // http:, https:, mailto:, data:, …

// ---------------------------------------------------------------------------------------------
// Which files

function markdownFiles(root) {
  const out = [];
  for (const name of ROOT_FILES) {
    if (isFile(path.join(root, name))) out.push(name);
  }
  const walk = (rel) => {
    let entries;
    try {
      entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const child = `${rel}/${e.name}`;
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && !SKIP_PATHS.has(child)) walk(child);
      } else if (e.isFile() && /\.md$/i.test(e.name)) {
        out.push(child);
      }
    }
  };
  for (const dir of DOC_DIRS) walk(dir);
  return out;
}

function isFile(p) {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Existence, with the exact case of every segment (so that a case-insensitive disk, as on macOS,
// does not pass a link that GitHub and Linux would break).

function makeExists(root) {
  const listings = new Map();
  const list = (relDir) => {
    if (!listings.has(relDir)) {
      let names = null;
      try {
        names = new Set(fs.readdirSync(path.join(root, relDir)));
      } catch {
        names = null;
      }
      listings.set(relDir, names);
    }
    return listings.get(relDir);
  };
  // rel: repository-relative, POSIX, normalized, not escaping the root. '' is the root itself.
  return (rel, mustBeDir = false) => {
    const segments = rel.split('/').filter((s) => s !== '' && s !== '.');
    let dir = '';
    for (const segment of segments) {
      const names = list(dir);
      if (!names || !names.has(segment)) return false;
      dir = dir ? `${dir}/${segment}` : segment;
    }
    if (!mustBeDir) return true;
    try {
      return fs.statSync(path.join(root, dir)).isDirectory();
    } catch {
      return false;
    }
  };
}

// ---------------------------------------------------------------------------------------------
// Markdown, as far as this checker needs it: blocks outside fenced code, code spans, links,
// reference definitions and headings.

const FENCE_OPEN = /^\s*(`{3,}|~{3,})(.*)$/;
const ATX_HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$/;
const SETEXT_UNDERLINE = /^ {0,3}(=+|-+)[ \t]*$/;
const LIST_ITEM = /^\s*(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)/;
const REF_DEF = /^ {0,3}\[((?:[^\]\\\n]|\\.)+)\]:[ \t]*(<[^>\n]*>|\S+)/;

// Lines of a Markdown file, with fenced code blocks marked and blockquote markers removed.
function scanLines(text) {
  const raw = text.split(/\r\n|\r|\n/);
  const lines = [];
  let fence = null; // { char, length }
  for (let i = 0; i < raw.length; i++) {
    const content = raw[i].replace(/^(?: {0,3}>[ ]?)+/, '');
    if (fence) {
      const m = /^\s*(`{3,}|~{3,})\s*$/.exec(content);
      if (m && m[1][0] === fence.char && m[1].length >= fence.length) fence = null;
      lines.push({ n: i + 1, text: content, code: true });
      continue;
    }
    const m = FENCE_OPEN.exec(content);
    // A backtick fence's info string cannot hold a backtick (then it is inline code).
    if (m && !(m[1][0] === '`' && m[2].includes('`'))) {
      fence = { char: m[1][0], length: m[1].length };
      lines.push({ n: i + 1, text: content, code: true });
      continue;
    }
    lines.push({ n: i + 1, text: content, code: false });
  }
  return lines;
}

// Inline blocks: runs of consecutive non-blank lines outside fences that a code span may cross.
// Headings, table rows and list items start a block of their own.
function inlineBlocks(lines) {
  const blocks = [];
  let current = null;
  const close = () => {
    if (current) blocks.push(current);
    current = null;
  };
  for (const line of lines) {
    if (line.code || line.text.trim() === '') {
      close();
      continue;
    }
    const own = ATX_HEADING.test(line.text);
    if (own || /^\s*\|/.test(line.text) || LIST_ITEM.test(line.text)) close();
    if (!current) current = { lines: [] };
    current.lines.push(line);
    if (own) close();
  }
  close();
  for (const b of blocks) {
    b.text = b.lines.map((l) => l.text).join('\n');
    b.starts = [];
    let offset = 0;
    for (const l of b.lines) {
      b.starts.push(offset);
      offset += l.text.length + 1;
    }
    b.lineAt = (offset) => {
      let k = 0;
      while (k + 1 < b.starts.length && b.starts[k + 1] <= offset) k++;
      return b.lines[k].n;
    };
  }
  return blocks;
}

// Code spans (CommonMark): a run of n backticks up to the next run of exactly n. Returns the spans
// and the text with every span (and every backslash escape) blanked out, offsets unchanged.
function codeSpans(text) {
  const spans = [];
  const masked = text.split('');
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\' && i + 1 < text.length && /[!-/:-@[-`{-~]/.test(text[i + 1])) {
      masked[i] = ' ';
      masked[i + 1] = ' ';
      i += 2;
      continue;
    }
    if (c !== '`') {
      i++;
      continue;
    }
    let n = 0;
    while (text[i + n] === '`') n++;
    let j = i + n;
    let close = -1;
    while (j < text.length) {
      if (text[j] !== '`') {
        j++;
        continue;
      }
      let m = 0;
      while (text[j + m] === '`') m++;
      if (m === n) {
        close = j;
        break;
      }
      j += m;
    }
    if (close < 0) {
      i += n; // a lone run of backticks is literal
      continue;
    }
    let content = text.slice(i + n, close).replace(/\n/g, ' ');
    if (content.length >= 2 && content[0] === ' ' && content.at(-1) === ' ' && content.trim() !== '') {
      content = content.slice(1, -1);
    }
    spans.push({ start: i, end: close + n, content });
    for (let k = i; k < close + n; k++) if (masked[k] !== '\n') masked[k] = ' ';
    i = close + n;
  }
  return { spans, masked: masked.join('') };
}

// The destination of an inline link, `(` at `open`: { target, end } or null when it is not one.
function linkDestination(text, open) {
  let k = open + 1;
  const skipSpace = () => {
    while (k < text.length && /[ \t\n]/.test(text[k])) k++;
  };
  skipSpace();
  let target = '';
  if (text[k] === '<') {
    const close = text.indexOf('>', k);
    if (close < 0 || text.slice(k + 1, close).includes('\n')) return null;
    target = text.slice(k + 1, close);
    k = close + 1;
  } else {
    let depth = 0;
    const start = k;
    while (k < text.length) {
      const c = text[k];
      if (c === '\\' && k + 1 < text.length) {
        k += 2;
        continue;
      }
      if (/[\s\x00-\x1f]/.test(c)) break;
      if (c === '(') depth++;
      if (c === ')') {
        if (depth === 0) break;
        depth--;
      }
      k++;
    }
    target = text.slice(start, k);
  }
  skipSpace();
  const title = /^(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\((?:[^()\\]|\\.)*\))/s.exec(text.slice(k));
  if (title && k > 0 && /\s/.test(text[k - 1])) {
    k += title[0].length;
    skipSpace();
  }
  if (text[k] !== ')') return null;
  return { target: target.replace(/\\([!-/:-@[-`{-~])/g, '$1'), end: k + 1 };
}

// Inline links and images of one block: [{ kind, target, offset }].
function inlineLinks(block, masked) {
  const links = [];
  const openers = [];
  const text = block.text;
  for (let i = 0; i < masked.length; i++) {
    const c = masked[i];
    if (c === '[') {
      openers.push({ at: i, image: i > 0 && masked[i - 1] === '!' });
    } else if (c === ']' && openers.length) {
      const opener = openers.pop();
      if (masked[i + 1] !== '(') continue;
      const dest = linkDestination(text, i + 1);
      if (!dest) continue;
      links.push({ kind: opener.image ? 'image' : 'link', target: dest.target, offset: i + 2 });
      if (!opener.image) openers.length = 0; // no links inside links
      i = dest.end - 1;
    }
  }
  return links;
}

// ---------------------------------------------------------------------------------------------
// GitHub anchors

// The text GitHub puts in a heading once it is rendered: code spans keep their content; links
// keep their text; images, HTML tags and emphasis markers go.
export function headingText(raw) {
  const { spans } = codeSpans(raw);
  const held = [];
  let s = '';
  let last = 0;
  for (const span of spans) {
    s += raw.slice(last, span.start) + `\u0000${held.length}\u0000`;
    held.push(span.content);
    last = span.end;
  }
  s += raw.slice(last);
  s = s
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/!\[[^\]]*\]\[[^\]]*\]/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\[[^\]]*\]/g, '$1')
    .replace(/<\/?[A-Za-z][^>]*>/g, '');
  // `_` is a word character for the slug, so emphasis underscores must go first (`*` is dropped
  // by the slug anyway). Intraword underscores (snake_case) are not emphasis.
  for (let k = 0; k < 3; k++) {
    s = s.replace(/(^|[^\p{L}\p{N}_])(_{1,3})(?=[^\s_])(.*?[^\s_])\2(?=$|[^\p{L}\p{N}_])/gu, '$1$3');
  }
  s = s
    .replace(/\\([!-/:-@[-`{-~])/g, '$1')
    .replace(/&(amp|lt|gt|quot|apos|#39|nbsp);/g, (_, e) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'", nbsp: '\u00a0' })[e]);
  return s.replace(/\u0000(\d+)\u0000/g, (_, k) => held[Number(k)]);
}

// GitHub's slug: lowercase, drop all but letters, marks, digits, connector punctuation (`_`),
// spaces and hyphens, then every space becomes a hyphen.
export function slugify(text) {
  return text.toLowerCase().replace(/[^\p{L}\p{M}\p{Nd}\p{Nl}\p{Pc} -]/gu, '').replace(/ /g, '-');
}

// Every anchor of a Markdown file, in order: heading slugs (duplicates -1, -2, …) and the id/name
// attributes of its HTML.
export function anchors(markdown) {
  const lines = scanLines(markdown);
  const seen = new Map();
  const out = new Set();
  const add = (base) => {
    let slug = base;
    while (seen.has(slug)) {
      seen.set(base, seen.get(base) + 1);
      slug = `${base}-${seen.get(base)}`;
    }
    seen.set(slug, 0);
    out.add(slug);
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.code) continue;
    const atx = ATX_HEADING.exec(line.text);
    if (atx) {
      const raw = (atx[2] ?? '').replace(/(^|[ \t]+)#+[ \t]*$/, '').trim();
      add(slugify(headingText(raw)));
      continue;
    }
    const next = lines[i + 1];
    if (
      next && !next.code && SETEXT_UNDERLINE.test(next.text) && line.text.trim() !== ''
      && !LIST_ITEM.test(line.text) && !/^\s*\|/.test(line.text) && !/^ {4}/.test(line.text)
      && !(i > 0 && !lines[i - 1].code && lines[i - 1].text.trim() !== '')
    ) {
      add(slugify(headingText(line.text.trim())));
      i++;
      continue;
    }
    for (const m of line.text.matchAll(/<[A-Za-z][^>]*?\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      out.add(m[1] ?? m[2]);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The check

// { problems, files, links, external, paths }: problems as `file:line: message` strings.
export function scanDocs(root) {
  root = path.resolve(root);
  const exists = makeExists(root);
  const anchorCache = new Map();
  const anchorsOf = (rel) => {
    if (!anchorCache.has(rel)) anchorCache.set(rel, anchors(fs.readFileSync(path.join(root, rel), 'utf8')));
    return anchorCache.get(rel);
  };
  const files = markdownFiles(root);
  const problems = [];
  let links = 0;
  let external = 0;
  let paths = 0;

  for (const file of files) {
    const found = [];
    const report = (line, offset, message) => found.push({ line, offset, text: `${file}:${line}: ${message}` });
    const dir = path.posix.dirname(file);
    const lines = scanLines(fs.readFileSync(path.join(root, file), 'utf8'));

    const checkTarget = (kind, written, line, offset) => {
      const target = written.trim();
      if (SCHEME.test(target) || target.startsWith('//')) {
        external++;
        return;
      }
      links++;
      const what = `${kind} to ${target === '' ? '(empty)' : target}`;
      if (target === '') {
        report(line, offset, `${what}: empty link target`);
        return;
      }
      const hash = target.indexOf('#');
      let pathPart = hash >= 0 ? target.slice(0, hash) : target;
      const fragment = hash >= 0 ? target.slice(hash + 1) : null;
      const query = pathPart.indexOf('?');
      if (query >= 0) pathPart = pathPart.slice(0, query);
      pathPart = decode(pathPart);

      let rel = file; // a bare #fragment is this file
      if (pathPart !== '') {
        const joined = pathPart.startsWith('/') ? pathPart.slice(1) : path.posix.join(dir, pathPart);
        rel = path.posix.normalize(joined === '' ? '.' : joined);
        if (rel === '..' || rel.startsWith('../')) {
          report(line, offset, `${what}: outside the repository`);
          return;
        }
        if (rel === '.' || rel === './') rel = '';
        rel = rel.replace(/\/$/, '');
        if (!exists(rel, pathPart.endsWith('/'))) {
          const resolved = rel === '' ? '/' : rel;
          report(line, offset, `${what}: no such file${resolved === pathPart ? '' : ` (${resolved})`}`);
          return;
        }
      }
      if (fragment === null || fragment === '' || !MARKDOWN_EXT.test(rel) || !isFile(path.join(root, rel))) return;
      const wanted = decode(fragment);
      const known = anchorsOf(rel);
      if (known.has(wanted)) return;
      const hint = known.has(wanted.toLowerCase()) ? ` (did you mean #${wanted.toLowerCase()}?)` : '';
      report(line, offset, `${what}: no heading with anchor #${wanted} in ${rel}${hint}`);
    };

    const checkCodePath = (content, line, offset) => {
      if (CODE_SKIP_CHARS.test(content)) return;
      if (!CODE_PATH.test(content) && !CODE_TOP_FILES.has(content)) return;
      const rel = path.posix.normalize(content.replace(/^\.\//, ''));
      if (rel.split('/').some((s) => BUILD_SEGMENTS.has(s))) return;
      paths++;
      if (rel === '..' || rel.startsWith('../')) {
        report(line, offset, `path \`${content}\`: outside the repository`);
        return;
      }
      if (!exists(rel.replace(/\/$/, ''), content.endsWith('/'))) {
        report(line, offset, `path \`${content}\`: no such file`);
      }
    };

    // Reference definitions: [label]: target (not footnotes, [^1]: …).
    for (const line of lines) {
      if (line.code) continue;
      const m = REF_DEF.exec(line.text);
      if (!m || m[1].startsWith('^')) continue;
      const target = m[2].startsWith('<') ? m[2].slice(1, -1) : m[2];
      checkTarget('link', target.replace(/\\([!-/:-@[-`{-~])/g, '$1'), line.n, 0);
    }
    for (const block of inlineBlocks(lines)) {
      const { spans, masked } = codeSpans(block.text);
      for (const link of inlineLinks(block, masked)) {
        checkTarget(link.kind, link.target, block.lineAt(link.offset), link.offset);
      }
      for (const span of spans) checkCodePath(span.content, block.lineAt(span.start), span.start);
    }
    found.sort((a, b) => a.line - b.line || a.offset - b.offset);
    problems.push(...found.map((f) => f.text));
  }
  return { problems, files: files.length, links, external, paths };
}

function decode(s) {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

// The problems only: [] when the docs are sound.
export function checkLinks(root) {
  return scanDocs(root).problems;
}

// ---------------------------------------------------------------------------------------------
// Run directly

const self = import.meta.filename ?? decodeURIComponent(new URL(import.meta.url).pathname);
const invoked = process.argv[1] ? path.resolve(process.argv[1]) : '';
const isMain = (() => {
  try {
    return fs.realpathSync(invoked) === fs.realpathSync(self);
  } catch {
    return false;
  }
})();

if (isMain) {
  const root = process.argv[2] ?? path.dirname(path.dirname(self));
  const started = performance.now();
  const { problems, files, links, external, paths } = scanDocs(root);
  const ms = Math.round(performance.now() - started);
  for (const p of problems) console.error(p);
  const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
  const summary = `${plural(files, 'Markdown file')}, ${plural(links, 'relative link')} (${external} external, not fetched), ${plural(paths, 'path')} in code spans`;
  if (problems.length) {
    console.error(`check-links: ${plural(problems.length, 'problem')} in ${summary} (${ms} ms)`);
    process.exit(1);
  }
  console.log(`check-links: ok, ${summary} (${ms} ms)`);
}
