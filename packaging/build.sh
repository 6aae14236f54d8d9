#!/usr/bin/env bash
# Build vaultapp's one-folder bundle and its release tarball, in one command:
#
#     packaging/build.sh
#
# 1. a virtualenv of its own (build/venv) with vaultapp and the `package` extra (PyInstaller,
#    boto3, psycopg) and nothing else
# 2. PyInstaller on packaging/vaultapp.spec  ->  dist/vaultapp/  (started as dist/vaultapp/vaultapp)
# 3. the per-user desktop integration into the bundle: dist/vaultapp/install-desktop.sh,
#    uninstall-desktop.sh and share/ (desktop entry, MIME type, icons)
# 4. dist/vaultapp-<version>-linux-<arch>.tar.gz and its .sha256
#
# Reproducible: the same commit gives the same bundle and tarball, byte for byte, in any
# folder at any time (packaging/check-reproducible.sh proves it). SOURCE_DATE_EPOCH is the
# commit's time unless already set, PYTHONHASHSEED is 0 (set and frozenset constants are
# marshalled in hash order), umask 022, and every file's time is SOURCE_DATE_EPOCH.
# PyInstaller (>= 6) does the rest: sorted archives, code objects' file names relative to
# the bundle, fixed timestamps in base_library.zip; the spec leaves out pip's RECORD files
# (they hold the build virtualenv's path).
#
# Linux only (the spec's Windows and macOS branches run there; see packaging/README.md).
# Needs objdump (binutils): scripts/install-system-deps installs it.
set -euo pipefail
cd "$(dirname "$0")/.."

[ "$(uname -s)" = Linux ] || { echo "build.sh: builds the Linux bundle only" >&2; exit 2; }
for tool in objdump strip; do
  command -v "$tool" >/dev/null ||
    { echo "build.sh: $tool is missing: apt-get install binutils (scripts/install-system-deps)" >&2; exit 1; }
done

umask 022
export PYTHONHASHSEED=0
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
  SOURCE_DATE_EPOCH=$(git log -1 --format=%ct 2>/dev/null) ||
    { echo "build.sh: not a git checkout: set SOURCE_DATE_EPOCH (seconds since 1970)" >&2; exit 2; }
fi
export SOURCE_DATE_EPOCH

# The bundle is analysed in a virtualenv of its own that holds vaultapp with the `package`
# extra and nothing else: PyInstaller takes in whatever optional imports it can resolve
# (botocore picks certifi up when it is installed), so a build in the development .venv,
# which also holds the test tools, would not match a build in a fresh clone.
venv=build/venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --disable-pip-version-check -e '.[package]'
version=$("$venv/bin/python" -c 'import vaultapp; print(vaultapp.__version__)')
arch=$(uname -m)
name=vaultapp-$version-linux-$arch

rm -rf dist/vaultapp "dist/$name.tar.gz" "dist/$name.tar.gz.sha256"
started=$(date +%s)
"$venv/bin/pyinstaller" --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/vaultapp.spec
echo "build.sh: PyInstaller finished in $(( $(date +%s) - started )) s"

bundle=dist/vaultapp
install -m 755 packaging/install-desktop.sh packaging/uninstall-desktop.sh "$bundle/"
install -d "$bundle/share"
install -m 644 resources/linux/vaultapp.desktop resources/linux/vaultapp-mime.xml \
  resources/linux/vaultapp-age-mime.xml "$bundle/share/"
install -m 644 vaultapp/resources/app.svg "$bundle/share/vaultapp.svg"
install -m 644 vaultapp/resources/sealed-file.svg "$bundle/share/application-x-vaultapp-sealed.svg"

# A tarball that depends only on the bundle's contents: sorted names, no owner, every
# time SOURCE_DATE_EPOCH, no build-machine timestamp in the gzip header.
find "$bundle" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
tar -C dist --sort=name --owner=0 --group=0 --numeric-owner --format=gnu -cf - vaultapp |
  gzip -n -9 >"dist/$name.tar.gz"
(cd dist && sha256sum "$name.tar.gz" >"$name.tar.gz.sha256")

echo "build.sh: $bundle ($(du -sh "$bundle" | cut -f1)), dist/$name.tar.gz ($(du -h "dist/$name.tar.gz" | cut -f1))"
cat "dist/$name.tar.gz.sha256"
