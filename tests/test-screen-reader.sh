#!/usr/bin/env bash
# What a screen reader user hears: runs Orca, GNOME's screen reader, on
# this session's accessibility bus, drives the app from the keyboard and
# reads what Orca spoke from its debug log (its "SPEECH OUTPUT" lines,
# written whether or not a speech synthesizer is there to say them).
#
# The window's focus is said when it opens; "Token ready", "The token has
# expired" and an error are each said exactly once; the countdown never.
# The server answers at once, as the test did before stop 28: with a
# server slow enough for the window to show itself busy (the focus going
# from Generate to Cancel and then to Copy), Orca said "Token ready" in
# most runs but not all, and never under AddressSanitizer; window-a11y
# checks that path's focus and announcements without Orca.
# A session from the Sample: its start, each final turn and its end are
# said once each, a partial turn never.
# TAP output; skipped without Orca, a display or a session bus.
#
# usage: test-screen-reader.sh STREAMING-TOKEN FAKE-SERVER APPLICATION-ID
set -uo pipefail

streaming_token=$1
fake_server=$2
app_id=$3

if ! command -v orca >/dev/null || ! command -v xdotool >/dev/null ||
   [ -z "${DISPLAY:-}" ] || [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  echo "1..0 # SKIP needs orca, xdotool, an X display and a session bus"
  exit 0
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/stok-screen-reader.XXXXXX")
orca_pid= server_pid= app_pid=
cleanup() {
  for pid in $app_pid $server_pid $orca_pid; do
    kill "$pid" 2>/dev/null
  done
  wait 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

# In English; a keyfile for GSettings, so that the window opens with a 4 s
# redemption window; the accessibility bus on, which the suite turns off.
export LC_ALL=C.UTF-8 LANGUAGE=
export XDG_CONFIG_HOME=$tmp/config GSETTINGS_BACKEND=keyfile
unset GTK_A11Y NO_AT_BRIDGE
gsettings set "$app_id" expires-in-seconds 4

log=$tmp/orca.log
spoken() {
  grep -o "SPEECH OUTPUT: '[^']*'" "$log" 2>/dev/null | sed "s/^SPEECH OUTPUT: '//; s/'\$//"
}
times_spoken() {
  spoken | grep -cxF "$1"
}
wait_for_speech() {
  for _ in $(seq "$((${2:-20} * 10))"); do
    [ "$(times_spoken "$1")" -gt 0 ] && return 0
    sleep 0.1
  done
  return 1
}

n=0
check() {
  local what=$1
  shift
  n=$((n + 1))
  if "$@"; then
    echo "ok $n - $what"
  else
    echo "not ok $n - $what"
    echo "# Orca said:"
    spoken | sed 's/^/#   /'
  fi
}
# Said, and a second later still said only once.
said_once() {
  wait_for_speech "$1" "$2" && sleep 1 && [ "$(times_spoken "$1")" -eq 1 ]
}
# Ticks, m:ss or "0:03 left", are shown, never said.
countdown_never_said() {
  ! spoken | grep -qE '[0-9]:[0-9][0-9]'
}
press_generate() {
  xdotool windowfocus --sync "$window" key --clearmodifiers ctrl+Return
}

# A final turn of the fake server is its stand-in words, and so is a
# partial: the lines Orca said that are made of them only.
turns_said() {
  spoken | grep -xE '((stand-in|words|from|the|fake|server) ?)+'
}
# Each final turn once, and no partial: no line said is the start of
# another, as a partial is of its final turn.
turns_said_once_no_partial() {
  local turns
  turns=$(turns_said)
  [ -n "$turns" ] || return 1
  [ "$(printf '%s\n' "$turns" | sort | uniq -d | wc -l)" -eq 0 ] || return 1
  while IFS= read -r a; do
    while IFS= read -r b; do
      [ "$a" != "$b" ] && [ "${b#"$a "}" != "$b" ] && return 1
    done <<<"$turns"
  done <<<"$turns"
  return 0
}
press_start() {
  xdotool windowfocus --sync "$window" key --clearmodifiers ctrl+r
}

echo "1..10"

# Orca writes its debug log through a buffer, so that what it said shows
# there late, or only when it quits: open() is made line-buffered for it.
# Braille is off, and speech-dispatcher is not started (SPEECHD_CMD):
# there is no braille display or synthesizer to wait for, and what Orca
# would say is logged all the same.
SPEECHD_CMD=/bin/false \
/usr/bin/python3 - --replace --disable braille --debug-file "$log" \
  >/dev/null 2>&1 <<'PYTHON' &
import builtins, runpy, sys

_open = builtins.open

def line_buffered_open(file, mode="r", *args, **kwargs):
    if "w" in mode and not args and "buffering" not in kwargs:
        kwargs["buffering"] = 1
    return _open(file, mode, *args, **kwargs)

builtins.open = line_buffered_open
sys.argv[0] = "/usr/bin/orca"
runpy.run_path("/usr/bin/orca", run_name="__main__")
PYTHON
orca_pid=$!
orca_ready() {
  for _ in $(seq 300); do
    grep -q "ORCA: Initialized" "$log" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}
check "Orca starts" orca_ready

"$fake_server" >"$tmp/server.out" 2>/dev/null &
server_pid=$!
for _ in $(seq 50); do
  url=$(head -n 1 "$tmp/server.out")
  [ -n "$url" ] && break
  sleep 0.1
done

ASSEMBLYAI_API_KEY=screen-reader-test-key "$streaming_token" --server="$url" >/dev/null 2>&1 &
app_pid=$!
window=$(timeout 20 xdotool search --sync --onlyvisible --name 'Streaming Token' | head -n 1)
check "the focus is said when the window opens" wait_for_speech "Generate Token push button." 20

press_generate
check "a new token is said once" said_once "Token ready" 10
check "then the focus on Copy" wait_for_speech "Copy push button." 5

check "expiry is said once" said_once "The token has expired" 10

# The Sample, the default source, streamed whole: about 8 s.
press_start
check "a session's start is said once" said_once "Session started" 15
check "its end is said once" said_once "Session completed" 30
check "each final turn is said once, a partial never" turns_said_once_no_partial

kill "$server_pid" 2>/dev/null
wait "$server_pid" 2>/dev/null
server_pid=
press_generate
check "an error is said once" said_once "Could not connect to the server" 10
check "the countdown is never said" countdown_never_said
