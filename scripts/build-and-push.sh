#!/usr/bin/env bash
# Builds one AMD64 edge-node base image through `docker buildx bake <target>`: the same
# docker-bake.hcl target, context, Dockerfile, tags and cache as CI, then tests it and (with
# --push) promotes it. Mirrors .github/workflows/base_edge_node_amd64_<target>.yaml step by step.
# Called by build-and-push-amd64-cpu.sh and build-and-push-amd64-gpu.sh, which name the target.
set -Eeuo pipefail
shopt -s inherit_errexit

TARGET=${1:-}
shift || true
case ${TARGET} in
  cpu) TAG_VARIABLE=CPU_IMAGE_TAG ;;
  gpu) TAG_VARIABLE=GPU_IMAGE_TAG ;;
  *) echo "usage: $0 cpu|gpu [options]; run build-and-push-amd64-cpu.sh or -gpu.sh instead" >&2; exit 2 ;;
esac
TEST_SCRIPT=./image_testing/test-${TARGET}.sh

usage() {
  cat <<EOF
Usage: build-and-push-amd64-${TARGET}.sh [--push] [--dry-run] [--pull | --no-pull] [--no-test] [--builder NAME]

Builds docker-bake.hcl target "${TARGET}" from the repository root, as CI does.
  without --push  the image is loaded into the local engine as REPO:TAG-COMMIT (and REPO:TAG),
                  then tested
  with --push     it is pushed as REPO:TAG-COMMIT, tested from the registry, then promoted to
                  REPO:TAG and REPO:TAG-DATE by retag_and_push.sh (registry-side, with retries)

Options:
  --push          push and promote (needs 'docker login' to the registry of IMAGE_REPO)
  --dry-run       print every command instead of running it
  --pull          always pull the base image (default)
  --no-pull       build on the base image already present
  --no-test       skip ${TEST_SCRIPT}
  --builder NAME  buildx builder to use (default: the current one)
  -h, --help      show this text

Environment (options override it):
  IMAGE_REPO     repository (default naeural/edge_node)
  IMAGE_TAG      moving tag (default base-amd64-${TARGET})
  PUSH           1 to push (default 0)
  DRY_RUN        1 to only print commands (default 0)
  PULL           0 to skip pulling the base image (default 1)
  RUN_TESTS      0 to skip the image test (default 1)
  BUILDER        buildx builder name (default: the current builder)
  VCS_REF        commit for the candidate tag (default: git HEAD, '-dirty' if the tree is modified)
  DATE_TAG       date suffix of the dated tag (default: today, UTC, YYYYMMDD)
  CACHE_BACKEND  registry (REPO:buildcache-${TARGET}, written only with --push), none, or gha
                 (GitHub Actions runners only) (default registry)
  ALLOW_NO_GPU   gpu only: 1 to run only the GPU-free image checks on a host without a GPU (default 0)
EOF
}

IMAGE_REPO=${IMAGE_REPO:-naeural/edge_node}
IMAGE_TAG=${IMAGE_TAG:-base-amd64-${TARGET}}
PUSH=${PUSH:-0}
DRY_RUN=${DRY_RUN:-0}
PULL=${PULL:-1}
RUN_TESTS=${RUN_TESTS:-1}
BUILDER=${BUILDER:-}
CACHE_BACKEND=${CACHE_BACKEND:-registry}
DATE_TAG=${DATE_TAG:-$(date -u +%Y%m%d)}
while [[ $# -gt 0 ]]; do
  case $1 in
    -h | --help) usage; exit 0 ;;
    --push) PUSH=1 ;;
    --dry-run) DRY_RUN=1 ;;
    --pull) PULL=1 ;;
    --no-pull) PULL=0 ;;
    --no-test) RUN_TESTS=0 ;;
    --builder) BUILDER=${2:?--builder needs a name}; shift ;;
    *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { printf '[build-and-push-amd64-%s] %s\n' "${TARGET}" "$*" >&2; }
die() { log "error: $*"; exit 1; }
run() {
  printf '+'
  printf ' %q' "$@"
  printf '\n'
  [[ ${DRY_RUN} == 1 ]] || "$@"
}
# A pushing bake that fails half-way (registry 5xx, connection reset) is run again: BuildKit's
# cache turns the rerun into a push of what is missing, not a rebuild. Three attempts, with a
# growing pause between them.
retry() {
  local attempt
  for attempt in 1 2 3; do
    "$@" && return 0
    if ((attempt < 3)); then
      log "attempt ${attempt} failed; retrying in $((attempt * 20)) s"
      sleep $((attempt * 20))
    fi
  done
  return 1
}

