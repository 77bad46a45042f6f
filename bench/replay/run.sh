#!/usr/bin/env bash
# Replay benchmark: tstat (default logs, one worker) against a bare libpcap loop that only reads
# the same trace (pcap_next_ex, touching every packet). Reports packets/s, Gbit/s of trace
# bytes, CPU time and peak RSS, medians of RUNS runs each, and the CPU ratio tstat/loop.
#
#   bench/replay/run.sh TRACE.pcap [RUNS] [BUILD_DIR]
#
# Make a trace with ../shared/tools/make-bench-trace 1G bench.pcap (not part of the repository).
set -euo pipefail
trace=${1:?usage: run.sh TRACE.pcap [RUNS] [BUILD_DIR]}
runs=${2:-5}
build=${3:-build/release}
tstat=$build/tstat
loop=$build/bench/replay/pcap_read_loop
[ -x "$tstat" ] && [ -x "$loop" ] || { echo "build first: cmake --build --preset release" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

measure() {  # prints "wall user sys maxrss_kb" of one run of "$@"
  /usr/bin/time -f "%e %U %S %M" -o "$out/time" "$@" >"$out/stdout" 2>/dev/null
  cat "$out/time"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

bytes=$(stat -c %s "$trace")
cat "$trace" >/dev/null  # page cache warm for both
for name in loop tstat; do
  : >"$out/$name.runs"
  for _ in $(seq "$runs"); do
    if [ $name = loop ]; then
      measure "$loop" "$trace" >>"$out/$name.runs"
    else
      rm -rf "$out/logs"
      measure "$tstat" -s "$out/logs" "$trace" >>"$out/$name.runs"
      packets=$(sed -n 's/^frames read: \([0-9]*\);.*/\1/p' "$out/stdout")
    fi
  done
done
echo "trace: $trace ($bytes bytes, $packets packets), $runs runs each, medians"
printf "%-6s %10s %10s %10s %12s %10s %10s\n" "" "wall s" "cpu s" "peak MiB" "packets/s" "Gbit/s" "cpu ratio"
loop_cpu=$(awk '{print $2+$3}' "$out/loop.runs" | median)
for name in loop tstat; do
  wall=$(awk '{print $1}' "$out/$name.runs" | median)
  cpu=$(awk '{print $2+$3}' "$out/$name.runs" | median)
  rss=$(awk '{print $4/1024}' "$out/$name.runs" | median)
  awk -v n=$name -v w=$wall -v c=$cpu -v r=$rss -v p=$packets -v b=$bytes -v l=$loop_cpu \
    'BEGIN {printf "%-6s %10.3f %10.3f %10.1f %12.0f %10.2f %10.2f\n", n, w, c, r, p/c, b*8/c/1e9, c/l}'
done
