#!/usr/bin/env bash
# Remove what install-desktop.sh installed for the current user:
#
#     uninstall-desktop.sh
#
# Deletes the desktop entry, the MIME packages and the two icons from
# ${XDG_DATA_HOME:-~/.local/share}, takes vaultapp.desktop out of the
# application/x-vaultapp-sealed and application/x-age-encrypted lines of mimeapps.list
# (other applications named there stay), and rebuilds the per-user MIME database and
# desktop-file cache without them.
# Sealed files and keyboxes are never touched. Safe to run twice.
set -euo pipefail

data=${XDG_DATA_HOME:-$HOME/.local/share}
config=${XDG_CONFIG_HOME:-$HOME/.config}
apps=$data/applications
mime=$data/mime
icons=$data/icons/hicolor
types="application/x-vaultapp-sealed application/x-age-encrypted"

rm -f "$apps/vaultapp.desktop" \
      "$mime/packages/vaultapp-mime.xml" \
      "$mime/packages/vaultapp-age-mime.xml" \
      "$icons/scalable/apps/vaultapp.svg" \
      "$icons/scalable/mimetypes/application-x-vaultapp-sealed.svg"

# mimeapps.list: the current place (config) and the deprecated one (data/applications).
for list in "$config/mimeapps.list" "$apps/mimeapps.list"; do
  [ -f "$list" ] || continue
  tmp=$(mktemp "$list.XXXXXX")
  TYPES=$types awk '
    BEGIN { n = split(ENVIRON["TYPES"], types, " ") }
    {
      for (t = 1; t <= n; t++) {
        key = types[t] "="
        if (index($0, key) != 1) continue
        m = split(substr($0, length(key) + 1), ids, ";")
        kept = ""
        for (i = 1; i <= m; i++) if (ids[i] != "" && ids[i] != "vaultapp.desktop") kept = kept ids[i] ";"
        if (kept != "") print key kept
        next
      }
      print
    }' "$list" >"$tmp"
  chmod --reference="$list" "$tmp"
  mv -f "$tmp" "$list"
done

if [ -d "$mime/packages" ] && command -v update-mime-database >/dev/null; then
  update-mime-database "$mime"
fi
if [ -d "$apps" ] && command -v update-desktop-database >/dev/null; then
  update-desktop-database -q "$apps"
fi
for dir in "$icons/scalable/apps" "$icons/scalable/mimetypes" "$icons/scalable"; do
  [ -d "$dir" ] && rmdir --ignore-fail-on-non-empty "$dir"
done
[ -d "$icons" ] && touch "$icons"

echo "removed vaultapp's desktop integration from $data"
