#!/usr/bin/env bash
# CPU per probe, side by side on loopback (issue 5, item 1): ServeWatch's headless engine
# (`servewatch run`, without and with history), prometheus-blackbox-exporter (its process CPU per
# /probe), curl run once per probe (fork/exec, the shell-script baseline) and a minimal C loop
# (bench/c_floor.c: connect/send/read/close, the floor on this machine), all probing one nginx
# that answers a fixed JSON body, each probe on a fresh TCP connection.
#
# Each round runs every contender once (order rotated per round); the table shows medians over
# the rounds and, per contender, the median of its per-round ratio to ServeWatch.
#   ServeWatch and blackbox_exporter: RATE probes/s for WINDOW s, CPU of their own process
#     (/proc/PID/stat utime+stime) over the window, probes counted by nginx (stub_status), after
#     a warm-up; the exporter is driven by one curl with keep-alive (--rate), whose CPU is not
#     counted.
#   C floor: RATE*WINDOW probes paced at RATE, as a scheduler would (getrusage of the loop
#     itself); also once back to back without pacing (no sleep/wake-up per probe: the absolute
#     floor, shown for reference). The 3x target is checked against the paced floor (same rate).
#   curl: CURL_PROBES probes one after the other (CPU of the children: `times`).
# Targets: ServeWatch <= 1/5 of blackbox_exporter's CPU per probe, and <= 3x the C floor.
#
# Usage: bench/cpu-per-probe.sh [ROUNDS]     (default 5)
#   env: RATE=250 WINDOW=20 CURL_PROBES=500 BUILD_DIR=build/bench-cpu
# Installs nginx, prometheus-blackbox-exporter, curl and gcc from Debian if missing (as root or
# through sudo); starts everything on 127.0.0.1 with temporary configs and stops it on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
ROUNDS=${1:-5}
RATE=${RATE:-250}
WINDOW=${WINDOW:-20}
CURL_PROBES=${CURL_PROBES:-500}
BUILD_DIR=${BUILD_DIR:-build/bench-cpu}
WARMUP=4 # s before a ServeWatch window: first slots are spread over the 1 s interval
PROBES=$((RATE * WINDOW))
case "$ROUNDS$RATE$WINDOW$CURL_PROBES" in
  *[!0-9]*) echo "cpu-per-probe: ROUNDS, RATE, WINDOW and CURL_PROBES must be whole numbers" >&2; exit 64 ;;
esac
if [ "$ROUNDS" -lt 1 ] || [ "$RATE" -lt 1 ] || [ "$RATE" -gt 1024 ] || [ "$WINDOW" -lt 2 ] || [ "$CURL_PROBES" -lt 1 ]; then
  echo "cpu-per-probe: need ROUNDS >= 1, 1 <= RATE <= 1024, WINDOW >= 2, CURL_PROBES >= 1" >&2
  exit 64
fi
# Loopback only: no proxy for anyone.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY

# --- what it needs -------------------------------------------------------------------------------
missing=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
[ -x /usr/bin/prometheus-blackbox-exporter ] || missing+=(prometheus-blackbox-exporter)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v gcc >/dev/null 2>&1 || missing+=(gcc libc6-dev)
bench_install cpu-per-probe "${missing[@]}"
BLACKBOX=/usr/bin/prometheus-blackbox-exporter

if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  scripts/deps.sh build >&2
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$BUILD_DIR" --target servewatch >/dev/null
SERVEWATCH=$(find "$BUILD_DIR" -name servewatch -type f -perm -u+x -path '*bin*' | head -1)
[ -x "$SERVEWATCH" ] || { echo "cpu-per-probe: no servewatch binary under $BUILD_DIR" >&2; exit 1; }

# --- temporary things and cleanup ----------------------------------------------------------------
TMP=$(mktemp -d /tmp/sw-cpu-per-probe.XXXXXX)
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'echo "cpu-per-probe: interrupted" >&2; exit 130' INT TERM
forget_pid() { # the pid ended and was waited for: don't signal whoever reuses it
  local keep=() p
  for p in "${PIDS[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done
  PIDS=("${keep[@]}")
}

