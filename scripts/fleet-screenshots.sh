#!/usr/bin/env bash
# The README's fleet screenshots (docs/screenshots/fleet-*.png). Usage:
#   scripts/fleet-screenshots.sh SERVEWATCH_BINARY [OUTPUT_DIR]
# Needs prometheus (scripts/deps.sh test) and the screenshot packages (scripts/deps.sh screenshots).
# Fleet screenshot: a real Prometheus (127.0.0.1:19090) scraping three real agents
# (servewatch run --metrics-listen) in three "locations"; agent us-east probes "chat" at a closed
# port (connection refused: a regional outage); the dashboard (--demo for local endpoints) reads
# Prometheus through --prometheus and opens the remote "chat" row.  Loopback only.
set -euo pipefail
bin=${1:?servewatch binary}
shots=${2:-$(dirname "$0")/../docs/screenshots}
s=$(mktemp -d /tmp/fleetshot.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  sleep 0.5
  rm -rf "$s"
}
trap cleanup EXIT INT TERM
mkdir -p "$s"/{home,config,cache,data,runtime}; chmod 700 "$s/runtime"
export HOME=$s/home XDG_CONFIG_HOME=$s/config XDG_CACHE_HOME=$s/cache XDG_DATA_HOME=$s/data XDG_RUNTIME_DIR=$s/runtime
unset WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS XDG_CURRENT_DESKTOP
export LC_ALL=C.UTF-8

"$bin" demo-server --port 18080 >"$s/demo.log" 2>&1 & pids+=($!)
sleep 1
agent() { # name location metricsport chat-url
  cat >"$s/$1.json" <<JSON
{ "version": 1, "endpoints": [
  { "id": "chat", "url": "$4", "interval": 2, "timeout": 1, "proxy": "none" },
  { "id": "embed", "url": "http://127.0.0.1:18080/health", "interval": 2, "timeout": 1, "proxy": "none" },
  { "id": "rerank", "url": "http://127.0.0.1:18080/health", "interval": 2, "timeout": 1, "proxy": "none" } ] }
JSON
  "$bin" run --config "$s/$1.json" --no-history --metrics-listen "127.0.0.1:$3" --agent-name "$1" --location "$2" >"$s/$1.log" 2>&1 & pids+=($!)
}
agent a1 eu-west 19101 http://127.0.0.1:18080/health
agent a2 us-east 19102 http://127.0.0.1:18099/health
agent a3 ap-south 19103 http://127.0.0.1:18080/health
cat >"$s/prometheus.yml" <<YML
global: { scrape_interval: 1s, evaluation_interval: 1s }
scrape_configs:
  - job_name: servewatch
    static_configs: [ { targets: ["127.0.0.1:19101", "127.0.0.1:19102", "127.0.0.1:19103"] } ]
YML
prometheus --config.file="$s/prometheus.yml" --storage.tsdb.path="$s/tsdb" --web.listen-address=127.0.0.1:19090 >"$s/prom.log" 2>&1 & pids+=($!)
prom_pid=$!
for _ in $(seq 60); do curl -sf 'http://127.0.0.1:19090/api/v1/query?query=count(servewatch_endpoint_state)' | grep -q '"value"' && break; sleep 1; done
sleep 20 # some history for the timeline

Xvfb :88 -screen 0 1600x1000x24 -nolisten tcp >"$s/xvfb.log" 2>&1 & pids+=($!)
export DISPLAY=:88 QT_QPA_PLATFORM=xcb
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
openbox >"$s/openbox.log" 2>&1 & pids+=($!)
sleep 0.5
cat >"$s/local.json" <<JSON
{ "version": 1, "endpoints": [
  { "id": "local-chat", "name": "Chat LLM (local)", "url": "http://127.0.0.1:18080/health", "interval": 2, "timeout": 1, "proxy": "none" },
  { "id": "local-embed", "name": "Embeddings (local)", "url": "http://127.0.0.1:18080/health", "interval": 2, "timeout": 1, "proxy": "none" } ] }
JSON
"$bin" --config "$s/local.json" --prometheus http://127.0.0.1:19090 --endpoint remote:cli-1/chat >"$s/dash.log" 2>&1 & pids+=($!)
xdotool search --sync --onlyvisible --name ServeWatch >/dev/null
win=$(xdotool search --onlyvisible --name ServeWatch | head -1)
xdotool windowsize "$win" 1560 940 windowmove "$win" 20 20
sleep 12
import -window root "$shots/fleet-remote.png"
echo "$shots/fleet-remote.png"
# The source stops answering: the banner.
kill "$prom_pid" 2>/dev/null || true
sleep 14
import -window root "$shots/fleet-banner.png"
echo "$shots/fleet-banner.png"
