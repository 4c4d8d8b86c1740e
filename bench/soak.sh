#!/usr/bin/env bash
# Soak: the headless agent (servewatch run, history on) probing flapping endpoints on loopback
# for MINUTES at RATE probes/s, sampled every 10 s. Looks for leaks: open descriptors, RSS,
# timers, objects, probes in flight, scheduler items, DNS lookups and the history queue must not
# grow once the agent is warm.
#
# Targets (all `servewatch demo-server` on 127.0.0.1, started and stopped here):
#   flap     scenario "flap": ok and 503 loading alternate per request
#   cycle-a  switched every 3 s: ok -> loading -> slow:300 -> reset -> ok ...
#   cycle-b  switched every 3 s: ok -> hang (the probe times out) -> empty_reply -> ok ...
#   bounce   up 4 s, then its process is stopped for 4 s (connection refused), and again
# The endpoints (RATE x 2 of them, interval 2 s, timeout 1 s, POST /predict) are spread over the
# four. The agent logs its own "stats" line every 10 s (--stats-interval, app/cli/agentstats.h);
# beside it this script reads /proc/PID/fd and VmRSS itself.
#
# Usage: bench/soak.sh [MINUTES] [RATE]       (default 30 and 200; MINUTES=2 is a quick run)
#        bench/soak.sh --analyse DIR [MINUTES] [RATE]   (the figures again, of a run kept in DIR)
# Env:   SERVEWATCH_BIN (a servewatch binary; else build/dev/bin/servewatch, built with the dev
#        preset if missing), SOAK_DIR (keep the files there instead of a temporary directory)
# Prints first/warm/last/max of every figure (warm = the sample at minute 2, or at a third of a
# shorter run), the growth after warm-up, the probe rate achieved, and PASS/FAIL:
#   fds: the floor of (fds - inflight) over the last third of the samples after warm-up at most
#   2 above its floor over the first third (a running probe holds its socket, and how many run
#   moves with the flapping); RSS: last - warm < 10 MiB; timers, objects, inflight, scheduled,
#   lookups, queue: the max of the last third <= 1.25 x the max of the first third after warm-up
#   + 2 (they move with the flapping; a leak keeps climbing); >= 80 % of the target rate.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
analyse_only=
if [ "${1:-}" = --analyse ]; then
  # Only the analysis of a run kept with SOAK_DIR: bench/soak.sh --analyse DIR [MINUTES] [RATE]
  analyse_only=$2
  shift 2
fi
minutes=${1:-30}
rate=${2:-200}
interval=2
endpoints=$((rate * interval))
duration=$((minutes * 60))

