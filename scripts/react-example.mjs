// Builds the React example (www/react) with Vite into target/www-react/, which
// scripts/serve.mjs serves at /react/. `npm run demo` and tests/e2e/example.test.mjs call it.
import { fileURLToPath } from 'node:url';

export const REACT_EXAMPLE_DIR = fileURLToPath(new URL('../target/www-react/', import.meta.url));

export async function buildReactExample() {
  const { build } = await import('vite');
  await build({
    root: fileURLToPath(new URL('../www/react/', import.meta.url)),
    base: '/react/',
    logLevel: 'warn',
    configFile: false,
    build: { outDir: REACT_EXAMPLE_DIR, emptyOutDir: true },
  });
  return REACT_EXAMPLE_DIR;
}
