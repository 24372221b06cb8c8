#!/usr/bin/env bash
# Builds .build/deb/leadconsole_VERSION_ARCH.deb: `make install PREFIX=/usr` into a staging root,
# a control file whose Depends are computed by dpkg-shlibdeps from the shared libraries the
# binaries link (never guessed), then dpkg-deb with root as the owner of every file.
set -euo pipefail
cd "$(dirname "$0")/.."
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
make --no-print-directory install PREFIX=/usr DESTDIR="$STAGE/root"
BIN="$STAGE/root/usr/bin/leadconsole"
SANDBOX="$STAGE/root/usr/bin/leadconsole-sandbox"
# "leadconsole 0.2.0 (commit 1e5a5a79c708)" → 0.2.0
VERSION=$("$BIN" --version | awk '{print $2}')
ARCH=$(dpkg --print-architecture)
# dpkg-shlibdeps reads debian/control for the package it computes for.
mkdir -p "$STAGE/src/debian"
printf 'Source: leadconsole\n\nPackage: leadconsole\nArchitecture: any\n' > "$STAGE/src/debian/control"
DEPENDS=$(cd "$STAGE/src" && dpkg-shlibdeps -O -e"$BIN" -e"$SANDBOX" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$DEPENDS" ] || { echo "dpkg-shlibdeps found no dependencies for $BIN" >&2; exit 1; }
# Packed relative relocations (lld -z pack-relative-relocs) need glibc 2.36's loader: the binary
# names the version GLIBC_ABI_DT_RELR, which libc6's symbols file (Debian 12) does not list, so
# dpkg-shlibdeps says 2.35 and the package would install where it cannot start. Read from the
# binary, not assumed.
# grep reads all of readelf's output (no -q): quitting at the first match would kill readelf with
# SIGPIPE, and pipefail would then read the pipeline as "not found".
if readelf -V "$BIN" "$SANDBOX" | grep 'GLIBC_ABI_DT_RELR' >/dev/null; then
  LIBC=$(echo "$DEPENDS" | sed -nE 's/.*libc6 \(>= ([^)]+)\).*/\1/p')
  if [ -n "$LIBC" ] && dpkg --compare-versions "$LIBC" lt 2.36; then
    DEPENDS=$(echo "$DEPENDS" | sed -E 's/libc6 \(>= [^)]+\)/libc6 (>= 2.36)/')
  fi
fi
SIZE=$(du -sk "$STAGE/root" | cut -f1)
mkdir -p "$STAGE/root/DEBIAN"
cat > "$STAGE/root/DEBIAN/control" <<CONTROL
Package: leadconsole
Version: $VERSION
Architecture: $ARCH
Maintainer: LeadConsole <leadconsole@localhost>
Installed-Size: $SIZE
Depends: $DEPENDS
Section: utils
Priority: optional
Homepage: https://github.com/leadconsole/leadconsole
Description: terminal console that sends walk-in leads to the Paramantra CRM
 A rep types each walk-in customer into a form; the lead is kept on disk until
 the CRM has it, and a pane shows what became of every lead sent. Includes
 command-line companions (submit, history, retry, import, export, config) and a
 local sandbox that answers like Paramantra.
CONTROL
mkdir -p .build/deb
OUT=.build/deb/leadconsole_${VERSION}_${ARCH}.deb
dpkg-deb --root-owner-group -Zxz --build "$STAGE/root" "$OUT" >/dev/null
echo "$OUT"
echo "Depends: $DEPENDS"