# The figures of a run in $tmp (agent.log, samples): table, growth, rate, PASS/FAIL.
analyse() {
  # The agent's own lines: "<ts> stats: fds=.. rss_kib=.. timers=.. ..." -> columns.
  grep ' stats: ' "$tmp/agent.log" | sed 's/.* stats: //' >"$tmp/stats"
  [ -s "$tmp/stats" ] || { echo "soak: FAIL: no stats lines" >&2; return 1; }
  warm_s=120
  [ "$duration" -ge 360 ] || warm_s=$((duration / 3))

  awk -v warm_s="$warm_s" -v rate="$rate" -v ext="$tmp/samples" '
    FILENAME == ext { ext_t[FNR] = $1; ext_fd[FNR] = $2; ext_rss[FNR] = $3; next_ext = FNR; next }
    {
      n++
      for (i = 1; i <= NF; i++) {
        split($i, kv, "=")
        v[kv[1], n] = kv[2]
        if (n == 1) names[++k] = kv[1]
      }
    }
    function median(f, g, from, to,    m, i, j, x, tmp) {
      m = 0
      for (i = from; i <= to; i++) tmp[++m] = v[f, i] - v[g, i]
      for (i = 2; i <= m; i++) { x = tmp[i]; for (j = i - 1; j >= 1 && tmp[j] > x; j--) tmp[j + 1] = tmp[j]; tmp[j + 1] = x }
      return m ? tmp[int((m + 1) / 2)] : 0
    }
    BEGIN { rest[1] = "fds"; rest[2] = "objects"; rest[3] = "timers" }
    END {
      # The agent logs every 10 s: sample i is at 10*i s.
      w = int(warm_s / 10); if (w < 1) w = 1; if (w > n) w = n
      printf "%-10s %10s %10s %10s %10s %10s\n", "figure", "first", "warm", "last", "max", "growth"
      for (j = 1; j <= k; j++) {
        f = names[j]; mx = v[f, 1]
        for (i = 1; i <= n; i++) if (v[f, i] + 0 > mx + 0) mx = v[f, i]
        printf "%-10s %10s %10s %10s %10s %10d\n", f, v[f, 1], v[f, w], v[f, n], mx, v[f, n] - v[f, w]
      }
      if (next_ext > 0) {
        we = 1; for (i = 1; i <= next_ext; i++) if (ext_t[i] <= warm_s) we = i
        printf "%-10s %10s %10s %10s %10s %10d   (ls /proc/PID/fd)\n", "ext_fds", ext_fd[1], ext_fd[we], ext_fd[next_ext], "-", ext_fd[next_ext] - ext_fd[we]
        printf "%-10s %10s %10s %10s %10s %10d   (VmRSS KiB)\n", "ext_rss", ext_rss[1], ext_rss[we], ext_rss[next_ext], "-", ext_rss[next_ext] - ext_rss[we]
      }
      secs = (n - 1) * 10
      achieved = secs > 0 ? (v["probes", n] - v["probes", 1]) / secs : 0
      printf "\nprobes/s achieved: %.1f (target %s) over %d s of stats\n", achieved, rate, secs
      fail = 0
      # First and last thirds of the samples after warm-up.
      span = n - w + 1; third = int(span / 3); if (third < 1) third = 1
      # Each probe in flight holds its socket (or none, between a refused connect and its end),
      # and how many are in flight moves with the flapping (a hanging server keeps 1 s probes
      # open): descriptors not held by a running probe are fds - inflight. Its median over the
      # first and the last third must be the same.
      fa = median("fds", "inflight", w, w + third - 1)
      fb = median("fds", "inflight", n - third + 1, n)
      printf "fds - inflight: median %d in the first third after warm-up, %d in the last (limit +2): %s\n", fa, fb, fb - fa <= 2 ? "ok" : "GROWING"
      if (fb - fa > 2) fail = 1
      # The samples taken when no probe was in flight: what the agent holds at rest.
      idle = 0
      for (i = 1; i <= n; i++) if (v["inflight", i] == 0) {
        idle++
        for (j = 1; j <= 3; j++) {
          f = rest[j]; x = v[f, i] + 0
          if (idle == 1 || x < rmin[f]) rmin[f] = x
          if (idle == 1 || x > rmax[f]) rmax[f] = x
        }
      }
      if (idle > 0) printf "at rest (%d samples with nothing in flight): fds %d..%d, objects %d..%d, timers %d..%d\n", idle, rmin["fds"], rmax["fds"], rmin["objects"], rmax["objects"], rmin["timers"], rmax["timers"]
      drss = v["rss_kib", n] - v["rss_kib", w]
      printf "RSS after warm-up: %+.2f MiB (limit < 10): %s\n", drss / 1024, drss < 10240 ? "ok" : "GROWING"
      if (drss >= 10240) fail = 1
      split("timers objects inflight scheduled lookups queue", flat, " ")
      for (j = 1; j <= 6; j++) {
        f = flat[j]; a = 0; b = 0
        for (i = w; i < w + third; i++) if (v[f, i] + 0 > a) a = v[f, i] + 0
        for (i = n - third + 1; i <= n; i++) if (v[f, i] + 0 > b) b = v[f, i] + 0
        ok = b <= a * 1.25 + 2
        printf "%s: max %d in the first third after warm-up, %d in the last: %s\n", f, a, b, ok ? "ok" : "GROWING"
        if (!ok) fail = 1
      }
      if (achieved < rate * 0.8) { printf "probe rate below 80 %% of the target\n"; fail = 1 }
      print fail ? "soak: FAIL" : "soak: PASS"
      exit fail
    }
  ' "$tmp/samples" "$tmp/stats"
}

if [ -n "$analyse_only" ]; then
  tmp=$analyse_only
  analyse
  exit
fi

bin=${SERVEWATCH_BIN:-}
if [ -z "$bin" ]; then
  bin=$root/build/dev/bin/servewatch
  if [ ! -x "$bin" ]; then
    cmake --preset dev >/dev/null
    cmake --build build/dev --target servewatch >/dev/null
  fi
fi
[ -x "$bin" ] || { echo "soak: no servewatch binary at $bin" >&2; exit 1; }

if [ -n "${SOAK_DIR:-}" ]; then
  tmp=$SOAK_DIR
  mkdir -p "$tmp"
  keep=1
else
  tmp=$(mktemp -d /tmp/sw-soak.XXXXXX)
  keep=0
fi
# A copy: rebuilding the tree during a long soak does not touch the binary under test.
cp "$bin" "$tmp/servewatch"
bin=$tmp/servewatch

