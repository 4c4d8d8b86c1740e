#!/usr/bin/env bash
# History: 100 endpoints × 30 days every 30 s (≈ 8.64 million results) generated into a real
# database through HistoryStore (bench_history: insert rate, bytes per result, uptime and
# timeline queries, beside a naive one-row-per-result table as the peer; then INSERT_RUNS - 1
# more generations without the peer, for the median insert rate), then the dashboard
# started on that database STARTUP_RUNS times (bench_startup: process start to the first paint of
# the main window), median reported. The display: xvfb-run when it is installed, else
# QT_QPA_PLATFORM=offscreen (SW_STARTUP_PLATFORM=offscreen forces it).
#
# Usage: bench/history.sh [STARTUP_RUNS]     (default 7)
# Env:   ENDPOINTS (100) DAYS (30) INTERVAL_S (30) QUERIES (200) NO_PEER=1 INSERT_RUNS (3)
#        SW_BUILD_DIR (build/bench, a Release build made here if needed)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
runs=${1:-7}
build=${SW_BUILD_DIR:-build/bench}

scripts/deps.sh build >/dev/null
if [ ! -f "$build/build.ninja" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$build" --target bench_history bench_startup >/dev/null

tmp=$(mktemp -d /tmp/sw-history.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"
peer=()
[ -z "${NO_PEER:-}" ] || peer=(--no-peer)
"$root/$build/bench/bench_history" --endpoints "${ENDPOINTS:-100}" --days "${DAYS:-30}" \
  --interval-s "${INTERVAL_S:-30}" --queries "${QUERIES:-200}" --db "$tmp/history.db" \
  --write-config "$tmp/servewatch.json" "${peer[@]}" | tee "$tmp/history.txt"
for ((r = 2; r <= ${INSERT_RUNS:-3}; r++)); do
  "$root/$build/bench/bench_history" --endpoints "${ENDPOINTS:-100}" --days "${DAYS:-30}" \
    --interval-s "${INTERVAL_S:-30}" --queries 20 --no-peer --db "$tmp/again.db" \
    | grep '^insert rate:' | tee -a "$tmp/history.txt"
  rm -f "$tmp"/again.db*
done
sed -n 's/^insert rate: *\([0-9]*\) results.*/\1/p' "$tmp/history.txt" | sort -n \
  | awk '{ v[NR] = $1 } END { m = v[int((NR + 1) / 2)]; printf "insert rate: median %d results/s per CPU second of %d runs (min %d, max %d)  (target >= 100000: %s)\n", m, NR, v[1], v[NR], (m >= 100000 ? "met" : "MISSED") }'

# Startup: fresh settings each time (no saved layout), the generated database, a config of the
# same endpoint ids on a closed loopback port probed once an hour.
launch=()
if [ "${SW_STARTUP_PLATFORM:-}" != offscreen ] && command -v xvfb-run >/dev/null; then
  launch=(xvfb-run -a -s "-screen 0 1600x1000x24")
else
  export QT_QPA_PLATFORM=offscreen
fi
echo "startup (${launch[0]:-QT_QPA_PLATFORM=offscreen}, $runs runs, $(du -m "$tmp/history.db" | cut -f1) MiB database, warm page cache):"
: >"$tmp/startup.txt"
for ((r = 1; r <= runs; r++)); do
  rm -rf "$tmp/xdg"
  mkdir -p "$tmp/xdg/config" "$tmp/xdg/data" "$tmp/xdg/cache"
  shot=()
  [ "$r" -ne 1 ] || shot=(--screenshot "${SW_STARTUP_SCREENSHOT:-$tmp/startup.png}")
  line=$(XDG_CONFIG_HOME=$tmp/xdg/config XDG_DATA_HOME=$tmp/xdg/data XDG_CACHE_HOME=$tmp/xdg/cache \
    "${launch[@]}" "$root/$build/bench/bench_startup" --config "$tmp/servewatch.json" \
    --db "$tmp/history.db" "${shot[@]}" 2>>"$tmp/startup.err") \
    || { echo "bench_startup failed:" >&2; cat "$tmp/startup.err" >&2; exit 1; }
  echo "  $line"
  echo "$line" >>"$tmp/startup.txt"
done
summary() { # label, field pattern
  sed -n "s/.*$2 \\([0-9.]*\\) ms.*/\\1/p" "$tmp/startup.txt" | sort -n \
    | awk -v what="$1" '{ v[NR] = $1 } END { m = v[int((NR + 1) / 2)]; printf "%s: median %.0f ms of %d (min %.0f, max %.0f)  (target < 1500 ms: %s)\n", what, m, NR, v[1], v[NR], (m < 1500 ? "met" : "MISSED") }'
}
summary "startup to a painted window" "process start->painted"
summary "startup to a settled list (every row's history read)" "list settled"
