#!/usr/bin/env bash
# Installs the Debian 12 packages ServeWatch needs and that are missing (apt-get; through sudo
# when not root). Usage: scripts/deps.sh [build] [test] [fuzz] [screenshots]   (default: build)
set -euo pipefail

build_packages=(
  cmake ninja-build g++ pkg-config
  qt6-base-dev qt6-charts-dev libqt6opengl6-dev qtkeychain-qt6-dev libqt6sql6-sqlite qt6-svg-dev
  libsecret-1-0 tzdata
)
# Tests: fixture certificates (openssl), curl for comparisons, unshare/mount (util-linux, mount)
# for the DNS and no-network namespaces, ip (iproute2), clang-format and clang-tidy for
# the lint stages; desktop-file-utils, appstream, dpkg-dev and file check the desktop entry,
# the metainfo and the .deb (cpack needs file for its shlibdeps); prometheus (its binary and
# promtool) and prometheus-alertmanager (amtool) for the fleet tests: only their binaries are
# started, on 127.0.0.1 with temporary files, never their system services.
test_packages=(openssl curl util-linux mount iproute2 procps ca-certificates clang-format clang-tidy git gnome-keyring dbus dbus-x11 libsecret-tools desktop-file-utils appstream dpkg-dev file prometheus prometheus-alertmanager)
# Fuzzing (scripts/fuzz.sh): libFuzzer comes with clang 14's runtime.
fuzz_packages=(clang-14 libclang-rt-14-dev)
# Screenshots (scripts/screenshots.sh): a virtual X server, a window manager, a tray host, a
# notification daemon,
# a way to drive the window and to capture the screen.
screenshot_packages=(xvfb xauth openbox imagemagick trayer dunst x11-utils xdotool dbus fonts-dejavu-core)

want=()
for group in "${@:-build}"; do
  case "$group" in
    build) want+=("${build_packages[@]}") ;;
    test) want+=("${test_packages[@]}") ;;
    fuzz) want+=("${fuzz_packages[@]}") ;;
    screenshots) want+=("${screenshot_packages[@]}") ;;
    *) echo "deps.sh: unknown group '$group' (build, test, fuzz, screenshots)" >&2; exit 64 ;;
  esac
done

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "deps: all ${#want[@]} packages present"
  exit 0
fi

echo "deps: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo_cmd=(sudo)
  else
    echo "deps: need root (or sudo) to install: ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq

# Debian's prometheus packages would start their daemons on install (Prometheus on
# 0.0.0.0:9090, Alertmanager on 0.0.0.0:9093), through systemd or their init.d scripts. The tests
# need only the binaries: these two install with services forbidden to start (policy-rc.d, the
# Debian way, only while they install), and on systemd hosts their units are disabled afterwards.
# An installation that was there before is left alone.
service_packages=()
other_packages=()
for p in "${missing[@]}"; do
  case "$p" in
    prometheus | prometheus-alertmanager) service_packages+=("$p") ;;
    *) other_packages+=("$p") ;;
  esac
done
if [ ${#other_packages[@]} -gt 0 ]; then
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${other_packages[@]}"
fi
if [ ${#service_packages[@]} -gt 0 ]; then
  policy_added=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\n# scripts/deps.sh (ServeWatch): no service starts while it installs.\nexit 101\n' |
      "${sudo_cmd[@]}" tee /usr/sbin/policy-rc.d >/dev/null
    "${sudo_cmd[@]}" chmod 755 /usr/sbin/policy-rc.d
    policy_added=1
  fi
  status=0
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${service_packages[@]}" || status=$?
  [ "$policy_added" -eq 0 ] || "${sudo_cmd[@]}" rm -f /usr/sbin/policy-rc.d
  [ "$status" -eq 0 ] || exit "$status"
  for p in "${service_packages[@]}"; do
    if [ -d /run/systemd/system ]; then
      "${sudo_cmd[@]}" systemctl disable --now "$p.service" >/dev/null 2>&1 || true
    fi
    echo "deps: $p installed for its binaries; its service was not started"
  done
fi
