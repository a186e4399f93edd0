# syncscope: `make run` starts the walkthrough's three nodes, `make test` checks everything.
GO        ?= go
BIN       := bin/syncscope-server
PORTS     ?= 6379 6378 6377
FUZZTIME  ?= 10s
LONGFUZZ  ?= 5m
# staticcheck runs in make vet with its default checks, and ST1005 off: many
STATICCHECK ?= v0.8.2
# error strings are Redis's own words (log lines and replies), capitalized and
# punctuated as Redis has them.
STATICCHECKS := all,-ST1000,-ST1003,-ST1005,-ST1016,-ST1020,-ST1021,-ST1022,-ST1023
SOAK      ?= 3m
# Packages whose tests run under the race detector (the rest run without).
RACEPKGS  := ./core/... ./native/...
# Packages whose tests also run as js/wasm under node (make wasm-test): the
# core as the browser runs it, and the playground's model.
WASMPKGS  := ./core ./core/cstr ./core/resp ./core/rdb ./core/store ./core/hll ./core/command ./core/config ./core/repl ./core/script ./core/script/lua ./core/node ./core/sim ./wasm/playground ./wasm/plainjson
WASMEXEC   = $(shell $(GO) env GOROOT)/lib/wasm
PLAYGROUND ?= 127.0.0.1:8080

.PHONY: build run test deps vet unit fuzz-short fuzz fmt-check bench soak sim mutants clean wasm site wasm-test redis-suite

# The server embeds the playground (site/static with the wasm): build it first.
build: wasm
	$(GO) build -o $(BIN) ./native/cmd/syncscope-server

# PORTS="7379 7378 7377" make run: master, replica, sub-replica.
run: build
	PORTS="$(PORTS)" PLAYGROUND="$(PLAYGROUND)" native/examples/run.sh

test: deps vet unit wasm-test fuzz-short fmt-check

# The end-to-end tests compare with the real redis-server and use redis-cli
# and redis-benchmark: install them when we can, else say what is missing.
deps:
	@missing=""; \
	for c in redis-server redis-cli redis-benchmark; do command -v $$c >/dev/null || missing="$$missing $$c"; done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "installing redis-server redis-tools (missing:$$missing)"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server redis-tools; \
		else \
			echo "make test needs:$$missing. Install them with: sudo apt-get install redis-server redis-tools" >&2; exit 1; \
		fi; \
	fi
	@if ! command -v chromium >/dev/null; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "installing chromium (the playground's browser tests)"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
		else \
			echo "make test needs chromium for the playground's browser tests. Install it with: sudo apt-get install chromium" >&2; exit 1; \
		fi; \
	fi

vet:
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./wasm/...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK) -checks '$(STATICCHECKS)' ./...

# A package may take longer than go test's default 10 minutes on a loaded
# 2-core machine (native/playground drives Chromium while native/e2e runs).
unit:
	$(GO) test -race -timeout 15m $(RACEPKGS)
	$(GO) test -tags simbugs -run TestPlantedBugs ./core/sim
	@others=$$($(GO) list ./... | grep -v -e '/core' -e '/native'); \
	if [ -n "$$others" ]; then $(GO) test $$others; fi

# The playground's core: site/static/main.wasm and wasm_exec.js (not
# committed), and main.wasm.gz and main.wasm.br beside it, which the
# playground server sends with their Content-Encoding (about 7 MB raw,
# under 2 MB compressed).
#
# The Lua engine (gopher-lua and core/script) and the commands (core/command)
# are compiled without inlining for the browser: their code is a tenth to a
# quarter smaller, about 140 KB of brotli together, and the page runs
# scripts and commands at the pace a learner types them (the timeline's
# frame and scrubbing budgets are measured with it). The native build
# inlines as usual. native/playground's tests build the wasm with the same
# flags (wasmBuildFlags there, checked against this recipe).
WASMFLAGS := -gcflags=github.com/yuin/gopher-lua/...=-l -gcflags=github.com/syncscope/syncscope/core/script/...=-l -gcflags=github.com/syncscope/syncscope/core/command=-l -ldflags="-s -w"
wasm:
	GOOS=js GOARCH=wasm $(GO) build $(WASMFLAGS) -o site/static/main.wasm ./wasm
	cp "$(WASMEXEC)/wasm_exec.js" site/static/wasm_exec.js
	$(GO) run ./native/cmd/precompress site/static/main.wasm