free_port() { bench_free_port || exit 1; }
wait_port() { # PORT NAME PID
  for _ in $(seq 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return; fi
    kill -0 "$3" 2>/dev/null || break
    sleep 0.1
  done
  echo "cpu-per-probe: $2 did not start on 127.0.0.1:$1" >&2
  cat "$TMP"/*.log >&2 2>/dev/null || true
  exit 1
}
CLK_TCK=$(getconf CLK_TCK)
cpu_us() { # utime+stime of a live process (all its threads), in microseconds
  awk -v hz="$CLK_TCK" '{ s = $0; sub(/^.*\) /, "", s); split(s, f, " "); printf "%d\n", (f[12] + f[13]) * 1000000 / hz }' "/proc/$1/stat"
}
nginx_requests() { # requests nginx has served so far (this read included)
  curl -s --max-time 5 "http://127.0.0.1:$STATUS_PORT/" | awk 'NR == 3 { print $3 }'
}

# --- the target: nginx --------------------------------------------------------------------------
PORT=$(free_port)
STATUS_PORT=$(free_port)
bench_nginx_start "$TMP/nginx" "$PORT" '{"predictions":[1]}' "$STATUS_PORT" || exit 1
PIDS+=("$BENCH_NGINX_PID")
TARGET="http://127.0.0.1:$PORT/predict"
[ "$(curl -s --max-time 5 "$TARGET")" = '{"predictions":[1]}' ] || { echo "cpu-per-probe: nginx answers wrongly" >&2; exit 1; }

# --- the contenders' setup -----------------------------------------------------------------------
gcc -O2 -o "$TMP/c_floor" bench/c_floor.c

BB_PORT=$(free_port)
bench_blackbox_start "$TMP" "$BB_PORT" || exit 1
BB_PID=$BENCH_BLACKBOX_PID
PIDS+=("$BB_PID")
BB_URL="http://127.0.0.1:$BB_PORT/probe?module=http_2xx&target=$TARGET"

{
  echo '{"version": 1, "settings": {"max_concurrent_probes": 256},'
  echo ' "defaults": {"interval": "1s", "timeout": "1s", "connect_timeout": "1s", "proxy": "none"},'
  echo ' "endpoints": ['
  for ((i = 0; i < RATE; i++)); do
    printf '  {"id": "nginx-%d", "url": "%s"}%s\n' "$i" "$TARGET" "$([ $i -lt $((RATE - 1)) ] && echo ,)"
  done
  echo ']}'
} >"$TMP/servewatch.json"
"$SERVEWATCH" check-config "$TMP/servewatch.json" >/dev/null

# --- one measurement per contender: prints "PROBES CPU_US" ---------------------------------------
run_servewatch() { # [history]
  local args=(--no-history) pid c0 c1 n0 n1
  if [ "${1:-}" = history ]; then
    rm -rf "$TMP/db" && mkdir -p "$TMP/db"
    args=(--db "$TMP/db/history.sqlite")
  fi
  "$SERVEWATCH" run --config "$TMP/servewatch.json" "${args[@]}" --duration $((WARMUP + WINDOW + 2)) \
    >"$TMP/servewatch.out" 2>"$TMP/servewatch.log" &
  pid=$!
  PIDS+=("$pid")
  sleep "$WARMUP"
  kill -0 "$pid" 2>/dev/null || { echo "cpu-per-probe: servewatch stopped early:" >&2; cat "$TMP/servewatch.log" >&2; exit 1; }
  n0=$(nginx_requests); c0=$(cpu_us "$pid")
  sleep "$WINDOW"
  c1=$(cpu_us "$pid"); n1=$(nginx_requests)
  wait "$pid" || { echo "cpu-per-probe: servewatch failed:" >&2; tail -5 "$TMP/servewatch.log" >&2; exit 1; }
  forget_pid "$pid"
  # Every endpoint goes unknown -> up once; any other transition means a probe failed.
  if grep -qE ' transition: [^ ]+ [a-z]+ -> [^u]' "$TMP/servewatch.log"; then
    echo "cpu-per-probe: servewatch saw failures:" >&2; grep -m3 -E ' transition: [^ ]+ [a-z]+ -> [^u]' "$TMP/servewatch.log" >&2; exit 1
  fi
  echo "$((n1 - n0 - 1)) $((c1 - c0))"
}
run_blackbox() {
  local c0 c1 n0 n1 ok
  n0=$(nginx_requests); c0=$(cpu_us "$BB_PID")
  # One keep-alive connection to the exporter, as Prometheus scrapes; &n=[..] only makes the
  # URLs distinct for curl's globbing (the exporter ignores it).
  ok=$(curl -s --max-time $((WINDOW * 3 + 30)) --rate "$RATE/s" "$BB_URL&n=[1-$PROBES]" | grep -c '^probe_success 1$' || true)
  c1=$(cpu_us "$BB_PID"); n1=$(nginx_requests)
  [ "$ok" = "$PROBES" ] || { echo "cpu-per-probe: blackbox_exporter: $ok of $PROBES probes succeeded" >&2; tail -5 "$TMP/blackbox.log" >&2; exit 1; }
  echo "$((n1 - n0 - 1)) $((c1 - c0))"
}
run_curl() {
  local n0 n1 out ok cpu
  n0=$(nginx_requests)
  out=$(bash -c 'for ((i = 0; i < $1; i++)); do curl -s -o /dev/null -w "%{http_code}\n" "$2"; done >"$3"; times' \
    _ "$CURL_PROBES" "$TARGET" "$TMP/curl.codes")
  n1=$(nginx_requests)
  ok=$(grep -c '^200$' "$TMP/curl.codes" || true)
  [ "$ok" = "$CURL_PROBES" ] || { echo "cpu-per-probe: curl: $ok of $CURL_PROBES probes got 200" >&2; exit 1; }
  # `times`: line 2 is the children's user and system time, as 0m1.234s 0m0.567s
  cpu=$(echo "$out" | awk 'NR == 2 { t = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); t += a[1] * 60 + a[2] } printf "%d\n", t * 1000000 }')
  echo "$((n1 - n0 - 1)) $cpu"
}
run_c_floor() { # [RATE]: 0 = back to back
  local n0 n1 out
  n0=$(nginx_requests)
  out=$("$TMP/c_floor" 127.0.0.1 "$PORT" /predict "$PROBES" "${1:-$RATE}") || { echo "cpu-per-probe: c_floor: $out" >&2; exit 1; }
  n1=$(nginx_requests)
  echo "$((n1 - n0 - 1)) $(echo "$out" | sed -n 's/.*cpu_us=\([0-9]*\).*/\1/p')"
}

CONTENDERS=(servewatch servewatch_history blackbox curl c_floor c_floor_b2b)
LABELS=("ServeWatch run --no-history" "ServeWatch run --db (history)" "blackbox_exporter /probe"
  "curl per probe (fork/exec)" "C floor, paced (same rate)" "C floor, back to back (reference)")
measure() {
  case "$1" in
    servewatch) run_servewatch ;;
    servewatch_history) run_servewatch history ;;
    blackbox) run_blackbox ;;
    curl) run_curl ;;
    c_floor) run_c_floor ;;
    c_floor_b2b) run_c_floor 0 ;;
  esac
}

