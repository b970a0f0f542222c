#!/usr/bin/env bash
# Helm for rendering and linting deploy/helm (CI and `npm test` need no cluster). Idempotent: builds
# helm once with `go install` from the Go module proxy (no download site is needed) into
# ~/.cache/monetization-supergraph/tools/helm-<version>/, then prints the binary's path.
#   scripts/deploy/helm.sh            # prints the path, building helm first when missing
set -euo pipefail

HELM_VERSION="${HELM_VERSION:-v3.22.0}"
CACHE_DIR="${MONETIZATION_CACHE_DIR:-${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}/.cache/monetization-supergraph}"
BIN_DIR="$CACHE_DIR/tools/helm-$HELM_VERSION"
HELM="$BIN_DIR/helm"

if [ ! -x "$HELM" ]; then
  command -v go >/dev/null 2>&1 || PATH="$PATH:/usr/local/go/bin"
  if ! command -v go >/dev/null 2>&1; then
    echo "helm.sh: Go is needed to build helm $HELM_VERSION (go install from the module proxy); install Go 1.24 or newer" >&2
    exit 1
  fi
  echo "helm.sh: building helm $HELM_VERSION with go install (once; a few minutes)" >&2
  mkdir -p "$BIN_DIR"
  GOBIN="$BIN_DIR" GOFLAGS=-buildvcs=false nice -n 10 go install "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" >&2
  [ -x "$HELM" ] || { echo "helm.sh: go install finished but $HELM is missing" >&2; exit 1; }
fi
echo "$HELM"
