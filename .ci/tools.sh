#!/usr/bin/env bash
# Installs, on demand, every tool that `make serve`, `make test` and `make bench` need.
# Each install is announced on one line; a tool that is already present is left alone,
# so a second run installs nothing. Usage: .ci/tools.sh build|browser|node|bench ...
set -euo pipefail

cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

TRUNK_VERSION=0.21.14
announce() { printf 'ripple: installing %s\n' "$*"; }
quietly() {
  # Installers are noisy; keep their output in a log and show it only on failure.
  local log
  log=$(mktemp)
  if ! "$@" >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    rm -f "$log"
    echo "ripple: failed: $*" >&2
    return 1
  fi
  rm -f "$log"
}
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# The wasm-bindgen version Cargo.lock resolved; CLI and library must match exactly.
locked_wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

ensure_wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    announce "the wasm32-unknown-unknown Rust target"
    quietly rustup target add wasm32-unknown-unknown
  fi
}

ensure_trunk() {
  if ! trunk --version 2>/dev/null | grep -q "trunk $TRUNK_VERSION"; then
    announce "Trunk $TRUNK_VERSION (cargo install, about 20 minutes on 2 cores)"
    quietly cargo install --locked trunk --version "$TRUNK_VERSION"
  fi
}

ensure_wasm_bindgen() {
  local version
  version=$(locked_wasm_bindgen_version)
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $version\$"; then
    # Not --locked: one of the CLI's locked dependencies is missing from the registry.
    announce "wasm-bindgen-cli $version (matches Cargo.lock, about 3 minutes)"
    quietly cargo install wasm-bindgen-cli --version "=$version" --force
  fi
}

ensure_node_modules() {
  # binaryen (wasm-opt) and playwright-core, exactly as package-lock.json pins them.
  if ! [ -x node_modules/.bin/wasm-opt ] || ! [ -d node_modules/playwright-core ] \
    || ! cmp -s package-lock.json node_modules/.package-lock.ripple; then
    announce "npm packages from package-lock.json (binaryen for wasm-opt, playwright-core, lighthouse)"
    quietly npm ci --no-audit --no-fund
    cp package-lock.json node_modules/.package-lock.ripple
  fi
}

ensure_apt_packages() {
  local missing=()
  local package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    announce "Debian packages: ${missing[*]}"
    quietly as_root apt-get update
    quietly as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
  fi
}

ensure_chromium() {
  # Debian's own Chromium and driver: test tools must never download a browser.
  # fonts-noto-cjk lets zh-Hant and ja screenshots show real glyphs.
  ensure_apt_packages chromium chromium-driver fonts-noto-cjk
}

ensure_simpy() {
  if ! python3 -c 'import simpy' 2>/dev/null; then
    announce "SimPy (pip), the benchmark's reference simulator"
    quietly python3 -m pip install --quiet simpy
  fi
}

for group in "$@"; do
  case "$group" in
    build) ensure_wasm_target; ensure_node_modules; ensure_wasm_bindgen; ensure_trunk ;;
    browser) ensure_wasm_target; ensure_chromium; ensure_wasm_bindgen ;;
    node) ensure_node_modules ;;
    bench) ensure_simpy ;;
    *) echo "usage: $0 build|browser|node|bench ..." >&2; exit 2 ;;
  esac
done
