#!/usr/bin/env bash
# Proves from the binaries that the core library needs no GUI: every given executable must load
# Qt6Core (the linker drops unused Network with --as-needed) and must not load Qt6Gui, Qt6Widgets, Qt6Charts or Qt6OpenGL.
set -euo pipefail
status=0
for bin in "$@"; do
  libs=$(ldd "$bin") || { echo "FAIL: ldd $bin failed"; exit 1; }
  for need in libQt6Core; do
    grep -q "$need" <<<"$libs" || { echo "FAIL: $bin does not load $need (ldd output changed?)"; status=1; }
  done
  if grep -E 'libQt6(Gui|Widgets|Charts|OpenGL)' <<<"$libs"; then
    echo "FAIL: $bin loads a GUI library (above)"
    status=1
  else
    echo "ok: $(basename "$bin") links no Qt GUI library"
  fi
done
exit $status
