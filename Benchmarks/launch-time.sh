#!/usr/bin/env bash
# Time from launch to the first drawn form, the console beside `dialog --form` with the same
# eleven fields, in the same run, each in a fresh tmux pane of 100x30: the clock starts before
# tmux starts the program and stops when the pane first shows "First name" (polled every few ms).
# Usage: Benchmarks/launch-time.sh path/to/leadconsole [RUNS]
set -euo pipefail
BIN=$(realpath "$1")
RUNS=${2:-9}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export LEADCONSOLE_DATA_DIR=$WORK/data LEADCONSOLE_CONFIG_DIR=$WORK/config
export PARAMANTRA_URL=http://127.0.0.1:9/paramantra/api/data/new/format/json PARAMANTRA_API_KEY=launch-key-0123456789 PARAMANTRA_APP_NAME=BENCH

FIELDS=()
row=1
for label in "First name" "Last name" "Phone" "Email" "Project" "Notes" "Subject" "Channel" "Rep" "Alert customer" "Alert rep"; do
  FIELDS+=("$label" $row 1 "" $row 18 40 0); row=$((row + 1))
done
printf '%q ' dialog --form "New lead" 20 70 11 "${FIELDS[@]}" > "$WORK/dialog.sh"

# Milliseconds from launch until the pane shows "First name".
first_form_ms() {
  local sock="$WORK/tmux-$RANDOM" start end
  start=$(date +%s%N)
  tmux -S "$sock" -f /dev/null new-session -d -x 100 -y 30 "env TERM=xterm-256color LANG=C.UTF-8 $1"
  until tmux -S "$sock" capture-pane -p 2>/dev/null | grep -q "First name"; do :; done
  end=$(date +%s%N)
  tmux -S "$sock" kill-server 2>/dev/null || true
  rm -f "$sock"
  echo $(( (end - start) / 1000000 ))
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

first=$(first_form_ms "$BIN console")   # creates the database once (first start)
: > "$WORK/console"; : > "$WORK/dialog"
for _ in $(seq "$RUNS"); do
  first_form_ms "$BIN console" >> "$WORK/console"
  first_form_ms "sh $WORK/dialog.sh" >> "$WORK/dialog"
done
c=$(median < "$WORK/console"); d=$(median < "$WORK/dialog")
echo "launch to the first drawn form (median of $RUNS, tmux 100x30):"
echo "  leadconsole console   ${c} ms   (first start, new database: ${first} ms)"
echo "  dialog --form         ${d} ms"
awk -v c="$c" -v d="$d" 'BEGIN { printf "  ratio                 %.2fx dialog (target, issue 16: at most 1.3x)\n", c / d }'
