#!/usr/bin/env bash
# Rust → wasm → pkg/ (the npm package `oauth-wasm`), offline:
# cargo (size profile, no_std runtime) → wasm-opt -Oz (npm binaryen) → esbuild bundles each JS
# entry into one minified ES module → types and package.json from js/.
# Three modules, each over the raw ABI of src/abi.rs (no generated glue): the browser's, the
# Node.js one with the server grants (feature `server`: client credentials, which no browser
# should download), and Hydra's audience matching (feature `audience-module`, no browser
# facade), refresh grants + sign-out + UserInfo (feature `account-module`) and DPoP proofs (feature
# `dpop-module`), which both entries fetch on first use.
set -euo pipefail
cd "$(dirname "$0")/.."

wasm=target/wasm32-unknown-unknown/release/oauth_wasm.wasm
# build NAME FEATURES OUT: one module, as it ships (OUT/NAME.wasm).
build() {
  local name=$1 features=$2 out=$3
  local flags=()
  # Every function of at most 6 bytes inlined into its callers (binaryen's default is 2): the
  # main module −76 B gzip and 14 fewer functions (V8 compiles each on its own, at its first
  # call); the code exchange 1.01× [0.95–1.07] the build without it, 160 paired rounds.
  # Single-caller functions over 75 bytes stay functions of their own (binaryen inlines every
  # single-caller function by default): the main module −421 B gzip (25 and 150 measured: −416,
  # −227).
  local inline=(-aimfs=6 -ocimfs=75)
  case $name in oauth_wasm_audience | oauth_wasm_account | oauth_wasm_dpop)
    flags=(--no-default-features)
    # The modules fetched on first use keep single-caller functions over 25 bytes apart:
    # audience −157 B gzip, account −564, DPoP −118.
    inline=(-aimfs=6 -ocimfs=25) ;;
  esac
  cargo build --lib --release --target wasm32-unknown-unknown "${flags[@]}" --features "$features"
  # core's panic entry points trap at once (what nightly's panic_immediate_abort does).
  node scripts/panics.mjs trap "$wasm" target/trapped.wasm
  # The features rustc 1.95 emits for wasm32-unknown-unknown by default; the producers and
  # target-features sections are metadata no engine reads (-0.17 KB gzip); flattening and
  # re-running the relooper before a last -Oz gives smaller control flow (-0.19 KB gzip);
  # merging similar functions first, -0.10 KB; one more -Oz after the relooper, -0.06 KB.
  npx --no-install wasm-opt "${inline[@]}" --merge-similar-functions -Oz --converge \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    --strip-debug --strip-producers --strip-target-features --flatten --rereloop -Oz -Oz \
    target/trapped.wasm -o "$out/$name.wasm"
  # The panic texts nothing reads any more, zeroed.
  node scripts/panics.mjs data "$out/$name.wasm"
}

# `--trap-hook`: the tests' builds of the main and account modules, which trap on a marked
# argument (feature `trap-hook`, src/abi.rs), into target/trap-hook/; pkg/ is left alone.
if [ "${1:-}" = --trap-hook ]; then
  mkdir -p target/trap-hook
  build oauth_wasm_bg small-runtime,trap-hook target/trap-hook
  build oauth_wasm_account small-runtime,account-module,trap-hook target/trap-hook
  echo "[build] target/trap-hook/ ready: $(ls target/trap-hook | tr '\n' ' ')"
  exit 0
fi

rm -rf pkg && mkdir -p pkg
for module in oauth_wasm_bg:small-runtime oauth_wasm_server_bg:small-runtime,server \
  oauth_wasm_audience:small-runtime,audience-module oauth_wasm_account:small-runtime,account-module \
  oauth_wasm_dpop:small-runtime,dpop-module; do
  build "${module%%:*}" "${module##*:}" pkg
done
# One pre-built ES module per entry (the package's JS bundled, as the peers ship theirs): no
# module waterfall before the wasm request. The browser entry leaves server.js out.
# The browser entry splits off what it imports on first use: the account flows (pkg/account.js,
# beside the account module), the DPoP key code (pkg/dpop.js), IndexedDB (pkg/idb.js) and
# popup sign-in (pkg/popup.js); they import nothing, so no chunk is shared with index.js.
# Node's entry keeps them inline. terser's compression after esbuild's minification takes
# another 0.24 KB gzip off. plugins.js (build-time plugins for esbuild and Rollup) ships as written.
npx --no-install esbuild js/index.js --bundle --minify --format=esm --platform=browser --splitting \
  --chunk-names='[name]' --log-level=warning --outdir=pkg
npx --no-install esbuild js/node.js --bundle --minify --format=esm --platform=node --log-level=warning --outfile=pkg/node.js
# The React bindings (`oauth-wasm/react`): React and the package's entry stay imports, so the
# app's bundler gives both the same module instances as the app's own imports.
npx --no-install esbuild js/react.js --bundle --minify --format=esm --platform=browser --external:react \
  --external:./index.js --log-level=warning --outfile=pkg/react.js
for out in pkg/index.js pkg/account.js pkg/dpop.js pkg/idb.js pkg/popup.js pkg/node.js pkg/react.js; do
  npx --no-install terser "$out" --module --compress passes=2 --mangle -o "$out"
done
# Chromium's explicit compile hint (V8, Chrome 136+): the entry's functions are compiled as the
# module loads, in the background while it streams, not one by one on the main thread at their
# first call. Most of them run in the sign-in job; on the callback page this took about 0.9 ms
# of lazy JavaScript compilation out of the code exchange. +16 B gzip. It must be the file's first
# line; bundlers drop it (docs/reference.md, "Loading, and serving the wasm").
{ echo '//# allFunctionsCalledOnLoad'; cat pkg/index.js; } > pkg/index.js.tmp && mv pkg/index.js.tmp pkg/index.js
cp js/index.d.ts js/react.d.ts js/plugins.js js/plugins.d.ts js/package.json pkg/
cp js/README.md pkg/README.md
echo "[build] pkg/ ready: $(ls pkg | tr '\n' ' ')"
