#!/usr/bin/env bash
# Scale: the headless agent (servewatch run) probing 5,000 endpoints every 10 s for 150 s,
# history on (a temporary database), against nginx on 127.0.0.1 (started here with its own
# config and port: a fixed JSON body, access log off; stopped again on any exit).
# Beside the agent, in the same run, a bare C timer loop (bench/timer_floor.c, a wake-up every
# 10 ms) measures how late anything on this shared machine wakes: the floor for lateness.
# Prints per run: schedule lateness p50/p90/p99/p99.9/max (the agent's summary), CPU of the
# agent as % of one core (steady state: after the first interval; and over the whole run), its
# max RSS, probes started vs expected, skipped while busy, results dropped or missing from the
# database, failed probes, and database bytes per result; then the medians over the runs.
#
# Usage: bench/scale.sh [RUNS]              (default 3)
# Env:   ENDPOINTS (5000) INTERVAL_S (10) DURATION_S (150) CONCURRENCY (the default, 64)
#        SW_BUILD_DIR (build/bench, a Release build made here if needed)
#        SW_BIN (another servewatch binary to measure, e.g. a build from before a change)
#        DOWN=1: no nginx; every endpoint on a closed loopback port (all down: connection
#        refused, diagnosis and follow-ups for every probe)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
. bench/lib.sh
runs=${1:-3}
endpoints=${ENDPOINTS:-5000}
interval=${INTERVAL_S:-10}
duration=${DURATION_S:-150}
concurrency=${CONCURRENCY:-}
build=${SW_BUILD_DIR:-build/bench}

# What this needs: the build tools, nginx (the target), sqlite3 (to count what was stored).
scripts/deps.sh build >/dev/null
need=()
[ -x /usr/sbin/nginx ] || need+=(nginx)
command -v sqlite3 >/dev/null || need+=(sqlite3)
command -v ss >/dev/null || need+=(iproute2)
bench_install scale "${need[@]}"

