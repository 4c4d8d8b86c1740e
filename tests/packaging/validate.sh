#!/bin/sh
# Validates the desktop entry (desktop-file-validate) or the AppStream metainfo (appstreamcli
# validate, no network). Exit 77 (skipped) when the validator is not installed.
#   usage: validate.sh desktop|metainfo FILE
set -eu
kind=$1
file=$2
case "$kind" in
  desktop) tool=desktop-file-validate package=desktop-file-utils ;;
  metainfo) tool=appstreamcli package=appstream ;;
  *) echo "validate.sh: unknown kind '$kind' (desktop, metainfo)" >&2; exit 64 ;;
esac
if ! command -v "$tool" >/dev/null 2>&1; then
  echo "validate.sh: $tool not installed (apt-get install $package; or scripts/deps.sh test): skipped"
  exit 77
fi
if [ "$kind" = desktop ]; then
  # Hints are advice (several main categories on purpose); warnings and errors fail.
  out=$(desktop-file-validate "$file" 2>&1) || { echo "$out"; exit 1; }
  echo "$out"
  if echo "$out" | grep -Eq ': (error|warning):'; then
    exit 1
  fi
else
  appstreamcli validate --no-net --explain "$file"
fi
echo "validate.sh: $file is valid"
