#!/usr/bin/env bash
# Installs what is missing, builds ServeWatch and starts the dashboard on the built-in demo
# endpoints (healthy, slow, flapping, refused, loading then recovering, 429, expired TLS, ...).
# Without a display (no X11/Wayland session) it runs the command-line demo instead.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh build
cmake --preset dev >/dev/null
cmake --build --preset dev
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "No display here: running the command-line demo instead (the dashboard needs a desktop session)."
  exec scripts/demo.sh build/dev/bin/servewatch
fi
exec build/dev/bin/servewatch --demo
