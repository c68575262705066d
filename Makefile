# Creative Studio — the two commands of the README, and their parts.
#   make run    install what is missing, build, open the studio on the demo project
#   make test   the checks (rustfmt, clippy), then every test: Rust (unit + CLI integration +
#               bindings drift), UI (vitest), e2e (real window), the Debian package (installed)
#   make package  the Debian package (target/release/bundle/deb/creative-studio_<version>_amd64.deb)
#   make bench  the speed goals, each against its peer tool

SHELL := /bin/bash
.DEFAULT_GOAL := run

APT_PACKAGES := libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libayatana-appindicator3-dev \
                libssl-dev pkg-config build-essential xvfb xauth dbus-x11 webkit2gtk-driver \
                fonts-noto-cjk sqlite3 wrk chromium chromium-driver poppler-utils openjdk-17-jre-headless \
                desktop-file-utils
CARGO_FEATURES := --features studio-app/custom-protocol
TAURI_DRIVER := $(HOME)/.cargo/bin/tauri-driver
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)

# One build for everything: the app, the CLI, every test and bench target, in the release profile
# the Debian package ships. `make run`, `make test`, `make package` and `make bench` all use it, so
# none compiles what another already has (a debug build for the tests plus a release build for
# the package would be two full builds; CI has 2 cores and 30 minutes).
# Clippy is the workspace's compiler (RUSTC_WORKSPACE_WRAPPER: it runs for the workspace's own
# crates only, lints and then compiles them as rustc would) and warnings are errors: the lint
# gate costs no second `cargo check` pass over every dependency. `make lint` is the classic
# `cargo clippy` for a quick look without building.
PROFILE_DIR := release
CARGO_PROFILE := --release
CARGO_ENV := RUSTC_WORKSPACE_WRAPPER=$(shell rustup which clippy-driver 2>/dev/null || command -v clippy-driver) RUSTFLAGS="-D warnings"
CARGO_BUILD := $(CARGO_ENV) cargo build --workspace --all-targets $(CARGO_PROFILE) $(CARGO_FEATURES)
APP := target/$(PROFILE_DIR)/creative-studio
CLI := target/$(PROFILE_DIR)/studio
DEB := target/$(PROFILE_DIR)/bundle/deb/creative-studio_$(VERSION)_amd64.deb

.PHONY: build-and-peers run test bench oha fuzz deps apt-deps apt-lists node-check tauri-driver ui ui-deps app build-all fmt-check lint obp vw spark test-rust test-ui e2e package test-package bindings clean

## ---- set-up -------------------------------------------------------------------------------

deps: apt-deps node-check

apt-deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	echo "Installing missing Debian packages:$$missing"; \
	if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else echo "Cannot install them without root. Please run:"; echo "  sudo apt-get install -y$$missing"; exit 1; fi

# The archive's package lists, which the package test resolves the .deb's dependencies against
# (a container image may ship with them deleted).
apt-lists:
	@ls /var/lib/apt/lists/ 2>/dev/null | grep -q '_Packages' && exit 0; \
	if [ "$$(id -u)" = 0 ]; then apt-get update -qq; \
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo apt-get update -qq; \
	else echo "The package lists are missing. Please run: sudo apt-get update"; exit 1; fi

node-check:
	@command -v node >/dev/null && command -v npm >/dev/null || { echo "Node.js >= 20 and npm are required (e.g. 'sudo apt-get install nodejs npm' on a distribution that ships Node 20+)."; exit 1; }
	@node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<19)) { console.error("Node.js >= 20.19 is required, found " + process.versions.node); process.exit(1) }'
	@command -v cargo >/dev/null || { echo "Rust (cargo) is required: https://rustup.rs"; exit 1; }
	@command -v clippy-driver >/dev/null || rustup which clippy-driver >/dev/null 2>&1 || rustup component add clippy

tauri-driver:
	@[ -x "$(TAURI_DRIVER)" ] || cargo install tauri-driver --locked

ui-deps: node-check
	@if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then cd ui && npm ci --no-audit --no-fund; fi

# Rebuilt only when a source changed: a fresh ui/build makes cargo rebuild the shell that embeds it.
UI_SOURCES := $(shell find ui/src -type f -not -name '*.test.ts') ui/package.json ui/package-lock.json ui/svelte.config.js ui/vite.config.ts
ui: ui-deps ui/build/index.html

ui/build/index.html: $(UI_SOURCES) | ui-deps
	cd ui && npm run build
	touch $@

