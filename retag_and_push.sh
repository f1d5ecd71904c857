#!/usr/bin/env bash
# Give an image that is already in the registry more tags, registry-side: `docker buildx imagetools
# create` copies the manifest (index, attestations included), so nothing is pulled or re-uploaded,
# whatever the image size. Used by the build-and-push scripts and by CI to promote a tested
# <tag>-<commit> build to <tag> and <tag>-<date>.
set -Eeuo pipefail
shopt -s inherit_errexit

usage() {
  cat <<'EOF'
Usage: retag_and_push.sh [--dry-run] SOURCE_IMAGE TARGET_IMAGE [TARGET_IMAGE...]

Example:
  retag_and_push.sh naeural/edge_node:base-amd64-cpu-<commit> \
    naeural/edge_node:base-amd64-cpu naeural/edge_node:base-amd64-cpu-20261129

Environment:
  DRY_RUN=1     print the commands instead of running them (same as --dry-run)
  RETRIES=4     attempts per tag; transient registry errors are retried with backoff
                (5 s, 10 s, 20 s, ...), authentication and manifest errors are not
  TIMEOUT=300   seconds allowed for one attempt
EOF
}

DRY_RUN=${DRY_RUN:-0}
RETRIES=${RETRIES:-4}
TIMEOUT=${TIMEOUT:-300}
while [[ $# -gt 0 ]]; do
  case $1 in
    -h | --help) usage; exit 0 ;;
    --dry-run) DRY_RUN=1; shift ;;
    --) shift; break ;;
    -*) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
    *) break ;;
  esac
done
if [[ $# -lt 2 ]]; then
  usage >&2
  exit 2
fi
SRC=$1
shift

run() {
  printf '+'
  printf ' %q' "$@"
  printf '\n'
  [[ ${DRY_RUN} == 1 ]] || "$@"
}

if [[ ${DRY_RUN} != 1 ]]; then
  command -v docker >/dev/null || { echo "error: docker is not installed" >&2; exit 1; }
  docker buildx version >/dev/null 2>&1 || { echo "error: the docker buildx plugin is missing" >&2; exit 1; }
  # Tagging registry-side pushes manifests, so it needs the credentials that `docker login` (or
  # docker/login-action in CI) writes to the Docker config; without them every attempt fails.
  [[ -s ${DOCKER_CONFIG:-${HOME}/.docker}/config.json ]] \
    || { echo "error: no Docker credentials in ${DOCKER_CONFIG:-${HOME}/.docker}/config.json; run 'docker login' first" >&2; exit 1; }
fi

# One tag, with bounded retries for transient failures (registry 5xx, resets, timeouts).
retag() {
  local dst=$1 attempt=1 delay=5 out status
  while :; do
    status=0
    out=$(run timeout "${TIMEOUT}" docker buildx imagetools create --tag "${dst}" "${SRC}" 2>&1) || status=$?
    printf '%s\n' "${out}"
    ((status == 0)) && return 0
    if grep -qiE 'unauthorized|denied|authentication required|manifest invalid|not found' <<<"${out}"; then
      echo "error: ${dst}: not retried (authentication or manifest error)" >&2
      return "${status}"
    fi
    if ((attempt >= RETRIES)); then
      echo "error: ${dst}: failed after ${attempt} attempts" >&2
      return "${status}"
    fi
    echo "retrying ${dst} in ${delay}s (attempt $((attempt + 1)) of ${RETRIES})" >&2
    sleep "${delay}"
    attempt=$((attempt + 1))
    delay=$((delay * 2))
  done
}

for dst in "$@"; do
  if [[ ${dst} == "${SRC}" ]]; then
    continue
  fi
  retag "${dst}"
done
