#!/usr/bin/env bash
# Writes the SwiftPM toolset that links release binaries:
# - with the toolchain's own lld and packed relative relocations (-z pack-relative-relocs: DT_RELR,
#   read by glibc 2.36 and later). Debian's default linker for Swift, gold, has no such option.
# - with ICU's data cut to what LeadConsole reads (Scripts/icu_data.py: 34 MB to 2.5 MB), in an
#   object written to FOLDER and put in place of the archive's by --defsym.
# - with the C++ runtime linked statically: CXX_FOLDER gets a link to the toolchain's
#   libstdc++.a, and the Makefile names that folder with -L ahead of the folder holding
#   libstdc++.so. The loader then neither maps libstdc++.so.6 nor looks up its thousands of
#   symbols at every start: `prompt` asked its first question 0.6 ms sooner (make bench).
# Tools are named by absolute path (a toolset takes no search), found beside the swift that builds.
# Usage: Scripts/release-toolset.sh [SWIFT] [FOLDER] [CXX_FOLDER] > toolset.json
set -euo pipefail
SWIFT=${1:-swift}
FOLDER=$(realpath -m "${2:-.build/icu}")
CXX_FOLDER=$(realpath -m "${3:-.build/static-cxx}")
BIN="$(dirname "$(realpath "$(command -v "$SWIFT")")")"
LLD="$BIN/ld.lld"
ICU="$BIN/../lib/swift_static/linux/lib_FoundationICU.a"
[[ -x "$LLD" ]] || { echo "release-toolset: no ld.lld beside $(command -v "$SWIFT")" >&2; exit 1; }
[[ -f "$ICU" ]] || { echo "release-toolset: no static ICU at $ICU" >&2; exit 1; }
LIBSTDCXX=$("$BIN/clang" -print-file-name=libstdc++.a)
[[ -f "$LIBSTDCXX" ]] || { echo "release-toolset: clang finds no libstdc++.a (Debian: libstdc++-12-dev)" >&2; exit 1; }
mkdir -p "$CXX_FOLDER"
ln -sfn "$(realpath "$LIBSTDCXX")" "$CXX_FOLDER/libstdc++.a"
DEFSYM=$(python3 "$(dirname "$0")/icu_data.py" "$ICU" "$FOLDER" "$BIN/clang")
cat <<JSON
{
  "schemaVersion": "1.0",
  "linker": {
    "path": "$LLD",
    "extraCLIOptions": ["-z", "pack-relative-relocs", "$FOLDER/icudata.o", "$DEFSYM"]
  }
}
JSON
