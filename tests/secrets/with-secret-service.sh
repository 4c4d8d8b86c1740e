#!/bin/sh
# Runs a command inside a private D-Bus session with a real Secret Service: gnome-keyring-daemon,
# its login keyring created and unlocked with a test password, in a throw-away HOME so that the
# machine's own keyrings are never touched.
#   usage: with-secret-service.sh COMMAND [ARGS...]
set -eu

missing=""
for tool in dbus-run-session gnome-keyring-daemon; do
  command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
if [ -n "$missing" ]; then
  echo "with-secret-service.sh: missing:$missing (install: apt-get install dbus dbus-x11 gnome-keyring; or scripts/deps.sh test)" >&2
  exit 1
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/servewatch-keyring.XXXXXX")
trap 'rm -rf "$scratch"' EXIT INT TERM
mkdir -p "$scratch/home" "$scratch/data" "$scratch/config" "$scratch/cache" "$scratch/runtime"
chmod 700 "$scratch/runtime"

# No desktop: nothing may autolaunch or prompt.
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL
unset XDG_CURRENT_DESKTOP DESKTOP_SESSION KDE_FULL_SESSION KDE_SESSION_VERSION
export HOME="$scratch/home"
export XDG_DATA_HOME="$scratch/data"
export XDG_CONFIG_HOME="$scratch/config"
export XDG_CACHE_HOME="$scratch/cache"
export XDG_RUNTIME_DIR="$scratch/runtime"

status=0
dbus-run-session -- sh -c 'echo -n servewatch-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec "$@"' sh "$@" || status=$?
exit $status
