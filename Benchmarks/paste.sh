#!/usr/bin/env bash
# Time for the console to take a one-megabyte bracketed paste into Notes: from tmux's
# paste-buffer until the pane shows "Pasted text cut to fit Notes" and a key sent after the paste
# (Shift-Tab back to Project, then Z) has arrived: the whole megabyte has been read by then.
# Reading a byte per system call through ncurses took 7-11 s; the console reads in large chunks.
# (This was an assertion in a terminal test; a time is a benchmark's number, not a test's.)
# Usage: Benchmarks/paste.sh path/to/leadconsole [RUNS]
set -euo pipefail
BIN=$(realpath "$1")
RUNS=${2:-5}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export LEADCONSOLE_DATA_DIR=$WORK/data LEADCONSOLE_CONFIG_DIR=$WORK/config

# One megabyte of lines full of things that would be keys if read as keys.
python3 - "$WORK/paste.txt" <<'PY'
import sys
line = "n0tes Alert customer [x] Tab\tCtrl-S \x13 Ctrl-Q \x11 y\n"
open(sys.argv[1], "w").write(line * (1_048_576 // len(line.encode())))
PY

wait_for() {  # socket, text: polls the pane until it shows the text (at most 60 s)
  local deadline=$((SECONDS + 60))
  until tmux -S "$1" capture-pane -p 2>/dev/null | grep -q "$2"; do
    ((SECONDS < deadline)) || { echo "timed out waiting for: $2" >&2; exit 1; }
  done
}

paste_ms() {
  local sock="$WORK/tmux-$RANDOM" start end
  tmux -S "$sock" -f /dev/null new-session -d -x 100 -y 30 "env TERM=xterm-256color LANG=C.UTF-8 $BIN console --demo"
  wait_for "$sock" "No leads yet"
  for _ in 1 2 3 4 5; do tmux -S "$sock" send-keys Tab; done   # First, Last, Phone, Email, Project → Notes
  tmux -S "$sock" load-buffer "$WORK/paste.txt"
  start=$(date +%s%N)
  tmux -S "$sock" paste-buffer -p -d
  tmux -S "$sock" send-keys BTab Z
  wait_for "$sock" "Pasted text cut to fit Notes"
  wait_for "$sock" "Project  *Z"
  end=$(date +%s%N)
  tmux -S "$sock" kill-server 2>/dev/null || true
  rm -f "$sock"
  echo $(( (end - start) / 1000000 ))
}

: > "$WORK/times"
for _ in $(seq "$RUNS"); do paste_ms >> "$WORK/times"; done
sorted=$(sort -n "$WORK/times" | tr '\n' ' ')
median=$(sort -n "$WORK/times" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
echo "a 1 MB bracketed paste into Notes, through tmux 100x30 (median of $RUNS):"
echo "  ${median} ms   (runs: ${sorted% }; reading a byte per call through ncurses took 7,000-11,000 ms)"

# 200 KB that the terminal did not bracket (a serial line, a scanner, some PuTTY settings): every
# byte a key. F1 is sent right behind the flood; the time is until the help shows, so the whole
# flood has been typed (Notes full, the rest counted) and F1 answered. Reading a byte per system
# call and waking the screen per key took 2.0 s here; plain keys are now read 128 at a time.
python3 - "$WORK/flood.txt" <<'PY'
import sys
line = "touch /tmp/lc-flood\n"
open(sys.argv[1], "w").write(line * (200_000 // len(line)))
PY
flood_ms() {
  local sock="$WORK/tmux-$RANDOM" start end
  tmux -S "$sock" -f /dev/null new-session -d -x 100 -y 30 "env TERM=xterm-256color LANG=C.UTF-8 $BIN console --demo"
  wait_for "$sock" "No leads yet"
  for _ in 1 2 3 4 5; do tmux -S "$sock" send-keys Tab; done
  tmux -S "$sock" load-buffer "$WORK/flood.txt"
  start=$(date +%s%N)
  tmux -S "$sock" paste-buffer -d
  tmux -S "$sock" send-keys F1
  wait_for "$sock" "Any key closes"
  end=$(date +%s%N)
  tmux -S "$sock" capture-pane -p | grep -q "195000 typed characters left out" \
    || { echo "the flood was not all counted" >&2; exit 1; }
  tmux -S "$sock" kill-server 2>/dev/null || true
  rm -f "$sock"
  echo $(( (end - start) / 1000000 ))
}
: > "$WORK/flood-times"
for _ in $(seq "$RUNS"); do flood_ms >> "$WORK/flood-times"; done
sorted=$(sort -n "$WORK/flood-times" | tr '\n' ' ')
median=$(sort -n "$WORK/flood-times" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
echo "200 KB of unbracketed keys into Notes, then F1, through tmux 100x30 (median of $RUNS):"
echo "  F1 answered ${median} ms after the flood was sent   (runs: ${sorted% }; 2,000 ms before reading keys 128 at a time)"
