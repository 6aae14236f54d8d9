#!/usr/bin/env bash
# Install, use, upgrade and remove the Debian package as a person would, on this machine:
#
#     packaging/test-deb.sh [DEB]          (as root; default: dist/vaultapp_*_<arch>.deb)
#
# Run by .ci/run after packaging/build-deb.sh. It changes the system (that is the point),
# so it refuses to run where vaultapp is installed already, and at the end, also on
# failure (a trap), puts the machine back: the package purged, every package apt pulled in
# for it purged, the desktop, MIME and icon caches checked against their state before.
#
#   install   apt-get install ./DEB, dependencies from the package registry (timed); every
#             installed file matches the package (dpkg --verify)
#   use       vaultapp --version and vaultapp selftest as an unprivileged user (nobody);
#             man vaultapp; bash, zsh and fish complete `vaultapp sl` to `slot`; then
#             packaging/deb_checks.py: keyring round trip, the window started through its
#             desktop entry's Exec line under Xvfb with a screenshot
#             (docs/screenshots/deb-window.png), a sealed file double-clicked (gio launch)
#             and opened by the running window, xdg-mime's type and default application
#   remove    apt-get remove: nothing left under /opt/vaultapp, no file of the package left,
#             the MIME, desktop and icon databases no longer mention vaultapp; purge
#   upgrade   the previous package (see below) installed; as nobody a keybox made, pinned,
#             a file sealed; the new package installed over it: the keybox and pin files
#             byte-identical, the keybox unlocks, the file opens, the file only the
#             previous package had is gone
#   remove    remove and purge again: as above, and the user's data folder untouched
#
# The previous package: this package again with a lower version (<upstream>~prev-1) and one
# file more, repacked here (fast gzip), not a build of the previous commit: that commit has
# no build-deb.sh, and a second PyInstaller build would cost CI minutes without testing
# anything more about the upgrade (what an upgrade can break is the user's files outside the
# package, and files of the old package left behind). packaging/README.md says more.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

