# journeysim — make targets. `make help` lists them.

GO       ?= go
BIN      := bin/journeysim
PKGS     := ./...
BENCHTIME ?= 1x

.PHONY: help build run test test-slurm test-browser test-terminal vet fmt-check bench fuzz race clean plugins proto

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

COMMIT   := $(shell git rev-parse --short=12 HEAD 2>/dev/null)
# "true" when the working tree differs from the commit (untracked files
# included, as the go command's vcs.modified counts them), so that a
# build's provenance says so even where the go command records no VCS state.
MODIFIED := $(shell git rev-parse HEAD >/dev/null 2>&1 && { [ -z "$$(git status --porcelain 2>/dev/null)" ] && echo false || echo true; })

build: ## build bin/journeysim
	$(GO) build -ldflags "-X main.commit=$(COMMIT) -X main.treeModified=$(MODIFIED)" -o $(BIN) ./cmd/journeysim

plugins: ## build the example channel plugins into plugins/bin
	$(GO) build -o plugins/bin/ ./plugins/response ./plugins/contactcentre ./plugins/segments

# The generated gRPC code is committed; `make proto` regenerates it with
# protoc (Debian: apt-get install protobuf-compiler) and the Go generators
# at the versions go.mod names.
PROTOC_GEN := $(CURDIR)/bin/tools
proto: ## regenerate plugins/proto from behaviour.proto
	GOBIN=$(PROTOC_GEN) $(GO) install google.golang.org/protobuf/cmd/protoc-gen-go@$$($(GO) list -m -f '{{.Version}}' google.golang.org/protobuf)
	GOBIN=$(PROTOC_GEN) $(GO) install google.golang.org/grpc/cmd/protoc-gen-go-grpc@v1.6.1
	PATH=$(PROTOC_GEN):$$PATH protoc --proto_path=plugins/proto \
		--go_out=plugins/proto --go_opt=paths=source_relative \
		--go-grpc_out=plugins/proto --go-grpc_opt=paths=source_relative \
		plugins/proto/behaviour.proto

run: build ## build, then run the default built-in scenario
	./$(BIN) run

vet: ## go vet
	$(GO) vet $(PKGS)

fmt-check: ## fail if gofmt would change a file
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

test: vet fmt-check ## vet, format check, every test, then the Slurm (test-slurm), browser (test-browser) and terminal (test-terminal) tests
	$(GO) test -count=1 $(PKGS)
	$(MAKE) test-slurm
	$(MAKE) test-browser
	$(MAKE) test-terminal

# Needs root: installs slurm-wlm and munge and starts a one-node cluster on
# this machine (testdata/slurm/setup.sh; docs/cluster.md). A failed setup
# fails the target.
test-slurm: ## run the shards of a sweep as a job array on a real one-node Slurm cluster
	bash testdata/slurm/setup.sh
	JOURNEYSIM_SLURM=1 $(GO) test -run TestSlurmSweep -count=1 -v ./cmd/journeysim

# Needs root the first time: installs Debian's chromium, then opens a run's
# report (journeysim report) in headless Chromium.
test-browser: ## open a run's HTML report in headless Chromium, with only DejaVu fonts, at 1024 and 1280 px, and check what it shows; drive a lesson page of journeysim serve
	@{ command -v chromium && command -v fc-list && fc-list | grep -qi dejavu; } >/dev/null 2>&1 || { \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get install -y --no-install-recommends chromium fontconfig fonts-dejavu-core || \
		{ apt-get update && apt-get install -y --no-install-recommends chromium fontconfig fonts-dejavu-core; }; }
	JOURNEYSIM_BROWSER=1 $(GO) test -run TestReportInChromium -count=1 -v ./cmd/journeysim
	JOURNEYSIM_BROWSER=1 $(GO) test -run TestServeInChromium -count=1 -v ./cmd/journeysim/internal/serve

# Needs root the first time: installs Debian's tmux, then watches a run's
# and a sweep's progress line in tmux panes 60 and 80 columns wide.
test-terminal: ## watch the progress line in a real terminal (tmux) at 60 and 80 columns
	@command -v tmux >/dev/null 2>&1 || { \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get install -y --no-install-recommends tmux || \
		{ apt-get update && apt-get install -y --no-install-recommends tmux; }; }
	JOURNEYSIM_TERMINAL=1 $(GO) test -run TestProgressInTerminal -count=1 -v ./cmd/journeysim

race: ## every test under the race detector
	$(GO) test -race -count=1 $(PKGS)

bench: ## time the engine on the reference scenario against a hand-written loop, one expression, attribution, result writing, plugins and sweeps
	$(GO) test -run '^$$' -bench 'BenchmarkReference' -benchtime $(BENCHTIME) -benchmem ./scenarios
	$(GO) test -run '^$$' -bench 'BenchmarkExpr' -benchmem ./sim
	$(GO) test -run '^$$' -bench 'BenchmarkOutputs' -benchtime 2x ./results
	$(GO) test -run '^$$' -bench 'BenchmarkPluginOverhead' -benchtime 1x ./plugins
	$(GO) test -run '^$$' -bench 'BenchmarkSweep' -benchtime 1x ./scenarios/experiment

fuzz: ## fuzz the scenario loader for a minute, and each of serve's request decoders for 20 seconds
	$(GO) test -run '^$$' -fuzz FuzzLoad -fuzztime 60s ./scenarios
	$(GO) test -run '^$$' -fuzz FuzzDecodeRunRequest -fuzztime 20s ./cmd/journeysim/internal/serve
	$(GO) test -run '^$$' -fuzz FuzzDecodeCompareRequest -fuzztime 20s ./cmd/journeysim/internal/serve
	$(GO) test -run '^$$' -fuzz FuzzDecodeSubmitRequest -fuzztime 20s ./cmd/journeysim/internal/serve

clean: ## remove built files
	rm -rf bin plugins/bin