# The app, the CLI and every test and bench target with one feature set and one profile, so
# `cargo test` and `cargo bench` reuse it all (building bins alone, then tests, would compile
# dependencies twice with different features: tests' dev-dependencies add features to shared
# dependencies). `make run` builds exactly this too, so `make run` after `make test` (or the
# other way round) compiles nothing again. Clippy runs as part of it (see CARGO_ENV).
build-all: deps ui
	$(CARGO_BUILD)

app: build-all

## ---- run ----------------------------------------------------------------------------------

run: build-all
	@if [ -z "$$DISPLAY" ] && [ -z "$$WAYLAND_DISPLAY" ]; then \
		echo "No display found (DISPLAY/WAYLAND_DISPLAY unset), so the window cannot open here."; \
		echo "  Headless window:  xvfb-run -a dbus-run-session -- $(APP)"; \
		echo "  Headless loop:    $(CLI) demo --out /tmp/studio-demo"; \
	else \
		exec $(APP); \
	fi

## ---- tests --------------------------------------------------------------------------------

test: fmt-check build-and-peers tauri-driver test-rust test-ui e2e test-package
	@echo "make test: all suites passed"

# The build, with the Python peers' environments (VW, Spark: downloads, little CPU) made while
# cargo compiles instead of after it.
build-and-peers:
	$(MAKE) --no-print-directory -j3 build-all vw spark

# The review gates: formatting first, so that a slip fails in seconds; clippy's lints with
# warnings as errors are part of `build-all` (CARGO_ENV), before any suite runs.
fmt-check:
	cargo fmt --all --check

# Clippy alone (check mode, its own artifacts), for a quick look without a build.
lint: fmt-check deps ui
	cargo clippy --workspace --all-targets $(CARGO_FEATURES) -- -D warnings

# With obp's environment present (`make obp`, made by `make bench`), the OPE comparison test
# checks the studio against obp itself as well as against its numpy transcription.
# Spark (pyspark in local mode) runs the emitted feature job once for the equality test.
test-rust: build-all vw spark
	$(if $(wildcard $(OBP_PYTHON)),OPE_PYTHON=$(OBP_PYTHON)) VW_PYTHON=$(VW_PYTHON) STUDIO_REQUIRE_VW=1 \
	SPARK_PYTHON=$(SPARK_PYTHON) STUDIO_REQUIRE_SPARK=1 $(CARGO_ENV) cargo test --workspace $(CARGO_PROFILE) $(CARGO_FEATURES)

# The UI tests run the screens against the real core: each test serves a copy of a template
# project through `studio bridge` (ui/vitest-global-setup.ts), so they need the CLI built.
test-ui: ui-deps build-all
	cd ui && STUDIO_CLI=$(CURDIR)/$(CLI) npm run check && STUDIO_CLI=$(CURDIR)/$(CLI) npm test

e2e: build-all tauri-driver
	rm -rf tests/e2e/artifacts
	STUDIO_PROFILE_DIR=$(PROFILE_DIR) TAURI_DRIVER=$(TAURI_DRIVER) xvfb-run -a -s "-screen 0 1400x900x24" dbus-run-session -- node --test --test-force-exit tests/e2e/

## ---- the Debian package --------------------------------------------------------------------

# The Tauri bundler (npm @tauri-apps/cli, offline: the deb is written by the bundler itself)
# packages the release build above: /usr/bin/creative-studio (fonts and assets are compiled in),
# /usr/bin/studio, the icons, the desktop entry (English and Chinese) and the licences.
package: build-all
	rm -rf target/$(PROFILE_DIR)/bundle/deb
	ui/node_modules/.bin/tauri bundle --bundles deb --ci \
	  -c '{"bundle":{"linux":{"deb":{"files":{"/usr/bin/studio":"$(CURDIR)/$(CLI)"}}}}}'
	mv "target/$(PROFILE_DIR)/bundle/deb/Creative Studio_$(VERSION)_amd64.deb" $(DEB)
	@echo "$(DEB) ($$(du -h $(DEB) | cut -f1))"

# The package as a marketer gets it: checked with Debian's tools, installed into a throw-away
# dpkg root, started from there under Xvfb, uninstalled (tests/package).
test-package: package tauri-driver apt-lists
	rm -rf tests/package/artifacts
	STUDIO_DEB=$(CURDIR)/$(DEB) STUDIO_VERSION=$(VERSION) STUDIO_PROFILE_DIR=$(PROFILE_DIR) TAURI_DRIVER=$(TAURI_DRIVER) \
	  xvfb-run -a -s "-screen 0 1400x900x24" dbus-run-session -- node --test --test-force-exit tests/package/

## ---- benchmarks (speed goals live here, never in tests) -----------------------------------

