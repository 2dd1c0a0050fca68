# Orgtrail: `make run` for a local server, `make test` for every test.
# Frontend steps run only when package.json defines the npm script they call.

GO         ?= go
NPM        ?= npm
BIN        := bin/orgtrail
GQLGEN     ?= $(GO) run github.com/99designs/gqlgen
# staticcheck, pinned: fetched from the Go module proxy on first use.
STATICCHECK ?= $(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2
# Flags for `go test`; e.g. make test GO_TEST_FLAGS="-race -count=1 -timeout 30m".
GO_TEST_FLAGS ?= -count=1 -timeout 20m
# Files `make generate` writes; check-generated fails when they differ from git.
GENERATED  ?= graph frontend/src
# Audit events the benchmark seeds; the program also reads any other BENCH_* variable.
BENCH_EVENTS ?= 1000000
# Events of the hostile tenant in `make bench-hostile`.
BENCH_HOSTILE_EVENTS ?= 300000
# Time each fuzz target of `make fuzz` runs: six targets at 90s take about ten minutes.
FUZZTIME   ?= 90s
# The Go fuzz targets `make fuzz` runs, as package:FuzzName.
FUZZ_TARGETS ?= ./server/scim:FuzzFilter ./server/scim:FuzzPatch \
	./server/scim/scimfilter:FuzzParse ./server/scim/scimfilter:FuzzParsePath \
	./server/pgtext:FuzzCheckJSON ./server/app:FuzzHTTPInputs

# The npm project: the top-level package.json, else frontend/ ("" when neither).
NPM_DIR ?= $(firstword $(dir $(wildcard package.json frontend/package.json)))

# has_script is a shell test: does $(NPM_DIR)/package.json define npm script $(1)?
# It fails loudly, rather than skipping, when node is missing.
has_script = [ -n "$(NPM_DIR)" ] && \
	{ command -v node >/dev/null || { echo "node is needed for $(NPM_DIR)package.json" >&2; exit 1; }; } && \
	[ "$$(node -p 'Boolean(require("./$(NPM_DIR)package.json").scripts?.["$(1)"])')" = true ]

# npm_run runs npm script $(1) in $(NPM_DIR) if its package.json defines it.
# CI=true keeps test runners such as Vitest out of watch mode.
define npm_run
	@if $(call has_script,$(1)); then \
		echo "$(NPM) run $(1) (in $(NPM_DIR))"; \
		CI=true $(NPM) --prefix "$(NPM_DIR)" run "$(1)"; \
	fi
endef

.PHONY: all build frontend npm-install run dev test test-go test-frontend test-browser \
	generate check-generated bench bench-10m bench-hostile bench-log bench-tail bench-export bench-streams bench-scim fuzz fmt lint clean \
	try-replicas bench-replicas

all: build

## build: the single binary, with the SPA built into it.
build: frontend
	$(GO) build -o $(BIN) ./server/cmd/orgtrail

## frontend: the SPA (frontend/dist), when package.json has a build script.
frontend: npm-install
	$(call npm_run,build)

## npm-install: installs npm dependencies when node_modules is missing.
npm-install:
	@if [ -n "$(NPM_DIR)" ] && [ ! -d "$(NPM_DIR)node_modules" ]; then \
		if [ -f "$(NPM_DIR)package-lock.json" ]; then $(NPM) --prefix "$(NPM_DIR)" ci --no-audit --no-fund; \
		else $(NPM) --prefix "$(NPM_DIR)" install --no-audit --no-fund; fi; \
	fi

## run: builds and serves http://localhost:8080; without DATABASE_URL the
## binary starts its own PostgreSQL cluster under .data/.
run: build
	./$(BIN) serve --dev

## dev: the SPA from Vite's dev server (http://localhost:5173, hot reload),
## proxying /graphql, /graphiql, /auth, /scim and /oauth to `make run` on :8080.
dev: npm-install
	$(call npm_run,dev)

## test: vet, Go unit and integration tests, frontend and browser tests.
test: lint test-go test-frontend test-browser

# Integration tests start their own throwaway PostgreSQL unless DATABASE_URL is set.
test-go:
	$(GO) test $(GO_TEST_FLAGS) ./...

test-frontend: npm-install
	$(call npm_run,test)

# Browser tests drive the built binary, so they build it first.
test-browser: npm-install
	@if $(call has_script,test:e2e); then $(MAKE) build; fi
	$(call npm_run,test:e2e)

## generate: gqlgen's Go code, then the frontend's GraphQL types.
generate: npm-install
	$(GQLGEN) generate
	$(call npm_run,codegen)

## check-generated: fails when generated files are stale or not committed.
check-generated: generate
	@git diff --exit-code --stat -- $(GENERATED) || { \
		echo "generated files are out of date: run 'make generate' and commit the result" >&2; exit 1; }
	@untracked=$$(git ls-files --others --exclude-standard -- $(GENERATED)); \
	if [ -n "$$untracked" ]; then \
		echo "generated files are not committed:" >&2; echo "$$untracked" >&2; exit 1; \
	fi

## bench: the audit log read-path benchmark (server/cmd/orgtrail-bench).
bench:
	BENCH_EVENTS=$(BENCH_EVENTS) $(GO) run ./server/cmd/orgtrail-bench

## bench-10m: `make bench` at 10 million events in the measured organization
## (issue 15; BENCH_OTHER_EVENTS=1000000 over 999 others by default, 10000000
## for "as many again", which doubles the load time), with CPU and allocation
## profiles of the reads and of the mutation throughput in bench-profiles/
## (go tool pprof). About 20 GB of disk and 40 minutes on 2 shared cores.
BENCH_10M_OTHER_EVENTS ?= 1000000
bench-10m:
	BENCH_EVENTS=10000000 BENCH_OTHER_EVENTS=$(BENCH_10M_OTHER_EVENTS) BENCH_TIME_LIMIT=30s BENCH_PROFILE=$(CURDIR)/bench-profiles \
		$(GO) run ./server/cmd/orgtrail-bench

## bench-hostile: one tenant's most expensive allowed request, from several
## clients at once, against another tenant's simple query (p50/p95 alone and
## under load; BENCH_HOSTILE_EVENTS, BENCH_HOSTILE_CLIENTS, see
## server/cmd/orgtrail-bench/hostile.go).
bench-hostile:
	BENCH_MODE=hostile BENCH_HOSTILE_EVENTS=$(BENCH_HOSTILE_EVENTS) $(GO) run ./server/cmd/orgtrail-bench

## bench-log: the verifiable audit log (issue 11): integration rate, tree
## storage, inclusion proofs, verifier speed and checkpoint latency under
## 16 writers (BENCH_LOG_EVENTS, default 1,000,000; see
## server/cmd/orgtrail-bench/verifiable.go).
bench-log:
	BENCH_MODE=log $(GO) run ./server/cmd/orgtrail-bench

## bench-tail: the live tail (issue 13): 500 subscribers on one server, events
## written through another, delivery latency and the writer's cost.
bench-tail:
	BENCH_MODE=tail $(GO) run ./server/cmd/orgtrail-bench

## bench-export: the audit log export (issue 12): 1,000,000 events as NDJSON
## and CSV over HTTP, time to the first byte and in all, the server's memory
## growth (BENCH_EXPORT_EVENTS; see server/cmd/orgtrail-bench/export.go).
bench-export:
	BENCH_MODE=export $(GO) run ./server/cmd/orgtrail-bench

## bench-streams: log streams (issue 12): a mutation with and without 3
## enabled streams, and a webhook stream's lag under 2,000 audited events a
## second (see server/cmd/orgtrail-bench/streams.go).
bench-streams:
	BENCH_MODE=streams $(GO) run ./server/cmd/orgtrail-bench

## bench-replicas: past one server (issue 14): audited mutations/s through
## HAProxy at 16 and 64 clients with one and two `orgtrail serve`, and the
## Audit Log's first page while 16 clients write, from the primary and from a
## streaming standby (BENCH_REPLICA_SECONDS, BENCH_REPLICA_EVENTS; see
## server/cmd/orgtrail-bench/replicas.go).
bench-replicas:
	BENCH_MODE=replicas $(GO) run ./server/cmd/orgtrail-bench

## bench-scim: SCIM provisioning, 10,000 users with 8 requests in flight
## (server/cmd/orgtrail-scim-bench; SCIM_BENCH_* variables, see docs/scim.md).
bench-scim:
	$(GO) run ./server/cmd/orgtrail-scim-bench

## try-replicas: two `orgtrail serve` started together on an empty database
## behind HAProxy (Debian's package), 16 clients writing audited changes and 2
## reading the Audit Log through it for a minute, one server killed with
## SIGKILL halfway and started again; prints what it saw and fails if a row
## was lost or duplicated, a request failed outside the seconds after the
## kill, a session was refused or a job ran twice (server/replicas). `make
## test` runs the same test with a 20 s load.
try-replicas:
	REPLICAS_LOAD=60s $(GO) test ./server/replicas -run TestTwoServersBehindHAProxySurviveAKill -count=1 -v

## fuzz: every Go fuzz target for FUZZTIME each (make fuzz FUZZTIME=30s), ending
## with FuzzHTTPInputs, which sends fuzzed requests to every input surface of a
## real server on a throwaway PostgreSQL and fails on any 5xx or panic. A failing
## input is saved under the package's testdata/fuzz/ and then runs in `make test`.
fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		echo "$(GO) test $$pkg -run '^$$' -fuzz '^$$name\$$' -fuzztime $(FUZZTIME)"; \
		$(GO) test $$pkg -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME); \
	done

fmt:
	$(GO) fmt ./...
	$(call npm_run,format)

lint:
	$(GO) vet ./...
	$(STATICCHECK) ./...
	$(call npm_run,lint)

clean:
	rm -rf bin
