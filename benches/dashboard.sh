#!/usr/bin/env bash
# The dashboard's own cost against htop, btop and bottom, side by side in one run (issue 3).
#
# Run by hand, as root, on an otherwise quiet machine:
#     bash benches/dashboard.sh                 # 1,000 then 5,000 extra processes
#     bash benches/dashboard.sh 5000            # one size
#     ROUNDS=2 TOOLS="boxtop htop" bash benches/dashboard.sh 1000
#
# For each size it starts that many extra `sleep` processes (on top of what the machine runs),
# then, for each tool in turn, starts the tool alone in a detached 160x45 tmux window (its own
# tmux server on a private socket, a fresh config directory, refresh every 1 s), waits WARMUP
# seconds, reads the tool's utime+stime (/proc/PID/stat, all threads) over DURATION seconds,
# and VmHWM (peak RSS, /proc/PID/status) at the end. CPU ms per refresh = CPU delta / DURATION
# (one refresh per second). The screen at the end is kept in OUTDIR so that what each tool
# showed can be checked (boxtop's must have its four panes).
#
# Needs: tmux, htop, btop (apt-get install -y htop btop tmux), btm (cargo install bottom
# --locked), a C compiler for `plain`. A missing tool is reported and skipped.
#
# `plain` is the baseline: benches/plain_loop.c, compiled here, lists /proc every second and
# opens, reads and closes stat and statm of every process, and draws nothing: the least a
# top-like tool can do. It runs in the tmux window like the others. Environment knobs: DURATION (20),
# WARMUP (3), ROUNDS (1), TOOLS ("boxtop htop btop btm"), OUTDIR (a new temp dir).
#
# Containers: CONTAINERS=N (0) first makes N container-shaped cgroups, `lxc.payload.boxtop-
# bench-I` below the script's own cgroup in the v2 hierarchy, each holding one `sleep` in new
# net and uts namespaces (`unshare --net --uts`): what boxtop names, measures and reads the
# network counters of. They count among the extra processes, and are removed at the end.
#
# BOXTOP_KEYS="5" sends those keys to boxtop (and boxtop-base) once it has started, before the
# warm-up: `5` measures it with the containers pane on screen instead of the process table.
#
# Before and after a change, in the same run: BASELINE=PATH adds the tool `boxtop-base`, that
# boxtop binary (built from the commit before the change), measured like the others:
#     git worktree add /tmp/base REV && (cd /tmp/base && cargo build --release)
#     BASELINE=/tmp/base/target/release/boxtop bash benches/dashboard.sh
set -euo pipefail

cd "$(dirname "$0")/.."
# shellcheck source=benches/lib.sh
. benches/lib.sh
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 5000)
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-3}
ROUNDS=${ROUNDS:-1}
BASELINE=${BASELINE:-}
DEFAULT_TOOLS="boxtop plain htop btop btm"
[ -z "$BASELINE" ] || DEFAULT_TOOLS="boxtop boxtop-base plain htop btop btm"
read -r -a TOOLS <<<"${TOOLS:-$DEFAULT_TOOLS}"
OUTDIR=${OUTDIR:-$(mktemp -d /tmp/boxtop-dashboard-bench.XXXXXX)}
mkdir -p "$OUTDIR"
SOCK="boxtop-bench-$$"
CFG="$OUTDIR/config"
CLK_TCK=$(getconf CLK_TCK)
BOXTOP="$PWD/target/release/boxtop"

command -v tmux >/dev/null || { echo "tmux is needed: apt-get install -y tmux" >&2; exit 1; }
[ "$(id -u)" = 0 ] || echo "warning: not root; the tools will see fewer details" >&2

