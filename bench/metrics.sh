#!/usr/bin/env bash
# Scrape cost (issue 7): what Prometheus scraping a ServeWatch agent's /metrics costs, side by
# side with prometheus-blackbox-exporter's /probe, in one run, on loopback.
#
# 1. bench_metrics (bench/metrics_bench.cpp): MetricsCollector::render() over a real Monitor that
#    probed N endpoints once (SIZES, default 100,1000,5000), text and OpenMetrics, RENDERS times
#    each: median/p99 ms per render, bytes, series, bytes per series, series per endpoint.
# 2. The real agent (`servewatch run --no-history --metrics-listen 127.0.0.1:0`) probing ENDPOINTS
#    (1,000) endpoints every INTERVAL_S (5) s against nginx on 127.0.0.1. After a warm-up, ROUNDS
#    (2) × [PHASE_S (30) s without scraping, PHASE_S s with a scrape of /metrics every second]
#    (one keep-alive curl, Prometheus 2.42's Accept header, so OpenMetrics). The agent's CPU
#    (/proc/PID/stat) in both kinds of phase → CPU per scrape = (CPU with − quiet rate × time) ÷
#    scrapes; curl's time_total per scrape (median, p99) and bytes.
# 3. The peer: prometheus-blackbox-exporter 0.23 on 127.0.0.1, /probe?module=http_2xx for the same
#    ENDPOINTS targets, each once per INTERVAL_S (what a Prometheus job over them sends), for
#    INTERVAL_S × BB_PASSES s, one keep-alive curl (--rate): its CPU per /probe scrape. The agent
#    is stopped by then; nginx counts every probe (stub_status).
# Ratios: blackbox's CPU per /probe ÷ ServeWatch's per-endpoint share of one /metrics scrape; and,
# probing included, ÷ (ServeWatch's CPU per probe + that share) — each target probed once and
# exported once, as a Prometheus job with scrape_interval = INTERVAL_S would have it.
#
# Usage: bench/metrics.sh       (about 4–5 minutes on 2 cores once built)
#   env: ENDPOINTS=1000 INTERVAL_S=5 PHASE_S=30 ROUNDS=2 BB_PASSES=6 SIZES=100,1000,5000
#        RENDERS=200 BUILD_DIR=build/bench-scale (a Release build, configured here if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
ENDPOINTS=${ENDPOINTS:-1000}
INTERVAL_S=${INTERVAL_S:-5}
PHASE_S=${PHASE_S:-30}
ROUNDS=${ROUNDS:-2}
BB_PASSES=${BB_PASSES:-6}
SIZES=${SIZES:-100,1000,5000}
RENDERS=${RENDERS:-200}
BUILD_DIR=${BUILD_DIR:-build/bench-scale}
case "$ENDPOINTS$INTERVAL_S$PHASE_S$ROUNDS$BB_PASSES$RENDERS" in
  *[!0-9]*) echo "metrics.sh: ENDPOINTS, INTERVAL_S, PHASE_S, ROUNDS, BB_PASSES, RENDERS must be whole numbers" >&2; exit 64 ;;
esac
if [ "$ENDPOINTS" -lt 1 ] || [ "$INTERVAL_S" -lt 1 ] || [ "$PHASE_S" -lt 5 ] || [ "$ROUNDS" -lt 1 ] || [ "$BB_PASSES" -lt 1 ]; then
  echo "metrics.sh: need ENDPOINTS, INTERVAL_S, ROUNDS, BB_PASSES >= 1 and PHASE_S >= 5" >&2
  exit 64
fi
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY
# What Prometheus 2.42 sends (it prefers OpenMetrics).
ACCEPT='application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1'

# --- what it needs -------------------------------------------------------------------------------
missing=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
[ -x /usr/bin/prometheus-blackbox-exporter ] || missing+=(prometheus-blackbox-exporter)
command -v curl >/dev/null 2>&1 || missing+=(curl)
bench_install metrics.sh "${missing[@]}"
BLACKBOX=/usr/bin/prometheus-blackbox-exporter
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  scripts/deps.sh build >&2
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$BUILD_DIR" --target servewatch bench_metrics >/dev/null
SERVEWATCH=$BUILD_DIR/bin/servewatch
BENCH=$BUILD_DIR/bench/bench_metrics
if [ ! -x "$SERVEWATCH" ] || [ ! -x "$BENCH" ]; then
  echo "metrics.sh: no servewatch or bench_metrics in $BUILD_DIR" >&2
  exit 1
