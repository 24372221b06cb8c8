#!/usr/bin/env bash
# Regenerates screenshots/*.png from the real binary: the demo console in tmux, driven with
# send-keys, captured with colours (capture-pane -e), drawn to PNG by Scripts/ansi_to_png.py.
# Usage: Scripts/screenshots.sh path/to/leadconsole
set -euo pipefail
BIN=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
OUT="$HERE/../screenshots"
COLS=110
ROWS=32
mkdir -p "$OUT"
WORK=$(mktemp -d)
SOCK="$WORK/tmux"
cleanup() { tmux -S "$SOCK" kill-server 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

t() { tmux -S "$SOCK" "$@"; }
# Waits (up to 15 s) until the screen shows $1.
wait_for() {
  for _ in $(seq 750); do
    if t capture-pane -p | grep -qF -- "$1"; then return 0; fi
    sleep 0.02
  done
  echo "screenshots: timed out waiting for: $1" >&2; t capture-pane -p >&2; exit 1
}
shot() {
  t capture-pane -p -e > "$WORK/$1.ans"
  python3 "$HERE/ansi_to_png.py" "$WORK/$1.ans" $COLS $ROWS "$OUT/$1.png"
  echo "screenshots/$1.png"
}
lead() {  # first, last, phone: typed like a rep does (name, Tab, phone, Tab, last name), then Ctrl-S
  t send-keys -l "$1"; t send-keys Tab; t send-keys -l "$3"; t send-keys Tab; t send-keys -l "$2"; t send-keys C-s
}

t -f /dev/null new-session -d -x $COLS -y $ROWS \
  "env TERM=xterm-256color LANG=C.UTF-8 HOME=$WORK $BIN console --demo"
wait_for "No leads yet"
# The demo sandbox's own control endpoint, for a rejection and an outage.
PORT=$(t capture-pane -p | head -1 | grep -oE '127\.0\.0\.1:[0-9]+' | head -1)
faults() { curl -s -X POST "http://$PORT/__sandbox/faults" -d "$1" >/dev/null; }

lead "José" "Fernandes" "98765 43210";          wait_for "9876543210  accepted #"
lead "Priya" "शर्मा" "+91 98220 12345";          wait_for "9822012345  accepted #"
lead "Jose" "F" "9876543210";                    wait_for "9876543210  duplicate #"
faults '{"mode":"status","status":402,"count":1,"message":"Invalid channel_id for this account"}'
lead "Ravi" "Kumar" "98111 22233";               wait_for "9811122233  rejected"
faults '{"mode":"status","status":503,"count":1000}'
lead "Meera" "Iyer" "98999 88877";               wait_for "9899988877  retry in"
# Half a lead in the form, with its notes, as a rep would have it mid-conversation.
# A returning customer: the card under the phone says who this is.
t send-keys -l "José"; t send-keys Tab; t send-keys -l "98765 43210"; t send-keys Tab; t send-keys -l "Fernandes"
t send-keys Tab Tab Tab; t send-keys -l "2BHK near the station"; t send-keys Enter; t send-keys -l "budget 80L, visit Sunday"
wait_for "visit Sunday"; wait_for "seen 2×"
shot main

t send-keys F3;                                  wait_for "History · all states"
t send-keys Down;                                wait_for "Ravi"
t send-keys Enter;                               wait_for "Attempts (1)"
shot history-detail

t send-keys Escape Escape;                       wait_for "First name"
sleep 0.1
t send-keys F4;                                  wait_for "Defaults for each new lead"
shot settings

t send-keys Escape;                              wait_for "First name"
t send-keys F1;                                  wait_for "Any key closes"
shot help

t send-keys Escape;                              wait_for "First name"
t send-keys F6;                                  wait_for "CRM answers:"
shot stats