SLEEPERS=()
CONTAINERS=${CONTAINERS:-0}
BOXTOP_KEYS=${BOXTOP_KEYS:-}
BENCH_CGROUPS=()
cleanup() {
  trap - EXIT INT TERM HUP
  if [ -n "$NAP" ]; then kill "$NAP" 2>/dev/null || true; fi
  for cg in "${BENCH_CGROUPS[@]}"; do
    # Its sleep was killed with the other sleepers (or here); then the empty cgroup goes.
    [ -f "$cg/cgroup.procs" ] && xargs -r kill -9 <"$cg/cgroup.procs" 2>/dev/null || true
    for _ in $(seq 50); do rmdir "$cg" 2>/dev/null && break; sleep 0.1; done
  done
  stop_tmux_and_sleepers
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM HUP

echo "building boxtop (release) ..."
cargo build --release --quiet
# The baseline: benches/plain_loop.c, the plain stat+statm loop, as a tool of its own.
if command -v cc >/dev/null; then
  cc -O2 -o "$OUTDIR/plain_loop" benches/plain_loop.c
fi

# Sleeps in the background and waits, so that a signal to this script is taken at once.
nap() {
  sleep "$1" &
  NAP=$!
  wait "$NAP"
  NAP=
}
NAP=


# The command line of each tool, with a refresh of 1 s.
tool_cmd() {
  case $1 in
    boxtop) echo "$BOXTOP --interval 1" ;;
    boxtop-base) echo "$BASELINE --interval 1" ;;
    htop) echo "htop -d 10" ;;
    btop)
      # update_ms = 1000 through a private config (btop's default is 2000 ms).
      mkdir -p "$CFG/btop"
      printf 'update_ms = 1000\n' >"$CFG/btop/btop.conf"
      echo "btop"
      ;;
    btm) echo "btm --rate 1000" ;;
    plain) echo "$OUTDIR/plain_loop 1" ;;
  esac
}

tool_exists() {
  case $1 in
    boxtop) [ -x "$BOXTOP" ] ;;
    boxtop-base) [ -n "$BASELINE" ] && [ -x "$BASELINE" ] ;;
    plain) [ -x "$OUTDIR/plain_loop" ] ;;
    *) command -v "$1" >/dev/null ;;
  esac
}


# Measures one tool; sets RESULT to "cpu_ms_per_refresh peak_kib processes", or to nothing
# on failure. (Not run in a $(...) subshell, so that Ctrl-C or TERM is taken at once.)
measure() {
  RESULT=
  local tool=$1 n=$2 round=$3 cmd pid t0 t1 c0 c1 p0 p1 hwm comm
  cmd=$(tool_cmd "$tool")
  rm -rf "$CFG/home" && mkdir -p "$CFG/home"
  # `exec env ...` keeps one pid from the pane's shell to the tool.
  tmux -L "$SOCK" -f /dev/null new-session -d -x 160 -y 45 -s bench \
    "exec env HOME=$CFG/home XDG_CONFIG_HOME=$CFG LANG=C.UTF-8 LC_ALL=C.UTF-8 $cmd"
  pid=$(tmux -L "$SOCK" list-panes -t bench -F '#{pane_pid}' | head -n1)
  # Should the pane run a shell around the tool, take the shell's child.
  comm=$(cat "/proc/$pid/comm" 2>/dev/null || true)
  if [ "$comm" != "$tool" ] && [ "${tool:0:7}" != "${comm:0:7}" ]; then
    local child
    child=$(pgrep -P "$pid" | head -n1 || true)
    [ -n "$child" ] && pid=$child
  fi
  if [ -n "$BOXTOP_KEYS" ] && [ "${tool:0:6}" = boxtop ]; then
    nap 1
    tmux -L "$SOCK" send-keys -t bench "$BOXTOP_KEYS"
  fi
  nap "$WARMUP"
  if ! c0=$(cpu_ticks "$pid"); then
    echo "  $tool exited during the warm-up; its screen:" >&2
    tmux -L "$SOCK" capture-pane -p -t bench >&2 || true
    tmux -L "$SOCK" kill-server 2>/dev/null || true
    return 0
  fi
  t0=$(date +%s%N)
  p0=$(count_procs)
  nap "$DURATION"
  c1=$(cpu_ticks "$pid") || c1=
  t1=$(date +%s%N)
  hwm=$(peak_kib "$pid" 2>/dev/null || true)
  p1=$(count_procs)
  tmux -L "$SOCK" capture-pane -p -t bench >"$OUTDIR/screen-$tool-$n-r$round.txt" 2>/dev/null || true
  tmux -L "$SOCK" kill-server 2>/dev/null || true
  # Let it go before the next tool starts.
  for _ in $(seq 50); do [ -d "/proc/$pid" ] || break; sleep 0.1; done
  if [ -d "/proc/$pid" ]; then kill -9 "$pid" 2>/dev/null || true; fi
  if [ -z "$c1" ] || [ -z "$hwm" ]; then
    echo "  $tool exited during the measurement" >&2
    return 0
  fi
  # CPU ms per refresh over the measured wall time (one refresh per second); the number of
  # processes on the machine is the mean of the counts at the start and the end.
  RESULT=$(awk -v d=$((c1 - c0)) -v hz="$CLK_TCK" -v ns=$((t1 - t0)) -v k="$hwm" \
    -v p=$(((p0 + p1) / 2)) 'BEGIN { printf "%.1f %d %d\n", d * 1000 / hz / (ns / 1e9), k, p }')
}

