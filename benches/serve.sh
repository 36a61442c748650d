#!/usr/bin/env bash
# boxtop serve against prometheus-node-exporter and prometheus-process-exporter, scraped on
# the same host in the same run (issue 11).
#
# Run by hand, as root, on an otherwise quiet machine:
#     bash benches/serve.sh                    # 5,000 extra processes, 50 containers
#     CONTAINERS=0 SCRAPES=10 bash benches/serve.sh 1000
#
# It starts that many extra `sleep` processes and CONTAINERS container-shaped cgroups
# (`lxc.payload.boxtop-bench-I` below its own v2 cgroup, each a `sleep` in new net and uts
# namespaces: what boxtop names and measures), then for each exporter in turn: starts it
# alone on a loopback port, scrapes it once (warm-up), then SCRAPES times (40) one second
# apart with curl (boxtop and node_exporter ROUNDS times each, alternating), and reports its utime+stime over those scrapes divided by their number
# (CPU ms per scrape), its VmHWM at the end, the bytes and series of one answer, and
# whether every scrape answered 200. boxtop serve runs with --interval 0.1, so that every
# scrape reads the kernel afresh, as the other two do.
#
# Needs: curl, prometheus-node-exporter and prometheus-process-exporter (Debian packages;
# installing them does not start them where there is no systemd). A missing one is skipped.
set -euo pipefail

cd "$(dirname "$0")/.."
# shellcheck source=benches/lib.sh
. benches/lib.sh
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(5000)
CONTAINERS=${CONTAINERS:-50}
SCRAPES=${SCRAPES:-40}
ROUNDS=${ROUNDS:-3}
CLK_TCK=$(getconf CLK_TCK)
BOXTOP="$PWD/target/release/boxtop"
TMP=$(mktemp -d /tmp/boxtop-serve-bench.XXXXXX)
SLEEPERS=()
BENCH_CGROUPS=()
TOOL=

cleanup() {
  trap - EXIT INT TERM HUP
  if [ -n "$TOOL" ]; then kill "$TOOL" 2>/dev/null || true; fi
  if [ ${#SLEEPERS[@]} -gt 0 ]; then kill "${SLEEPERS[@]}" 2>/dev/null || true; fi
  for cg in "${BENCH_CGROUPS[@]}"; do
    [ -f "$cg/cgroup.procs" ] && xargs -r kill -9 <"$cg/cgroup.procs" 2>/dev/null || true
    for _ in $(seq 50); do rmdir "$cg" 2>/dev/null && break; sleep 0.1; done
  done
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM HUP

command -v curl >/dev/null || { echo "curl is needed" >&2; exit 1; }
echo "building boxtop (release) ..."
cargo build --release --quiet

cat >"$TMP/process-exporter.yml" <<'YML'
process_names:
  - name: "{{.Comm}}"
    cmdline:
      - '.+'
YML

# The command line of an exporter listening on port $2.
tool_cmd() {
  case "$1" in
    boxtop) echo "$BOXTOP serve --listen 127.0.0.1:$2 --interval 0.1" ;;
    node_exporter) echo "prometheus-node-exporter --web.listen-address=127.0.0.1:$2" ;;
    process_exporter)
      echo "prometheus-process-exporter -web.listen-address=127.0.0.1:$2 -config.path=$TMP/process-exporter.yml" ;;
  esac
}

tool_exists() {
  case "$1" in
    boxtop) [ -x "$BOXTOP" ] ;;
    node_exporter) command -v prometheus-node-exporter >/dev/null ;;
    process_exporter) command -v prometheus-process-exporter >/dev/null ;;
  esac
}

# Measures one exporter; prints "cpu_ms_per_scrape peak_kib bytes series ok/scrapes".
measure() {
  local port=$((19000 + RANDOM % 1000)) url c0 c1 ok=0 i
  # shellcheck disable=SC2046
  $(tool_cmd "$1" "$port") >/dev/null 2>&1 &
  TOOL=$!
  url="http://127.0.0.1:$port/metrics"
  for _ in $(seq 100); do curl -sf -o /dev/null "$url" && break; sleep 0.1; done
  curl -sf -o "$TMP/answer" "$url" || true
  sleep 1
  c0=$(cpu_ticks "$TOOL")
  for i in $(seq "$SCRAPES"); do
    curl -sf -o /dev/null --max-time 10 "$url" && ok=$((ok + 1))
    [ "$i" -lt "$SCRAPES" ] && sleep 1
  done
  c1=$(cpu_ticks "$TOOL")
  local kib bytes series
  kib=$(peak_kib "$TOOL")
  bytes=$(wc -c <"$TMP/answer")
  series=$(grep -vc '^#' "$TMP/answer" || true)
  kill "$TOOL"
  wait "$TOOL" 2>/dev/null || true
  TOOL=
  awk -v d=$((c1 - c0)) -v hz="$CLK_TCK" -v n="$SCRAPES" -v k="$kib" -v b="$bytes" \
    -v s="$series" -v ok="$ok" 'BEGIN { printf "%.1f %d %d %d %d/%d\n", d * 1000 / hz / n, k, b, s, ok, n }'
}

make_containers
printf '%-8s %-10s %-18s %14s %13s %12s %8s %7s\n' extra processes tool "ms/scrape(CPU)" "peak RSS KiB" "answer bytes" series ok
for n in "${SIZES[@]}"; do
  grow_sleepers "$n"
  # boxtop and node_exporter in ROUNDS alternating rounds (their difference is a few ms,
  # and the machine drifts); process-exporter, a hundred times dearer, in the first only.
  tools=()
  for r in $(seq "$ROUNDS"); do
    tools+=(boxtop node_exporter)
    [ "$r" -eq 1 ] && tools+=(process_exporter)
  done
  for tool in "${tools[@]}"; do
    if ! tool_exists "$tool"; then
      echo "$tool: not installed, skipped"
      continue
    fi
    read -r ms kib bytes series ok <<<"$(measure "$tool")"
    printf '%-8s %-10s %-18s %14s %13s %12s %8s %7s\n' "$n" "$(count_procs)" "$tool" "$ms" "$kib" "$bytes" "$series" "$ok"
  done
done
