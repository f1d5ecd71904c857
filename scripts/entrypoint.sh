#!/usr/bin/env bash
# Entrypoint of the edge-node base images (CPU and GPU).
#
#   EE_DD=false (default)  run the command and nothing else; dockerd is never started.
#   EE_DD=true             start a Docker daemon inside the container (Docker-in-Docker) first, wait
#                          until it answers, then run the command. Needs `docker run --privileged`.
#                          If the daemon cannot start, the container exits non-zero: no silent
#                          "best effort" mode.
#
# DinD settings (only read when EE_DD=true):
#   DOCKERD_ARGS            extra dockerd flags, e.g. "--storage-driver=vfs" on hosts without overlayfs
#   DOCKERD_TIMEOUT         seconds to wait for the daemon to answer (default 30)
#   DOCKERD_LOG             daemon log file (default /var/log/dockerd.log)
#   DOCKER_IPTABLES_LEGACY  non-empty: use iptables-legacy; empty: nf_tables; unset: detect from the host
#
# The daemon listens on the unix socket only (no TCP listener, so no TLS setup is needed), and its
# data belongs on a volume: `-v edge-docker:/var/lib/docker` (overlay on overlay does not work).
set -Eeuo pipefail

log() { printf '[entrypoint] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }


# dockerd needs CAP_SYS_ADMIN (mounts, cgroups); without --privileged it fails with cryptic errors.
require_privileged() {
  local capeff
  capeff=$(awk '/^CapEff:/ { print $2 }' /proc/self/status)
  if (((16#${capeff} >> 21 & 1) == 0)); then
    die "EE_DD=true needs the container to run with --privileged (CAP_SYS_ADMIN is missing)"
  fi
}

# Use the iptables backend the host already uses: mixing legacy and nf_tables rules breaks
# networking (same rule as the official docker:dind entrypoint).
select_iptables() {
  local mode=nft
  if [[ -n ${DOCKER_IPTABLES_LEGACY+set} ]]; then
    [[ -n ${DOCKER_IPTABLES_LEGACY} ]] && mode=legacy
  elif [[ -s /proc/net/ip_tables_names || -s /proc/net/ip6_tables_names || -s /proc/net/arp_tables_names ]]; then
    mode=legacy
  fi
  if [[ ${mode} == legacy ]]; then
    update-alternatives --quiet --set iptables /usr/sbin/iptables-legacy
    update-alternatives --quiet --set ip6tables /usr/sbin/ip6tables-legacy
  fi
  local version
  version=$(iptables --version) || die "iptables is not usable; run with --privileged"
  log "iptables backend: ${version}"
}

# cgroup v2: move this container's processes out of the root cgroup and delegate every controller,
# so that dockerd can create child cgroups (the moby hack/dind approach).
prepare_cgroups() {
  [[ -f /sys/fs/cgroup/cgroup.controllers ]] || return 0
  mkdir -p /sys/fs/cgroup/init
  local pid
  while read -r pid; do
    echo "${pid}" >/sys/fs/cgroup/init/cgroup.procs 2>/dev/null || :
  done </sys/fs/cgroup/cgroup.procs
  sed -e 's/ / +/g' -e 's/^/+/' </sys/fs/cgroup/cgroup.controllers >/sys/fs/cgroup/cgroup.subtree_control ||
    log "warning: could not delegate cgroup controllers; containers may escape this container's limits"
}

start_dockerd() {
  local log_file=${DOCKERD_LOG:-/var/log/dockerd.log}
  local timeout=${DOCKERD_TIMEOUT:-30}
  local -a extra=()
  read -r -a extra <<<"${DOCKERD_ARGS:-}"

  require_privileged
  select_iptables
  prepare_cgroups
  # A previous unclean stop leaves pid files behind and dockerd then refuses to start.
  rm -f /var/run/docker.pid /run/docker/containerd/containerd.pid
  if [[ $(stat -f -c %T /var/lib/docker 2>/dev/null || true) == overlayfs ]]; then
    log "warning: /var/lib/docker is on the container's overlay; mount a volume there"
  fi

  log "starting dockerd (log: ${log_file})"
  dockerd "${extra[@]}" >"${log_file}" 2>&1 &
  local pid=$!
  local i
  for ((i = 0; i < timeout; i++)); do
    if ! kill -0 "${pid}" 2>/dev/null; then
      tail -n 50 "${log_file}" >&2 || :
      die "dockerd exited during start-up"
    fi
    if timeout 5 docker info >/dev/null 2>&1; then
      log "dockerd is ready"
      return 0
    fi
    sleep 1
  done
  tail -n 50 "${log_file}" >&2 || :
  die "dockerd did not answer within ${timeout}s"
}

case "${EE_DD:-false}" in
  true | TRUE | True | 1 | yes) dind=1 ;;
  false | FALSE | False | 0 | no | '') dind=0 ;;
  *) die "EE_DD must be true or false, got '${EE_DD}'" ;;
esac

if ((dind)); then
  # As PID 1, re-run under docker-init (tini) so the daemon's exited children are reaped.
  if [[ $$ -eq 1 && -z ${EE_INIT:-} && -x /usr/bin/docker-init ]]; then
    export EE_INIT=1
    exec /usr/bin/docker-init -- "$0" "$@"
  fi
  start_dockerd
fi

if [[ $# -eq 0 ]]; then
  set -- bash
fi
exec "$@"