echo "cpu-per-probe: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(uname -r), $(date -u +%Y-%m-%dT%H:%MZ)"
echo "  nginx $BENCH_NGINX_VERSION, blackbox_exporter $("$BLACKBOX" --version 2>&1 | awk 'NR == 1 { print $3 }'), $(curl --version | head -1 | cut -d' ' -f1-2), $(gcc --version | head -1)"
echo "  target $TARGET; $ROUNDS rounds; ServeWatch ($RATE endpoints at 1 s), blackbox and C floor at $RATE probes/s for ${WINDOW} s; curl $CURL_PROBES probes back to back"

# Warm-up (not counted): page cache, the exporter's first probes, nginx.
"$TMP/c_floor" 127.0.0.1 "$PORT" /predict 200 >/dev/null
curl -s --rate "$RATE/s" "$BB_URL&n=[1-200]" >/dev/null
for ((i = 0; i < 20; i++)); do curl -s -o /dev/null "$TARGET"; done

declare -A PROBES_OF CPU_OF PER_OF
for ((r = 0; r < ROUNDS; r++)); do
  line="  round $((r + 1)):"
  for ((k = 0; k < ${#CONTENDERS[@]}; k++)); do
    c=${CONTENDERS[$(((k + r) % ${#CONTENDERS[@]}))]}
    measure "$c" >"$TMP/result"
    read -r n us <"$TMP/result"
    [ "$n" -gt 0 ] || { echo "cpu-per-probe: $c made no probes" >&2; exit 1; }
    PROBES_OF[$c,$r]=$n
    CPU_OF[$c,$r]=$us
    PER_OF[$c,$r]=$(awk -v u="$us" -v n="$n" 'BEGIN { printf "%.2f", u / n }')
    line+=" $c ${PER_OF[$c,$r]}"
  done
  echo "$line  (µs CPU/probe)"
done

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
col() { # CONTENDER ARRAY-NAME
  local -n arr=$2
  local out=() r
  for ((r = 0; r < ROUNDS; r++)); do out+=("${arr[$1,$r]}"); done
  echo "${out[*]}"
}
ratio() { # A B: median over the rounds of A's µs/probe divided by B's in the same round
  local r
  for ((r = 0; r < ROUNDS; r++)); do
    awk -v a="${PER_OF[$1,$r]}" -v b="${PER_OF[$2,$r]}" 'BEGIN { printf "%.4f ", a / b }'
  done | median
}

echo
printf '%-36s %8s %8s %14s %16s %12s\n' contender probes "CPU s" "µs CPU/probe" "(min-max)" "vs ServeWatch"
declare -A MED
for ((k = 0; k < ${#CONTENDERS[@]}; k++)); do
  c=${CONTENDERS[$k]}
  n=$(col "$c" PROBES_OF | median)
  s=$(col "$c" CPU_OF | median)
  p=$(col "$c" PER_OF | median)
  MED[$c]=$p
  range=$(col "$c" PER_OF | tr ' ' '\n' | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%s-%s", lo, hi }')
  ratio=$(ratio "$c" servewatch)
  printf '%-36s %8.0f %8.3f %14.1f %16s %11.2fx\n' "${LABELS[$k]}" "$n" "$(awk -v s="$s" 'BEGIN { print s / 1e6 }')" "$p" "$range" "$ratio"
done
echo "(medians of $ROUNDS rounds; probes and CPU s per round; ratio = median of the per-round ratios)"

echo
verdict() { awk -v v="$1" -v lim="$2" 'BEGIN { print (v <= lim) ? "met" : "MISSED" }'; }
bb=$(ratio blackbox servewatch)
fl=$(ratio servewatch c_floor)
printf 'target: ServeWatch <= 1/5 of blackbox_exporter per probe: blackbox/ServeWatch = %5.2fx (need >= 5): %s\n' \
  "$bb" "$(verdict "$(awk -v r="$bb" 'BEGIN { print 5 / r }')" 1)"
printf 'target: ServeWatch within 3x of the C floor:                ServeWatch/C floor = %5.2fx (need <= 3): %s\n' \
  "$fl" "$(verdict "$fl" 3)"
printf 'with history (--db):                                        blackbox/ServeWatch = %5.2fx, ServeWatch/C floor = %5.2fx\n' \
  "$(ratio blackbox servewatch_history)" "$(ratio servewatch_history c_floor)"
printf 'for reference: ServeWatch / back-to-back C floor = %5.2fx (no sleep and wake-up per probe)\n' \
  "$(ratio servewatch c_floor_b2b)"
