# Blotter. `make dev` and `make test` work on a fresh clone with only Node and npm installed:
# everything else (pnpm, nats-server 2.15, dependencies) is fetched into the project folder.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PNPM_VERSION := 10.34.8
PNPM := .data/tools/node_modules/.bin/pnpm
STAMP := node_modules/.blotter-installed
TAP_STAMP := node_modules/.blotter-tap-built
INFRA_ENV := set -a; [ -f .env ] && . ./.env; . ./.data/infra.env; set +a
WORKSPACE_MANIFESTS := package.json pnpm-lock.yaml pnpm-workspace.yaml $(wildcard schemas/package.json services/*/package.json ui/package.json bench/package.json tests/*/package.json)

.PHONY: help install up down dev test test-money test-faults soak bench cluster cluster-down test-cluster lint typecheck schemas clean

help:
	@echo "make dev        start the whole stack (infra, services, UI) and print the URLs"
	@echo "make test       every test suite; ends with 'N passed, N failed'"
	@echo "make up / down  infrastructure only (NATS >= 2.11 with JetStream, Postgres)"
	@echo "make bench      benchmarks, printed as a table (ARGS=--help: its options)"
	@echo "make test-money the differential test: 10,000 random order sequences, Blotter vs the venue"
	@echo "make test-faults / soak  the long crash-and-restart storm / a sustained load with memory and lag over time"
	@echo "make cluster    3-node NATS cluster on loopback with R3 streams (URLs in .data/cluster.env); make cluster-down"
	@echo "make test-cluster  kill a node of a private 3-node cluster under load (tests/scaling)"
	@echo "make lint / typecheck"

$(PNPM):
	@mkdir -p .data/tools
	@[ -f .data/tools/package.json ] || (cd .data/tools && npm init -y >/dev/null)
	@cd .data/tools && npm install --no-audit --no-fund --loglevel=error pnpm@$(PNPM_VERSION) >/dev/null
	@echo "[make] pnpm $(PNPM_VERSION) installed into .data/tools"

$(STAMP): $(PNPM) $(WORKSPACE_MANIFESTS)
	@$(PNPM) install --frozen-lockfile --reporter=append-only
	@touch $(STAMP)

# tap's plugin set (.taprc) is built for the test targets only: it takes ~7 s that `make dev` need not wait for.
$(TAP_STAMP): $(STAMP) .taprc
	@node_modules/.bin/tap build >/dev/null
	@touch $(TAP_STAMP)

install: $(STAMP) $(TAP_STAMP)

up: $(STAMP)
	@set -a; [ -f .env ] && . ./.env; set +a; node infra/bin/infra.mjs up
	@$(INFRA_ENV); node --import @blotter/ts-loader/register services/eventstore/src/bin/ensure-streams.ts

down:
	@node infra/bin/infra.mjs down

dev: up
	@node infra/bin/dev.mjs

test: up $(TAP_STAMP)
	@$(INFRA_ENV); node infra/bin/test.mjs

# The long differential test of issue 18 (>= 10,000 random order sequences against the simulator).
test-money: up
	@$(INFRA_ENV); node --import @blotter/ts-loader/register tests/money/src/bin/test-money.ts

test-faults: up $(TAP_STAMP)
	@$(INFRA_ENV); node infra/bin/test.mjs .faults.test.ts

soak: up $(TAP_STAMP)
	@$(INFRA_ENV); node infra/bin/test.mjs .soak.test.ts

# make bench ARGS='--only gateway --quick': the bench's options (ARGS=--help lists them).
bench: up
	@$(INFRA_ENV); $(PNPM) --silent --filter @blotter/bench run bench $(ARGS)

cluster: $(STAMP)
	@node infra/bin/cluster.mjs up
	@set -a; . ./.data/cluster.env; set +a; node --import @blotter/ts-loader/register services/eventstore/src/bin/ensure-streams.ts

cluster-down:
	@node infra/bin/cluster.mjs down

test-cluster: up $(TAP_STAMP)
	@$(INFRA_ENV); node infra/bin/test.mjs cluster.faults.test.ts

lint: $(STAMP)
	@node_modules/.bin/biome check .

typecheck: $(STAMP)
	@$(PNPM) -r --workspace-concurrency=2 typecheck

schemas: $(STAMP)
	@$(PNPM) --filter @blotter/schemas run schemas

clean: down
	@rm -rf .data node_modules */node_modules services/*/node_modules .tap
