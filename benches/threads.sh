#!/usr/bin/env bash
# What `H` (threads shown) costs: boxtop with threads hidden and shown, against the plain
# stat+statm loop and htop (which shows user threads by default), side by side in one run
# (issue 13, part 2).
#
# Run by hand, as root, on an otherwise quiet machine (about 2 minutes a round):
#     bash benches/threads.sh
#     ROUNDS=2 bash benches/threads.sh
#     THREADED=500 EACH=8 SLEEPERS_N=1000 TOOLS="boxtop boxtop-H" bash benches/threads.sh
#
# It starts THREADED (1,000) processes of EACH (16) threads each, all asleep
# (benches/threads.c, compiled here; the threads name themselves bx-sleep-I), and SLEEPERS_N
# (4,000) single-threaded `sleep` processes: 5,000 extra processes with 20,000 threads in all.
# Then, for each tool in turn, alone, it starts the tool in a detached 160x45 tmux window (a
# private tmux server, a fresh HOME and config directory) with a refresh of 1 s, waits WARMUP
# seconds, reads the tool's utime+stime (/proc/PID/stat, all its threads) over DURATION
# seconds and VmHWM (peak RSS) at the end: CPU ms per refresh = CPU delta / DURATION.
#
#   boxtop     `boxtop --interval 1`, threads hidden (the default);
#   boxtop-H   the same, with `H` pressed one second after it started (before the warm-up, so
#              that the first read of every thread, which opens their files, is not measured);
#   plain      benches/plain_loop.c: lists /proc and opens, reads and closes stat and statm of
#              every process each second, and draws nothing (threads not read);
#   htop       `htop -d 10`, its default layout, which lists every user thread.
#
# The last screen of each tool is kept in OUTDIR; boxtop-H's must count threads in its header
# ("N threads"), htop's must count them ("N thr"). The processes and tasks columns are the
# counts of /proc entries and of /proc/*/task entries during the measurement (the machine's
# own ~80 processes and kernel threads included). Everything started is killed on exit,
# Ctrl-C and SIGTERM. Environment knobs: THREADED, EACH, SLEEPERS_N, DURATION (20), WARMUP
# (3), ROUNDS (1), TOOLS ("boxtop boxtop-H plain htop"), OUTDIR (a new temp dir).
#
# Needs tmux, a C compiler, htop (apt-get install -y htop tmux). A missing tool is skipped.
set -euo pipefail

cd "$(dirname "$0")/.."
# shellcheck source=benches/lib.sh
. benches/lib.sh
THREADED=${THREADED:-1000}
EACH=${EACH:-16}
SLEEPERS_N=${SLEEPERS_N:-4000}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-3}
ROUNDS=${ROUNDS:-1}
read -r -a TOOLS <<<"${TOOLS:-boxtop boxtop-H plain htop}"
OUTDIR=${OUTDIR:-$(mktemp -d /tmp/boxtop-threads-bench.XXXXXX)}
mkdir -p "$OUTDIR"
SOCK="boxtop-threads-bench-$$"
CFG="$OUTDIR/config"
CLK_TCK=$(getconf CLK_TCK)
BOXTOP="$PWD/target/release/boxtop"

command -v tmux >/dev/null || { echo "tmux is needed: apt-get install -y tmux" >&2; exit 1; }
command -v cc >/dev/null || { echo "a C compiler is needed (cc)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || echo "warning: not root; the tools will see fewer details" >&2

SLEEPERS=()
NAP=
cleanup() {
  trap - EXIT INT TERM HUP
  if [ -n "$NAP" ]; then kill "$NAP" 2>/dev/null || true; fi
  tmux -L "$SOCK" kill-server 2>/dev/null || true
  rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCK"
  if [ ${#SLEEPERS[@]} -gt 0 ]; then
    kill "${SLEEPERS[@]}" 2>/dev/null || true
    SLEEPERS=()
  fi
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM HUP

echo "building boxtop (release) ..."
cargo build --release --quiet
cc -O2 -o "$OUTDIR/plain_loop" benches/plain_loop.c
cc -O2 -pthread -o "$OUTDIR/threads" benches/threads.c

# Sleeps in the background and waits, so that a signal to this script is taken at once.
nap() {
  sleep "$1" &
  NAP=$!
  wait "$NAP"
  NAP=
}

# Threads on the machine now: the entries of every /proc/PID/task. (A glob, as count_procs:
# find fails when a process ends while it looks.)
count_tasks() {
  local all=(/proc/[0-9]*/task/[0-9]*)
  echo "${#all[@]}"
}

tool_cmd() {
  case $1 in
    boxtop | boxtop-H) echo "$BOXTOP --interval 1" ;;
    htop) echo "htop -d 10" ;;
    plain) echo "$OUTDIR/plain_loop 1" ;;
  esac
}

tool_exists() {
  case $1 in
    boxtop | boxtop-H) [ -x "$BOXTOP" ] ;;
    plain) [ -x "$OUTDIR/plain_loop" ] ;;
    *) command -v "$1" >/dev/null ;;
  esac
}

