# LeadConsole: the two commands are `make demo` and `make test`. Both install what they need.
SWIFT ?= swift
# Debian packages the build, the tests and the demo use.
DEB_PACKAGES := libncursesw5-dev libsqlite3-dev zlib1g-dev pkg-config tmux curl
BIN := .build/debug/leadconsole

.PHONY: all deps pydeps build release test test-under-load lint format demo demo-script bench screenshots clean

all: build

# Installs missing Debian packages when run as root; otherwise names them and stops.
deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "missing Debian packages:$$missing (run as root, or: sudo apt-get install -y$$missing)"; exit 1; \
	  fi; \
	fi

build: deps
	$(SWIFT) build

# Release binaries link the Swift runtime and Foundation statically: nothing to install beside
# them, and the console draws its first form in about 60% of the time a dynamic build takes
# (make bench, launch time). No libcurl: HTTP is AsyncHTTPClient on SwiftNIO, and nothing imports
# FoundationNetworking.
RELEASE_PACKAGES :=
release: DEB_PACKAGES += $(RELEASE_PACKAGES)
release: deps
	$(SWIFT) build -c release --static-swift-stdlib

# The tests write real Excel workbooks with openpyxl (Scripts/requirements-test.txt, from PyPI).
pydeps:
	@python3 -c "import openpyxl" 2>/dev/null || python3 -m pip install --quiet -r Scripts/requirements-test.txt \
	  || python3 -m pip install --quiet --break-system-packages -r Scripts/requirements-test.txt

test: deps pydeps lint
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --parallel

# swift-format (from the toolchain) with the checked-in .swift-format (120 columns), and the
# layering rule of the README's architecture section (Scripts/check_layers.py, with a self-test
# that plants each kind of violation and expects it caught). make test runs both first.
FORMATTED := Sources Tests Benchmarks Plugins Package.swift
lint:
	$(SWIFT) format lint --strict --recursive $(FORMATTED)
	python3 Scripts/check_layers.py
	python3 Scripts/check_layers.py --self-test

format:
	$(SWIFT) format --in-place --recursive $(FORMATTED)

# make test on a saturated machine: four CPU-bound processes beside it on the two cores (what a
# rep's laptop or a shared CI runner looks like). RUNS sets how many times in a row (default 3).
test-under-load: DEB_PACKAGES += stress-ng
test-under-load: deps pydeps
	$(SWIFT) build --build-tests
	@set -e; stress-ng --cpu 4 --timeout 3600s >/dev/null 2>&1 & load=$$!; \
	trap 'kill $$load 2>/dev/null' EXIT; \
	for run in $$(seq $${RUNS:-3}); do \
	  echo "run $$run of $${RUNS:-3}, with stress-ng --cpu 4"; \
	  $(SWIFT) test --skip-build --parallel || exit 1; \
	done

# The console against the built-in sandbox, with a throw-away history: no account needed.
# (`make demo-script` shows the same flow with the command-line tools, without a terminal.)
demo: build
	$(BIN) console --demo

demo-script: build
	@set -e; out=$$(mktemp); demo=$$(mktemp -d); \
	$(BIN) sandbox --port 0 --api-key demo-key-0000-1234 > $$out 2>/dev/null & pid=$$!; \
	trap 'kill $$pid 2>/dev/null; rm -rf $$out $$demo' EXIT; \
	for i in $$(seq 100); do [ -s $$out ] && break; sleep 0.05; done; \
	url=$$(head -n1 $$out); echo "sandbox: $$url"; \
	export PARAMANTRA_URL=$$url PARAMANTRA_API_KEY=demo-key-0000-1234 PARAMANTRA_APP_NAME=LEADCONSOLE-DEMO; \
	export LEADCONSOLE_DATA_DIR=$$demo/data LEADCONSOLE_CONFIG_DIR=$$demo/config; \
	for n in 1 2; do \
	  $(BIN) submit --first-name Donald --last-name Joe --email donaldjoe@gmail.com --phone 919978521205 \
	    --subject "Lead from Facebook" --channel Facebook --project GreenGreen \
	    --notes "I want to know more about this" --rep donaldjoe || true; \
	done; \
	echo "the outbox (leadconsole history):"; $(BIN) history; \
	echo "the sandbox now holds:"; curl -s "$${url%/paramantra/*}/__sandbox/leads"; echo

# Benchmarks need a release build, wrk and dialog (installed like the other packages).
bench: DEB_PACKAGES += wrk dialog $(RELEASE_PACKAGES)
bench: deps pydeps release
	bash Benchmarks/sandbox-throughput.sh .build/release/leadconsole
	.build/release/leadconsole-ui-bench $${BENCH_UI_LEADS:-100000}
	bash Benchmarks/launch-time.sh .build/release/leadconsole
	bash Benchmarks/idle.sh .build/release/leadconsole
	bash Benchmarks/import-vs-curl.sh .build/release/leadconsole
	bash Benchmarks/import-formats.sh .build/release/leadconsole
	.build/release/leadconsole-bench $${BENCH_LEADS:-1000000}

# PNGs of the real console (tmux capture drawn by Scripts/ansi_to_png.py with Pillow).
screenshots: DEB_PACKAGES += fonts-dejavu-core fonts-lohit-deva
screenshots: deps build
	@python3 -c "import PIL" 2>/dev/null || python3 -m pip install --quiet -r Scripts/requirements.txt \
	  || python3 -m pip install --quiet --break-system-packages -r Scripts/requirements.txt
	bash Scripts/screenshots.sh $(BIN)

clean:
	rm -rf .build
