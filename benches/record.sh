#!/usr/bin/env bash
# What `boxtop record` costs (issue 10): CPU per sample, peak RSS and bytes on disk per
# sample, at each size of extra processes, against `boxtop events --follow` (the same
# collector and comparison, nothing written) measured in the same run; then what other
# compressions would have made of the same samples.
#
# Run by hand, as root, on an otherwise quiet machine:
#     bash benches/record.sh              # 0 (the idle host), 1,000 and 5,000 extra processes
#     bash benches/record.sh 1000
#     DURATION=30 bash benches/record.sh 5000
#
# For each size it starts that many extra `sleep` processes, then runs each tool alone for
# WARMUP + DURATION seconds at a 1 s interval, reading its utime+stime (/proc/PID/stat, all
# threads) over DURATION and VmHWM at the end. For the recorder, the bytes the recording
# grew by over DURATION, divided by the samples it wrote in that time (its index says when
# each was taken). Then the samples it wrote are dumped as JSON (`boxtop replay --dump --at`,
# one per sample) and compressed by the command-line tools, across samples (one stream) and
# each alone, so that the choice of zstd is a measurement (zstd and gzip from Debian).
# Knobs: DURATION (20), WARMUP (3), OUTDIR (a new temp dir).
set -euo pipefail

cd "$(dirname "$0")/.."
# shellcheck source=benches/lib.sh
. benches/lib.sh
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(0 1000 5000)
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-3}
OUTDIR=${OUTDIR:-$(mktemp -d /tmp/boxtop-record-bench.XXXXXX)}
CLK_TCK=$(getconf CLK_TCK)
BOXTOP="$PWD/target/release/boxtop"
mkdir -p "$OUTDIR"

