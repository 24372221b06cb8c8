#!/usr/bin/env bash
# Start-up and size of the release binary beside dialog, in the same run: `--version` wall time
# (hyperfine-style: the median of 200 runs), the shared libraries the loader maps, and the
# stripped size. Targets (issue 16): --version within 3x of dialog's, stripped under 40 MB.
# Usage: Benchmarks/startup.sh path/to/leadconsole
set -euo pipefail
BIN=$(realpath "$1")
median_ms() {
  python3 - "$@" <<'PY'
import statistics, subprocess, sys, time
runs = []
for _ in range(200):
    start = time.perf_counter()
    subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    runs.append(time.perf_counter() - start)
print(f"{statistics.median(runs) * 1000:.2f}")
PY
}
LC=$(median_ms "$BIN" --version)
DIALOG=$(median_ms dialog --version)
TRUE=$(median_ms true)
STRIPPED=$(mktemp)
trap 'rm -f "$STRIPPED"' EXIT
strip -o "$STRIPPED" "$BIN"
awk -v lc="$LC" -v d="$DIALOG" -v t="$TRUE" -v libs="$(ldd "$BIN" | wc -l)" -v dlibs="$(ldd "$(command -v dialog)" | wc -l)" \
    -v size="$(stat -c %s "$STRIPPED")" 'BEGIN {
  printf "leadconsole --version %.2f ms, dialog --version %.2f ms (true: %.2f ms): %.1fx (target: at most 3x)\n", lc, d, t, lc / d
  printf "shared objects mapped: leadconsole %d, dialog %d\n", libs, dlibs
  printf "stripped release binary: %.1f MB (target: under 40 MB)\n", size / 1048576
}'