if [[ -z ${VCS_REF:-} ]] && git rev-parse --git-dir >/dev/null 2>&1; then
  VCS_REF=$(git rev-parse HEAD)
  [[ -z $(git status --porcelain) ]] || VCS_REF="${VCS_REF}-dirty"
fi
VCS_REF=${VCS_REF:-}
CANDIDATE="${IMAGE_REPO}:${IMAGE_TAG}${VCS_REF:+-${VCS_REF}}"
BUILD_DATE=$(date -u +%Y-%m-%dT%H:%M:%SZ)

# The registry the credentials must be for: the first path element when it names a host.
registry_of() {
  local first=${1%%/*}
  if [[ $1 == */* && (${first} == *.* || ${first} == *:* || ${first} == localhost) ]]; then
    echo "${first}"
  else
    echo docker.io
  fi
}

# Prerequisites, all checked before anything is built or pushed. A dry run reports them only.
preflight() {
  local problems=() registry key config
  command -v docker >/dev/null || problems+=("docker is not installed")
  if [[ ${#problems[@]} -eq 0 ]]; then
    timeout 20 docker version >/dev/null 2>&1 || problems+=("the Docker engine does not answer (docker version)")
    docker buildx version >/dev/null 2>&1 || problems+=("the docker buildx plugin is missing (bake needs it)")
    timeout 120 docker buildx inspect --bootstrap ${BUILDER:+--builder "${BUILDER}"} >/dev/null 2>&1 \
      || problems+=("buildx builder '${BUILDER:-current}' cannot be started (docker buildx inspect --bootstrap)")
  fi
  if [[ ${PUSH} == 1 ]]; then
    [[ ${VCS_REF} != *-dirty ]] || problems+=("uncommitted changes: a pushed image must match a commit")
    registry=$(registry_of "${IMAGE_REPO}")
    key=${registry}
    [[ ${registry} != docker.io ]] || key=https://index.docker.io/v1/
    config="${DOCKER_CONFIG:-${HOME}/.docker}/config.json"
    grep -qF "\"${key}\"" "${config}" 2>/dev/null || problems+=("not logged in to ${registry}: run 'docker login ${registry}'")
  fi
  if [[ ${#problems[@]} -gt 0 ]]; then
    printf '  - %s\n' "${problems[@]}" >&2
    [[ ${DRY_RUN} == 1 ]] && log "dry run: continuing despite the problems above" && return 0
    die "prerequisites missing"
  fi
}

preflight
log "target ${TARGET}: ${CANDIDATE} (push=${PUSH}, tests=${RUN_TESTS})"

bake=(docker buildx bake --file docker-bake.hcl --progress=plain)
[[ -z ${BUILDER} ]] || bake+=(--builder "${BUILDER}")
[[ ${PULL} != 1 ]] || bake+=(--pull)
if [[ ${PUSH} == 1 ]]; then
  bake+=(--push --provenance=mode=max --sbom=true)
else
  bake+=(--load --provenance=false)
fi
bake+=("${TARGET}")
cache_export=false
[[ ${PUSH} != 1 ]] || cache_export=true
retry run env IMAGE_REPO="${IMAGE_REPO}" "${TAG_VARIABLE}=${IMAGE_TAG}" VCS_REF="${VCS_REF}" \
  BUILD_DATE="${BUILD_DATE}" CACHE_BACKEND="${CACHE_BACKEND}" CACHE_EXPORT="${cache_export}" \
  "${bake[@]}"

if [[ ${RUN_TESTS} == 1 ]]; then
  run env ALLOW_NO_GPU="${ALLOW_NO_GPU:-0}" "${TEST_SCRIPT}" "${CANDIDATE}"
fi

promote=("${IMAGE_REPO}:${IMAGE_TAG}" "${IMAGE_REPO}:${IMAGE_TAG}-${DATE_TAG}")
if [[ ${PUSH} == 1 ]]; then
  if [[ ${DRY_RUN} == 1 ]]; then
    ./retag_and_push.sh --dry-run "${CANDIDATE}" "${promote[@]}"
  else
    ./retag_and_push.sh "${CANDIDATE}" "${promote[@]}"
  fi
elif [[ ${CANDIDATE} != "${promote[0]}" ]]; then
  run docker tag "${CANDIDATE}" "${promote[0]}"
fi
log "done: ${CANDIDATE}"
