#!/usr/bin/env bash
# Fails when a source file with translatable strings is missing from
# po/POTFILES (its strings would silently stay English), or when POTFILES
# names a file that does not exist (xgettext would stop).
#
#   check-potfiles.sh [SOURCE_ROOT]
set -euo pipefail

root=${1:-"$(dirname "$0")/.."}
cd "$root"

potfiles=po/POTFILES
status=0

# C: _(), N_(), C_(), NC_(), Q_() and the plural and context forms.
c_marks='(^|[^[:alnum:]_])(_|N_|C_|NC_|Q_)[[:space:]]*\(|(g_dgettext|ngettext|g_dpgettext2?)[[:space:]]*\('
# Desktop entries: the keys xgettext extracts.
desktop_marks='^(Name|GenericName|Comment|Keywords|X-GNOME-FullName)(\[[^]]*\])?='
# XML (metainfo, GSettings schema): what their ITS rules translate.
xml_marks='<(name|summary|description|caption|developer_name)[[:space:]>]|translatable="yes"'

candidates() {
  local f
  while IFS= read -r -d '' f; do
    f=${f#./}
    case "$f" in
      *.c|*.h)
        grep -qE "$c_marks" "$f" && printf '%s\n' "$f" ;;
      *.ui)
        grep -q 'translatable="yes"' "$f" && printf '%s\n' "$f" ;;
      *.desktop.in)
        grep -qE "$desktop_marks" "$f" && printf '%s\n' "$f" ;;
      *.xml.in)
        grep -qE "$xml_marks" "$f" && printf '%s\n' "$f" ;;
    esac
  done < <(find src data -type f \( -name '*.c' -o -name '*.h' -o -name '*.ui' \
                                    -o -name '*.desktop.in' -o -name '*.xml.in' \) -print0 2>/dev/null)
  return 0
}

listed=$(grep -vE '^[[:space:]]*(#|$)' "$potfiles" | sed 's/[[:space:]]*$//')

while IFS= read -r f; do
  [ -n "$f" ] || continue
  if ! grep -qxF "$f" <<<"$listed"; then
    echo "$potfiles: missing $f, which has translatable strings" >&2
    status=1
  fi
done < <(candidates | LC_ALL=C sort)

while IFS= read -r f; do
  [ -n "$f" ] || continue
  if [ ! -f "$f" ]; then
    echo "$potfiles: lists $f, which does not exist" >&2
    status=1
  fi
done <<<"$listed"

if [ "$status" -eq 0 ]; then
  echo "ok: every file with translatable strings is in $potfiles ($(grep -c . <<<"$listed") entries)"
fi
exit "$status"
