#!/usr/bin/env bash
# Prove that the Debian package is reproducible: two builds of this commit, in different
# folders at different times, give byte-identical files.
#
#     packaging/check-reproducible.sh [--against DEB]
#
# Clones this repository's HEAD into two fresh folders and runs packaging/build-deb.sh in
# each, one after the other, each with its own virtualenv (the same package versions: the
# clones install with this checkout's `pip freeze` of build/venv, else .venv, as
# constraints, when it has one). The second build runs with another time zone and umask. Then compares the two
# .deb files and the two bundle tarballs: cmp and sha256.
#
#   --against DEB   build one clone only and compare it with DEB, a package already built
#                   from this checkout at HEAD, with nothing that goes into the package
#                   changed (.ci/run: the package it builds anyway), so CI builds once
#                   more, not twice
#
# When the files differ, diffoscope (Debian package; installed here only then, it is
# large) writes what differs to dist/diffoscope.txt and the script exits 1.
# The clones are removed at the end; KEEP=1 keeps them.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

die() { echo "check-reproducible.sh: $*" >&2; exit "${2:-1}"; }
against=""
while [ $# -gt 0 ]; do
  case $1 in
    --against) [ $# -ge 2 ] || die "--against needs a .deb" 2; against=$(realpath "$2"); shift ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1 (see --help)" 2 ;;
  esac
  shift
done
commit=$(git rev-parse HEAD)
if [ -n "$against" ]; then
  [ -f "$against" ] || die "$against does not exist"
  # What goes into the package must be HEAD's (docs/ may differ: CI's tests write there).
  changed=$(git status --porcelain -- vaultapp packaging resources LICENSE pyproject.toml)
  [ -z "$changed" ] ||
    die "these differ from HEAD, so $against is not a build of $commit alone: $changed"
fi

base=$(mktemp -d /tmp/vaultapp-repro-XXXXXX)
cleanup() { if [ "${KEEP:-0}" = 1 ]; then echo "kept $base"; else rm -rf "$base"; fi; }
trap cleanup EXIT

# The same dependency versions in every clone's virtualenv as in this checkout's build
# virtualenv (packaging/build.sh's build/venv; else the development .venv).
freeze_from=build/venv/bin/python
[ -x "$freeze_from" ] || freeze_from=.venv/bin/python
if [ -x "$freeze_from" ]; then
  "$freeze_from" -m pip freeze --exclude-editable --disable-pip-version-check |
    grep -v ' @ ' >"$base/constraints.txt" || true  # (pip takes no URLs as constraints)
  export PIP_CONSTRAINT=$base/constraints.txt
fi

build_clone() {  # build_clone NAME [ENV...]: clone HEAD into $base/NAME and build there
  local name=$1; shift
  git clone -q --no-hardlinks "$repo" "$base/$name"
  git -C "$base/$name" checkout -q "$commit"
  echo "check-reproducible.sh: building in $base/$name ($(date -u +%H:%M:%S) UTC)"
  (cd "$base/$name" && env "$@" packaging/build-deb.sh >"$base/$name.log" 2>&1) ||
    { tail -n 40 "$base/$name.log" >&2; die "the build in $base/$name failed"; }
}

build_clone a TZ=UTC
debs=("$(ls "$base"/a/dist/vaultapp_*.deb)")
tars=("$(ls "$base"/a/dist/vaultapp-*.tar.gz)")
if [ -n "$against" ]; then
  debs+=("$against")
  tar_b=$(dirname "$against")/$(basename "${tars[0]}")
  [ -f "$tar_b" ] && tars+=("$tar_b")
else
  build_clone b TZ=Pacific/Kiritimati
  debs+=("$(ls "$base"/b/dist/vaultapp_*.deb)")
  tars+=("$(ls "$base"/b/dist/vaultapp-*.tar.gz)")
fi

status=0
for pair in "debs" "tars"; do
  declare -n files=$pair
  [ ${#files[@]} -eq 2 ] || continue
  sha256sum "${files[@]}"
  if cmp "${files[@]}"; then
    echo "check-reproducible.sh: identical: $(basename "${files[0]}")" \
         "$(sha256sum <"${files[0]}" | cut -d' ' -f1)"
  else
    status=1
  fi
done
if [ "$status" != 0 ]; then
  if ! command -v diffoscope >/dev/null && [ "$(id -u)" -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends diffoscope \
      >/dev/null || true
  fi
  if command -v diffoscope >/dev/null; then
    mkdir -p dist
    diffoscope --text dist/diffoscope.txt "${debs[@]}" || true
    head -n 200 dist/diffoscope.txt
    echo "check-reproducible.sh: the whole difference is in dist/diffoscope.txt" >&2
  else
    echo "check-reproducible.sh: apt-get install diffoscope to see what differs" >&2
  fi
  die "the two builds of $commit differ"
fi
echo "check-reproducible.sh: the builds of $commit are byte-identical"
