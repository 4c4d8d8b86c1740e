#!/usr/bin/env bash
# Builds the libFuzzer targets (cmake --preset fuzz: clang 14, ASan + UBSan) and runs them on a
# copy of their seed corpus (fuzz/corpus/<target>; the committed corpus is never changed).
#
#   scripts/fuzz.sh smoke [SECONDS]             every target for SECONDS (default 15): the CI gate
#   scripts/fuzz.sh long [SECONDS] [TARGET...]  the named targets (default all) for SECONDS
#                                               each (default 600), one after the other
#   scripts/fuzz.sh list                        the target names
#
# Prints, per target, the executions, the seconds, the corpus size at the end and the peak RSS;
# exits non-zero on the first crash, leak, timeout or out-of-memory, printing the reproducer's
# path (kept under build/fuzz/findings/) and the command that replays it.
# Environment: FUZZ_NO_DEPS=1 skips scripts/deps.sh; FUZZ_NO_BUILD=1 skips configure and build
# (for runs in parallel once built); FUZZ_KEEP=1 keeps the work directories (grown corpora);
# FUZZ_ARGS adds libFuzzer options.
# Needs the Debian 12 packages clang-14 and libclang-rt-14-dev (scripts/deps.sh fuzz) besides the
# build ones. docs/FUZZING.md has the targets and the results of the long runs.
set -euo pipefail
cd "$(dirname "$0")/.."

targets_all=(fuzz_config fuzz_knowledgebase fuzz_retryafter fuzz_jsonpointer fuzz_classifier
  fuzz_urlexpansion fuzz_httprequest)

usage() {
  sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 64
}

mode=${1:-}
case "$mode" in
  smoke) seconds=${2:-15}; targets=("${targets_all[@]}") ;;
  long)
    seconds=${2:-600}
    if [ $# -gt 2 ]; then targets=("${@:3}"); else targets=("${targets_all[@]}"); fi
    ;;
  list) printf '%s\n' "${targets_all[@]}"; exit 0 ;;
  *) usage ;;
esac
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -eq 0 ]; then
  echo "fuzz.sh: SECONDS must be a positive number" >&2
  exit 64
fi
for t in "${targets[@]}"; do
  [[ " ${targets_all[*]} " == *" $t "* ]] || { echo "fuzz.sh: unknown target '$t' (scripts/fuzz.sh list)" >&2; exit 64; }
done

build_dir=build/fuzz
if [ "${FUZZ_NO_BUILD:-0}" != 1 ]; then
  [ "${FUZZ_NO_DEPS:-0}" = 1 ] || scripts/deps.sh build fuzz
  start=$(date +%s)
  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz --target "${targets[@]}"
  echo "fuzz.sh: built in $(( $(date +%s) - start )) s"
fi

findings_dir=$build_dir/findings
mkdir -p "$findings_dir"
work_root=$(mktemp -d "${TMPDIR:-/tmp}/servewatch-fuzz.XXXXXX")
keep=${FUZZ_KEEP:-0}
# shellcheck disable=SC2317 # called through the trap
cleanup() { [ "$keep" = 1 ] || rm -rf "$work_root"; }
trap cleanup EXIT

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export QT_QPA_PLATFORM=offscreen LC_ALL=C.UTF-8

stat_of() { # stat_of NAME LOG: libFuzzer's final "stat::NAME: value"
  sed -n "s/^stat::$1: *//p" "$2" | tail -1
}

printf '%-20s %8s %12s %10s %8s %8s\n' target seconds executions exec/s corpus rss_mb
status=0
for t in "${targets[@]}"; do
  bin=$build_dir/fuzz/$t
  [ -x "$bin" ] || { echo "fuzz.sh: $bin is not built" >&2; exit 1; }
  name=${t#fuzz_}
  work=$work_root/$t
  mkdir -p "$work/corpus" "$work/artifacts"
  cp -r fuzz/corpus/"$name"/. "$work/corpus/"
  dict=()
  [ -f fuzz/dict/"$name".dict ] && dict=(-dict=fuzz/dict/"$name".dict)
  log=$work/fuzz.log
  start=$(date +%s)
  rc=0
  # shellcheck disable=SC2086
  "$bin" "$work/corpus" "${dict[@]}" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
    -print_final_stats=1 -artifact_prefix="$work/artifacts/" ${FUZZ_ARGS:-} >"$log" 2>&1 || rc=$?
  elapsed=$(( $(date +%s) - start ))
  execs=$(stat_of number_of_executed_units "$log")
  rate=$(stat_of average_exec_per_sec "$log")
  rss=$(stat_of peak_rss_mb "$log")
  corpus=$(find "$work/corpus" -type f | wc -l)
  printf '%-20s %8s %12s %10s %8s %8s\n' "$t" "$elapsed" "${execs:-?}" "${rate:-?}" "$corpus" "${rss:-?}"
  artifacts=("$work"/artifacts/*)
  if [ "$rc" -ne 0 ] || [ -e "${artifacts[0]}" ]; then
    status=1
    keep=1
    echo "fuzz.sh: $t FAILED (exit $rc); log: $log" >&2
    grep -E 'ERROR: |SUMMARY: |invariant violated|runtime error|Test unit written' "$log" | head -20 >&2 || true
    for a in "${artifacts[@]}"; do
      [ -e "$a" ] || continue
      cp "$a" "$findings_dir/$t-$(basename "$a")"
      echo "fuzz.sh: reproducer: $findings_dir/$t-$(basename "$a")" >&2
      echo "fuzz.sh: replay with: $bin $findings_dir/$t-$(basename "$a")" >&2
    done
    break
  fi
done
[ "$keep" = 1 ] && echo "fuzz.sh: work directories kept under $work_root" >&2
exit "$status"