make_containers

RESULTS="$OUTDIR/results.tsv"
printf 'extra\tprocesses\tround\ttool\tcpu_ms_per_refresh\tpeak_rss_kib\n' >"$RESULTS"
echo "output: $OUTDIR (screens and results.tsv)"
for n in "${SIZES[@]}"; do
  echo "starting sleepers up to $n extra processes ..."
  grow_sleepers "$n"
  for round in $(seq "$ROUNDS"); do
    for tool in "${TOOLS[@]}"; do
      if ! tool_exists "$tool"; then
        echo "  $tool: not installed, skipped"
        continue
      fi
      echo "  $n extra ($(count_procs) processes), round $round: $tool ..."
      measure "$tool" "$n" "$round"
      [ -n "$RESULT" ] || continue
      read -r ms kib total <<<"$RESULT"
      printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$total" "$round" "$tool" "$ms" "$kib" >>"$RESULTS"
      if [ "${tool:0:6}" = boxtop ]; then
        s="$OUTDIR/screen-$tool-$n-r$round.txt"
        for title in "Processes" "Memory map" "Namespaces" "Cgroups"; do
          grep -q "$title" "$s" || echo "  warning: $tool's screen lacks the $title pane" >&2
        done
      fi
    done
  done
done
cleanup

# The table: mean over rounds per size and tool, and boxtop's ratio against each.
echo
awk -F'\t' '
  NR == 1 { next }
  {
    key = $1 SUBSEP $4
    cpu[key] += $5; rss[key] += $6; cnt[key]++; psum[$1] += $2; pcnt[$1]++
    if (!($1 in pmin) || $2 < pmin[$1]) pmin[$1] = $2
    if (!($1 in pmax) || $2 > pmax[$1]) pmax[$1] = $2
    if (!($1 in seen)) { seen[$1] = 1; sizes[++ns] = $1 }
    if (!($4 in tseen)) { tseen[$4] = 1; tools[++nt] = $4 }
  }
  END {
    printf "%-8s %9s  %-11s %10s %12s %12s %12s\n", "extra", "processes", "tool", "ms/refresh", "peak RSS MiB", "boxtop/tool", "boxtop/tool"
    printf "%-8s %9s  %-11s %10s %12s %12s %12s\n", "", "", "", "(CPU)", "", "CPU", "peak RSS"
    for (i = 1; i <= ns; i++) {
      s = sizes[i]; b = s SUBSEP "boxtop"
      bc = (b in cnt) ? cpu[b] / cnt[b] : 0; br = (b in cnt) ? rss[b] / cnt[b] : 0
      for (j = 1; j <= nt; j++) {
        k = s SUBSEP tools[j]
        if (!(k in cnt)) continue
        c = cpu[k] / cnt[k]; r = rss[k] / cnt[k]
        rc = (bc > 0 && c > 0) ? sprintf("%.2f", bc / c) : "-"
        rr = (br > 0 && r > 0) ? sprintf("%.2f", br / r) : "-"
        if (tools[j] == "boxtop") { rc = "1"; rr = "1" }
        printf "%-8s %9d  %-11s %10.1f %12.1f %12s %12s\n", s, psum[s] / pcnt[s], tools[j], c, r / 1024, rc, rr
      }
    }
    for (i = 1; i <= ns; i++) {
      s = sizes[i]
      if (pmax[s] - pmin[s] > 50)
        printf "warning: at %s extra the machine had %d to %d processes: something else started or ended processes during the run\n", s, pmin[s], pmax[s]
    }
  }' "$RESULTS" | tee "$OUTDIR/table.txt"