fi

# --- temporary things and cleanup ----------------------------------------------------------------
TMP=$(mktemp -d /tmp/sw-metrics.XXXXXX)
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'echo "metrics.sh: interrupted" >&2; exit 130' INT TERM
CLK_TCK=$(getconf CLK_TCK)
cpu_us() { # utime+stime of a live process (all its threads), in microseconds
  awk -v hz="$CLK_TCK" '{ s = $0; sub(/^.*\) /, "", s); split(s, f, " "); printf "%d\n", (f[12] + f[13]) * 1000000 / hz }' "/proc/$1/stat"
}
now_us() { echo $(($(date +%s%N) / 1000)); }
nginx_requests() { curl -s --max-time 5 "http://127.0.0.1:$STATUS_PORT/" | awk 'NR == 3 { print $3 }'; }
# Column 1 of a file: median and p99 (nearest rank).
pct() { sort -g "$1" | awk -v p="$2" '{ v[NR] = $1 } END { i = int(p * (NR - 1) + 0.5) + 1; print v[i] }'; }

echo "metrics.sh: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"
# What was built: the build's source tree, its commit, and whether core/ or app/ had
# uncommitted changes (a snapshot made with `git archive` may carry a SNAPSHOT note instead).
src=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$BUILD_DIR/CMakeCache.txt")
if [ -f "$src/SNAPSHOT" ]; then
  echo "  built from $src: $(cat "$src/SNAPSHOT")"
else
  echo "  built from $(git -C "$src" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$src" diff --quiet HEAD -- core app 2>/dev/null || echo ' + uncommitted changes in core/ or app/')"
fi

# --- 1. render cost in process -------------------------------------------------------------------
echo
echo "== render in process (bench_metrics, real Monitor after one probe round; $RENDERS renders per format)"
"$BENCH" --sizes "$SIZES" --renders "$RENDERS" | tee "$TMP/render.txt"

# --- 2. the agent --------------------------------------------------------------------------------
PORT=$(bench_free_port)
STATUS_PORT=$(bench_free_port)
bench_nginx_start "$TMP/nginx" "$PORT" '{"predictions":[1]}' "$STATUS_PORT" || exit 1
PIDS+=("$BENCH_NGINX_PID")
{
  echo '{"version": 1,'
  echo " \"defaults\": {\"interval\": \"${INTERVAL_S}s\", \"timeout\": \"2s\", \"proxy\": \"none\"},"
  echo ' "endpoints": ['
  for ((i = 0; i < ENDPOINTS; i++)); do
    printf '  {"id": "ep-%04d", "url": "http://127.0.0.1:%d/ep/%d"}%s\n' "$i" "$PORT" "$i" "$([ $i -lt $((ENDPOINTS - 1)) ] && echo ,)"
  done
  echo ']}'
} >"$TMP/agent.json"
"$SERVEWATCH" check-config "$TMP/agent.json" >/dev/null
"$SERVEWATCH" run --config "$TMP/agent.json" --no-history --metrics-listen 127.0.0.1:0 \
  --agent-name a --location l >"$TMP/agent.out" 2>"$TMP/agent.log" &
AGENT_PID=$!
PIDS+=("$AGENT_PID")
MPORT=
for _ in $(seq 100); do
  MPORT=$(sed -n 's#.*metrics_listen: serving http://127\.0\.0\.1:\([0-9]*\)/metrics.*#\1#p' "$TMP/agent.log" | head -1)
  [ -n "$MPORT" ] && break
  kill -0 "$AGENT_PID" 2>/dev/null || break
  sleep 0.1
done
[ -n "$MPORT" ] || { echo "metrics.sh: the agent did not serve /metrics:" >&2; cat "$TMP/agent.log" >&2; exit 1; }
METRICS="http://127.0.0.1:$MPORT/metrics"
echo
echo "== the agent: $ENDPOINTS endpoints every ${INTERVAL_S} s (nginx $BENCH_NGINX_VERSION on 127.0.0.1:$PORT), /metrics on 127.0.0.1:$MPORT"
sleep $((2 * INTERVAL_S)) # every endpoint probed at least once
curl -s -H "Accept: $ACCEPT" -D "$TMP/headers" -o "$TMP/first.om" "$METRICS"
up=$(grep -c '^probe_success{.*} 1$' "$TMP/first.om" || true)
[ "$up" = "$ENDPOINTS" ] || { echo "metrics.sh: $up of $ENDPOINTS endpoints have probe_success 1 after the warm-up" >&2; exit 1; }
grep -qi '^content-type: application/openmetrics-text' "$TMP/headers" \
  || { echo "metrics.sh: the agent did not answer OpenMetrics to Prometheus' Accept" >&2; exit 1; }

