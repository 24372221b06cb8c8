#!/usr/bin/env bash
# The console idle for 60 s (IDLE_SECONDS), against a sandbox in its own process, nothing on
# screen counting down: its CPU share and how often its threads wake (context
# switches of every thread, from /proc). Target: under 0.1% CPU, at most 2 wake-ups per second.
# Usage: Benchmarks/idle.sh path/to/leadconsole
set -euo pipefail
BIN=$(realpath "$1")
SECONDS_IDLE=${IDLE_SECONDS:-60}
WORK=$(mktemp -d)
SOCK=$WORK/tmux.sock
trap 'tmux -S "$SOCK" kill-server 2>/dev/null || true; kill $SANDBOX 2>/dev/null || true; rm -rf "$WORK"' EXIT
KEY=idle-key-0123456789
"$BIN" sandbox --port 0 --api-key $KEY --app-name IDLE > "$WORK/sandbox.out" 2>/dev/null & SANDBOX=$!
for _ in $(seq 100); do [ -s "$WORK/sandbox.out" ] && break; sleep 0.05; done
URL=$(head -n1 "$WORK/sandbox.out")
ENVS="LEADCONSOLE_DATA_DIR=$WORK/data LEADCONSOLE_CONFIG_DIR=$WORK/config PARAMANTRA_URL=$URL PARAMANTRA_API_KEY=$KEY PARAMANTRA_APP_NAME=IDLE"
tmux -S "$SOCK" -f /dev/null new-session -d -x 120 -y 36 "env $ENVS TERM=xterm-256color LANG=C.UTF-8 $BIN console; sleep 5"
for _ in $(seq 200); do tmux -S "$SOCK" capture-pane -p | grep -q "No leads yet\|Welcome" && break; sleep 0.05; done
PID=""
for pid in $(pgrep -f "$BIN console"); do [ "$(readlink /proc/$pid/exe)" = "$BIN" ] && PID=$pid; done
[ -n "$PID" ] || { echo "the console did not start"; exit 1; }
sample() {  # utime+stime (ticks), context switches of all threads
  local ticks switches=0
  ticks=$(awk '{ print $14 + $15 }' /proc/$PID/stat)
  for f in /proc/$PID/task/*/status; do
    switches=$((switches + $(awk '/ctxt_switches/ { s += $2 } END { print s }' "$f")))
  done
  echo "$ticks $switches"
}
sleep 3  # let start-up settle
read -r T0 S0 < <(sample)
# Wake-ups counted by the kernel (perf, every thread, those that end meanwhile too: a sum of
# /proc's per-thread counters loses a thread that exits, and went negative once threads idled out).
PERF=$(perf stat -x, -e context-switches -p "$PID" -- sleep "$SECONDS_IDLE" 2>&1 >/dev/null | awk -F, '/context-switches/ { print $1 }' || true)
read -r T1 S1 < <(sample)
[ -n "$PERF" ] && [ "$PERF" -eq "$PERF" ] 2>/dev/null && S1=$((S0 + PERF))
HZ=$(getconf CLK_TCK)
awk -v t="$((T1 - T0))" -v s="$((S1 - S0))" -v hz="$HZ" -v secs="$SECONDS_IDLE" 'BEGIN {
  printf "console idle for %d s: CPU %.3f%% (%d ticks), %.2f context switches/s, all threads (targets: under 0.1%%, at most 2 wake-ups/s)\n",
    secs, 100 * t / hz / secs, t, s / secs }'
