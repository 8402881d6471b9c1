#!/usr/bin/env bash
# Installs the build into a throw-away DESTDIR, checks that everything a
# desktop needs is in the tree, and runs the installed command line against
# the fake token server. TAP output.
#
# usage: test-install.sh BUILD_DIR FAKE_SERVER APPLICATION_ID
set -uo pipefail

build_dir=$1
fake_server=$2
app_id=$3

tmp=$(mktemp -d "${TMPDIR:-/tmp}/stok-install.XXXXXX")
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

n=0
failed=0
check() {
  local what=$1
  shift
  n=$((n + 1))
  if "$@" >/dev/null 2>&1; then
    echo "ok $n - $what"
  else
    echo "not ok $n - $what"
    failed=1
  fi
}

echo "1..15"

check "meson install --destdir" meson install -C "$build_dir" --destdir "$tmp/root" --no-rebuild --quiet

prefix=$(meson introspect "$build_dir" --buildoptions | python3 -c 'import json,sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == "prefix"))')
root="$tmp/root$prefix"
share="$root/share"

check "the command line in bin" test -x "$root/bin/streaming-token"
check "the window in libexec" test -x "$root/libexec/streaming-token-app"
# Where stok-audio-backend.c looks for it once installed (PKGLIBDIR).
libdir=$(meson introspect "$build_dir" --buildoptions | python3 -c 'import json,sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == "libdir"))')
check "the GStreamer module in the package's libdir" test -s "$root/$libdir/streaming-token/stok-gst-audio.so"
check "the desktop file" desktop-file-validate "$share/applications/$app_id.desktop"
check "the metainfo" test -s "$share/metainfo/$app_id.metainfo.xml"
check "the scalable icon" test -s "$share/icons/hicolor/scalable/apps/$app_id.svg"
check "the symbolic icon" test -s "$share/icons/hicolor/symbolic/apps/$app_id-symbolic.svg"
check "the D-Bus service runs the installed binary" \
  grep -qx "Exec=$prefix/bin/streaming-token --gapplication-service" "$share/dbus-1/services/$app_id.service"

# meson compiles schemas after a real install and leaves it to the
# packager's triggers under DESTDIR: the installed schema must compile.
check "the schema compiles" glib-compile-schemas --strict "$share/glib-2.0/schemas"
check "gschemas.compiled written" test -s "$share/glib-2.0/schemas/gschemas.compiled"

missing_mo=0
for lang in $(grep -v '^#' "$(dirname "$0")/../po/LINGUAS"); do
  [ -s "$share/locale/$lang/LC_MESSAGES/streaming-token.mo" ] || missing_mo=1
done
check "a translation for each language in po/LINGUAS" test "$missing_mo" = 0

# The installed command line, against the fake server.
"$fake_server" >"$tmp/server.out" 2>/dev/null &
server_pid=$!
url=
for _ in $(seq 50); do
  url=$(head -n 1 "$tmp/server.out")
  [ -n "$url" ] && break
  sleep 0.1
done
check "the fake server started" test -n "$url"

token=$(ASSEMBLYAI_API_KEY=sk-install-test "$root/bin/streaming-token" --print-token --server="$url" 2>"$tmp/stderr")
status=$?
check "the installed streaming-token --print-token exits 0" test "$status" = 0
check "and prints a token" grep -q '^eyJ' <<<"$token"

exit $failed