die() { echo "test-deb.sh: $*" >&2; exit "${2:-1}"; }
[ "$(id -u)" -eq 0 ] || die "run as root: it installs and removes the package" 2
arch=$(dpkg --print-architecture)
if [ $# -ge 1 ]; then deb=$(realpath "$1"); else
  shopt -s nullglob; debs=(dist/vaultapp_*_"$arch".deb); shopt -u nullglob
  [ ${#debs[@]} -eq 1 ] || die "expected one dist/vaultapp_*_$arch.deb, found ${#debs[@]}: give it"
  deb=$(realpath "${debs[0]}")
fi
[ -f "$deb" ] || die "$deb does not exist"
python=$repo/.venv/bin/python
[ -x "$python" ] || die ".venv is missing (scripts/test or packaging/build.sh makes it)"
for tool in apt-get dpkg-deb setpriv xdg-mime gio Xvfb xdotool scrot gnome-keyring-daemon \
            dbus-daemon man bash zsh fish; do
  command -v "$tool" >/dev/null || die "$tool is missing: run scripts/install-system-deps"
done
status=$(dpkg-query -W -f='${db:Status-Abbrev}' vaultapp 2>/dev/null || true)
case $status in ""|un*|pn*) ;; *) die "vaultapp is installed here ($status): remove it first" ;; esac
[ ! -e /opt/vaultapp ] || die "/opt/vaultapp exists without the package: move it away first"

version=$(dpkg-deb -f "$deb" Version)
upstream=${version%-*}
prev_version=$upstream~prev-1
export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8
work=$(mktemp -d /tmp/vaultapp-test-deb-XXXXXX)
chmod 755 "$work"  # nobody walks through it to its HOME
failures=()
passed=0
check() {  # check NAME COMMAND...: runs COMMAND, prints ok/FAIL
  local name=$1; shift
  if "$@" >"$work/last.out" 2>&1; then
    echo "ok   $name"; passed=$((passed + 1))
  else
    echo "FAIL $name"; sed 's/^/     | /' "$work/last.out" | tail -n 20
    failures+=("$name")
  fi
}

# --- the machine's state before, and putting it back --------------------------------------
installed_packages() { dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' |
                       awk '$1 == "ii" { print $2 }' | sort; }
cache_files=(/usr/share/applications/mimeinfo.cache /usr/share/mime/mime.cache
             /usr/share/mime/globs2 /usr/share/mime/magic /usr/share/mime/types
             /usr/share/icons/hicolor/icon-theme.cache)
caches_state() { for f in "${cache_files[@]}"; do
                   if [ -f "$f" ]; then sha256sum "$f"; else echo "absent $f"; fi; done; }
installed_packages >"$work/packages.before"
caches_state >"$work/caches.before"
restore() {
  local code=$?
  trap - EXIT
  set +e
  if dpkg-query -W -f='${db:Status-Abbrev}' vaultapp 2>/dev/null | grep -qv '^[up]n'; then
    apt-get purge -y -qq vaultapp >"$work/restore.log" 2>&1
  fi
  installed_packages >"$work/packages.after"
  mapfile -t added < <(comm -13 "$work/packages.before" "$work/packages.after")
  if [ ${#added[@]} -gt 0 ]; then
    echo "test-deb.sh: purging what apt installed for the package: ${added[*]}"
    apt-get purge -y -qq "${added[@]}" >>"$work/restore.log" 2>&1
  fi
  caches_state >"$work/caches.after"
  if cmp -s "$work/caches.before" "$work/caches.after"; then
    echo "test-deb.sh: the desktop, MIME and icon caches are as before"
  else
    echo "test-deb.sh: these caches differ from before the test:"
    diff "$work/caches.before" "$work/caches.after" | sed -n 's/^> /     /p'
  fi
  rm -rf "$work"
  exit "$code"
}
trap restore EXIT

as_user() {  # as_user HOME [VAR=VALUE...] COMMAND...: as nobody, HOME and a clean environment
  local home=$1; shift
  setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all \
    env -i HOME="$home" PATH=/usr/bin:/bin LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen \
        XDG_RUNTIME_DIR="$home/.run" "$@"
}
with_stdin() { local text=$1; shift; "$@" <<<"$text"; }
new_home() { install -d -o nobody -g nogroup -m 700 "$1" "$1/.run"; }
not_installed() { ! dpkg-query -W -f='${db:Status-Abbrev}' vaultapp 2>/dev/null | grep -qv '^[up]n'; }
status_is() { [ "$(dpkg-query -W -f='${Status} ${Version}' vaultapp)" = "$1" ]; }
verified() { [ -z "$(dpkg --verify vaultapp)" ]; }
user_version() { [ "$(as_user "$1" vaultapp --version)" = "vaultapp $upstream" ]; }
user_selftest() {
  local out; out=$(as_user "$1" vaultapp selftest) || { echo "$out"; return 1; }
  echo "$out"; grep -q '^ok   window built' <<<"$out"
}

# The files and links the package owns (dpkg -L); its folders are checked apart (/opt/vaultapp,
# /usr/share/doc/vaultapp), the shared ones (/usr/share/icons/hicolor/48x48/apps, ...) stay.
package_files() { dpkg-query -L vaultapp | while read -r p; do
                    [ -d "$p" ] && [ ! -L "$p" ] || echo "$p"; done | sort; }
check_removed() {  # check_removed LABEL FILES_LIST
  local label=$1 list=$2
  check "$label: nothing left under /opt/vaultapp" test ! -e /opt/vaultapp
  check "$label: no file of the package left in /usr" \
    bash -c 'while read -r p; do [ ! -e "$p" ] && [ ! -L "$p" ] || { echo "left: $p"; exit 1; }
             done <"$1"' _ "$list"
  check "$label: /usr/share/doc/vaultapp is gone" test ! -e /usr/share/doc/vaultapp
  check "$label: the MIME database no longer mentions vaultapp${age_ours:+ or the age type}" \
    bash -c '! grep -rl -e vaultapp ${1:+-e "$1"} /usr/share/mime' _ "$age_ours"
  check "$label: the desktop database no longer mentions vaultapp" \
    bash -c '! grep -l vaultapp /usr/share/applications/mimeinfo.cache'
  check "$label: the icon cache no longer mentions vaultapp" \
    bash -c '[ ! -f "$1" ] || ! grep -aq vaultapp "$1"' _ /usr/share/icons/hicolor/icon-theme.cache
  check "$label: xdg-mime has no default for sealed files" \
    bash -c '[ -z "$(HOME=$1 xdg-mime query default application/x-vaultapp-sealed)" ]' _ "$work/empty-home"
}
mkdir -p "$work/empty-home"
# The age type is ours to remove only where nothing else defined it before (a newer
# shared-mime-info, an age tool's package).
age_ours=application/x-age-encrypted
grep -rqs "$age_ours" /usr/share/mime && age_ours=""

apt_install() {  # apt_install DEB: dependencies from the registry, lists refreshed if needed
  local missing=()
  for dep in $(dpkg-deb -f "$1" Depends | tr ',' '\n' | sed 's/(.*)//; s/|.*//' | xargs); do
    dpkg-query -W -f='${db:Status-Abbrev}' "$dep" 2>/dev/null | grep -q '^ii' || missing+=("$dep")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "test-deb.sh: from the registry: ${missing[*]}"
    apt-get update -qq
  fi
  apt-get install -y --no-install-recommends "$1"
}

# --- install ----------------------------------------------------------------------------------
echo "test-deb.sh: $deb ($version, $(stat -c %s "$deb") bytes)"
started=$(date +%s.%N)
check "install: apt-get install ./$(basename "$deb")" apt_install "$deb"
install_s=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
cat "$work/last.out" >"$work/install.log"
check "install: dpkg says $version is installed" status_is "install ok installed $version"
check "install: every installed file is the package's (dpkg --verify)" verified
check "install: /usr/bin/vaultapp starts /opt/vaultapp/vaultapp" \
  test "$(readlink /usr/bin/vaultapp)" = /opt/vaultapp/vaultapp
package_files >"$work/files.list"

# --- use --------------------------------------------------------------------------------------
home=$work/nobody
new_home "$home"
check "use: vaultapp --version as nobody" user_version "$home"
check "use: vaultapp selftest as nobody (its window check ok, not skipped)" user_selftest "$home"
check "use: man vaultapp shows the manual page" \
  bash -c 'MANPAGER=cat MANWIDTH=80 man vaultapp 2>/dev/null | grep -q "vaultapp keybox check"'
check "use: bash completes 'vaultapp sl' to slot" bash -c '
  source /usr/share/bash-completion/completions/vaultapp
  COMP_WORDS=(vaultapp sl); COMP_CWORD=1; COMP_LINE="vaultapp sl"; COMP_POINT=${#COMP_LINE}
  _shtab_vaultapp; printf "%s\n" "${COMPREPLY[@]}"; printf "%s\n" "${COMPREPLY[@]}" | grep -q "^slot"'
# (compinit replaces its dump file: never point -d at /dev/null, which it would delete)
check "use: zsh finds the completion (compinit registers _vaultapp)" \
  env HOME="$work/empty-home" zsh -f -c 'autoload -U compinit && compinit -u -d "$HOME/.zcompdump" &&
    [[ $_comps[vaultapp] == _vaultapp ]]'
check "use: fish completes 'vaultapp sl' to slot" \
  bash -c 'HOME=$1 fish -c "complete -C \"vaultapp sl\"" | grep -q "^slot"' _ "$work/empty-home"
echo "test-deb.sh: packaging/deb_checks.py (keyring, window, double-click, file types)"
check "use: keyring round trip, the window from its desktop entry, double-click, file types" \
  "$python" packaging/deb_checks.py "$repo/docs/screenshots/deb-window.png"
sed 's/^/     | /' "$work/last.out"

# --- remove -----------------------------------------------------------------------------------
check "remove: apt-get remove vaultapp" apt-get remove -y -qq vaultapp
check_removed "remove" "$work/files.list"
check "remove: dpkg keeps nothing of it (no conffiles: nothing left to purge)" not_installed
check "purge: dpkg --purge vaultapp" dpkg --purge vaultapp

# --- upgrade ----------------------------------------------------------------------------------
# The previous package: this one repacked with a lower version and one file more.
prev=$work/prev
dpkg-deb -R "$deb" "$prev"
sed -i "s/^Version: .*/Version: $prev_version/" "$prev/DEBIAN/control"
echo "only the previous package has this file" >"$prev/opt/vaultapp/_internal/previous-only.txt"
(cd "$prev" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z |
   xargs -0 md5sum) >"$prev/DEBIAN/md5sums"
dpkg-deb --root-owner-group -Zgzip -z1 --build "$prev" "$work/vaultapp_${prev_version}_$arch.deb" >/dev/null
rm -rf "$prev"
check "upgrade: install the previous package ($prev_version)" \
  apt_install "$work/vaultapp_${prev_version}_$arch.deb"

home=$work/upgrade-home
new_home "$home"
secret="upgrade test: a passphrase to remember 2718"
as_user "$home" sh -c 'head -c 300000 /dev/urandom >"$HOME/report.bin"'
check "upgrade: as nobody, a keybox (passphrase slot)" \
  with_stdin "$secret" as_user "$home" vaultapp init --no-keyring --passphrase-stdin
check "upgrade: as nobody, a profile (the first unlock pins the keybox)" \
  as_user "$home" VAULTAPP_PASSPHRASE="$secret" vaultapp profile create upgrade
check "upgrade: as nobody, a file sealed" \
  as_user "$home" VAULTAPP_PASSPHRASE="$secret" vaultapp seal "$home/report.bin"
user_data_untouched() { diff "$work/user.used" <(user_state); }
user_state() { (cd "$home" && find .local/share/vaultapp .config/vaultapp report.bin.vault \
                 -type f -print0 | sort -z | xargs -0 sha256sum); }
check "upgrade: the keybox and its pin are there" \
  bash -c '[ -f "$1/.local/share/vaultapp/keybox.sqlite" ] && ls "$1"/.config/vaultapp/pins/*.json' _ "$home"
user_state >"$work/user.before"
cat "$work/user.before"
check "upgrade: install the new package over it ($version)" apt_install "$deb"
check "upgrade: dpkg says $version is installed" status_is "install ok installed $version"
check "upgrade: the file only the previous package had is gone" \
  test ! -e /opt/vaultapp/_internal/previous-only.txt
check "upgrade: every installed file is the new package's (dpkg --verify)" verified
user_state >"$work/user.after"
check "upgrade: the keybox, its pin and the sealed file are byte-identical" \
  cmp "$work/user.before" "$work/user.after"
check "upgrade: the keybox still unlocks (keybox check --unlock)" \
  as_user "$home" VAULTAPP_PASSPHRASE="$secret" vaultapp keybox check --unlock
install -d -o nobody -g nogroup "$home/opened"
check "upgrade: the sealed file still opens" \
  as_user "$home" VAULTAPP_PASSPHRASE="$secret" vaultapp open -o "$home/opened" "$home/report.bin.vault"
check "upgrade: ... every byte of it" cmp "$home/report.bin" "$home/opened/report.bin"
user_state >"$work/user.used"

# --- remove again: the user's data stays --------------------------------------------------------
package_files >"$work/files.list"
check "remove after upgrade: apt-get remove vaultapp" apt-get remove -y -qq vaultapp
check_removed "remove after upgrade" "$work/files.list"
check "remove after upgrade: the user's data folder is untouched" \
  user_data_untouched
check "remove after upgrade: dpkg keeps nothing of it" not_installed
check "purge after upgrade: dpkg --purge vaultapp" dpkg --purge vaultapp
check "purge after upgrade: the user's data folder is untouched" \
  user_data_untouched

echo
echo "     package: $(basename "$deb"), $(stat -c %s "$deb") bytes;" \
     "installed: $(dpkg-deb -f "$deb" Installed-Size) KiB"
echo "     install time (apt-get install, fresh): $install_s s"
if [ ${#failures[@]} -gt 0 ]; then
  echo "test-deb.sh: FAILED: ${#failures[@]} of $((passed + ${#failures[@]})) checks: ${failures[*]}"
  exit 1
fi
echo "test-deb.sh: all $passed checks passed"
