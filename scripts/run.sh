#!/usr/bin/env bash
# Installs what is missing, builds ServeWatch and starts it on the built-in demo endpoint.
# (Until the dashboard lands, "starts" means: run the demo server and probe it through a few
# failure scenarios, printing ServeWatch's diagnosis of each.)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh build
cmake --preset dev >/dev/null
cmake --build --preset dev
exec scripts/demo.sh build/dev/bin/servewatch
