#!/usr/bin/env bash
# Set-up and first run: installs what is missing, builds tstat (release), analyses the bundled
# loopback sample trace and shows where the logs went and what they hold.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target tstat
out=build/demo-output
rm -rf "$out"
./build/release/tstat -s "$out" data/sample-loopback.pcap | tail -n 4
dir=$(ls -d "$out"/*.out)
echo
echo "Logs are in $dir:"
ls -l "$dir"
echo
echo "TCP flows (log_tcp_complete, first columns):"
grep -v '^#' "$dir/log_tcp_complete" | awk '{printf "  %s:%s -> %s:%s  c_pkts %s s_pkts %s  c_bytes %s s_bytes %s  rtt %s ms\n", $1,$2,$15,$16,$3,$17,$7,$21,$45}'
echo "Unanswered or reset TCP flows (log_tcp_nocomplete):"
grep -v '^#' "$dir/log_tcp_nocomplete" | awk '{printf "  %s:%s -> %s:%s  c_syn %s s_rst %s\n", $1,$2,$15,$16,$13,$18}'
echo "UDP flows (log_udp_complete):"
grep -v '^#' "$dir/log_udp_complete" | awk '{printf "  %s:%s -> %s:%s  c_bytes %s s_bytes %s\n", $1,$2,$10,$11,$5,$14}'
