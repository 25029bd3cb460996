// Build-time plugins (they run in Node, inside the app's bundler, and ship nothing to the
// browser) for the two bundlers that do not emit the assets `new URL('./x.wasm',
// import.meta.url)` names: esbuild (evanw/esbuild#795, open) and Rollup (no assets without a
// plugin). Vite, webpack 5 and a page with an import map need none. Each plugin rewrites only
// this package's own modules: every `new URL("./….wasm",import.meta.url)` in them becomes a URL
// the bundler gives the emitted file, so the wasm is still fetched on its own, streamed and
// compiled while it downloads, and the lazy modules stay lazy.
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
// How the package's built modules write it (esbuild + terser keep this exact form; the
// package's tests bundle the packed tarball with both plugins, so a change of form fails them).
const WASM_URL = /new URL\("\.\/([\w-]+\.wasm)",import\.meta\.url\)/g;
const ours = (path) => dirname(path) === here && path.endsWith('.js');

/**
 * esbuild: `plugins: [oauthWasmEsbuild()]` (esbuild's JavaScript API; the command line takes no
 * plugins). Each wasm becomes an import under esbuild's `file` loader, so esbuild copies it
 * into the output directory (hashed) and the code asks for it next to the bundle. Works with
 * `format: 'esm'` (with or without `splitting`) and with esbuild's default `iife`.
 */
export function oauthWasmEsbuild() {
  return {
    name: 'oauth-wasm',
    setup(build) {
      const esm = build.initialOptions.format === 'esm';
      build.onLoad({ filter: /\.js$/ }, async ({ path }) => {
        if (!ours(path)) return undefined;
        const source = await readFile(path, 'utf8');
        const imports = [];
        const contents = source.replace(WASM_URL, (_, file) => {
          const name = `__oauthWasm${imports.length}`;
          imports.push(`import ${name} from ${JSON.stringify(`./${file}`)};`);
          return `new URL(${name},__oauthWasmBase)`;
        });
        if (!imports.length) return undefined;
        // The paths esbuild gives are relative to the output directory, where the bundle is:
        // in an ES module that is import.meta.url; in a classic script, the script's own URL
        // while it first runs (this module's top level runs then).
        const base = esm ? 'import.meta.url' : 'document.currentScript?.src ?? location.href';
        return { contents: `${imports.join('')}const __oauthWasmBase=${base};${contents}`, loader: 'js', resolveDir: here };
      });
      build.onLoad({ filter: /\.wasm$/ }, async ({ path }) => (dirname(path) === here ? { contents: await readFile(path), loader: 'file' } : undefined));
    },
  };
}

/**
 * Rollup: `plugins: [nodeResolve({ browser: true }), oauthWasmRollup()]`. Each wasm is emitted as
 * an asset (`assets/…-[hash].wasm` by default, Rollup's `assetFileNames`) and referenced
 * through `import.meta.ROLLUP_FILE_URL_…`, which Rollup resolves for the output format.
 */
export function oauthWasmRollup() {
  return {
    name: 'oauth-wasm',
    async transform(code, id) {
      if (!ours(id)) return null;
      const files = [...code.matchAll(WASM_URL)].map((m) => m[1]);
      if (!files.length) return null;
      const refs = new Map();
      for (const file of new Set(files)) {
        refs.set(file, this.emitFile({ type: 'asset', name: basename(file), source: await readFile(join(here, file)) }));
      }
      return { code: code.replace(WASM_URL, (_, file) => `new URL(import.meta.ROLLUP_FILE_URL_${refs.get(file)})`), map: null };
    },
  };
}
