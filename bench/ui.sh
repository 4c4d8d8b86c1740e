#!/usr/bin/env bash
# The dashboard's costs (issue 5, item 5), all on loopback and under a private Xvfb:
#   live      1,000 endpoints probing an nginx on 127.0.0.1 every 1 s: process CPU of the headless
#             engine, of the agent (engine + history) and of the real dashboard window, running at
#             the same time over the same 60 s window, 5 rounds; the difference is the UI's cost
#             (target < 5 % of a core); the dashboard's RSS (target < 300 MiB); paint events of
#             the list and a screen comparison prove that the visible rows repaint.
#   timeline  TimelineChart with 10,000 points: setData to painted (target < 50 ms), hover, zoom.
# Usage: bench/ui.sh [live|timeline|all] [bench_ui options...]   (default: all)
#   e.g. bench/ui.sh live --rounds 5 --duration 90;  bench/ui.sh timeline --runs 30
# Builds bench_ui in $BUILD_DIR (default build/bench-ui, Release). Starts nginx with a temporary
# config (fixed JSON body, access log off) and stops it on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
what="${1:-all}"
[ $# -gt 0 ] && shift
case "$what" in live|timeline|all) ;; *) echo "usage: bench/ui.sh [live|timeline|all] [options]" >&2; exit 64 ;; esac

scripts/deps.sh build >/dev/null
missing=()
for p in nginx xvfb xauth; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
bench_install ui.sh "${missing[@]}"

build="${BUILD_DIR:-build/bench-ui}"
[ -f "$build/build.ninja" ] || cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSERVEWATCH_WERROR=ON >/dev/null
ninja -C "$build" bench_ui >/dev/null
bench="$build/bench/bench_ui"

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(uname -r), Qt $(qtpaths6 --qt-version 2>/dev/null || echo 6), $(date -u +%Y-%m-%dT%H:%MZ)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"

tmp="$(mktemp -d)"
nginx_pid=""
cleanup() {
  if [ -n "$nginx_pid" ]; then
    kill "$nginx_pid" 2>/dev/null || true
    wait "$nginx_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# Under xvfb-run (its own display and auth file), never offscreen, no session bus.
mkdir -m 700 "$tmp/runtime"
x() {
  XDG_RUNTIME_DIR="$tmp/runtime" env -u QT_QPA_PLATFORM -u DBUS_SESSION_BUS_ADDRESS http_proxy= https_proxy= HTTP_PROXY= HTTPS_PROXY= no_proxy= NO_PROXY= \
    xvfb-run -a -s "-screen 0 1920x1760x24 -nolisten tcp" "$@"
}

if [ "$what" = live ] || [ "$what" = all ]; then
  # nginx on 127.0.0.1 (bench/lib.sh): one worker, a fixed JSON answer to anything.
  port=$(bench_free_port)
  bench_nginx_start "$tmp/nginx" "$port" '{"predictions": [[0.12, 0.88]], "model": "bench"}' || exit 1
  nginx_pid=$BENCH_NGINX_PID
  echo "target: nginx $BENCH_NGINX_VERSION on 127.0.0.1:$port (pid $nginx_pid)"
  live_args=()
  timeline_args=()
  [ "$what" = live ] && live_args=("$@")
  x "$bench" live --url "http://127.0.0.1:$port/predict" "${live_args[@]}"
  kill "$nginx_pid" 2>/dev/null || true
  wait "$nginx_pid" 2>/dev/null || true
  nginx_pid=""
fi

if [ "$what" = timeline ] || [ "$what" = all ]; then
  echo
  timeline_args=()
  [ "$what" = timeline ] && timeline_args=("$@")
  x "$bench" timeline "${timeline_args[@]}"
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
