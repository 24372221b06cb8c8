#!/usr/bin/env bash
# Issue 28's two figures, on a pty of their own (Benchmarks/scan_and_prompt.py drives them):
# - a 1 KB vCard typed into the console at one key a millisecond, as a scanner in keyboard mode
#   types it (an Enter after each line): the time from its last key until the terminal receives
#   the message line "Scanned: …" (the form is filled in the same frame). Target: within 50 ms.
# - `leadconsole prompt` from launch to its first prompt, beside `dialog --inputbox` from launch
#   to its drawn box, in the same run. Target: under 2x dialog.
# Usage: Benchmarks/scan-and-prompt.sh path/to/leadconsole [RUNS]
set -euo pipefail
BIN=$(realpath "$1")
RUNS=${2:-15}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export LEADCONSOLE_DATA_DIR=$WORK/data LEADCONSOLE_CONFIG_DIR=$WORK/config XDG_STATE_HOME=$WORK/state
export PARAMANTRA_URL=http://127.0.0.1:9/paramantra/api/data/new/format/json PARAMANTRA_API_KEY=scan-key-0123456789 PARAMANTRA_APP_NAME=BENCH
"$BIN" config set default_subject Expo >/dev/null
"$BIN" config set default_channel Walk-in >/dev/null
"$BIN" config set default_rep bench >/dev/null
python3 "$(dirname "$0")/scan_and_prompt.py" "$BIN" "$RUNS"
