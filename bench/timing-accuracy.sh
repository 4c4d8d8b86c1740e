#!/usr/bin/env bash
# Timing accuracy of ServeWatch against curl -w on injected delays (DNS +20 ms, TLS handshake
# +20 ms, server +50 ms): builds the benchmark if needed and prints the medians side by side.
# Usage: bench/timing-accuracy.sh [RUNS]   (default 50; run as root: private resolver, port 53)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh build test >/dev/null
cmake --preset ci >/dev/null
cmake --build --preset ci --target bench_timing_accuracy servewatch >/dev/null
echo "machine: $(nproc) cores, $(uname -r), $(curl --version | head -1 | cut -d' ' -f1-2), $(date -u +%Y-%m-%dT%H:%MZ)"
exec build/ci/bench/bench_timing_accuracy "${1:-50}" 2> >(grep -v 'servewatch.demo' >&2)
