# Ripple's two commands, `make serve` and `make test`, plus `make bench` and helpers.
# Every target installs what it needs first through .ci/tools.sh; a second run installs nothing.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver
TOOLS := .ci/tools.sh
WASM := --target wasm32-unknown-unknown

.PHONY: serve test lint test-native test-wasm test-e2e screenshots dist dist-debug dist-release bench clean

## Build the app in release mode and serve it at http://127.0.0.1:8080.
serve:
	@$(TOOLS) build
	trunk serve --release

## Run every test layer: lint, native, wasm in headless Chromium, end-to-end.
test:
	@$(TOOLS) build browser
	@.ci/clean-tree.sh before
	@$(MAKE) --no-print-directory lint test-native test-wasm test-e2e
	@.ci/clean-tree.sh after

lint:
	cargo fmt --check
	cargo clippy --all-targets --quiet -- -D warnings
	cargo clippy $(WASM) --all-targets --quiet -- -D warnings

test-native:
	cargo test --quiet

# wasm-bindgen-test-runner drives Chromium through chromedriver, with webdriver.json's flags.
test-wasm:
	CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
		cargo test $(WASM) --test web

test-e2e: dist-debug
	node --test --test-concurrency=1 tests/e2e/

## Refresh the README's screenshots in public/ (the tests alone write them to target/screenshots).
screenshots: dist-debug
	RIPPLE_SCREENSHOTS=public node --test --test-concurrency=1 tests/e2e/

dist-debug:
	trunk build --dist dist

## Build the static release into dist-release/: relative paths, .br and .gz beside each file.
dist:
	@$(TOOLS) build
	@$(MAKE) --no-print-directory dist-release

dist-release:
	trunk build --release --dist dist-release
	node .ci/precompress.mjs dist-release

## Print the benchmark figures.
bench:
	@$(TOOLS) build browser bench
	cargo bench --quiet --bench core
	@$(MAKE) --no-print-directory dist-release
	@node tests/e2e/bench-size.mjs dist-release
	@RIPPLE_DIST=dist-release node tests/e2e/bench-browser.mjs
	@RIPPLE_DIST=dist-release node tests/e2e/bench-lighthouse.mjs

clean:
	cargo clean
	rm -rf dist dist-release
