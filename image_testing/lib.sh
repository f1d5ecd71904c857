# Helpers shared by test-cpu.sh and test-gpu.sh; sourced, not run. The caller sets `dockerfile`
# (read by `arg`) and `IMAGE` before using them.
# shellcheck shell=bash

dockerfile=${dockerfile:?set dockerfile before sourcing image_testing/lib.sh}

# The default of one Dockerfile ARG (`arg TORCH_VERSION`), so the test expects what the image pins.
arg() { sed -n "s/^ARG $1=//p" "${dockerfile}" | head -n 1; }

in_image() { docker run --rm "$@"; }

# Runs one check in a subshell with errexit on (a check called from `if` or `||` would run with
# errexit off and ignore failing steps), records the result and goes on with the next check.
failures=0
check() {
  local name=$1 status
  shift
  echo "--- ${name}"
  set +e
  (
    set -e
    "$@"
  )
  status=$?
  set -e
  if ((status == 0)); then
    echo "ok   ${name}"
  else
    echo "FAIL ${name}"
    failures=$((failures + 1))
  fi
}