if [ ! -f "$build/build.ninja" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$build" --target servewatch >/dev/null
bin=${SW_BIN:-$root/$build/bin/servewatch}
[ -x "$bin" ] || { echo "scale: no servewatch binary at $bin" >&2; exit 1; }

tmp=$(mktemp -d /tmp/sw-scale.XXXXXX)
gcc -O2 -o "$tmp/timer_floor" bench/timer_floor.c -lm
nginx_pid=
agent_pid=
sampler_pid=
floor_pid=
cleanup() {
  for pid in $floor_pid $sampler_pid $agent_pid $nginx_pid; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in $floor_pid $sampler_pid $agent_pid $nginx_pid; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A free port for nginx (with DOWN=1 it stays closed).
port=${NGINX_PORT:-18480}
while [ -n "$(ss -Hltn "sport = :$port")" ]; do port=$((port + 1)); done

# nginx (not with DOWN=1: then the port stays closed).
if [ -z "${DOWN:-}" ]; then
# keepalive_timeout 75s: nginx's default, as this benchmark always ran.
bench_nginx_start "$tmp/nginx" "$port" '{"predictions":[[0.12,0.88]]}\n' "" 75s || exit 1
nginx_pid=$BENCH_NGINX_PID
curl -fsS -o /dev/null -X POST -d '{}' "http://127.0.0.1:$port/predict" \
  || { echo "scale: nginx did not start:" >&2; cat "$tmp/nginx/error.log" >&2; exit 1; }
fi

# The config: every endpoint a POST /predict with a small JSON body and a JSON check.
{
  printf '{"version": 1,\n'
  [ -z "$concurrency" ] || printf ' "settings": {"max_concurrent_probes": %d},\n' "$concurrency"
  printf ' "defaults": {"interval": "%ss", "timeout": "5s", "method": "POST",' "$interval"
  printf ' "body": {"instances": [[1, 2, 3, 4]]}, "expect_json": ["/predictions"]},\n'
  printf ' "endpoints": [\n'
  for ((i = 0; i < endpoints; i++)); do
    [ "$i" -eq 0 ] || printf ',\n'
    printf '  {"id": "ep-%05d", "url": "http://127.0.0.1:%d/predict"}' "$i" "$port"
  done
  printf '\n]}\n'
} >"$tmp/scale.json"
"$bin" check-config "$tmp/scale.json" >/dev/null

hz=$(getconf CLK_TCK)
now_ms() { echo $(($(date +%s%N) / 1000000)); }
# Every second: elapsed ms, utime+stime ticks, VmHWM kB of the agent.
sample() {
  local pid=$1 start=$2 out=$3 ticks hwm
  while ticks=$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null) \
    && hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status" 2>/dev/null) && [ -n "$hwm" ]; do
    echo "$(($(now_ms) - start)) $ticks $hwm" >>"$out"
    sleep 1
  done
}

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"
if [ -z "${DOWN:-}" ]; then
  target="nginx $BENCH_NGINX_VERSION on 127.0.0.1:$port"
else
  target="127.0.0.1:$port closed (all down)"
fi
echo "scale: $endpoints endpoints every ${interval} s for ${duration} s, $target, concurrency ${concurrency:-default}"
printf '%-4s %8s %8s %8s %8s %8s %7s %7s %8s %9s %9s %6s %8s %8s %6s %8s %9s %9s\n' \
  run p50_ms p90_ms p99_ms p999_ms max_ms cpu% cpu_all rss_MiB started expected skip dropped missing failed B/result floor_p99 floor_max
results=()
for ((r = 1; r <= runs; r++)); do
  rm -f "$tmp"/history.db* "$tmp/samples" "$tmp/agent.log"
  start=$(now_ms)
  "$bin" run --config "$tmp/scale.json" --db "$tmp/history.db" --duration "$duration" \
    --log-format json 2>"$tmp/agent.log" &
  agent_pid=$!
  sample "$agent_pid" "$start" "$tmp/samples" &
  sampler_pid=$!
  "$tmp/timer_floor" "$((duration - 1))" 10 >"$tmp/floor.txt" &
  floor_pid=$!
  rc=0
  wait "$agent_pid" || rc=$?
  agent_pid=
  wait "$sampler_pid" 2>/dev/null || true
  sampler_pid=
  wait "$floor_pid" || true
  floor_pid=
  if [ "$rc" -ne 0 ]; then
    echo "scale: the agent exited with $rc:" >&2
    tail -20 "$tmp/agent.log" >&2
    exit 1
  fi
  stop=$(grep '"type":"stop"' "$tmp/agent.log" | tail -1)
  field() { sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p" <<<"$stop"; }
  # CPU: steady state from the first sample after one interval (the first probes are spread
  # over it, and the config is loaded before) to the last one; and from process start.
  cpu=$(awk -v warm=$((interval * 1000 + 2000)) -v hz="$hz" '
    $1 >= warm && !a { a = 1; t0 = $1; c0 = $2 }
    { t1 = $1; c1 = $2 }
    END { if (a && t1 > t0) printf "%.1f", 100 * (c1 - c0) / hz / ((t1 - t0) / 1000); else print "n/a" }' "$tmp/samples")
  cpu_all=$(awk -v hz="$hz" '{ t1 = $1; c1 = $2 } END { printf "%.1f", 100 * c1 / hz / (t1 / 1000) }' "$tmp/samples")
  rss=$(awk '{ if ($3 > m) m = $3 } END { printf "%.1f", m / 1024 }' "$tmp/samples")
  stored=$(sqlite3 "$tmp/history.db" 'SELECT count(*) FROM results')
  failed=$(sqlite3 "$tmp/history.db" "SELECT count(*) FROM results r JOIN classes c ON c.id = r.cls WHERE c.name NOT IN ('ok')")
  bytes=$(($(stat -c %s "$tmp/history.db") + $(stat -c %s "$tmp/history.db-wal" 2>/dev/null || echo 0)))
  started=$(field probes)
  # Every endpoint's first slot is at a random point of its first interval, then one per interval.
  expected=$((endpoints * duration / interval))
  # Started but neither stored nor still running when the agent stopped: lost.
  missing=$((started - $(field in_flight) - stored))
  bpr=$(awk -v b="$bytes" -v n="$stored" 'BEGIN { printf "%.1f", n ? b / n : 0 }')
  floor_p99=$(sed -n 's/.* p99 \([0-9.]*\) .*/\1/p' "$tmp/floor.txt")
  floor_max=$(sed -n 's/.* max \([0-9.]*\).*/\1/p' "$tmp/floor.txt")
  line=$(printf '%-4s %8s %8s %8s %8s %8s %7s %7s %8s %9s %9s %6s %8s %8s %6s %8s %9s %9s' \
    "$r" "$(field lateness_p50_ms)" "$(field lateness_p90_ms)" "$(field lateness_p99_ms)" \
    "$(field lateness_p999_ms)" "$(field max_lateness_ms)" "$cpu" "$cpu_all" "$rss" \
    "$started" "$expected" "$(field skipped_busy)" "$(field results_dropped)" "$missing" \
    "$failed" "$bpr" "${floor_p99:-n/a}" "${floor_max:-n/a}")
  echo "$line"
  results+=("$line")
done
# Medians per column (the middle run; the lower middle for an even count).
printf '%s\n' "${results[@]}" | awk '
  { for (i = 2; i <= NF; i++) v[i, NR] = $i; n = NR; nf = NF }
  END {
    printf "%-4s", "med"
    for (i = 2; i <= nf; i++) {
      for (j = 1; j <= n; j++) a[j] = v[i, j]
      for (j = 2; j <= n; j++) { x = a[j]; k = j - 1; while (k >= 1 && a[k] + 0 > x + 0) { a[k + 1] = a[k]; k-- } a[k + 1] = x }
      printf " %" (i <= 6 ? 8 : (i <= 8 ? 7 : (i <= 9 ? 8 : (i <= 11 ? 9 : (i == 12 ? 6 : (i == 15 ? 6 : (i >= 17 ? 9 : 8))))))) "s", a[int((n + 1) / 2)]
    }
    printf "\n"
  }'
echo "targets: p99 lateness < 100 ms, CPU < 60 % of one core, RSS < 250 MiB, 0 skipped/dropped/missing"
echo "lateness: upper bounds of the scheduler's histogram buckets (max exact); cpu%: steady state after the first interval, cpu_all: from process start"
echo "missing: started - still running at the stop - stored; failed: stored probes not ok"
echo "floor_p99/floor_max: lateness (ms) of a bare C timer loop (10 ms period) in the same run: what the machine itself adds"
