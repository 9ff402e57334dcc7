# SEI Platform. Two commands get you going:
#   make run    install what is missing, build, collect this repository, serve the API
#               on http://127.0.0.1:8080 (prints a one-time admin token)
#   make test   install what is missing, build, run every test
# Other targets: build, web (the dashboard into web/dist), bench, asan, format, clean.

SHELL := /bin/bash
BUILD_DIR := build
SEI := $(BUILD_DIR)/bin/sei
# Warnings are errors in CI; locally they stay warnings unless you ask.
WERROR ?= $(if $(CI),ON,OFF)
JOBS ?= $(shell nproc)
CTEST_ARGS ?=

.PHONY: all deps configure build web run test bench asan format clean

all: build

deps:
	@bash scripts/install-deps.sh

configure: deps
	@cmake --preset release -DSEI_WERROR=$(WERROR) >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)
	@echo "built $(SEI)"

# The web app: npm ci when node_modules is missing or older than the lock file,
# then a production build into web/dist (served by `sei serve`).
web: deps
	@if [ ! -f web/node_modules/.package-lock.json ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then \
	  (cd web && npm ci --no-audit --no-fund --loglevel=error); fi
	@cd web && out=$$(npm run --silent build 2>&1) || { echo "$$out" >&2; echo "make web: the web build failed (above)" >&2; exit 1; }
	@echo "built web/dist"

LISTEN ?= 127.0.0.1:8080

run: configure web
	@cmake --build $(BUILD_DIR) -j $(JOBS) --target sei
	@$(SEI) collect git .
	@$(SEI) stats --repo "$$(pwd)" --weeks 4 --top 5
	@$(SEI) link >/dev/null
	@echo "Admin token (shown once; keep it): $$($(SEI) token create --role admin --name 'make run' 2>/dev/null)"
	@echo "Dashboards: http://$(LISTEN)/ (sign in with the token). API: curl -H \"Authorization: Bearer <token>\" http://$(LISTEN)/api/v1/metrics/dora"
	@exec $(SEI) serve --listen $(LISTEN)

test: build web
	@ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS) --timeout 900 $(CTEST_ARGS)

bench: build
	@bash bench/run.sh

asan: deps
	@cmake --preset asan -DSEI_WERROR=$(WERROR) >/dev/null
	@cmake --build build-asan -j $(JOBS)
	@LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 ASAN_OPTIONS=detect_leaks=1 \
	  ctest --test-dir build-asan --output-on-failure -j $(JOBS) --timeout 1800 $(CTEST_ARGS)

format:
	@git ls-files '*.h' '*.cc' | xargs clang-format -i

clean:
	@rm -rf $(BUILD_DIR) build-debug build-asan
