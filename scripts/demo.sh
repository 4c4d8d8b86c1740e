#!/usr/bin/env bash
# Starts the built-in demo model server on loopback and probes it through several failure
# scenarios, printing ServeWatch's diagnosis of each. Usage: scripts/demo.sh [path/to/servewatch]
set -euo pipefail
sw=${1:-build/dev/bin/servewatch}
port=${SERVEWATCH_DEMO_PORT:-8765}
base="http://127.0.0.1:$port"

"$sw" demo-server --port "$port" >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
control() { # switch the demo server's scenario (ServeWatch's own prober does the PUT)
  "$sw" probe "$base/__servewatch/scenario" -X PUT -d "$1" --no-proxy --timeout 2 --json >/dev/null
}
for _ in $(seq 50); do
  control ok && break
  sleep 0.1
done

probe() {
  echo
  echo "=============== demo scenario: $1 ==============="
  control "$1"
  shift
  "$sw" probe "$base/predict" -d '{"instances": [[1.0, 2.0, 3.0, 4.0]]}' --expect-json /predictions \
    --timeout 3 --no-proxy "$@" || true
}

probe ok
probe loading
probe fail_then_ok:2 --retries 3 --retry-base-ms 200
probe html
probe hang --timeout 1
echo
echo "=============== nothing listening on the port ==============="
"$sw" probe "http://127.0.0.1:1/predict" -d '{"instances": [[1.0]]}' --no-proxy || true