# The page as plain static files in site/dist (in-memory links only there).
# A host that compresses sends main.wasm compressed (nginx's brotli_static
# and gzip_static send main.wasm.br and .gz); from one that does not, the
# page fetches main.wasm.gz and unpacks it.
site: wasm
	rm -rf site/dist
	cp -r site/static site/dist
	@echo "site/dist: serve it as static files, e.g. python3 -m http.server -d site/dist"

# WASMPKGS' tests compiled to js/wasm, run by node.
wasm-test:
	PATH="$(WASMEXEC):$$PATH" GOOS=js GOARCH=wasm $(GO) test $(WASMPKGS)

# Each Fuzz target for FUZZTIME (make fuzz: LONGFUZZ).
fuzz-short:
	@native/fuzz.sh $(FUZZTIME)

# make fuzz also runs the boundary fuzzer (native/e2e) against redis-server
# for LONGFUZZ with a fresh seed; make test runs it for 20s with seed 1.
fuzz:
	@native/fuzz.sh $(LONGFUZZ)
	$(GO) test ./native/e2e -run '^TestBoundaryFuzz$$' -count=1 -v -timeout 0 -boundary.time=$(LONGFUZZ) -boundary.seed=0

fmt-check:
	@out=$$(gofmt -l $$(git ls-files -co --exclude-standard '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:" >&2; echo "$$out" >&2; exit 1; fi

# redis-server and syncscope-server side by side, then the Go benchmarks.
bench: build
	$(GO) run ./native/cmd/bench -server $(BIN)
	$(GO) test -bench . -benchmem -run '^$$' ./core/...

# A master and two chained replicas under redis-benchmark for SOAK while
# links are cut, a replica is stopped and restarted: datasets, offsets and
# acknowledged writes must agree at the end.
soak: build
	$(GO) run ./native/cmd/soak -server $(BIN) -duration $(SOAK)

# make sim SEEDS=10000 [FROM=1]: the simulator's sweep of random scenarios,
# with its speed in simulated node-seconds per second; a failure prints the
# seed and the command that replays it with a per-node trace.
SEEDS ?= 10000
FROM  ?= 1
sim:
	$(GO) test ./core/sim -run TestSweep -seeds=$(SEEDS) -from=$(FROM) -v -timeout 0

# make redis-suite REDIS_SRC=<checkout of github.com/redis/redis at 7.0.15>
# [UNITS="unit/type/string ..."]: Redis's own Tcl suite with syncscope-server
# as src/redis-server, one runtest --single --durable per unit, skipping what
# native/redissuite/skip.txt lists. Not part of make test (needs the checkout).
redis-suite: build
	@test -n "$(REDIS_SRC)" || { echo "usage: make redis-suite REDIS_SRC=<checkout of github.com/redis/redis at tag 7.0.15> [UNITS=...]" >&2; exit 2; }
	REDIS_DIR="$(REDIS_SRC)" native/redissuite/run.sh $(BIN) $(UNITS)

# Mutation testing of the simulator: one-site mutants of the replication
# rules (core/repl, core/node's replication files), each built through an
# overlay and run against the default seeds; lists the survivors with their
# diff and fails on one not explained in core/sim/testdata/equivalent-mutants.txt
# or a kill rate under 95%. MUTANTS_FLAGS="-only Covers" narrows it.
MUTANTS_FLAGS ?=
mutants:
	$(GO) run ./native/cmd/mutants $(MUTANTS_FLAGS)

clean:
	rm -rf bin tmp
