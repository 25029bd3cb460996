#!/usr/bin/env bash
# Rust → wasm → pkg/ (the npm package `oauth-wasm`), offline:
# cargo (size profile, no_std runtime) → wasm-bindgen --target web → wasm-opt -Oz (npm binaryen)
# → esbuild minifies the JS → hand-written entries, types and package.json from js/.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --lib --release --target wasm32-unknown-unknown --features small-runtime
rm -rf pkg
mkdir -p pkg
wasm-bindgen --target web --no-typescript --out-dir pkg --out-name oauth_wasm \
  target/wasm32-unknown-unknown/release/oauth_wasm.wasm
# The features rustc 1.95 emits for wasm32-unknown-unknown by default.
npx --no-install wasm-opt -Oz --converge \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  pkg/oauth_wasm_bg.wasm -o pkg/oauth_wasm_bg.wasm
cp js/api.js js/shared.js js/server.js js/store.js pkg/
for f in oauth_wasm.js api.js shared.js server.js store.js; do
  npx --no-install esbuild "pkg/$f" --minify --format=esm --log-level=warning --outfile="pkg/$f" --allow-overwrite
done
cp js/index.js js/node.js js/index.d.ts js/package.json pkg/
cp js/README.md pkg/README.md
echo "[build] pkg/ ready: $(ls pkg | tr '\n' ' ')"
