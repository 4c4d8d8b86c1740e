#!/usr/bin/env bash
# The sanitizer stage: builds the asan preset (AddressSanitizer + UndefinedBehaviorSanitizer,
# LeakSanitizer included) and runs the whole test suite under it. Every process a test starts
# (the servewatch binary, helpers) writes any sanitizer report into one folder; the stage fails
# if a test fails or if that folder holds a single report, even from a process whose exit status
# a test does not look at. Usage: scripts/sanitize.sh [ctest arguments...]
set -euo pipefail
cd "$(dirname "$0")/.."

cmake --preset asan >/dev/null
cmake --build --preset asan

reports=$(mktemp -d /tmp/servewatch-sanitizer.XXXXXX)
trap 'rm -rf "$reports"' EXIT
export ASAN_OPTIONS="log_path=$reports/asan:detect_leaks=1:halt_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1"
export UBSAN_OPTIONS="log_path=$reports/ubsan:print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="log_path=$reports/lsan"

status=0
ctest --test-dir build/asan --output-on-failure -j 2 --timeout 600 "$@" || status=$?

found=$(find "$reports" -type f | sort)
if [ -n "$found" ]; then
  echo "sanitize: $(echo "$found" | wc -l) sanitizer report(s):" >&2
  for f in $found; do
    echo "--- $f" >&2
    head -n 60 "$f" >&2
  done
  status=1
else
  echo "sanitize: no sanitizer reports"
fi
exit $status
