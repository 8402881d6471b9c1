#!/usr/bin/env bash
# Fails when a translation misses a message the sources have now: it
# extracts a fresh template the way `meson compile streaming-token-pot`
# does, and msgcmp checks that each .po translates every message in it
# (neither untranslated nor fuzzy).
#
#   check-up-to-date.sh SOURCE_ROOT FILE.po...
set -euo pipefail

source_root=$1
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The keywords and flags of meson's i18n 'glib' preset.
xgettext --package-name=streaming-token --directory="$source_root" \
  --files-from="$source_root/po/POTFILES" --output="$tmp/fresh.pot" \
  --from-code=UTF-8 --add-comments \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
  --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format

status=0
for po in "$@"; do
  if msgcmp "$po" "$tmp/fresh.pot"; then
    echo "ok: $po translates every message of the sources"
  else
    echo "$po: run 'meson compile streaming-token-update-po' and translate what is new" >&2
    status=1
  fi
done
exit "$status"
