#!/usr/bin/env bash
# The Kubernetes deployment (deploy/helm/monetization-supergraph): builds helm once (cached), then
# runs tests/unit/deploy-chart.test.ts, which lints the chart, renders it for several value sets,
# validates every object against the Kubernetes schemas (offline, kubernetes-models) and checks
# probes, PDBs, HPAs, grace periods, secret references and the migration Job.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

HELM="$(bash scripts/deploy/helm.sh)"
echo "deploy-check: $("$HELM" version --short 2>/dev/null || "$HELM" version)"
HELM_BIN="$HELM" npx jest --ci --runTestsByPath tests/unit/deploy-chart.test.ts "$@"
