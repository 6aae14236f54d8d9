#!/usr/bin/env bash
# Install vaultapp's desktop integration for the current user (no root needed):
#
#     install-desktop.sh [VAULTAPP_EXECUTABLE]
#
# VAULTAPP_EXECUTABLE is the program the menu entry and file associations start. Default:
# the bundle's own `vaultapp` when this script runs from an unpacked bundle
# (dist/vaultapp/install-desktop.sh), else `command -v vaultapp`.
#
# Into ${XDG_DATA_HOME:-~/.local/share}:
#   applications/vaultapp.desktop                        menu entry, Exec=<exe> gui %F
#   mime/packages/vaultapp-mime.xml                      application/x-vaultapp-sealed
#   icons/hicolor/scalable/apps/vaultapp.svg             the app icon
#   icons/hicolor/scalable/mimetypes/application-x-vaultapp-sealed.svg
# and makes vaultapp.desktop the default application for sealed files (xdg-mime default,
# which writes ${XDG_CONFIG_HOME:-~/.config}/mimeapps.list). Then rebuilds the per-user
# MIME database (update-mime-database) and, if present, the desktop-file cache.
# Running it again replaces what it installed. uninstall-desktop.sh undoes all of it.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ -f "$here/share/vaultapp.desktop" ]; then          # an unpacked bundle
  desktop_in=$here/share/vaultapp.desktop
  mime_in=$here/share/vaultapp-mime.xml
  app_icon=$here/share/vaultapp.svg
  sealed_icon=$here/share/application-x-vaultapp-sealed.svg
  default_exe=$here/vaultapp
else                                                     # the source tree (packaging/)
  root=$(dirname "$here")
  desktop_in=$root/resources/linux/vaultapp.desktop
  mime_in=$root/resources/linux/vaultapp-mime.xml
  app_icon=$root/vaultapp/resources/app.svg
  sealed_icon=$root/vaultapp/resources/sealed-file.svg
  default_exe=$(command -v vaultapp || true)
fi

die() { echo "install-desktop.sh: $*" >&2; exit "${2:-1}"; }

[ $# -le 1 ] || die "usage: install-desktop.sh [VAULTAPP_EXECUTABLE]" 2
exe=${1:-$default_exe}
[ -n "$exe" ] || die "no vaultapp executable found on PATH; give its path as the argument" 2
case $exe in /*) ;; *) exe=$PWD/$exe ;; esac
[ -f "$exe" ] && [ -x "$exe" ] || die "$exe is not an executable file" 2
case $exe in
  *[[:cntrl:]]*) die "the executable's path contains a control character; move it" 2 ;;
  # The spec writes % as %%, but GLib then looks for a program named with %%, finds none
  # and hides the entry: refuse rather than install an entry that silently does nothing.
  *%*) die "the executable's path contains %, which desktops do not agree on; move it" 2 ;;
esac
for tool in update-mime-database xdg-mime; do
  command -v "$tool" >/dev/null ||
    die "$tool is missing (Debian/Ubuntu: apt-get install shared-mime-info xdg-utils)"
done
for f in "$desktop_in" "$mime_in" "$app_icon" "$sealed_icon"; do
  [ -f "$f" ] || die "missing $f"
done

# The executable as one argument of a desktop entry's Exec key (Desktop Entry spec,
# "The Exec key"): quoted if it holds a reserved character, `"` ` $ \ escaped inside
# the quotes; then the string-value escaping doubles every backslash. (No % gets here.)
exec_arg() {
  local s=$1
  case $s in
    *[!A-Za-z0-9/._+-]*)
      s=${s//\\/\\\\}; s=${s//\"/\\\"}; s=${s//\`/\\\`}; s=${s//\$/\\\$}
      s="\"$s\"" ;;
  esac
  printf '%s' "${s//\\/\\\\}"
}

data=${XDG_DATA_HOME:-$HOME/.local/share}
apps=$data/applications
mime=$data/mime
icons=$data/icons/hicolor
mkdir -p "$apps" "$mime/packages" "$icons/scalable/apps" "$icons/scalable/mimetypes"

# Every Exec line of the template starts "Exec=vaultapp ": point it at $exe. The entry is
# written and validated elsewhere, then renamed into place (menus never see half a file).
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
VAULTAPP_EXEC=$(exec_arg "$exe") awk '
  index($0, "Exec=vaultapp ") == 1 { print "Exec=" ENVIRON["VAULTAPP_EXEC"] substr($0, 14); next }
  { print }' "$desktop_in" >"$work/vaultapp.desktop"
if command -v desktop-file-validate >/dev/null &&
   desktop-file-validate "$work/vaultapp.desktop" | grep -E ": (error|warning): " >&2; then
  die "the generated desktop entry does not validate"
fi
install -m 644 "$work/vaultapp.desktop" "$apps/.vaultapp.desktop.new"
mv -f "$apps/.vaultapp.desktop.new" "$apps/vaultapp.desktop"

install -m 644 "$mime_in" "$mime/packages/vaultapp-mime.xml"
install -m 644 "$app_icon" "$icons/scalable/apps/vaultapp.svg"
install -m 644 "$sealed_icon" "$icons/scalable/mimetypes/application-x-vaultapp-sealed.svg"
touch "$icons"  # icon-theme caches notice a newer folder

update-mime-database "$mime"
if command -v update-desktop-database >/dev/null; then
  update-desktop-database -q "$apps"
fi
xdg-mime default vaultapp.desktop application/x-vaultapp-sealed

echo "installed vaultapp's desktop integration into $data (Exec: $exe)"