quiet_us=0 quiet_wall=0 quiet_probes=0 scrape_us=0 scrape_wall=0 scrapes=0
: >"$TMP/scrapes.txt"
for ((r = 1; r <= ROUNDS; r++)); do
  n0=$(nginx_requests); c0=$(cpu_us "$AGENT_PID"); t0=$(now_us)
  sleep "$PHASE_S"
  c1=$(cpu_us "$AGENT_PID"); t1=$(now_us); n1=$(nginx_requests)
  qu=$((c1 - c0)) qw=$((t1 - t0))
  quiet_us=$((quiet_us + qu)) quiet_wall=$((quiet_wall + qw)) quiet_probes=$((quiet_probes + n1 - n0 - 1))
  c0=$(cpu_us "$AGENT_PID"); t0=$(now_us)
  # One keep-alive connection, a scrape a second; ?n= only makes the URLs distinct for curl.
  curl -s --rate 1/s -H "Accept: $ACCEPT" -o /dev/null \
    -w '%{http_code} %{time_total} %{size_download}\n' "$METRICS?n=[1-$PHASE_S]" >"$TMP/round.txt"
  c1=$(cpu_us "$AGENT_PID"); t1=$(now_us)
  n=$(grep -c '^200 ' "$TMP/round.txt" || true)
  [ "$n" = "$PHASE_S" ] || { echo "metrics.sh: $n of $PHASE_S scrapes answered 200" >&2; exit 1; }
  cat "$TMP/round.txt" >>"$TMP/scrapes.txt"
  su=$((c1 - c0)) sw=$((t1 - t0))
  scrape_us=$((scrape_us + su)) scrape_wall=$((scrape_wall + sw)) scrapes=$((scrapes + n))
  awk -v qu="$qu" -v qw="$qw" -v su="$su" -v sw="$sw" -v n="$n" -v r="$r" 'BEGIN {
    printf "  round %d: quiet %.2f %% of a core, scraping %.2f %% → %.2f ms CPU per scrape\n",
      r, 100 * qu / qw, 100 * su / sw, (su - qu / qw * sw) / n / 1000 }'
done
kill -0 "$AGENT_PID" 2>/dev/null || { echo "metrics.sh: the agent stopped:" >&2; tail -5 "$TMP/agent.log" >&2; exit 1; }
kill -TERM "$AGENT_PID"
wait "$AGENT_PID" || true
awk '{ print $2 * 1000 }' "$TMP/scrapes.txt" >"$TMP/lat.txt"
awk '{ print $3 }' "$TMP/scrapes.txt" >"$TMP/bytes.txt"
SW_SCRAPE_MS=$(awk -v qu="$quiet_us" -v qw="$quiet_wall" -v su="$scrape_us" -v sw="$scrape_wall" -v n="$scrapes" \
  'BEGIN { printf "%.2f", (su - qu / qw * sw) / n / 1000 }')
SW_PROBE_US=$(awk -v qu="$quiet_us" -v n="$quiet_probes" 'BEGIN { printf "%.1f", qu / n }')
SW_PER_EP_US=$(awk -v ms="$SW_SCRAPE_MS" -v e="$ENDPOINTS" 'BEGIN { printf "%.2f", ms * 1000 / e }')
echo "  without scraping: $(awk -v u="$quiet_us" -v w="$quiet_wall" 'BEGIN { printf "%.2f", 100 * u / w }') % of a core, $quiet_probes probes ($SW_PROBE_US µs CPU per probe)"
echo "  with a scrape every second: $(awk -v u="$scrape_us" -v w="$scrape_wall" 'BEGIN { printf "%.2f", 100 * u / w }') % of a core"
echo "  CPU per /metrics scrape: $SW_SCRAPE_MS ms ($SW_PER_EP_US µs per endpoint), $scrapes scrapes"
echo "  scrape latency (curl time_total): median $(pct "$TMP/lat.txt" 0.5) ms, p99 $(pct "$TMP/lat.txt" 0.99) ms, max $(pct "$TMP/lat.txt" 1) ms"
echo "  bytes per scrape (OpenMetrics, identity): $(pct "$TMP/bytes.txt" 0.5)"

