#!/usr/bin/env bash
# Installs what building and testing need, skipping whatever is already there:
# the wasm32 target, the wasm-bindgen CLI pinned to the crate's version, Debian's Chromium,
# ChromeDriver, Firefox ESR, WebKitGTK's WebDriver and xvfb, geckodriver, cargo-fuzz (on the
# nightly toolchain), Ory Hydra built from source (`bootstrap.sh hydra` alone), and the npm dev
# dependencies. `bootstrap.sh build` installs only what building the package needs (the target
# and the npm dev dependencies): `npm run demo` uses it, since the wasm-bindgen test runner and
# Chromium serve only the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
only_build=false
[ "${1:-}" = build ] && only_build=true
say() { printf '[bootstrap] %s\n' "$*"; }

# Ory Hydra v2.3.0, built from the Go module proxy through the wrapper module in scripts/hydra/
# (its go.mod pins every module, go.sum their hashes; `go install` cannot build Hydra, whose
# go.mod has replace lines). The binary is cached in .cache/hydra/ (ignored); with Go's own module
# and build caches warm (a fresh clone on the same machine, as CI's), a rebuild takes seconds.
hydra() {
  local bin=.cache/hydra/hydra want=v2.3.0
  # The version read whole first: `hydra version | grep -q` fails under pipefail when grep's
  # early exit hands hydra a SIGPIPE.
  version() { [ -x "$bin" ] && grep -Eq "^Version:[[:space:]]+$want\$" <<<"$("$bin" version 2>/dev/null)"; }
  if version; then return 0; fi
  hfail() { printf '[bootstrap] Hydra: %s failed\n' "$*" >&2; exit 1; }
  command -v go >/dev/null || [ ! -x /usr/local/go/bin/go ] || PATH="/usr/local/go/bin:$PATH"
  command -v go >/dev/null || hfail "finding the Go toolchain (go is not on PATH)"
  command -v gcc >/dev/null || hfail "finding gcc (Hydra's SQLite driver needs cgo)"
  say "building Ory Hydra $want from source (about 3.5 minutes the first time)"
  mkdir -p .cache/hydra
  local out="$PWD/.cache/hydra/hydra.tmp"
  (cd scripts/hydra && go mod download github.com/ory/hydra/v2) || hfail "downloading Hydra's modules (go mod download)"
  (cd scripts/hydra && CGO_ENABLED=1 go build -mod=readonly -tags sqlite,sqlite_omit_load_extension \
    -ldflags "-X github.com/ory/hydra/v2/driver/config.Version=$want" \
    -o "$out" github.com/ory/hydra/v2) || hfail "compiling Hydra (go build)"
  mv .cache/hydra/hydra.tmp "$bin"
  version || hfail "checking the built binary (hydra version does not print $want)"
}
if [ "${1:-}" = hydra ]; then hydra; exit 0; fi

# `bootstrap.sh fuzz`: only cargo-fuzz (and the nightly toolchain it runs on).
if [ "${1:-}" = fuzz ] || ! $only_build; then
  rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
  if ! command -v cargo-fuzz >/dev/null; then
    printf '[bootstrap] %s\n' "installing cargo-fuzz (about 3 minutes)"
    cargo install cargo-fuzz --locked
  fi
  [ "${1:-}" = fuzz ] && exit 0
fi


if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! $only_build; then
  # The CLI must equal the wasm-bindgen crate version exactly (pinned with = in Cargo.toml).
  want=$(sed -n 's/^wasm-bindgen = { version = "=\([0-9.]*\)".*/\1/p' Cargo.toml)
  have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
  if [ "$have" != "$want" ]; then
    say "installing wasm-bindgen-cli $want (was: ${have:-none}); this compiles for several minutes"
    # --locked first; its lock file has pinned a crate the registry no longer serves, in which
    # case cargo resolves compatible versions itself.
    cargo install wasm-bindgen-cli --version "$want" --locked \
      || cargo install wasm-bindgen-cli --version "$want"
  fi

  # The three engines the facade's tests run in: Chromium, Firefox ESR and WebKitGTK (Safari's
  # engine; its WebDriver needs a display, which xvfb-run gives).
  missing=()
  for pair in /usr/bin/chromium:chromium /usr/bin/chromedriver:chromium-driver /usr/bin/firefox-esr:firefox-esr \
    /usr/bin/WebKitWebDriver:webkit2gtk-driver /usr/bin/xvfb-run:xvfb /usr/bin/xauth:xauth; do
    [ -x "${pair%%:*}" ] || missing+=("${pair##*:}")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing Debian's ${missing[*]}"
    sudo_cmd=""
    [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  # geckodriver from crates.io (npm's geckodriver package downloads a binary, which fails here).
  if ! command -v geckodriver >/dev/null && [ ! -x "$HOME/.cargo/bin/geckodriver" ]; then
    say "installing geckodriver 0.37.1 (about 5 minutes)"
    cargo install geckodriver --version 0.37.1 --locked
  fi
  hydra
fi

# npm ci when node_modules is missing or older than the lock file.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "npm ci"
  npm ci --no-audit --no-fund
fi
