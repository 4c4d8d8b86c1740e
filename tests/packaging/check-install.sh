#!/bin/sh
# Installs the build into a temporary DESTDIR (cmake --install --prefix /usr) and checks that
# every file lands where desktops, software centres and systemd look for it, with units that run
# the installed binary; validates the installed desktop entry and metainfo; then, where dpkg-deb
# exists, builds the Debian package (cpack -G DEB) and checks its control data and contents.
#   usage: check-install.sh BUILD_DIR [CMAKE] [CPACK]
set -eu

build=$1
cmake=${2:-cmake}
cpack=${3:-cpack}
app=io.github.servewatch.ServeWatch

fail() {
  echo "check-install: FAIL: $*" >&2
  exit 1
}

[ -x "$build/bin/servewatch" ] || {
  echo "check-install: $build/bin/servewatch is not built (build the servewatch target): skipped"
  exit 77
}

scratch=$(mktemp -d "${TMPDIR:-/tmp}/servewatch-install.XXXXXX")
trap 'rm -rf "$scratch"' EXIT INT TERM

# --- cmake --install ------------------------------------------------------------------------
root="$scratch/root"
DESTDIR="$root" "$cmake" --install "$build" --prefix /usr >"$scratch/install.log" 2>&1 || {
  cat "$scratch/install.log"
  fail "cmake --install failed"
}
for f in \
  usr/bin/servewatch \
  "usr/share/applications/$app.desktop" \
  "usr/share/metainfo/$app.metainfo.xml" \
  "usr/share/icons/hicolor/scalable/apps/$app.svg" \
  usr/lib/systemd/system/servewatch.service \
  usr/lib/systemd/user/servewatch.service \
  usr/share/doc/servewatch/README.md \
  usr/share/doc/servewatch/docs/CONFIG.md \
  usr/share/doc/servewatch/docs/examples/servewatch.json \
  usr/share/doc/servewatch/docs/fleet/README.md \
  usr/share/doc/servewatch/docs/fleet/prometheus.yml \
  usr/share/doc/servewatch/docs/fleet/rules/servewatch.rules.yml \
  usr/share/doc/servewatch/docs/fleet/alertmanager.yml; do
  [ -f "$root/$f" ] || fail "cmake --install did not install /$f"
done
[ -x "$root/usr/bin/servewatch" ] || fail "/usr/bin/servewatch is not executable"
grep -q '<svg' "$root/usr/share/icons/hicolor/scalable/apps/$app.svg" || fail "the app icon is not SVG"
grep -qx "Icon=$app" "$root/usr/share/applications/$app.desktop" || fail "desktop entry: Icon is not $app"
grep -q "<launchable type=\"desktop-id\">$app.desktop</launchable>" \
  "$root/usr/share/metainfo/$app.metainfo.xml" || fail "metainfo: launchable is not $app.desktop"

# The units run the installed binary, nothing under /usr/local or the home directory.
for unit in system user; do
  f="$root/usr/lib/systemd/$unit/servewatch.service"
  grep -q '^ExecStart=/usr/bin/servewatch run --config ' "$f" || {
    cat "$f"
    fail "$unit unit: ExecStart does not run /usr/bin/servewatch"
  }
  if grep -Eq '^ExecStart=.*(/usr/local/bin|\.local/bin)' "$f"; then
    fail "$unit unit: ExecStart still points at a hand-installed binary"
  fi
done
grep -q '^Documentation=file:///usr/share/doc/servewatch/README.md' \
  "$root/usr/lib/systemd/system/servewatch.service" || fail "system unit: Documentation path"

# Another prefix: the units follow it.
DESTDIR="$scratch/opt" "$cmake" --install "$build" --prefix /opt/servewatch >/dev/null 2>&1 \
  || fail "cmake --install --prefix /opt/servewatch failed"
grep -q '^ExecStart=/opt/servewatch/bin/servewatch run ' \
  "$scratch/opt/opt/servewatch/lib/systemd/system/servewatch.service" \
  || fail "with --prefix /opt/servewatch the system unit does not run /opt/servewatch/bin/servewatch"

# The installed binary runs.
"$root/usr/bin/servewatch" --help >"$scratch/help.txt" 2>&1 || {
  cat "$scratch/help.txt"
  fail "the installed servewatch --help failed"
}

# --- validation -------------------------------------------------------------------------------
if command -v desktop-file-validate >/dev/null 2>&1; then
  out=$(desktop-file-validate "$root/usr/share/applications/$app.desktop" 2>&1) || {
    echo "$out"
    fail "desktop-file-validate"
  }
  if echo "$out" | grep -Eq ': (error|warning):'; then
    echo "$out"
    fail "desktop-file-validate reported problems"
  fi
else
  echo "check-install: desktop-file-validate not installed: desktop entry not validated"
fi
if command -v appstreamcli >/dev/null 2>&1; then
  # The installed tree as a whole: metainfo, its launchable desktop entry, the icon.
  appstreamcli validate-tree --no-net "$root" || fail "appstreamcli validate-tree"
else
  echo "check-install: appstreamcli not installed: metainfo not validated"
fi

# --- cpack -G DEB -----------------------------------------------------------------------------
if ! command -v dpkg-deb >/dev/null 2>&1; then
  echo "check-install: dpkg-deb not installed: Debian package not checked"
  echo "check-install: OK (install)"
  exit 0
fi
(cd "$build" && "$cpack" -G DEB -B "$scratch/cpack" --config "$build/CPackConfig.cmake") \
  >"$scratch/cpack.log" 2>&1 || {
  cat "$scratch/cpack.log"
  fail "cpack -G DEB failed"
}
deb=$(ls "$scratch"/cpack/servewatch_*.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || {
  cat "$scratch/cpack.log"
  fail "cpack made no servewatch_*.deb"
}
dpkg-deb -I "$deb" >"$scratch/info.txt"
dpkg-deb -c "$deb" >"$scratch/contents.txt"
for field in 'Package: servewatch' 'Section: net' 'Maintainer: ' 'Description: '; do
  grep -q "^ *$field" "$scratch/info.txt" || {
    cat "$scratch/info.txt"
    fail "dpkg-deb -I: no '$field'"
  }
done
depends=$(grep '^ *Depends:' "$scratch/info.txt" || true)
for dep in libqt6core6 libqt6sql6-sqlite libqt6svg6 libsecret-1-0 libc6; do
  echo "$depends" | grep -q "$dep" || {
    cat "$scratch/info.txt"
    fail "the package does not depend on $dep"
  }
done
for f in \
  ./usr/bin/servewatch \
  "./usr/share/icons/hicolor/scalable/apps/$app.svg" \
  "./usr/share/applications/$app.desktop" \
  "./usr/share/metainfo/$app.metainfo.xml" \
  ./usr/lib/systemd/system/servewatch.service \
  ./usr/lib/systemd/user/servewatch.service \
  ./usr/share/doc/servewatch/README.md; do
  grep -q " $f\$" "$scratch/contents.txt" || {
    cat "$scratch/contents.txt"
    fail "the package does not contain $f"
  }
done
echo "check-install: $(basename "$deb"): $depends"
echo "check-install: OK (install, validation, package)"
