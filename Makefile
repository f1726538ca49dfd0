# The README's two set-up commands are `make run` and `make test`; each installs what it needs.
SWIFT ?= swift
SCRATCH ?= .build

.PHONY: deps test-deps build build-release test test-browser screenshots run lint format bench bench-quick soak clean

# System packages: libcurl headers (the sender; SHA-256 comes from swift-crypto, built with the package, so no
# libssl headers), zlib headers (the sandbox's gzip bodies), openssl (TLS tests), wrk/hyperfine (benchmarks).
deps:
	@if [ ! -f /usr/include/x86_64-linux-gnu/curl/curl.h ] && [ ! -f /usr/include/curl/curl.h ] \
	  || [ ! -f /usr/include/zlib.h ]; then \
	  echo "installing libcurl4-openssl-dev zlib1g-dev"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libcurl4-openssl-dev zlib1g-dev >/dev/null; \
	fi
	@command -v openssl >/dev/null || { echo "installing openssl (the TLS trust tests make their own CA)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssl >/dev/null; }
	@command -v curl >/dev/null && command -v setpriv >/dev/null && command -v useradd >/dev/null || { \
	  echo "installing curl util-linux passwd (metrics probes; the different-owner suite's users and capability drop)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl util-linux passwd >/dev/null; }
	@python3 -c 'import jsonschema' 2>/dev/null || python3 -m pip install -q jsonschema || echo "jsonschema not installed: the schema tests (OpsTests) will be skipped"

build: deps
	$(SWIFT) build --scratch-path $(SCRATCH)

build-release: deps
	$(SWIFT) build -c release --scratch-path $(SCRATCH)

# The sandbox's suites beyond swift test: Debian's chromium and chromium-driver with Selenium (the inbox
# page in a real browser) and schemathesis (SendGrid's OpenAPI document against the sandbox), from PyPI.
test-deps:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
	  echo "installing chromium chromium-driver"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	fi
	@python3 -c 'import selenium' 2>/dev/null || python3 -m pip install -q selenium
	@python3 -c 'import schemathesis' 2>/dev/null || python3 -m pip install -q schemathesis

test: deps test-deps
	$(SWIFT) build --build-tests --scratch-path $(SCRATCH)
	$(SWIFT) test --skip-build --scratch-path $(SCRATCH) --parallel
	python3 Tests/Browser/run.py --binary $(SCRATCH)/debug/mailroom
	python3 Tests/Schemathesis/run.py --binary $(SCRATCH)/debug/mailroom

# The browser suite alone (after a build), and the screenshots in docs/ that it makes.
test-browser: test-deps
	python3 Tests/Browser/run.py --binary $(SCRATCH)/debug/mailroom

screenshots: test-deps
	$(SWIFT) build --scratch-path $(SCRATCH)
	python3 Tests/Browser/run.py --binary $(SCRATCH)/debug/mailroom --screenshots docs/screenshots

run: build
	./scripts/demo.sh $(SCRATCH)/debug/mailroom

lint:
	$(SWIFT) format lint --strict --recursive Sources Tests Package.swift

format:
	$(SWIFT) format --in-place --recursive Sources Tests Package.swift

# Benchmarks (release builds; not tests): see Benchmarks/README.md.
bench: deps
	./Benchmarks/run.sh full

bench-quick: deps
	./Benchmarks/run.sh quick

# The long reliability suites (minutes): see Tests/Soak/README.md.
soak: deps
	./Tests/Soak/run.sh

clean:
	rm -rf $(SCRATCH)
