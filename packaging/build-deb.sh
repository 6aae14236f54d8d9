#!/usr/bin/env bash
# Build vaultapp's Debian package from the PyInstaller bundle, in one command:
#
#     packaging/build-deb.sh [--no-build] [--update-depends]
#
#   --no-build         reuse dist/vaultapp from an earlier packaging/build.sh at this commit
#                      (.ci/run: the smoke test built it) instead of building it again
#   --update-depends   write the Depends list this bundle needs into
#                      packaging/debian/depends instead of refusing to build when they differ
#
# Writes dist/vaultapp_<version>_<arch>.deb and dist/SHA256SUMS (the .deb and the bundle's
# tarball), for `sha256sum -c SHA256SUMS`. <version> is the first line of
# packaging/debian/changelog (upstream version vaultapp.__version__, then the Debian
# revision). What goes where (packaging/README.md has the long form):
#
#   /opt/vaultapp/                    the bundle, less the libraries Debian provides
#   /usr/bin/vaultapp                 -> /opt/vaultapp/vaultapp
#   /usr/share/applications/          vaultapp.desktop (Exec=vaultapp gui %F)
#   /usr/share/mime/packages/         vaultapp-mime.xml (.vault), vaultapp-age-mime.xml (.age)
#   /usr/share/icons/hicolor/         scalable SVGs and PNGs of 16-512 px, app and sealed file
#   /usr/share/man/man1/vaultapp.1.gz from the argument parser (packaging/make_manpage.py)
#   bash, zsh and fish completions    from the argument parser (packaging/make_completions.py)
#   /usr/share/doc/vaultapp/          copyright (machine-readable), changelog.Debian.gz
#   /usr/share/lintian/overrides/     vaultapp (packaging/debian/lintian-overrides)
#
# No maintainer scripts: dpkg's file triggers of desktop-file-utils, shared-mime-info and
# hicolor-icon-theme rebuild the desktop, MIME and icon caches on install, upgrade and
# removal (packaging/test-deb.sh checks they do).
#
# Reproducible (packaging/check-reproducible.sh): the same commit gives the same .deb, byte
# for byte, in any folder at any time: SOURCE_DATE_EPOCH is the commit's time, every file's
# time is it, names are sorted, modes are set here, owners are root (--root-owner-group),
# gzip runs with -n.
set -euo pipefail
cd "$(dirname "$0")/.."

die() { echo "build-deb.sh: $*" >&2; exit "${2:-1}"; }
build=1
update_depends=0
for arg in "$@"; do
  case $arg in
    --no-build) build=0 ;;
    --update-depends) update_depends=1 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $arg (see --help)" 2 ;;
  esac
done

umask 022
export LC_ALL=C.UTF-8 TZ=UTC PYTHONHASHSEED=0
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
  SOURCE_DATE_EPOCH=$(git log -1 --format=%ct 2>/dev/null) ||
    die "not a git checkout: set SOURCE_DATE_EPOCH (seconds since 1970)" 2
fi
export SOURCE_DATE_EPOCH

[ "$(uname -s)" = Linux ] || die "builds the Debian package on Linux only" 2
for tool in dpkg-deb dpkg-shlibdeps dpkg-architecture desktop-file-validate gzip cmp; do
  command -v "$tool" >/dev/null ||
    die "$tool is missing: apt-get install dpkg-dev desktop-file-utils (scripts/install-system-deps)"
done

if [ "$build" = 1 ]; then
  packaging/build.sh
fi
python=build/venv/bin/python  # packaging/build.sh's own virtualenv (the bundle's packages)
[ -x "$python" ] || die "build/venv is missing: run packaging/build.sh first (or drop --no-build)"
"$python" -m pip install -q --disable-pip-version-check -e '.[package,deb]'

upstream=$("$python" -c 'import vaultapp; print(vaultapp.__version__)')
version=$(sed -n '1s/^vaultapp (\([^)]*\)) .*/\1/p' packaging/debian/changelog)
[ -n "$version" ] || die "packaging/debian/changelog does not start with 'vaultapp (VERSION) ...'"
[ "${version%-*}" = "$upstream" ] ||
  die "packaging/debian/changelog is at $version but vaultapp.__version__ is $upstream: add an entry"
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)

bundle=dist/vaultapp
[ -x "$bundle/vaultapp" ] || die "$bundle is missing: run packaging/build.sh (or drop --no-build)"
said=$(env -i PATH=/usr/bin:/bin "$bundle/vaultapp" --version)
[ "$said" = "vaultapp $upstream" ] ||
  die "$bundle says '$said', not 'vaultapp $upstream': it is not this tree's build"

