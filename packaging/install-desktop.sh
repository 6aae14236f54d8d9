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
#   mime/packages/vaultapp-age-mime.xml                  application/x-age-encrypted, only
#                                                        when no other MIME package defines it
#   icons/hicolor/scalable/apps/vaultapp.svg             the app icon
#   icons/hicolor/scalable/mimetypes/application-x-vaultapp-sealed.svg
# and makes vaultapp.desktop the default application for sealed files (xdg-mime default,
# which writes ${XDG_CONFIG_HOME:-~/.config}/mimeapps.list), and for age files only when
# no application is their default yet (an installed age tool keeps them). Then rebuilds
# the per-user MIME database (update-mime-database) and, if present, the desktop-file
# cache. Running it again replaces what it installed. uninstall-desktop.sh undoes all of it.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ -f "$here/share/vaultapp.desktop" ]; then          # an unpacked bundle
  desktop_in=$here/share/vaultapp.desktop
  mime_in=$here/share/vaultapp-mime.xml
  age_mime_in=$here/share/vaultapp-age-mime.xml
  app_icon=$here/share/vaultapp.svg
  sealed_icon=$here/share/application-x-vaultapp-sealed.svg
  default_exe=$here/vaultapp
else                                                     # the source tree (packaging/)
  root=$(dirname "$here")
  desktop_in=$root/resources/linux/vaultapp.desktop
  mime_in=$root/resources/linux/vaultapp-mime.xml
  age_mime_in=$root/resources/linux/vaultapp-age-mime.xml
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
for f in "$desktop_in" "$mime_in" "$age_mime_in" "$app_icon" "$sealed_icon"; do
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
age_type=application/x-age-encrypted

# age files: asked before our entry (which lists the type) is installed, so that the
# answer is another application's, or none. xdg-mime answers from mimeapps.list and from
# any installed entry that lists the type: an age tool that claims .age keeps it.
age_owner=$(xdg-mime query default "$age_type" 2>/dev/null || true)

# Whether a MIME package other than ours defines (or aliases) the age type: the user's
# own packages, and every system data folder's packages and compiled database.
age_type_known() {
  local dir f oldifs=$IFS
  for f in "$mime"/packages/*.xml; do
    [ -f "$f" ] && [ "$f" != "$mime/packages/vaultapp-age-mime.xml" ] &&
      grep -q "\"$age_type\"" "$f" && return 0
  done
  IFS=:
  for dir in ${XDG_DATA_DIRS:-/usr/local/share:/usr/share}; do
    IFS=$oldifs
    [ -n "$dir" ] || continue
    [ -f "$dir/mime/$age_type.xml" ] && return 0
    [ -f "$dir/mime/aliases" ] && grep -q "^$age_type " "$dir/mime/aliases" && return 0
    for f in "$dir"/mime/packages/*.xml; do
      [ -f "$f" ] && grep -q "\"$age_type\"" "$f" && return 0
    done
  done
  IFS=$oldifs
  return 1
}

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
if age_type_known; then
  rm -f "$mime/packages/vaultapp-age-mime.xml"   # the system's definition is the one
  age_defined=by-system
else
  install -m 644 "$age_mime_in" "$mime/packages/vaultapp-age-mime.xml"
  age_defined=by-vaultapp
fi
install -m 644 "$app_icon" "$icons/scalable/apps/vaultapp.svg"
install -m 644 "$sealed_icon" "$icons/scalable/mimetypes/application-x-vaultapp-sealed.svg"
touch "$icons"  # icon-theme caches notice a newer folder

update-mime-database "$mime"
if command -v update-desktop-database >/dev/null; then
  update-desktop-database -q "$apps"
fi
xdg-mime default vaultapp.desktop application/x-vaultapp-sealed
if [ -z "$age_owner" ] || [ "$age_owner" = vaultapp.desktop ]; then
  xdg-mime default vaultapp.desktop "$age_type"
  age_note="vaultapp opens them"
else
  # Our entry lists the type too, and an entry of the user's own comes first when no
  # default is written down: write the owner down, so that it stays theirs.
  xdg-mime default "$age_owner" "$age_type"
  age_note="they stay with $age_owner"
fi

echo "installed vaultapp's desktop integration into $data (Exec: $exe)"
echo "age files ($age_type, type defined $age_defined): $age_note"
