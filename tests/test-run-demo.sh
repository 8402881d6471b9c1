#!/usr/bin/env bash
# `./run demo` as a user runs it, with the real app on this test's X
# server: ended by closing the app, by Ctrl+C (SIGINT to its process
# group, as a terminal sends it) and by SIGTERM, it exits 0 and leaves no
# process and no temporary file behind. Save in the demo stores the demo
# key in the demo's own keyring and leaves the session's keyring, which
# holds the user's key, as it was. Started so with LANGUAGE=de, the
# app speaks German, and it is given the icons built in this tree. ./run
# is told to skip apt and the build (STOK_RUN_SKIP_SETUP). The app is
# found on the D-Bus session the demo says it gave it. TAP output.
#
# usage: test-run-demo.sh SOURCE_ROOT BUILD_DIR APPLICATION_ID
set -uo pipefail

source_root=$1
build_dir=$2
app_id=$3

if [ -z "${DISPLAY:-}" ] || ! command -v xdotool >/dev/null ||
   ! command -v gdbus >/dev/null || ! command -v dbus-run-session >/dev/null ||
   ! command -v gnome-keyring-daemon >/dev/null || ! command -v secret-tool >/dev/null; then
  echo "1..0 # SKIP needs an X display, xdotool, gdbus, dbus-run-session, gnome-keyring-daemon and secret-tool"
  exit 0
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/stok-run-demo.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# A session bus of the test's own, where the app's id is free, with no
# services to activate: nothing but the keyring started below answers
# there.
if [ -z "${STOK_TEST_RUN_DEMO_BUS:-}" ]; then
  cat >"$tmp/bus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=$tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOF
  STOK_TEST_RUN_DEMO_BUS=1 dbus-run-session --config-file="$tmp/bus.conf" -- "$0" "$@"
  exit $?
fi

# The session's keyring, as a user's holds their real key: under the
# attributes the app saves its key with. Its files in this test's
# directory.
session_key=the-users-own-key
keyring_dir=$tmp/session-keyring
mkdir -m 700 "$keyring_dir" "$keyring_dir/home" "$keyring_dir/control"
printf 'streaming-token-test' |
  HOME=$keyring_dir/home XDG_DATA_HOME=$keyring_dir/home/.local/share XDG_RUNTIME_DIR=$keyring_dir \
  gnome-keyring-daemon --foreground --unlock --components=secrets \
    --control-directory="$keyring_dir/control" >/dev/null 2>&1 &
keyring_pid=$!
trap 'kill "$keyring_pid" 2>/dev/null; wait "$keyring_pid" 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 100); do
  gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
      --method org.freedesktop.DBus.NameHasOwner org.freedesktop.secrets 2>/dev/null |
    grep -q true && break
  sleep 0.1
done
printf '%s' "$session_key" | secret-tool store --label=x provider assemblyai

# Each demo is a job of its own: its own process group, in which ./run
# and everything it starts stay, and Ctrl+C not ignored, as in a terminal.
set -m