# Measures one tool; sets RESULT to "cpu_ms_per_refresh peak_kib processes tasks", or to
# nothing on failure. (Not in a $(...) subshell, so that Ctrl-C or TERM is taken at once.)
measure() {
  RESULT=
  local tool=$1 round=$2 cmd pid t0 t1 c0 c1 p0 p1 k0 k1 hwm comm
  cmd=$(tool_cmd "$tool")
  rm -rf "$CFG/home" && mkdir -p "$CFG/home"
  # `exec env ...` keeps one pid from the pane's shell to the tool.
  tmux -L "$SOCK" -f /dev/null new-session -d -x 160 -y 45 -s bench \
    "exec env HOME=$CFG/home XDG_CONFIG_HOME=$CFG LANG=C.UTF-8 LC_ALL=C.UTF-8 $cmd"
  pid=$(tmux -L "$SOCK" list-panes -t bench -F '#{pane_pid}' | head -n1)
  comm=$(cat "/proc/$pid/comm" 2>/dev/null || true)
  if [ "${tool%-H}" != "${comm:0:7}" ] && [ "${tool:0:7}" != "${comm:0:7}" ]; then
    local child
    child=$(pgrep -P "$pid" | head -n1 || true)
    [ -n "$child" ] && pid=$child
  fi
  if [ "$tool" = boxtop-H ]; then
    nap 1
    tmux -L "$SOCK" send-keys -t bench H
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
  k0=$(count_tasks)
  nap "$DURATION"
  c1=$(cpu_ticks "$pid") || c1=
  t1=$(date +%s%N)
  hwm=$(peak_kib "$pid" 2>/dev/null || true)
  p1=$(count_procs)
  k1=$(count_tasks)
  tmux -L "$SOCK" capture-pane -p -t bench >"$OUTDIR/screen-$tool-r$round.txt" 2>/dev/null || true
  tmux -L "$SOCK" kill-server 2>/dev/null || true
  for _ in $(seq 50); do [ -d "/proc/$pid" ] || break; sleep 0.1; done
  if [ -d "/proc/$pid" ]; then kill -9 "$pid" 2>/dev/null || true; fi
  if [ -z "$c1" ] || [ -z "$hwm" ]; then
    echo "  $tool exited during the measurement" >&2
    return 0
  fi
  RESULT=$(awk -v d=$((c1 - c0)) -v hz="$CLK_TCK" -v ns=$((t1 - t0)) -v k="$hwm" \
    -v p=$(((p0 + p1) / 2)) -v t=$(((k0 + k1) / 2)) \
    'BEGIN { printf "%.1f %d %d %d\n", d * 1000 / hz / (ns / 1e9), k, p, t }')
}

echo "starting $THREADED processes of $EACH threads and $SLEEPERS_N sleepers ..."
for _ in $(seq "$THREADED"); do
  "$OUTDIR/threads" "$EACH" </dev/null >/dev/null 2>&1 &
  SLEEPERS+=($!)
done
grow_sleepers $((THREADED + SLEEPERS_N))
# Let every thread start and name itself before anything is measured.
nap 2

RESULTS="$OUTDIR/results.tsv"
printf 'processes\ttasks\tround\ttool\tcpu_ms_per_refresh\tpeak_rss_kib\n' >"$RESULTS"
echo "output: $OUTDIR (screens and results.tsv)"
for round in $(seq "$ROUNDS"); do
  for tool in "${TOOLS[@]}"; do
    if ! tool_exists "$tool"; then
      echo "  $tool: not installed, skipped"
      continue
    fi
    echo "  $(count_procs) processes, $(count_tasks) threads, round $round: $tool ..."
    measure "$tool" "$round"
    [ -n "$RESULT" ] || continue
    read -r ms kib procs tasks <<<"$RESULT"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$procs" "$tasks" "$round" "$tool" "$ms" "$kib" >>"$RESULTS"
    s="$OUTDIR/screen-$tool-r$round.txt"
    case $tool in
      boxtop-H) grep -qE ' [0-9]+ threads · ' "$s" || echo "  warning: boxtop-H's screen shows no threads" >&2 ;;
      htop) grep -qE '[0-9]+ thr' "$s" || echo "  warning: htop's screen counts no threads" >&2 ;;
    esac
  done
done
cleanup

# The table: mean over rounds per tool, and boxtop-H's ratio against each.
echo
awk -F'\t' '
  NR == 1 { next }
  {
    cpu[$4] += $5; rss[$4] += $6; cnt[$4]++; psum += $1; tsum += $2; n++
    if (!($4 in seen)) { seen[$4] = 1; tools[++nt] = $4 }
  }
  END {
    printf "%d processes, %d threads (means over the run)\n", psum / n, tsum / n
    printf "%-10s %10s %12s %14s %14s\n", "tool", "ms/refresh", "peak RSS MiB", "boxtop-H/tool", "tool/boxtop"
    h = ("boxtop-H" in cnt) ? cpu["boxtop-H"] / cnt["boxtop-H"] : 0
    b = ("boxtop" in cnt) ? cpu["boxtop"] / cnt["boxtop"] : 0
    for (j = 1; j <= nt; j++) {
      t = tools[j]; c = cpu[t] / cnt[t]; r = rss[t] / cnt[t]
      rh = (h > 0 && c > 0) ? sprintf("%.2f", h / c) : "-"
      rb = (b > 0) ? sprintf("%.2f", c / b) : "-"
      printf "%-10s %10.1f %12.1f %14s %14s\n", t, c, r / 1024, rh, rb
    }
  }' "$RESULTS" | tee "$OUTDIR/table.txt"
