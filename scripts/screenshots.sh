#!/usr/bin/env bash
# Takes the README's screenshots (docs/screenshots/) of the real dashboard on the built-in demo:
# under Xvfb, with a tray host (trayer) and a notification daemon (dunst) on a private D-Bus
# session, driven with xdotool and captured with ImageMagick's `import -window root`.
# Everything runs on loopback and in a throw-away profile; nothing of the user's is touched.
#   usage: scripts/screenshots.sh [SERVEWATCH_BINARY]   (default: builds the dev preset)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
scripts/deps.sh build screenshots
bin=${1:-}
if [ -z "$bin" ]; then
  cmake --preset dev >/dev/null
  cmake --build --preset dev
  bin=build/dev/bin/servewatch
fi
bin=$(realpath "$bin")
out=$root/docs/screenshots
mkdir -p "$out"

scratch=$(mktemp -d "${TMPDIR:-/tmp}/servewatch-shots.XXXXXX")
xvfb_pid=
cleanup() {
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$scratch"
}
trap cleanup EXIT INT TERM
mkdir -p "$scratch"/{home,config,cache,data,runtime}
chmod 700 "$scratch/runtime"
export HOME=$scratch/home XDG_CONFIG_HOME=$scratch/config XDG_CACHE_HOME=$scratch/cache \
  XDG_DATA_HOME=$scratch/data XDG_RUNTIME_DIR=$scratch/runtime
unset WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS XDG_CURRENT_DESKTOP
export QT_QPA_PLATFORM=xcb LC_ALL=C.UTF-8

display=:${SW_SCREENSHOT_DISPLAY:-87}
Xvfb "$display" -screen 0 1600x1000x24 -nolisten tcp >"$scratch/xvfb.log" 2>&1 &
xvfb_pid=$!
export DISPLAY=$display
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done

cat >"$scratch/dunstrc" <<'EOF'
[global]
    geometry = "400x5-12+36"
    font = DejaVu Sans 10
    frame_width = 1
    frame_color = "#888888"
    padding = 8
    horizontal_padding = 10
    markup = full
    format = "<b>%s</b>\n%b"
    word_wrap = yes
    show_indicators = no
    notification_limit = 3
    icon_position = left
    max_icon_size = 32
[urgency_low]
    background = "#2b2b2b"
    foreground = "#ffffff"
[urgency_normal]
    background = "#2b2b2b"
    foreground = "#ffffff"
[urgency_critical]
    background = "#8a1c1c"
    foreground = "#ffffff"
EOF

# The tour, inside a private session bus that dunst answers on.
cat >"$scratch/tour.sh" <<'EOF'
#!/usr/bin/env bash
set -euo pipefail
shoot() { sleep "${2:-0.5}"; import -window root "$OUT/$1.png"; echo "screenshots: $OUT/$1.png"; }
window() { xdotool search --sync --onlyvisible --name "$1" | head -1; }

openbox >"$SCRATCH/openbox.log" 2>&1 &
sleep 0.5
dunst -config "$SCRATCH/dunstrc" >"$SCRATCH/dunst.log" 2>&1 &
trayer --edge top --align right --widthtype request --height 26 --SetDockType true \
  --transparent false --tint 0x404040 >"$SCRATCH/trayer.log" 2>&1 &
sleep 1
"$BIN" --demo --endpoint vision >"$SCRATCH/servewatch.log" 2>&1 &
app=$!
main=$(window '^ServeWatch$')
xdotool windowmove --sync "$main" 0 28 windowsize --sync "$main" 1590 960
# Let the demo run: states settle, the loading model recovers, notifications arrive.
sleep 28
shoot main-window 0

# Resend the overloaded endpoint's request with retries, caught between attempts.
xdotool windowactivate --sync "$main"
xdotool key ctrl+f
sleep 0.3
xdotool type --delay 20 "Summarizer"
sleep 0.3
xdotool key Down Up
sleep 0.5
xdotool key ctrl+r
dialog=$(window '^Resend test request')
xdotool windowmove --sync "$dialog" 380 120 windowsize --sync "$dialog" 900 820
xdotool windowactivate --sync "$dialog"
sleep 0.5
xdotool key alt+s
shoot resend-mid-retry 1.5
xdotool key Escape
sleep 0.5
xdotool windowactivate --sync "$main"
xdotool key ctrl+f ctrl+a BackSpace Escape

# The tray menu: a right click on ServeWatch's icon, the right-most in trayer's strip.
eval "$(xdotool getdisplaygeometry --shell)"
xdotool mousemove $((WIDTH - 13)) 13 click 3
shoot tray-menu 1
xdotool key Escape

# The flapping endpoint's timeline (latency, failures by class, down bands) and its diagnosis,
# with the notifications dismissed.
dunstctl close-all || true
xdotool windowactivate --sync "$main"
xdotool key ctrl+f
sleep 0.3
xdotool type --delay 20 "Fraud"
sleep 0.3
xdotool key Down Up
shoot timeline-diagnosis 1.5
kill "$app" 2>/dev/null || true
wait "$app" 2>/dev/null || true
EOF
chmod +x "$scratch/tour.sh"
BIN=$bin OUT=$out SCRATCH=$scratch dbus-run-session -- "$scratch/tour.sh"
echo "screenshots: done; logs were in $scratch (removed)"