app_path=/${app_id//./\/}
demo_tmp=$tmp/demo-tmp
mkdir -p "$demo_tmp"
demo_pid=
demo_bus=
app_pid=

n=0
check() {
  local what=$1
  shift
  n=$((n + 1))
  if "$@"; then
    echo "ok $n - $what"
  else
    echo "not ok $n - $what"
    echo "# ./run demo wrote on stderr:"
    sed 's/^/#   /' "$tmp/err"
  fi
}

# Field $2 of /proc/PID/stat counted after the command name, which may
# hold spaces: 1 the state, 3 the process group. Fails once PID is gone.
stat_field() {
  local stat fields
  read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
  read -ra fields <<<"${stat##*) }"
  echo "${fields[$(($2 - 1))]}"
}

# The processes still in the demo's process group: what it left behind.
demo_leftovers() {
  local dir pid
  for dir in /proc/[0-9]*; do
    pid=${dir#/proc/}
    [ "$(stat_field "$pid" 3)" = "$demo_pid" ] && echo "$pid $(tr '\0' ' ' <"$dir/cmdline")"
  done
}

nothing_left() {
  local left
  left=$(demo_leftovers)
  [ -z "$left" ] && return 0
  echo "# left running: $left"
  return 1
}

# Nothing at all in the TMPDIR the demo was given: its files, the bus's
# socket and the keyring's all went there.
no_temporary_file() {
  local left
  left=$(ls -A "$demo_tmp")
  [ -z "$left" ] && return 0
  echo "# left in TMPDIR: $left"
  return 1
}

# The bus ./run demo gave the app, as it says on stderr; this test's own
# until it has said so.
demo_bus_address() {
  local address
  address=$(sed -n "s/^.*==> The demo's own D-Bus session and keyring: \([^[:space:][:cntrl:]]*\).*\$/\1/p" "$tmp/err")
  echo "${address:-$DBUS_SESSION_BUS_ADDRESS}"
}

# "$@" on the demo's bus.
on_demo_bus() {
  DBUS_SESSION_BUS_ADDRESS=$demo_bus "$@"
}

bus_owner_pid() {
  on_demo_bus gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
    --method org.freedesktop.DBus.GetConnectionUnixProcessID "$app_id" 2>/dev/null |
    sed -n 's/^(uint32 \([0-9]*\),)$/\1/p'
}

# $@: the demo's environment. Waits until the app holds its name on the
# bus, and sets app_pid.
start_demo() {
  # The schema and the translations as ./run gives them, not as the suite
  # gives them to its tests.
  env -u GSETTINGS_SCHEMA_DIR -u STOK_LOCALEDIR "$@" \
    STOK_RUN_SKIP_SETUP=1 BUILD_DIR="$build_dir" TMPDIR="$demo_tmp" \
    "$source_root/run" demo >"$tmp/out" 2>"$tmp/err" &
  demo_pid=$!
  app_pid=
  for _ in $(seq 300); do
    demo_bus=$(demo_bus_address)
    app_pid=$(bus_owner_pid)
    [ -n "$app_pid" ] && return 0
    demo_running || break
    sleep 0.1
  done
  echo "# the app did not show up on the bus"
  return 1
}

# Whether ./run has not exited yet. With job control on, bash reaps its
# jobs as they end, keeping their status for `wait`.
demo_running() {
  local state
  state=$(stat_field "$demo_pid" 1) && [ "$state" != Z ]
}

# Waits for ./run to end (20 s at most) and sets demo_status.
wait_demo() {
  for _ in $(seq 200); do
    demo_running || break
    sleep 0.1
  done
  if demo_running; then
    echo "# ./run demo did not end; killing what is left of it"
    kill -KILL -- "-$demo_pid" 2>/dev/null
  fi
  wait "$demo_pid"
  demo_status=$?
}

close_app() {
  on_demo_bus gdbus call --session --dest "$app_id" --object-path "$app_path" \
    --method org.gtk.Actions.Activate quit '[]' '{}' >/dev/null
}

# The directories of XDG_DATA_DIRS that the app was given hold its icon.
app_finds_its_icon() {
  local dirs dir
  dirs=$(tr '\0' '\n' <"/proc/$app_pid/environ" | sed -n 's/^XDG_DATA_DIRS=//p')
  IFS=: read -ra dirs <<<"$dirs"
  for dir in "${dirs[@]}"; do
    [ -s "$dir/icons/hicolor/scalable/apps/$app_id.svg" ] && return 0
  done
  return 1
}

key_nowhere() {
  ! grep -qF demo-key-not-a-secret "$tmp/out" "$tmp/err"
}

# Closed as a user closes it; all GLib's debug output on.
if start_demo G_MESSAGES_DEBUG=all; then
  check "the app run by ./run finds its icon in the build tree" app_finds_its_icon
  close_app
fi
wait_demo
check "closed: ./run demo exits 0" test "$demo_status" = 0
check "closed: nothing of the demo is left running" nothing_left
check "closed: its temporary file is removed" no_temporary_file
check "closed: nothing on stdout under G_MESSAGES_DEBUG=all" test ! -s "$tmp/out"
check "closed: the app's debug lines went to stderr" grep -q -- '-DEBUG: ' "$tmp/err"
check "closed: the demo key in neither output" key_nowhere

# Ctrl+C in the terminal: SIGINT to the whole process group.
start_demo && kill -INT -- "-$demo_pid"
wait_demo
check "Ctrl+C: ./run demo exits 0" test "$demo_status" = 0
check "Ctrl+C: nothing of the demo is left running" nothing_left
check "Ctrl+C: its temporary file is removed" no_temporary_file

# kill: SIGTERM to ./run alone.
start_demo && kill -TERM "$demo_pid"
wait_demo
check "SIGTERM: ./run demo exits 0" test "$demo_status" = 0
check "SIGTERM: nothing of the demo is left running" nothing_left
check "SIGTERM: its temporary file is removed" no_temporary_file

# The app's environment, from /proc.
app_env_var() {
  tr '\0' '\n' <"/proc/$app_pid/environ" | sed -n "s/^$1=//p"
}

# A HOME and a runtime directory of the user's, for the Save demo.
user_home=$tmp/user-home
user_runtime=$tmp/user-runtime
mkdir -m 700 "$user_home" "$user_runtime"

# The session the app is in: the display, and HOME and XDG_RUNTIME_DIR,
# where the sound server is found, are the user's; the bus is not.
app_keeps_the_session() {
  [ "$(app_env_var DISPLAY)" = "$DISPLAY" ] &&
    [ "$(app_env_var HOME)" = "$user_home" ] &&
    [ "$(app_env_var XDG_RUNTIME_DIR)" = "$user_runtime" ]
}

# What a second keyring, dconf or document portal would have written in
# the user's HOME or runtime directory.
user_dirs_untouched() {
  local left
  left=$(cd "$user_home" && ls -d .local/share/keyrings .config/dconf .cache/keyring-* 2>/dev/null
         cd "$user_runtime" && ls -d keyring* dconf doc 2>/dev/null)
  [ -z "$left" ] && return 0
  echo "# written in the user's directories: $left"
  return 1
}

app_on_a_bus_of_its_own() {
  [ "$(app_env_var DBUS_SESSION_BUS_ADDRESS)" != "$DBUS_SESSION_BUS_ADDRESS" ]
}

# Presses the key $1 in the app's window until "${@:2}" holds, 10 s at
# most: the first keys can come before the window takes them.
press_until() {
  local key=$1 window
  shift
  window=$(timeout 20 xdotool search --all --sync --onlyvisible --pid "$app_pid" --name '^Streaming Token$' | head -n 1)
  [ -n "$window" ] || return 1
  for _ in $(seq 20); do
    xdotool windowfocus --sync "$window" key --clearmodifiers "$key" 2>/dev/null
    sleep 0.5
    "$@" && return 0
  done
  return 1
}

demo_keyring_has_demo_key() {
  [ "$(on_demo_bus secret-tool lookup provider assemblyai 2>/dev/null)" = demo-key-not-a-secret ]
}

# Save, pressed as a user presses it: Alt+S, its button's mnemonic (the
# window's own actions, win.save-key among them, are not exported on
# D-Bus), until the demo's keyring holds the demo key.
save_in_demo() {
  press_until alt+s demo_keyring_has_demo_key
}

session_key_kept() {
  local key
  key=$(secret-tool lookup provider assemblyai 2>/dev/null)
  [ "$key" = "$session_key" ] && return 0
  echo "# the session's keyring holds \"$key\" for provider=assemblyai"
  return 1
}

# Save in the demo: into the demo's keyring, not the session's.
check "Save: before the demo, the session's keyring holds the user's key" session_key_kept
if start_demo HOME="$user_home" XDG_RUNTIME_DIR="$user_runtime"; then
  check "Save: the app keeps the display, HOME and XDG_RUNTIME_DIR" app_keeps_the_session
  check "Save: the app is on a D-Bus session of its own" app_on_a_bus_of_its_own
  check "Save: the demo key is saved in the demo's keyring" save_in_demo
  check "Save: the session's keyring still holds the user's key" session_key_kept
  close_app
else
  check "Save: the demo key is saved in the demo's keyring" false
fi
wait_demo
check "Save: ./run demo exits 0" test "$demo_status" = 0
check "Save: nothing of the demo is left running" nothing_left
check "Save: its temporary files are removed" no_temporary_file
check "Save: no keyring, dconf or portal files in the user's HOME or runtime directory" user_dirs_untouched
check "Save: after the demo, the session's keyring still holds the user's key" session_key_kept

german_preferences_open() {
  xdotool search --all --onlyvisible --pid "$app_pid" --name '^Einstellungen$' >/dev/null
}

# In German: Ctrl+, opens the preferences, titled in the translation
# built in this tree.
german_preferences() {
  press_until ctrl+comma german_preferences_open && return 0
  echo "# windows of the app: $(xdotool search --onlyvisible --pid "$app_pid" getwindowname %@ 2>/dev/null | tr '\n' ',')"
  return 1
}

if start_demo LANGUAGE=de LC_ALL=C.UTF-8; then
  check "LANGUAGE=de: the app started by ./run demo is in German" german_preferences
  close_app
else
  check "LANGUAGE=de: the app started by ./run demo is in German" false
fi
wait_demo
check "LANGUAGE=de: ./run demo exits 0" test "$demo_status" = 0

echo "1..$n"
