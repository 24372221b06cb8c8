#!/usr/bin/env bash
# Writes the SwiftPM toolset that links release binaries with the toolchain's own lld and packed
# relative relocations (-z pack-relative-relocs: DT_RELR, read by glibc 2.36 and later). Debian's
# default linker for Swift, gold, has no such option. The linker is named by its absolute path
# (a toolset takes no search), found beside the swift that builds.
# Usage: Scripts/release-toolset.sh [SWIFT] > toolset.json
set -euo pipefail
SWIFT=${1:-swift}
LLD="$(dirname "$(realpath "$(command -v "$SWIFT")")")/ld.lld"
[[ -x "$LLD" ]] || { echo "release-toolset: no ld.lld beside $(command -v "$SWIFT")" >&2; exit 1; }
cat <<JSON
{
  "schemaVersion": "1.0",
  "linker": { "path": "$LLD", "extraCLIOptions": ["-z", "pack-relative-relocs"] }
}
JSON
