#!/usr/bin/env bash
# Fails when a translation is incomplete: a message left untranslated or
# marked fuzzy (fuzzy messages are not used at run time, so the user sees
# English), or a fuzzy header. Obsolete (#~) messages are ignored.
#
#   check-complete.sh MSGATTRIB FILE.po...
set -euo pipefail

# The msgctxt and msgid of each message in the PO text on stdin. msgattrib
# copies the header entry whatever it selects: it is listed, as
# "(the header)", only when it is fuzzy and $1 is "fuzzy".
list_messages() {
  awk -v mode="$1" 'BEGIN { RS = ""; FS = "\n" }
       {
         if ($0 ~ /(^|\n)msgid ""\nmsgstr/ && $0 !~ /(^|\n)msgctxt /) {
           if (mode == "fuzzy" && $0 ~ /(^|\n)#,[^\n]*fuzzy/) print "  (the header)"
           next
         }
         show = 0
         for (i = 1; i <= NF; i++) {
           if ($i ~ /^(msgctxt|msgid) /) show = 1
           else if ($i ~ /^msgstr/) show = 0
           if (show) print "  " $i
         }
       }'
}

msgattrib=$1
shift
status=0

for po in "$@"; do
  untranslated=$("$msgattrib" --untranslated --no-obsolete --no-wrap --no-location "$po" | list_messages untranslated)
  fuzzy=$("$msgattrib" --only-fuzzy --no-obsolete --no-wrap --no-location "$po" | list_messages fuzzy)
  if [ -n "$untranslated" ]; then
    printf '%s: untranslated messages:\n%s\n' "$po" "$untranslated" >&2
    status=1
  fi
  if [ -n "$fuzzy" ]; then
    printf '%s: fuzzy messages (check the translation, then drop the fuzzy flag):\n%s\n' "$po" "$fuzzy" >&2
    status=1
  fi
  if [ -z "$untranslated" ] && [ -z "$fuzzy" ]; then
    echo "ok: $po is complete"
  fi
done
exit "$status"