# dpkg-shlibdeps expects a source tree: debian/control, the package in debian/<name>/.
work=build/deb
pkg=$work/debian/vaultapp
rm -rf "$work"
install -d "$pkg/DEBIAN" "$pkg/opt"
printf 'Source: vaultapp\n\nPackage: vaultapp\nArchitecture: %s\n' "$arch" >"$work/debian/control"

# --- the bundle ----------------------------------------------------------------------------
cp -a "$bundle" "$pkg/opt/vaultapp"
rm -rf "$pkg/opt/vaultapp/install-desktop.sh" "$pkg/opt/vaultapp/uninstall-desktop.sh" \
       "$pkg/opt/vaultapp/share"   # the per-user desktop integration: here it is system-wide
# PyInstaller copied some libraries from the build machine (libssl3, libglib2.0-0, libx11-6,
# libxcb-cursor0, ...). Debian provides them and their security updates: each bundled file
# that is byte-identical to a file of a Debian package is left out and the package depends
# on its owner instead (the Depends check below), so `apt upgrade` patches them.
system_libs=()
for f in "$pkg"/opt/vaultapp/_internal/*.so*; do
  [ -f "$f" ] && [ ! -L "$f" ] || continue
  name=${f##*/}
  for dir in "/usr/lib/$multiarch" "/lib/$multiarch"; do
    [ -f "$dir/$name" ] && cmp -s "$f" "$dir/$name" || continue
    owner=$(dpkg -S "$dir/$name" "${dir#/usr}/$name" "/usr${dir#/usr}/$name" 2>/dev/null |
            head -n1 | cut -d: -f1) || true
    [ -n "$owner" ] || continue
    rm "$f"
    system_libs+=("$name")
    break
  done
done
echo "build-deb.sh: ${#system_libs[@]} bundled libraries come from Debian's packages instead"

# --- desktop integration, documentation ----------------------------------------------------
share=$pkg/usr/share
install -D -m 644 resources/linux/vaultapp.desktop "$share/applications/vaultapp.desktop"
desktop-file-validate "$share/applications/vaultapp.desktop"
install -D -m 644 -t "$share/mime/packages" resources/linux/vaultapp-mime.xml \
  resources/linux/vaultapp-age-mime.xml
icons=$share/icons/hicolor
install -D -m 644 vaultapp/resources/app.svg "$icons/scalable/apps/vaultapp.svg"
install -D -m 644 vaultapp/resources/sealed-file.svg \
  "$icons/scalable/mimetypes/application-x-vaultapp-sealed.svg"
ICONS=$icons QT_QPA_PLATFORM=offscreen PYTHONPATH=$PWD "$python" - <<'EOF'
import os
import sys
from pathlib import Path

sys.path.insert(0, "packaging")
import make_icons

out = Path(os.environ["ICONS"])
sizes = (16, 24, 32, 48, 64, 128, 256, 512)
for svg, kind, name in ((make_icons.SOURCE, "apps", "vaultapp"),
                        (make_icons.ROOT / "vaultapp/resources/sealed-file.svg", "mimetypes",
                         "application-x-vaultapp-sealed")):
    for size, png in make_icons.render_pngs(svg, sizes).items():
        path = out / f"{size}x{size}" / kind / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(png)
EOF
install -d "$share/man/man1" "$share/doc/vaultapp" "$share/lintian/overrides" "$pkg/usr/bin"
PYTHONPATH=$PWD "$python" packaging/make_manpage.py "$work/vaultapp.1"
gzip -n -9 -c "$work/vaultapp.1" >"$share/man/man1/vaultapp.1.gz"
PYTHONPATH=$PWD "$python" packaging/make_completions.py "$work/completions" >/dev/null
install -D -m 644 "$work/completions/vaultapp.bash" "$share/bash-completion/completions/vaultapp"
install -D -m 644 "$work/completions/_vaultapp" "$share/zsh/vendor-completions/_vaultapp"
install -D -m 644 "$work/completions/vaultapp.fish" \
  "$share/fish/vendor_completions.d/vaultapp.fish"
gzip -n -9 -c packaging/debian/changelog >"$share/doc/vaultapp/changelog.Debian.gz"
# copyright: the header of packaging/debian/copyright.in, the licence text from LICENSE
holder=$(sed -n 's/^Copyright (c) //p' LICENSE | head -n1)
[ -n "$holder" ] || die "LICENSE has no 'Copyright (c) ...' line"
{
  sed "s/@COPYRIGHT@/$holder/" packaging/debian/copyright.in
  echo
  echo "License: Expat"
  sed -n '/^Permission is hereby granted/,$p' LICENSE | sed 's/^$/./; s/^/ /'
} >"$share/doc/vaultapp/copyright"
install -m 644 packaging/debian/lintian-overrides "$share/lintian/overrides/vaultapp"
ln -s /opt/vaultapp/vaultapp "$pkg/usr/bin/vaultapp"

