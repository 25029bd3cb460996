#!/usr/bin/env bash
# Rust → wasm → pkg/ (the npm package `oauth-wasm`), offline:
# cargo (size profile, no_std runtime) → wasm-bindgen --target web → wasm-opt -Oz (npm binaryen)
# → esbuild minifies the JS → hand-written entries, types and package.json from js/.
# Two wasm builds share one JS glue: the browser one, and the Node.js one with the server
# grants (feature `server`: client credentials), which no browser should download.
set -euo pipefail
cd "$(dirname "$0")/.."

rm -rf pkg target/glue
mkdir -p pkg target/glue
for build in browser server; do
  features=small-runtime
  [ "$build" = server ] && features=small-runtime,server
  cargo build --lib --release --target wasm32-unknown-unknown --features "$features"
  wasm-bindgen --target web --no-typescript --out-dir "target/glue/$build" --out-name oauth_wasm \
    target/wasm32-unknown-unknown/release/oauth_wasm.wasm
done
if ! cmp -s target/glue/browser/oauth_wasm.js target/glue/server/oauth_wasm.js; then
  echo "[build] the browser and server builds need different JS glue: their exports differ" >&2
  exit 1
fi
cp target/glue/browser/oauth_wasm.js pkg/oauth_wasm.js
# The features rustc 1.95 emits for wasm32-unknown-unknown by default.
for build in browser server; do
  out=pkg/oauth_wasm_bg.wasm
  [ "$build" = server ] && out=pkg/oauth_wasm_server_bg.wasm
  npx --no-install wasm-opt -Oz --converge \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "target/glue/$build/oauth_wasm_bg.wasm" -o "$out"
done
cp js/api.js js/shared.js js/server.js js/store.js pkg/
for f in oauth_wasm.js api.js shared.js server.js store.js; do
  npx --no-install esbuild "pkg/$f" --minify --format=esm --log-level=warning --outfile="pkg/$f" --allow-overwrite
done
cp js/index.js js/node.js js/index.d.ts js/package.json pkg/
cp js/README.md pkg/README.md
echo "[build] pkg/ ready: $(ls pkg | tr '\n' ' ')"
