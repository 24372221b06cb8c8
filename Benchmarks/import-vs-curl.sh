#!/usr/bin/env bash
# Importing 10,000 leads, beside a sequential curl loop sending leads the way the vendor's
# document does (one curl per lead), in the same run, both against nginx answering the
# documented success body: a server that is never the bottleneck, so the figures are the
# importer's own. Then the importer's CPU per delivered lead (user + sys over a 3,000-lead
# import), and the import's peak memory for 10,000 and 1,000,000 rows (a dry run reads and
# checks every row without the network).
# Usage: Benchmarks/import-vs-curl.sh path/to/leadconsole   (IMPORT_ROWS, CURL_LEADS to change sizes)
set -euo pipefail
BIN=$(realpath "$1")
ROWS=${IMPORT_ROWS:-10000}
CURL_LEADS=${CURL_LEADS:-2000}
WORK=$(mktemp -d)
trap '[ -s "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null; rm -rf "$WORK"' EXIT
KEY=bench-key-0123456789
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# One worker, as the sandbox has one event loop; keep-alive without a request limit, as a CRM's
# front end would keep the importer's connections.
cat > "$WORK/nginx.conf" <<CONF
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 256; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $WORK/body;
  server {
    listen 127.0.0.1:$PORT;
    location = /paramantra/api/data/new/format/json {
      default_type application/json;
      return 200 '[{"contact_number":"9876543210","message":"contact_number_added"},{"contact_number":"9876543210","unique_id":2882,"status":"success"}]';
    }
  }
}
CONF
nginx -c "$WORK/nginx.conf" -p "$WORK"
URL=http://127.0.0.1:$PORT/paramantra/api/data/new/format/json
for _ in $(seq 100); do curl -s -o /dev/null -X POST "$URL" && break; sleep 0.05; done
export LEADCONSOLE_DATA_DIR=$WORK/data LEADCONSOLE_CONFIG_DIR=$WORK/config PARAMANTRA_URL=$URL PARAMANTRA_API_KEY=$KEY PARAMANTRA_APP_NAME=BENCH

sheet() {  # rows, first phone, file
  awk -v n="$1" -v base="$2" 'BEGIN { print "Name,Mobile No,E-mail,Comments";
    for (i = 0; i < n; i++) printf "\"Rao, Asha %d\",%s%08d,lead%d@example.in,\"visit on Sunday\"\n", i, base, i, i }' > "$3"
}
sheet "$ROWS" 91 "$WORK/leads.csv"
seconds() { python3 -c "import sys; print(sys.argv[1])" "$1"; }

/usr/bin/time -f "%e %M" -o "$WORK/import.time" "$BIN" import "$WORK/leads.csv" --subject Expo --channel Expo --rep smith \
  > "$WORK/import.out" 2> "$WORK/import.err" || { cat "$WORK/import.out" "$WORK/import.err"; exit 1; }
read -r IMPORT_S IMPORT_KB < "$WORK/import.time"

# CPU per delivered lead: the importer's own user + sys time over 3,000 leads (a fresh outbox).
sheet 3000 94 "$WORK/cpu.csv"
LEADCONSOLE_DATA_DIR=$WORK/data-cpu /usr/bin/time -f "%U %S" -o "$WORK/cpu.time" "$BIN" import "$WORK/cpu.csv" --subject Expo \
  --channel Expo --rep smith > "$WORK/cpu.out" 2>&1 || { cat "$WORK/cpu.out"; exit 1; }
read -r CPU_USER CPU_SYS < "$WORK/cpu.time"

# The vendor's way: one curl per lead, one after another (different phones, so none is a duplicate).
start=$(date +%s%N)
for i in $(seq 0 $((CURL_LEADS - 1))); do
  curl -s -o /dev/null -X POST "$URL" -u "$KEY:$KEY" -H "X-API-KEY: $KEY" -H "ACTION-ON: BENCH" \
    --data-urlencode "f_name=Asha $i" --data-urlencode "phonefax=92$(printf %08d $i)" --data-urlencode "email=lead$i@example.in" \
    --data-urlencode "subject=Expo" --data-urlencode "channel_id=Expo" --data-urlencode "rep_id=smith" --data-urlencode "notes=visit on Sunday"
done
CURL_S=$(awk -v s="$start" -v e="$(date +%s%N)" 'BEGIN { printf "%.3f", (e - s) / 1e9 }')

sheet 1000000 93 "$WORK/million.csv"
/usr/bin/time -f "%e %M" -o "$WORK/dry-small.time" "$BIN" import "$WORK/leads.csv" --dry-run --subject Expo --channel Expo --rep smith > /dev/null 2>&1
/usr/bin/time -f "%e %M" -o "$WORK/dry-large.time" "$BIN" import "$WORK/million.csv" --dry-run --subject Expo --channel Expo --rep smith > /dev/null 2>&1
read -r _ SMALL_KB < "$WORK/dry-small.time"; read -r LARGE_S LARGE_KB < "$WORK/dry-large.time"

awk -v cu="$CPU_USER" -v cy="$CPU_SYS" 'BEGIN {
  printf "importer CPU per delivered lead (3,000 leads): %.3f ms (user %.2f s + sys %.2f s; target: at most 0.3 ms)\n", (cu + cy) * 1000 / 3000, cu, cy }'
awk -v rows="$ROWS" -v is="$IMPORT_S" -v ikb="$IMPORT_KB" -v cl="$CURL_LEADS" -v cs="$CURL_S" -v skb="$SMALL_KB" -v ls="$LARGE_S" -v lkb="$LARGE_KB" 'BEGIN {
  ir = rows / is; cr = cl / cs
  printf "import of %d leads (nginx answering): %.1f s, %.0f leads/s, peak memory %.1f MB (target: under 60 MB)\n", rows, is, ir, ikb / 1024
  printf "sequential curl loop (%d leads, one curl each): %.1f s, %.0f leads/s\n", cl, cs, cr
  printf "import / curl: %.1fx (target: at least 20x)\n", ir / cr
  printf "dry run peak memory: 10,000 rows %.1f MB; 1,000,000 rows %.1f MB (%.1f s, %.0f rows/s)\n", skb / 1024, lkb / 1024, ls, 1000000 / ls
}'
grep -E "accepted|queued now" "$WORK/import.out"