# The bench profile is the release profile: `cargo bench` reuses build-all's artifacts.
BENCH := $(CARGO_ENV) cargo bench --workspace $(CARGO_FEATURES)
bench: build-all obp spark oha
	@python3 -c "import sklearn, threadpoolctl" 2>/dev/null || python3 -m pip install --quiet scikit-learn
	@python3 -c "import PIL" 2>/dev/null || python3 -m pip install --quiet pillow
	$(BENCH) --bench import
	$(BENCH) --bench segments
	$(BENCH) --bench banners
	$(BENCH) --bench campaign
	$(BENCH) --bench simulate
	OPE_PYTHON=$(OBP_PYTHON) OPE_REQUIRE_OBP=1 STUDIO_BIN=$(CURDIR)/$(CLI) $(BENCH) --bench ope
	$(BENCH) --bench serve
	STUDIO=$(CLI) OHA=$(OHA) tests/bench/serve-rate.sh
	SPARK_PYTHON=$(SPARK_PYTHON) $(BENCH) --bench spark

## oha (crates.io), the fixed-rate load generator of tests/bench/serve-rate.sh (wrk has no
## fixed arrival rate). Built once into target/tools (~6 min on 2 cores).
OHA := target/tools/bin/oha
oha: $(OHA)
$(OHA):
	cargo install oha --version 1.16.0 --locked --root target/tools

## obp 0.5.7, which the OPE benchmark races (and tests/ope/compare_obp.py checks against), in its
## own virtual environment (tests/ope/README.md): it declares Python < 3.11 and pins torch 1.12,
## so its imports come from tests/ope/obp-requirements.txt and obp itself without its pins; torch
## is not needed. Made once (PyPI only); remade when the requirements change.
OBP_VENV := target/obp-venv
OBP_PYTHON := $(CURDIR)/$(OBP_VENV)/bin/python
OBP_STAMP := $(OBP_VENV)/.obp-0.5.7

obp: $(OBP_STAMP)

$(OBP_STAMP): tests/ope/obp-requirements.txt
	rm -rf $(OBP_VENV)
	python3 -m venv $(OBP_VENV)
	$(OBP_VENV)/bin/pip install --quiet --disable-pip-version-check -r tests/ope/obp-requirements.txt
	$(OBP_VENV)/bin/pip install --quiet --disable-pip-version-check --no-deps --ignore-requires-python obp==0.5.7
	cd tests/ope && $(OBP_PYTHON) -c 'import compare_obp; obp, note = compare_obp.import_obp(); print("obp", obp.__version__, "in $(OBP_VENV)" + note)'
	touch $@

## Vowpal Wabbit (pip `vowpalwabbit`), which the decision-log test feeds the service's joined
## log (`--cb_explore_adf --dsjson`), in its own virtual environment. Made once (PyPI only).
VW_VENV := target/vw-venv
VW_PYTHON := $(CURDIR)/$(VW_VENV)/bin/python
VW_STAMP := $(VW_VENV)/.vowpalwabbit-9.11

vw: $(VW_STAMP)

$(VW_STAMP):
	rm -rf $(VW_VENV)
	python3 -m venv $(VW_VENV)
	$(VW_VENV)/bin/pip install --quiet --disable-pip-version-check vowpalwabbit==9.11.*
	$(VW_PYTHON) -c 'import vowpalwabbit; print("vowpalwabbit", vowpalwabbit.__version__, "in $(VW_VENV)")'
	touch $@

## Apache Spark for the feature job (issue 19): pyspark 4.0 (bundles Spark; runs in local mode
## on the JRE of APT_PACKAGES) and pyarrow (the equality test's and the benchmark's Parquet
## files), in their own virtual environment. Made once (PyPI only).
SPARK_VENV := target/spark-venv
SPARK_PYTHON := $(CURDIR)/$(SPARK_VENV)/bin/python
SPARK_STAMP := $(SPARK_VENV)/.pyspark-4.0

spark: $(SPARK_STAMP)

$(SPARK_STAMP):
	rm -rf $(SPARK_VENV)
	python3 -m venv $(SPARK_VENV)
	$(SPARK_VENV)/bin/pip install --quiet --disable-pip-version-check 'pyspark==4.0.*' 'pyarrow>=15,<30'
	$(SPARK_PYTHON) -c 'import pyspark, pyarrow; print("pyspark", pyspark.__version__, "pyarrow", pyarrow.__version__, "in $(SPARK_VENV)")'
	touch $@

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
	UPDATE_BINDINGS=1 $(CARGO_ENV) cargo test --workspace $(CARGO_PROFILE) $(CARGO_FEATURES) bindings

clean:
	cargo clean
	rm -rf ui/build ui/.svelte-kit tests/e2e/artifacts
