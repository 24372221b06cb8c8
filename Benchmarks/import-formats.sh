#!/usr/bin/env bash
# The importer reading the same 100,000-row sign-up sheet as CSV and as an Excel workbook
# (written by openpyxl): a dry run (read and check every row) and an import that queues every
# lead (no credentials, so no network), wall time and peak memory, and the xlsx / CSV ratio
# (target: within 2x). Then a hostile CSV with one 20 MB cell: how soon and in how much memory
# it is refused (targets: a second, 100 MB).
# Usage: Benchmarks/import-formats.sh path/to/leadconsole   (FORMAT_ROWS to change the size)
set -euo pipefail
BIN=$(realpath "$1")
ROWS=${FORMAT_ROWS:-100000}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
unset PARAMANTRA_URL PARAMANTRA_API_KEY PARAMANTRA_APP_NAME
export LEADCONSOLE_CONFIG_DIR=$WORK/config

python3 - "$ROWS" "$WORK" <<'PY'
import sys, openpyxl
rows, work = int(sys.argv[1]), sys.argv[2]
header = ["Name", "Mobile No", "E-mail", "Comments"]
def row(i): return [f"Rao, Asha {i}", 9100000000 + i, f"lead{i}@example.in", "visit on Sunday"]
with open(f"{work}/leads.csv", "w", newline="") as f:
    f.write(",".join(header) + "\r\n")
    for i in range(rows):
        r = row(i); f.write(f'"{r[0]}",{r[1]},{r[2]},{r[3]}\r\n')
wb = openpyxl.Workbook(write_only=True)
ws = wb.create_sheet("Signups")
ws.append(header)
for i in range(rows): ws.append(row(i))
wb.save(f"{work}/leads.xlsx")
with open(f"{work}/hostile.csv", "w") as f:
    f.write("Name,Phone\nAsha,9820012345\n\"" + "x" * 20_000_000 + "\",9820012346\n")
PY

measure() {  # label, then the command; prints "seconds peak-KB"
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$WORK/$label.time" "$@" > "$WORK/$label.out" 2> "$WORK/$label.err" || true
  tail -n 1 "$WORK/$label.time"
}
common=(--subject Expo --channel Expo --rep smith)
read -r CSV_DRY_S CSV_DRY_KB < <(measure csv-dry "$BIN" import "$WORK/leads.csv" --dry-run "${common[@]}")
read -r XLSX_DRY_S XLSX_DRY_KB < <(measure xlsx-dry "$BIN" import "$WORK/leads.xlsx" --dry-run "${common[@]}")
read -r CSV_Q_S CSV_Q_KB < <(LEADCONSOLE_DATA_DIR=$WORK/data-csv measure csv-queue "$BIN" import "$WORK/leads.csv" "${common[@]}")
read -r XLSX_Q_S XLSX_Q_KB < <(LEADCONSOLE_DATA_DIR=$WORK/data-xlsx measure xlsx-queue "$BIN" import "$WORK/leads.xlsx" "${common[@]}")
grep -q "queued now: $ROWS" "$WORK/csv-queue.out" && grep -q "queued now: $ROWS" "$WORK/xlsx-queue.out" \
  || { echo "an import did not queue every row:"; cat "$WORK"/*-queue.out "$WORK"/*-queue.err; exit 1; }
read -r HOSTILE_S HOSTILE_KB < <(measure hostile "$BIN" import "$WORK/hostile.csv" --dry-run "${common[@]}")
grep -q "a cell of more than 64 KB" "$WORK/hostile.err" || { echo "the hostile file was not refused:"; cat "$WORK/hostile.err"; exit 1; }

awk -v rows="$ROWS" -v cds="$CSV_DRY_S" -v cdk="$CSV_DRY_KB" -v xds="$XLSX_DRY_S" -v xdk="$XLSX_DRY_KB" \
    -v cqs="$CSV_Q_S" -v cqk="$CSV_Q_KB" -v xqs="$XLSX_Q_S" -v xqk="$XLSX_Q_KB" -v hs="$HOSTILE_S" -v hk="$HOSTILE_KB" 'BEGIN {
  printf "dry run of %d rows: CSV %.2f s (%.0f rows/s, %.1f MB), xlsx %.2f s (%.0f rows/s, %.1f MB): xlsx / CSV %.2fx (target: at most 2x)\n", rows, cds, rows / cds, cdk / 1024, xds, rows / xds, xdk / 1024, xds / cds
  printf "import queueing %d leads: CSV %.2f s (%.0f leads/s, %.1f MB), xlsx %.2f s (%.0f leads/s, %.1f MB): xlsx / CSV %.2fx (target: at most 2x)\n", rows, cqs, rows / cqs, cqk / 1024, xqs, rows / xqs, xqk / 1024, xqs / cqs
  printf "hostile CSV (one 20 MB cell): refused in %.2f s, peak memory %.1f MB (targets: 1 s, 100 MB)\n", hs, hk / 1024
}'
