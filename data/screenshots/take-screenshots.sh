#!/usr/bin/env bash
# Takes the screenshots that the README and the AppStream metainfo show,
# from the real app under Xvfb against the fake token server.
#
#   data/screenshots/take-screenshots.sh [BUILD_DIR]
#
# They show the app as users get it: a build of the default profile, in
# _build-shots unless BUILD_DIR is given, configured and built here
# (the development profile stripes the header bar).
# Needs xvfb, xdotool and imagemagick. Writes token.png (light), error.png
# (dark) and inspector.png (a verified token with the inspector open), at
# the width of one column; and session.png and session-dark.png, a session
# from the Sample with its turns, at the window's default size, two panes.
# ONLY=session takes only the shots whose names start with that.
set -euo pipefail

cd "$(dirname "$0")/../.."
build=${1:-_build-shots}
out=data/screenshots

if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" -Dprofile=default
fi
meson compile -C "$build"

run_app() {
  # $1: output, $2: fake server options, $3: colour scheme, $4: script of
  # xdotool steps to run against the window id in $wid.
  local shot=$1 server_opts=$2 scheme=$3 steps=$4
  case "$(basename "$shot")" in "${ONLY:-}"*) ;; *) return 0 ;; esac
  # A home of the shots' own: the keyring that D-Bus starts for the app
  # is then an empty one, not the user's, whose state would show.
  mkdir -p "$TMPDIR/home" "$TMPDIR/runtime" && chmod 700 "$TMPDIR/runtime"
  HOME="$TMPDIR/home" XDG_DATA_HOME="$TMPDIR/home/.local/share" XDG_CONFIG_HOME="$TMPDIR/home/.config" \
  XDG_CACHE_HOME="$TMPDIR/home/.cache" XDG_RUNTIME_DIR="$TMPDIR/runtime" \
  GSETTINGS_SCHEMA_DIR="$PWD/$build/data" GSETTINGS_BACKEND=memory \
  ADW_DEBUG_COLOR_SCHEME=$scheme GTK_A11Y=none GTK_USE_PORTAL=0 LANGUAGE=en LC_ALL=C.UTF-8 \
  dbus-run-session -- xvfb-run -a -s '-screen 0 1400x1000x24' bash -c '
    set -e
    rm -f "$TMPDIR/url"
    "'"$build"'/tests/fake-token-server" '"$server_opts"' >"$TMPDIR/url" 2>/dev/null &
    server=$!
    for _ in $(seq 50); do [ -s "$TMPDIR/url" ] && break; sleep 0.1; done
    ASSEMBLYAI_API_KEY=${KEY:-sk-demo-key} "'"$build"'/src/streaming-token" --server="$(head -n1 "$TMPDIR/url")" &
    app=$!
    wid=$(xdotool search --sync --onlyvisible --name "^Streaming Token$" | head -1)
    xdotool windowmove --sync "$wid" 0 0 windowsize --sync "$wid" '"${SIZE:-520 940}"'
    sleep 1.5
    '"$steps"'
    kill $app $server
  ' || echo "$shot: failed" >&2
}

export TMPDIR=$(mktemp -d)
trap 'rm -rf "$TMPDIR"' EXIT

# A live token, counting down.
run_app "$out/token.png" "" default '
  xdotool windowfocus "$wid" key ctrl+Return ctrl+Return
  sleep 2.6
  import -window "$wid" "'"$out"'/token.png"'

# A rejected key, in the dark style.
KEY=sk-wrong-key run_app "$out/error.png" "--key=sk-right-key" prefer-dark '
  xdotool windowfocus "$wid" key ctrl+Return
  sleep 1.5
  xdotool mousemove --window "$wid" 100 563 click 1
  sleep 1
  import -window "$wid" "'"$out"'/error.png"'

# A verified token, with the inspector beside the window.
run_app "$out/inspector.png" "" default '
  xdotool windowfocus "$wid" key ctrl+Return
  sleep 1.5
  xdotool key shift+Tab Return
  sleep 1
  xdotool key Return
  sleep 1.5
  xdotool windowfocus "$wid" key ctrl+i
  inspector=$(xdotool search --sync --onlyvisible --name "^Inspector$" | head -1)
  xdotool windowmove "$inspector" 540 0 windowsize "$inspector" 660 940
  sleep 1
  # Down to the WebSocket messages of the verify.
  xdotool mousemove --window "$inspector" 330 600 click --repeat 15 --delay 50 5
  sleep 1
  import -window root -crop 1200x940+0+0 +repage "'"$out"'/inspector.png"'

# A session from the Sample, both its turns in, at the default size:
# light, then dark.
for scheme in default prefer-dark; do
  shot=$out/session.png
  [ "$scheme" = default ] || shot=$out/session-dark.png
  SIZE="1180 720" run_app "$shot" "" "$scheme" '
    xdotool windowfocus "$wid" key ctrl+r
    sleep 7.2
    import -window "$wid" "'"$shot"'"'
done

ls -l "$out"/*.png