SLEEPERS=()
TOOL=
cleanup() {
  trap - EXIT INT TERM HUP
  if [ -n "$TOOL" ]; then kill "$TOOL" 2>/dev/null || true; fi
  if [ ${#SLEEPERS[@]} -gt 0 ]; then kill "${SLEEPERS[@]}" 2>/dev/null || true; fi
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM HUP

echo "building boxtop (release) ..."
cargo build --release --quiet


dir_bytes() { du -sb "$1" | awk '{print $1}'; }
# The times (ms since the epoch) of every sample in a recording directory, from the index
# files (docs/recording-format.md: a 16-byte header, then 40-byte entries whose first 8 bytes
# are the time, little-endian; the closing entry has record 0xffffffff).
sample_times() {
  python3 - "$1" <<'PY'
import struct, sys, glob
for idx in sorted(glob.glob(sys.argv[1] + "/*.boxidx")):
    b = open(idx, "rb").read()[16:]
    for i in range(0, len(b) - 39, 40):
        t, _, _, rec = struct.unpack_from("<QQQI", b, i)
        if rec != 0xFFFFFFFF:
            print(t)
PY
}

# Runs "$@" for WARMUP + DURATION; sets CPU_MS (per second) and PEAK_KIB.
measure() {
  "$@" >/dev/null 2>&1 &
  TOOL=$!
  sleep "$WARMUP"
  local c0 c1 t0 t1
  c0=$(cpu_ticks "$TOOL")
  t0=$(date +%s%N)
  START_MS=$((t0 / 1000000))
  START_BYTES=$(dir_bytes "$REC" 2>/dev/null || echo 0)
  sleep "$DURATION"
  c1=$(cpu_ticks "$TOOL")
  t1=$(date +%s%N)
  END_MS=$((t1 / 1000000))
  END_BYTES=$(dir_bytes "$REC" 2>/dev/null || echo 0)
  PEAK_KIB=$(peak_kib "$TOOL")
  kill -TERM "$TOOL"
  wait "$TOOL" 2>/dev/null || true
  TOOL=
  CPU_MS=$(awk -v d=$((c1 - c0)) -v hz="$CLK_TCK" -v ns=$((t1 - t0)) \
    'BEGIN { printf "%.1f", d * 1000 / hz / (ns / 1e9) }')
}

# `events --follow` between refreshes: with a 60 s interval and nothing happening, the CPU
# it uses in 20 s after its first refresh (it should sleep on inotify, not poll).
REC="$OUTDIR/none"
DURATION_SAVED=$DURATION
DURATION=20
measure "$BOXTOP" events --follow --interval 60
echo "events --follow --interval 60, idle: $CPU_MS ms of CPU per second over 20 s (peak $PEAK_KIB KiB)"
DURATION=$DURATION_SAVED
echo

printf '| extra processes | processes | events --follow ms/s | record ms/s | record / events | %% of one core | record peak RSS | bytes per sample |\n'
printf '|---:|---:|---:|---:|---:|---:|---:|---:|\n'
for n in "${SIZES[@]}"; do
  grow_sleepers "$n"
  sleep 1
  procs=$(find /proc -maxdepth 1 -name '[0-9]*' | wc -l)
  REC="$OUTDIR/none"
  measure "$BOXTOP" events --follow --interval 1
  base=$CPU_MS
  REC="$OUTDIR/rec-$n"
  rm -rf "$REC"
  measure "$BOXTOP" record --interval 1 --output "$REC"
  samples=$(sample_times "$REC" | awk -v a="$START_MS" -v b="$END_MS" '$1 > a && $1 <= b' | wc -l)
  per=$(awk -v b=$((END_BYTES - START_BYTES)) -v s="$samples" 'BEGIN { printf "%d", s ? b / s : 0 }')
  printf '| %d | %d | %s | %s | %s | %s %% | %d KiB | %s |\n' "$n" "$procs" "$base" "$CPU_MS" \
    "$(awk -v a="$CPU_MS" -v b="$base" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }')" \
    "$(awk -v a="$CPU_MS" 'BEGIN { printf "%.2f", a / 10 }')" "$PEAK_KIB" "$per"
done

echo
echo "Compression of the same samples (bytes per sample), the last size's recording:"
JSON="$OUTDIR/json"
rm -rf "$JSON" && mkdir -p "$JSON"
i=0
for t in $(sample_times "$REC"); do
  "$BOXTOP" replay "$REC" --dump --at "$t" >"$JSON/$(printf %05d $i).json" 2>/dev/null
  i=$((i + 1))
done
count=$i
cat "$JSON"/*.json >"$OUTDIR/all.json"
raw=$(stat -c %s "$OUTDIR/all.json")
each() { # compress each sample alone with "$@"; total bytes
  local total=0 f
  for f in "$JSON"/*.json; do total=$((total + $("$@" <"$f" | wc -c))); done
  echo $total
}
printf '| method | bytes per sample | of the JSON |\n|---|---:|---:|\n'
row() { printf '| %s | %d | %.1f %% |\n' "$1" $(($2 / count)) "$(awk -v a="$2" -v b="$raw" 'BEGIN { print a * 100 / b }')"; }
row "JSON, uncompressed" "$raw"
row "boxtop record (zstd 3, window of 4 samples, frames of 120 samples flushed per sample)" \
  "$(($(du -cb "$REC"/*.boxrec | tail -1 | cut -f1)))"
for l in 1 3 9 19; do row "zstd -$l across samples (one stream)" "$(zstd -q -c -"$l" "$OUTDIR/all.json" | wc -c)"; done
for w in 22 24 25 26; do
  row "zstd -3 --zstd=wlog=$w across samples" "$(zstd -q -c -3 --zstd=wlog=$w "$OUTDIR/all.json" | wc -c)"
  row "zstd -3 --long=$w across samples" "$(zstd -q -c -3 --long=$w "$OUTDIR/all.json" | wc -c)"
done
row "zstd -3 each sample alone" "$(each zstd -q -c -3)"
row "gzip -6 across samples (one stream)" "$(gzip -c -6 "$OUTDIR/all.json" | wc -c)"
row "gzip -6 each sample alone" "$(each gzip -c -6)"
row "gzip -9 across samples (one stream)" "$(gzip -c -9 "$OUTDIR/all.json" | wc -c)"
echo "(${count} samples; outputs in $OUTDIR)"
