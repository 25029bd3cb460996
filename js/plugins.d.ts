// Build-time plugins for bundlers that do not emit `new URL('./x.wasm', import.meta.url)`
// assets themselves. Typed structurally, so that neither esbuild nor Rollup is a dependency.

/** An esbuild plugin: `esbuild.build({ …, plugins: [oauthWasmEsbuild()] })`. */
export function oauthWasmEsbuild(): { name: string; setup(build: any): void };

/** A Rollup plugin: `plugins: [nodeResolve({ browser: true }), oauthWasmRollup()]`. */
export function oauthWasmRollup(): { name: string; transform(this: any, code: string, id: string): Promise<{ code: string; map: null } | null> };