pids=()
bounce_pid=
agent_pid=
cleanup() {
  for pid in $agent_pid "${pids[@]}" $bounce_pid; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in $agent_pid "${pids[@]}" $bounce_pid; do
    wait "$pid" 2>/dev/null || true
  done
  [ "$keep" -eq 1 ] || rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A demo server on a free port: sets $port.
start_demo() { # name scenario
  local name=$1 scenario=$2 line
  "$bin" demo-server --port 0 --scenario "$scenario" >"$tmp/$name.out" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do
    line=$(head -n1 "$tmp/$name.out" 2>/dev/null || true)
    if [[ $line =~ http://127\.0\.0\.1:([0-9]+) ]]; then
      port=${BASH_REMATCH[1]}
      return 0
    fi
    sleep 0.05
  done
  echo "soak: demo server $name did not start" >&2
  return 1
}

# PUT /__servewatch/scenario?set=NAME without curl.
set_scenario() { # port scenario
  exec 3<>"/dev/tcp/127.0.0.1/$1" || return 0
  printf 'PUT /__servewatch/scenario?set=%s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n' "$2" >&3
  cat <&3 >/dev/null || true
  exec 3>&-
}

start_demo flap flap
flap_port=$port
start_demo cycle-a ok
a_port=$port
start_demo cycle-b ok
b_port=$port
# The bounce server comes and goes on one port: a free one, found by a first start.
start_demo bounce-0 ok
bounce_port=$port
kill "${pids[-1]}"
wait "${pids[-1]}" 2>/dev/null || true
unset 'pids[-1]'

# The scenario cycler and the bounce loop run in one background shell.
(
  trap 'kill $bp 2>/dev/null; exit 0' TERM
  cycle_a=(ok loading slow:300 reset)
  cycle_b=(ok hang empty_reply)
  i=0
  bp=
  while :; do
    if [ $((i % 3)) -eq 0 ]; then
      set_scenario "$a_port" "${cycle_a[i / 3 % 4]}"
      set_scenario "$b_port" "${cycle_b[i / 3 % 3]}"
    fi
    # bounce: up for the even 4 s-halves of each 8 s, down for the odd ones
    if [ $((i % 8)) -eq 0 ]; then
      "$bin" demo-server --port "$bounce_port" >/dev/null 2>&1 &
      bp=$!
    elif [ $((i % 8)) -eq 4 ] && [ -n "$bp" ]; then
      kill "$bp" 2>/dev/null || true
      wait "$bp" 2>/dev/null || true
      bp=
    fi
    sleep 1
    i=$((i + 1))
  done
) &
bounce_pid=$!

# The config: endpoints spread over the four targets.
ports=("$flap_port" "$a_port" "$b_port" "$bounce_port")
{
  echo '{"version": 1, "settings": {"max_concurrent_probes": 256}, "endpoints": ['
  for i in $(seq 0 $((endpoints - 1))); do
    port=${ports[i % 4]}
    sep=,
    [ "$i" -eq $((endpoints - 1)) ] && sep=
    printf '{"id": "ep%04d", "url": "http://127.0.0.1:%s/predict", "interval": %s, "timeout": 1, "proxy": "none", "body": {"instances": [[1, 2]]}}%s\n' \
      "$i" "$port" "$interval" "$sep"
  done
  echo ']}'
} >"$tmp/soak.json"

echo "soak: $endpoints endpoints every ${interval} s (target $rate probes/s) for $minutes min; files in $tmp"
echo "soak: targets flap :$flap_port, cycle-a :$a_port, cycle-b :$b_port, bounce :$bounce_port"
"$bin" run --config "$tmp/soak.json" --db "$tmp/soak.db" --duration "$duration" \
  --stats-interval 10 2>"$tmp/agent.log" &
agent_pid=$!

# External samples every 10 s: t, fds, VmRSS (KiB).
start=$(date +%s)
: >"$tmp/samples"
while kill -0 "$agent_pid" 2>/dev/null; do
  sleep 10
  [ -d "/proc/$agent_pid/fd" ] || break
  fds=$(ls "/proc/$agent_pid/fd" 2>/dev/null | wc -l)
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$agent_pid/status" 2>/dev/null || echo 0)
  [ -n "$rss" ] || break
  echo "$(($(date +%s) - start)) $fds $rss" >>"$tmp/samples"
done
status=0
wait "$agent_pid" || status=$?
agent_pid=
echo "soak: agent exited with $status"
grep -E ' (stop|storage_error|storage_recovered):' "$tmp/agent.log" || true
echo

analyse