# Modes set here, not inherited from the build's umask or the wheels: folders 755, files
# 644 (shared libraries need no execute bit), the one program 755.
find "$pkg" -type d -exec chmod 755 {} +
find "$pkg" -type f -exec chmod 644 {} +
chmod 755 "$pkg/opt/vaultapp/vaultapp"

# --- Depends: exactly the system libraries the bundle's ELF files link -----------------------
# dpkg-shlibdeps reads every ELF file's NEEDED entries, finds each library (the bundle's own
# folders first), and names the Debian package of each one found on the system, with the
# lowest version that has every symbol used (glibc included). The list is checked in
# (packaging/debian/depends): the package then depends on the commit, not on the build
# machine, and a change shows up in review; the build stops when it is no longer exact.
mapfile -t elfs < <(find "$pkg/opt" -type f -print0 | xargs -0 file -N --mime-type |
                    sed -n 's/: *application\/x-\(pie-executable\|executable\|sharedlib\)$//p' |
                    sort)
[ ${#elfs[@]} -gt 0 ] || die "no ELF file found in the bundle"
libdirs=()
while IFS= read -r d; do libdirs+=("-l${d#"$work/"}"); done < <(
  find "$pkg/opt/vaultapp/_internal" -name '*.so*' -printf '%h\n' | sort -u)
log=$PWD/$work/shlibdeps.log
shlibs=$(cd "$work" && dpkg-shlibdeps -O --ignore-missing-info "${libdirs[@]}" \
           "${elfs[@]#"$work/"}" 2>"$log") || { cat "$log" >&2; die "dpkg-shlibdeps failed"; }
computed=$(printf '%s\n' "${shlibs#shlibs:Depends=}" | sed 's/, /\n/g' | sort)
checked_in=$({ grep -v '^\s*\(#\|$\)' packaging/debian/depends || true; } | sort)
if [ "$computed" != "$checked_in" ]; then
  if [ "$update_depends" = 1 ]; then
    { sed -n '/^#/p' packaging/debian/depends; echo "$computed"; } >"$work/depends"
    mv "$work/depends" packaging/debian/depends
    echo "build-deb.sh: wrote packaging/debian/depends"
    checked_in=$computed
  else
    echo "build-deb.sh: packaging/debian/depends is not what the bundle needs (< checked in," \
         "> needed now):" >&2
    diff <(echo "$checked_in") <(echo "$computed") >&2 || true
    die "check the change, then run packaging/build-deb.sh --no-build --update-depends"
  fi
fi
depends=$(echo "$checked_in" | paste -sd, | sed 's/,/, /g')

# --- control files ---------------------------------------------------------------------------
# Installed-Size as dpkg-gencontrol counts it: KiB per file rounded up, 1 per folder or link.
installed_size=$(find "$pkg" -path "$pkg/DEBIAN" -prune -o -printf '%y %s\n' |
                 awk '$1 == "f" { n += int(($2 + 1023) / 1024); next } { n += 1 } END { print n }')
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@INSTALLED_SIZE@/$installed_size/" \
    -e "s/@DEPENDS@/$depends/" packaging/debian/control >"$pkg/DEBIAN/control"
(cd "$pkg" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z |
   xargs -0 md5sum) >"$pkg/DEBIAN/md5sums"
chmod 644 "$pkg/DEBIAN/control" "$pkg/DEBIAN/md5sums"

# Every time the commit's; then the archive: members sorted by dpkg-deb, owners root,
# xz -6 (dpkg-deb uses liblzma's multi-threaded encoder, whose blocks have a fixed size, so
# the bytes do not depend on the number of threads: --threads-max=1 and 2 gave the same
# .deb here). dpkg-deb takes the ar members' times from SOURCE_DATE_EPOCH.
find "$pkg" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
deb=dist/vaultapp_${version}_${arch}.deb
rm -f "$deb"
started=$(date +%s)
dpkg-deb --root-owner-group -Zxz -z6 --build "$pkg" "$deb" >/dev/null
echo "build-deb.sh: dpkg-deb finished in $(( $(date +%s) - started )) s"

tarball=vaultapp-$upstream-linux-$(uname -m).tar.gz
sums=("${deb#dist/}")
[ -f "dist/$tarball" ] && sums+=("$tarball")
(cd dist && sha256sum "${sums[@]}" >SHA256SUMS)
echo "build-deb.sh: $deb ($(stat -c %s "$deb") bytes, Installed-Size $installed_size KiB)"
cat dist/SHA256SUMS
