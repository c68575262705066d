# Creative Studio — the two commands of the README, and their parts.
#   make run    install what is missing, build, open the studio on the demo project
#   make test   every test: Rust (unit + CLI integration + bindings drift), UI (vitest), e2e (real window)

SHELL := /bin/bash
.DEFAULT_GOAL := run

APT_PACKAGES := libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libayatana-appindicator3-dev \
                libssl-dev pkg-config build-essential xvfb xauth dbus-x11 webkit2gtk-driver \
                fonts-noto-cjk sqlite3
CARGO_FEATURES := --features studio-app/custom-protocol
APP := target/debug/creative-studio
CLI := target/debug/studio
TAURI_DRIVER := $(HOME)/.cargo/bin/tauri-driver

.PHONY: run test bench fuzz deps apt-deps node-check tauri-driver ui ui-deps app build-all test-rust test-ui e2e bindings clean

## ---- set-up -------------------------------------------------------------------------------

deps: apt-deps node-check

apt-deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	echo "Installing missing Debian packages:$$missing"; \
	if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else echo "Cannot install them without root. Please run:"; echo "  sudo apt-get install -y$$missing"; exit 1; fi

node-check:
	@command -v node >/dev/null && command -v npm >/dev/null || { echo "Node.js >= 20 and npm are required (e.g. 'sudo apt-get install nodejs npm' on a distribution that ships Node 20+)."; exit 1; }
	@node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<19)) { console.error("Node.js >= 20.19 is required, found " + process.versions.node); process.exit(1) }'
	@command -v cargo >/dev/null || { echo "Rust (cargo) is required: https://rustup.rs"; exit 1; }

tauri-driver:
	@[ -x "$(TAURI_DRIVER)" ] || cargo install tauri-driver --locked

ui-deps: node-check
	@if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then cd ui && npm ci --no-audit --no-fund; fi

ui: ui-deps
	cd ui && npm run build

app: deps ui
	cargo build -p studio-app -p studio $(CARGO_FEATURES)

# The app, the CLI and every test target with one feature set, so `cargo test` reuses it all
# (building bins alone, then tests, would compile dependencies twice with different features).
build-all: deps ui
	cargo build --workspace --all-targets $(CARGO_FEATURES)

## ---- run ----------------------------------------------------------------------------------

run: app
	@if [ -z "$$DISPLAY" ] && [ -z "$$WAYLAND_DISPLAY" ]; then \
		echo "No display found (DISPLAY/WAYLAND_DISPLAY unset), so the window cannot open here."; \
		echo "  Headless window:  xvfb-run -a dbus-run-session -- $(APP)"; \
		echo "  Headless loop:    $(CLI) demo --out /tmp/studio-demo"; \
	else \
		exec $(APP); \
	fi

## ---- tests --------------------------------------------------------------------------------

test: build-all tauri-driver test-rust test-ui e2e
	@echo "make test: all suites passed"

test-rust: build-all
	cargo test --workspace $(CARGO_FEATURES)

test-ui: ui-deps
	cd ui && npm run check && npm test

e2e: build-all tauri-driver
	rm -rf tests/e2e/artifacts
	TAURI_DRIVER=$(TAURI_DRIVER) xvfb-run -a -s "-screen 0 1400x900x24" dbus-run-session -- node --test --test-force-exit tests/e2e/

## ---- benchmarks (speed goals live here, never in tests) -----------------------------------

bench: deps
	@python3 -c "import sklearn, threadpoolctl" 2>/dev/null || python3 -m pip install --quiet scikit-learn
	@python3 -c "import PIL" 2>/dev/null || python3 -m pip install --quiet pillow
	cargo bench --bench import
	cargo bench --bench segments
	cargo bench --bench banners
	cargo bench --bench campaign
	cargo bench --bench simulate
	cargo bench --bench ope

## The input property tests (import parsers, normaliser, privacy screen; OPE logs reader;
## performance-report import) with fresh random cases,
## run after run, for FUZZ_MINUTES (default 10). `make test` runs them once with 256 cases.
FUZZ_MINUTES ?= 10
fuzz:
	@cargo test -q -p studio-core --lib --no-run
	@end=$$(( $$(date +%s) + 60 * $(FUZZ_MINUTES) )); runs=0; \
	while [ $$(date +%s) -lt $$end ]; do \
	  PROPTEST_CASES=20000 cargo test -q -p studio-core --lib -- ingest::robustness_tests ingest::privacy never_panic >/dev/null || { echo "fuzz: a property failed (run $$runs)"; exit 1; }; \
	  runs=$$((runs + 1)); \
	done; \
	echo "fuzz: $$runs runs of 20000 cases per property in $(FUZZ_MINUTES) minutes, no failure"

## Regenerate ui/src/lib/bindings.ts from the Rust types (the drift test compares against it).
bindings:
	UPDATE_BINDINGS=1 cargo test -p studio-app $(CARGO_FEATURES) bindings

clean:
	cargo clean
	rm -rf ui/build ui/.svelte-kit tests/e2e/artifacts
