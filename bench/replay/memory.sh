#!/usr/bin/env bash
# Memory per concurrent flow: peak RSS of tstat on a synthetic trace with 1 M concurrent flows
# minus the peak on one with 10 k, divided by the difference in the most flows open at once
# (tstat's own count, printed in its report).
#
#   bench/replay/memory.sh SYNTH_PCAP_C [BUILD_DIR]
#
# SYNTH_PCAP_C is ../shared/tools/synth_pcap.c (a generator of the workplace, not part of the
# repository); it is compiled into a temporary folder.
set -euo pipefail
src=${1:?usage: memory.sh path/to/synth_pcap.c [BUILD_DIR]}
build=${2:-build/release}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc -O2 -o "$work/synth_pcap" "$src"
"$work/synth_pcap" -o "$work/small.pcap" -n 10000 -c 10000 -k 1 -s 100 2>/dev/null
"$work/synth_pcap" -o "$work/large.pcap" -n 1000000 -c 1000000 -k 1 -s 100 2>/dev/null
run() {  # prints "peak_rss_kb most_open_flows"
  /usr/bin/time -f "%M" -o "$work/time" "$build/tstat" -s "$work/out" "$1" >"$work/report"
  rm -rf "$work/out"
  echo "$(cat "$work/time") $(sed -n 's/^Most flows open at once: //p' "$work/report")"
}
read -r small_rss small_flows < <(run "$work/small.pcap")
read -r large_rss large_flows < <(run "$work/large.pcap")
awk -v a=$small_rss -v b=$large_rss -v fa=$small_flows -v fb=$large_flows 'BEGIN {
  printf "10k trace: peak RSS %.1f MiB, %d flows open at once\n", a/1024, fa
  printf "1M  trace: peak RSS %.1f MiB, %d flows open at once\n", b/1024, fb
  printf "memory per concurrent flow: %.0f bytes\n", (b-a)*1024/(fb-fa) }'