# --- 3. the peer: blackbox_exporter /probe -------------------------------------------------------
BB_PORT=$(bench_free_port)
bench_blackbox_start "$TMP" "$BB_PORT" || exit 1
BB_PID=$BENCH_BLACKBOX_PID
PIDS+=("$BB_PID")
BB="http://127.0.0.1:$BB_PORT/probe?module=http_2xx"
curl -s "$BB&target=http://127.0.0.1:$PORT/ep/0" | grep -q '^probe_success 1$' \
  || { echo "metrics.sh: blackbox_exporter did not probe nginx:" >&2; cat "$TMP/blackbox.log" >&2; exit 1; }
RATE=$(((ENDPOINTS + INTERVAL_S - 1) / INTERVAL_S))
TOTAL=$((ENDPOINTS * BB_PASSES))
echo
echo "== the peer: blackbox_exporter $("$BLACKBOX" --version 2>&1 | awk 'NR == 1 { print $3 }') /probe for the same $ENDPOINTS targets, each every ${INTERVAL_S} s ($RATE /probe per second, $TOTAL in all)"
curl -s --rate "$RATE/s" -o /dev/null "$BB&w=[1-200]&target=http://127.0.0.1:$PORT/ep/0" # warm-up
n0=$(nginx_requests); c0=$(cpu_us "$BB_PID"); t0=$(now_us)
curl -s --rate "$RATE/s" -o /dev/null -w '%{http_code} %{time_total} %{size_download}\n' \
  "$BB&pass=[1-$BB_PASSES]&target=http://127.0.0.1:$PORT/ep/[0-$((ENDPOINTS - 1))]" >"$TMP/bb.txt"
c1=$(cpu_us "$BB_PID"); t1=$(now_us); n1=$(nginx_requests)
ok=$(grep -c '^200 ' "$TMP/bb.txt" || true)
probed=$((n1 - n0 - 1))
if [ "$ok" != "$TOTAL" ] || [ "$probed" -lt "$TOTAL" ]; then
  echo "metrics.sh: blackbox_exporter: $ok of $TOTAL answered 200, nginx saw $probed probes" >&2
  exit 1
fi
awk '{ print $2 * 1000 }' "$TMP/bb.txt" >"$TMP/bblat.txt"
BB_US=$(awk -v u=$((c1 - c0)) -v n="$TOTAL" 'BEGIN { printf "%.1f", u / n }')
echo "  CPU: $(awk -v u=$((c1 - c0)) -v w=$((t1 - t0)) 'BEGIN { printf "%.2f", 100 * u / w }') % of a core; $BB_US µs per /probe scrape (probe included); nginx saw $probed probes"
echo "  /probe latency (curl time_total): median $(pct "$TMP/bblat.txt" 0.5) ms, p99 $(pct "$TMP/bblat.txt" 0.99) ms; bytes per /probe $(awk '{ print $3 }' "$TMP/bb.txt" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')"

# --- ratios --------------------------------------------------------------------------------------
RENDER_US=$(awk -v n="$ENDPOINTS" '$2 == n && $4 == "openmetrics" { print $22 }' "$TMP/render.txt")
echo
echo "== side by side, per target (same run, load $(cut -d' ' -f1-3 /proc/loadavg))"
printf '  %-62s %10s\n' "ServeWatch /metrics scrape, share of one endpoint (agent CPU)" "$SW_PER_EP_US µs"
[ -z "$RENDER_US" ] || printf '  %-62s %10s\n' "ServeWatch render() alone, OpenMetrics, per endpoint (bench_metrics)" "$RENDER_US µs"
printf '  %-62s %10s\n' "ServeWatch probe + one export (CPU per probe + share of a scrape)" "$(awk -v a="$SW_PROBE_US" -v b="$SW_PER_EP_US" 'BEGIN { printf "%.1f", a + b }') µs"
printf '  %-62s %10s\n' "blackbox_exporter /probe scrape (probe + render)" "$BB_US µs"
awk -v bb="$BB_US" -v s="$SW_PER_EP_US" -v p="$SW_PROBE_US" 'BEGIN {
  printf "  ratio, export only:     blackbox /probe ÷ ServeWatch per-endpoint scrape share = %.1fx\n", bb / s
  printf "  ratio, probe + export:  blackbox /probe ÷ ServeWatch (probe + share)          = %.2fx\n", bb / (p + s) }'
