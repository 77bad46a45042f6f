#!/usr/bin/env bash
# What the histogram engine costs: tstat with the default logs against tstat with
# `-H` `include ALL` on the same trace, runs interleaved (default, ALL, default, ALL...) so a
# drift of the machine hits both. Reports the median CPU time (user + system) and peak RSS of
# each, the median of the per-pair CPU ratios ALL/default (issue 5 asks at most 1.25), and the
# ratio of the two fastest runs.
#
#   bench/replay/histograms.sh TRACE.pcap [RUNS] [BUILD_DIR]
#
# CPU=N pins both to processor N (taskset), which narrows the spread on a shared machine.
# Logs go to a tmpfs folder when /dev/shm exists (the cost measured is tstat's, not the disk's).
set -euo pipefail
trace=${1:?usage: histograms.sh TRACE.pcap [RUNS] [BUILD_DIR]}
runs=${2:-9}
build=${3:-build/release}
tstat=$build/tstat
[ -x "$tstat" ] || { echo "build first: cmake --build --preset release" >&2; exit 2; }
base=/tmp
[ -d /dev/shm ] && base=/dev/shm
out=$(mktemp -d "$base/tstat-histo-bench.XXXXXX")
trap 'rm -rf "$out"' EXIT
echo "include ALL" >"$out/all.conf"
pin=()
[ -n "${CPU:-}" ] && pin=(taskset -c "$CPU")

measure() {  # prints "cpu_seconds maxrss_kb" of one run of tstat with "$@"
  rm -rf "$out/logs"
  "${pin[@]}" /usr/bin/time -f "%U %S %M" -o "$out/time" "$tstat" "$@" -s "$out/logs" "$trace" \
    >/dev/null 2>&1
  awk '{print $1 + $2, $3}' "$out/time"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

cat "$trace" >/dev/null  # page cache warm
measure >/dev/null       # one warm-up run
: >"$out/pairs"
for _ in $(seq "$runs"); do
  read -r d_cpu d_rss < <(measure)
  read -r a_cpu a_rss < <(measure -H "$out/all.conf")
  echo "$d_cpu $d_rss $a_cpu $a_rss" >>"$out/pairs"
done
echo "trace: $trace, $runs pairs${CPU:+, pinned to cpu $CPU}, medians"
printf "%-14s %10s %10s\n" "" "cpu s" "peak MiB"
printf "%-14s %10.3f %10.1f\n" "default logs" "$(awk '{print $1}' "$out/pairs" | median)" \
  "$(awk '{print $2 / 1024}' "$out/pairs" | median)"
printf "%-14s %10.3f %10.1f\n" "include ALL" "$(awk '{print $3}' "$out/pairs" | median)" \
  "$(awk '{print $4 / 1024}' "$out/pairs" | median)"
printf "cpu ratio ALL/default: %.3f (pairs: %s)\n" \
  "$(awk '{print $3 / $1}' "$out/pairs" | median)" \
  "$(awk '{printf "%.2f ", $3 / $1}' "$out/pairs")"
# A busy neighbour only ever slows a run down: the fastest runs of each show the cost with the
# least of that noise (quoted beside the median, not instead of it).
printf "fastest-run ratio ALL/default: %.3f\n" \
  "$(awk 'NR == 1 || $1 < d {d = $1} NR == 1 || $3 < a {a = $3} END {print a / d}' "$out/pairs")"
