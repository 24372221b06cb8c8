#!/usr/bin/env bash
# Start-up and size of the release binary beside dialog, in the same run: `--version` wall time
# (hyperfine-style: the median of 200 runs), the shared libraries the loader maps, and the
# stripped size. Targets (issue 16): --version within 3x of dialog's, stripped under 40 MB.
# Usage: Benchmarks/startup.sh path/to/leadconsole
set -euo pipefail
BIN=$(realpath "$1")
# Median wall times of `$BIN --version`, `dialog --version` and `true`, 200 runs each,
# interleaved (one of each in turn) so that the machine's load falls on all three alike.
read -r LC DIALOG TRUE < <(python3 - "$BIN" <<'PY'
import statistics, subprocess, sys, time
commands = [[sys.argv[1], "--version"], ["dialog", "--version"], ["true"]]
runs = [[] for _ in commands]
for _ in range(200):
    for command, times in zip(commands, runs):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
print(" ".join(f"{statistics.median(times) * 1000:.2f}" for times in runs))
PY
)
STRIPPED=$(mktemp)
trap 'rm -f "$STRIPPED"' EXIT
strip -o "$STRIPPED" "$BIN"
awk -v lc="$LC" -v d="$DIALOG" -v t="$TRUE" -v libs="$(ldd "$BIN" | wc -l)" -v dlibs="$(ldd "$(command -v dialog)" | wc -l)" \
    -v size="$(stat -c %s "$STRIPPED")" 'BEGIN {
  printf "leadconsole --version %.2f ms, dialog --version %.2f ms (true: %.2f ms): %.1fx (target: at most 3x)\n", lc, d, t, lc / d
  printf "shared objects mapped: leadconsole %d, dialog %d\n", libs, dlibs
  printf "stripped release binary: %.1f MB (target: under 40 MB)\n", size / 1048576
}'
