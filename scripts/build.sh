#!/usr/bin/env bash
# Rust → wasm → pkg/ (the npm package `oauth-wasm`), offline:
# cargo (size profile, no_std runtime) → wasm-bindgen --target web → wasm-opt -Oz (npm binaryen)
# → esbuild bundles each entry (with the glue) into one minified ES module → types and
# package.json from js/.
# Two wasm-bindgen builds share one JS glue: the browser one, and the Node.js one with the
# server grants (feature `server`: client credentials), which no browser should download. A
# third module, Hydra's audience matching (feature `audience-module`), is fetched on first use.
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
# The features rustc 1.95 emits for wasm32-unknown-unknown by default.
for build in browser server; do
  out=pkg/oauth_wasm_bg.wasm
  [ "$build" = server ] && out=pkg/oauth_wasm_server_bg.wasm
  npx --no-install wasm-opt -Oz --converge \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "target/glue/$build/oauth_wasm_bg.wasm" -o "$out"
done
# The lazily loaded Hydra matching module: raw ABI, no wasm-bindgen, no browser facade.
cargo build --lib --release --target wasm32-unknown-unknown --no-default-features --features small-runtime,audience-module
npx --no-install wasm-opt -Oz --converge \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  target/wasm32-unknown-unknown/release/oauth_wasm.wasm -o pkg/oauth_wasm_audience.wasm
# One pre-built ES module per entry (the package's JS and the glue bundled, as the peers ship
# theirs): no module waterfall before the wasm request. The browser entry leaves server.js out.
rm -rf target/js && mkdir -p target/js
cp js/*.js target/js/
cp target/glue/browser/oauth_wasm.js target/js/oauth_wasm.js
for entry in index:browser node:node; do
  npx --no-install esbuild "target/js/${entry%%:*}.js" --bundle --minify --format=esm --platform="${entry##*:}" \
    --log-level=warning --outfile="pkg/${entry%%:*}.js"
done
cp js/index.d.ts js/package.json pkg/
cp js/README.md pkg/README.md
echo "[build] pkg/ ready: $(ls pkg | tr '\n' ' ')"
