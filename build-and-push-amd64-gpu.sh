#!/usr/bin/env bash
# Build, test and (with --push) promote the AMD64 GPU edge-node base image exactly as
# .github/workflows/base_edge_node_amd64_gpu.yaml does; `--help` lists options and environment.
# The steps live in scripts/build-and-push.sh, shared with the other image.
set -euo pipefail
exec "$(dirname "$0")/scripts/build-and-push.sh" gpu "$@"
