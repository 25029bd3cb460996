#!/usr/bin/env bash
# `npm test`: every test, from a bare machine. Installs what is missing, builds pkg/, then runs
#   1. the protocol core natively (cargo test),
#   2. the browser facade over the real browser APIs (wasm-bindgen-test) in headless Chromium,
#      Firefox ESR and WebKitGTK,
#   3. the built package in Node, and its TypeScript types (node --test tests/node), client
#      credentials and the audience pre-check's differential test against a real Ory Hydra,
#   4. end to end (Playwright in Chromium; WebDriver scenarios also in Firefox and WebKit): the
#      example SPA against oidc-provider and against a real Ory Hydra (built from source by the
#      bootstrap), and apps bundled by Vite, webpack, esbuild and Rollup,
#   5. a smoke run of every fuzz target (3 s each; `npm run fuzz` is the long run),
# and finally the size report, which fails the run when the first download is over its budget.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT

step "bootstrap"
bash scripts/bootstrap.sh
step "build pkg/"
bash scripts/build.sh
step "build the tests' trapping modules (target/trap-hook/, never shipped)"
bash scripts/build.sh --trap-hook
step "core: cargo test"
cargo test --quiet --lib 2>&1 | tee -a "$log"
# Every line that ships is linted as it is built: each module's target and features.
step "clippy: natively, and every shipped module's wasm32 build (-D warnings)"
cargo clippy --quiet --all-targets -- -D warnings
cargo clippy --quiet --all-targets --features server -- -D warnings
for features in small-runtime small-runtime,server small-runtime,trap-hook; do
  cargo clippy --quiet --lib --release --target wasm32-unknown-unknown --features "$features" -- -D warnings
done
for features in account-module audience-module dpop-module account-module,trap-hook; do
  cargo clippy --quiet --lib --release --target wasm32-unknown-unknown --no-default-features --features "small-runtime,$features" -- -D warnings
done
# One driver variable per run: wasm-bindgen-test-runner picks the browser by it.
step "facade: cargo test --target wasm32-unknown-unknown (headless Chromium)"
env -u GECKODRIVER -u SAFARIDRIVER CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}" \
  cargo test --target wasm32-unknown-unknown --test web 2>&1 | tee -a "$log"
step "facade: the same in headless Firefox ESR"
env -u CHROMEDRIVER -u SAFARIDRIVER GECKODRIVER="${GECKODRIVER:-$(command -v geckodriver || echo "$HOME/.cargo/bin/geckodriver")}" \
  cargo test --target wasm32-unknown-unknown --test web 2>&1 | tee -a "$log"
step "facade: the same in WebKitGTK (Safari's engine), under xvfb"
env -u CHROMEDRIVER -u GECKODRIVER SAFARIDRIVER="${SAFARIDRIVER:-/usr/bin/WebKitWebDriver}" \
  xvfb-run -a cargo test --target wasm32-unknown-unknown --test web 2>&1 | tee -a "$log"
step "package in Node"
node --test --test-reporter=spec tests/node/ 2>&1 | tee -a "$log"
step "end to end: Playwright + oidc-provider and Ory Hydra"
node --test --test-reporter=spec --test-concurrency=1 tests/e2e/ 2>&1 | tee -a "$log"
step "fuzz targets: smoke run (npm run fuzz for the long run)"
bash scripts/fuzz.sh smoke
step "size (over the budget in size-budget.json fails)"
size_rc=0
node scripts/size.mjs || size_rc=$?

# One closing line over all four runners.
passed=$(sed -n -e 's/^test result: [a-zA-Z]*\. \([0-9]*\) passed.*/\1/p' -e 's/^ℹ pass \([0-9]*\)$/\1/p' "$log" | awk '{ s += $1 } END { print s + 0 }')
failed=$(sed -n -e 's/^test result: .* \([0-9]*\) failed;.*/\1/p' -e 's/^ℹ fail \([0-9]*\)$/\1/p' "$log" | awk '{ s += $1 } END { print s + 0 }')
echo
echo "npm test: ${passed} passed, ${failed} failed"
[ "$size_rc" = 0 ] || { echo "npm test: a download is over its size budget (size-budget.json)" >&2; exit 1; }
