#!/usr/bin/env bash
# Sandbox throughput: keep-alive, 16 connections, 2 wrk threads, every request a new lead.
# Later benchmarks compare against this to show the sandbox is not their bottleneck.
set -euo pipefail
bin=${1:-.build/release/leadconsole}
seconds=${BENCH_SECONDS:-10}
out=$(mktemp)
"$bin" sandbox --port 0 --api-key bench-key-0000-1111 --app-name BENCH > "$out" 2>/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 200); do [ -s "$out" ] && break; sleep 0.05; done
url=$(head -n1 "$out")
echo "sandbox ($(basename "$(dirname "$bin")") build) at $url, ${seconds}s, 16 connections"
SANDBOX_KEY=bench-key-0000-1111 SANDBOX_APP=BENCH \
  wrk -t2 -c16 -d"${seconds}s" --latency -s "$(dirname "$0")/sandbox-lead.lua" "$url" | tail -n 1
leads=$(curl -s "${url%/paramantra/*}/__sandbox/leads" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d["leads"]), d["lead_requests"])')
echo "sandbox kept/answered: $leads"
