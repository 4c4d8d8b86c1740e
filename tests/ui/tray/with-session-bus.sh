#!/bin/sh
# Runs a command inside a private D-Bus session bus of its own (dbus-run-session with a minimal
# config: nothing is D-Bus activatable, so no installed notification daemon such as dunst can
# start and answer in the test's place), in a throw-away HOME and XDG runtime directory, with
# no display. The test then registers its own org.freedesktop.Notifications.
#   usage: with-session-bus.sh COMMAND [ARGS...]
#          with-session-bus.sh --no-bus COMMAND [ARGS...]   (no bus at all, for the fallback)
set -eu

no_bus=0
if [ "${1:-}" = "--no-bus" ]; then
  no_bus=1
  shift
fi

if [ "$no_bus" -eq 0 ] && ! command -v dbus-run-session >/dev/null 2>&1; then
  echo "with-session-bus.sh: missing dbus-run-session (install: apt-get install dbus; or scripts/deps.sh test)" >&2
  exit 1
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/servewatch-bus.XXXXXX")
trap 'rm -rf "$scratch"' EXIT INT TERM
mkdir -p "$scratch/home" "$scratch/data" "$scratch/config" "$scratch/cache" "$scratch/runtime"
chmod 700 "$scratch/runtime"

# No desktop: nothing may autolaunch a bus, open a window or reach the user's own session.
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS DBUS_STARTER_ADDRESS DBUS_STARTER_BUS_TYPE
unset XDG_CURRENT_DESKTOP DESKTOP_SESSION KDE_FULL_SESSION KDE_SESSION_VERSION
export HOME="$scratch/home"
export XDG_DATA_HOME="$scratch/data"
export XDG_CONFIG_HOME="$scratch/config"
export XDG_CACHE_HOME="$scratch/cache"
export XDG_RUNTIME_DIR="$scratch/runtime" # holds no "bus" socket: no user bus either

if [ "$no_bus" -eq 1 ]; then
  export SW_EXPECT_NO_BUS=1
  exec "$@"
fi

cat > "$scratch/session.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=$scratch/runtime</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF

export SW_PRIVATE_SESSION_BUS=1
status=0
dbus-run-session --config-file="$scratch/session.conf" -- "$@" || status=$?
exit $status
