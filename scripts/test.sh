#!/usr/bin/env bash
# The whole gate: installs what is missing, builds with warnings as errors, runs every test, runs
# the suite again under AddressSanitizer + UndefinedBehaviorSanitizer, smoke-runs every fuzz target
# and lints with clang-tidy. Prints each stage's time. .ci/run calls this.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds_since() { # prints the seconds since $1 (date +%s%N), one decimal
  local ms=$(( ($(date +%s%N) - $1) / 1000000 ))
  printf '%d.%d' $((ms / 1000)) $(((ms % 1000) / 100))
}
total_start=$(date +%s%N)
stage() {
  local name=$1; shift
  local start
  start=$(date +%s%N)
  echo "=== stage: $name"
  "$@"
  echo "=== stage: $name done in $(seconds_since "$start") s"
}

stage deps scripts/deps.sh build test fuzz
stage format scripts/format.sh --check
stage configure cmake --preset ci
stage build cmake --build --preset ci
stage test ctest --test-dir build/ci --output-on-failure -j 2 --timeout 300
stage sanitize scripts/sanitize.sh
stage fuzz scripts/fuzz.sh smoke 15
stage tidy bash -c 'cmake --preset tidy >/dev/null && cmake --build --preset tidy'

echo "=== all stages passed in $(seconds_since "$total_start") s"
