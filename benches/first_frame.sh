#!/usr/bin/env bash
# Time to the first full screen: boxtop against htop and btop, side by side in one run (issue 12).
#
#     bash benches/first_frame.sh              # 1,000 extra processes, 5 rounds
#     ROUNDS=10 TOOLS="boxtop btop" bash benches/first_frame.sh 5000
#
# It starts that many extra `sleep` processes, then for each round and each tool in turn
# starts the tool alone in a detached 160x45 tmux window (its own tmux server on a private
# socket, a fresh HOME and config directory). The pane runs bash, which notes the time
# ($EPOCHREALTIME, no fork) and then execs the tool: that is "Enter". The script then reads the
# pane (`tmux capture-pane -p`) as fast as it can until the tool's screen shows processes read
# from /proc, and notes that time. Markers, each what the tool prints only once it has read the
# process list: boxtop's title line "N processes", htop's "Tasks: N", btop's process box
# counter "SELECTED/TOTAL" in its bottom border.
#
# The figure is an upper bound: one capture-pane takes a few milliseconds (it is a fork and exec
# of the tmux client and a round trip to the server), so a screen is seen up to that much after
# it was drawn; CAPTURE_MS in the output is the mean time of one capture in this run.
#
# A tool that is missing is reported and skipped; a tool that never shows its marker within
# TIMEOUT seconds (10) fails the script, with its last screen in OUTDIR. No figure is asserted:
# CI runs this script for the record, the figures go in BENCHMARKS.md.
#
# Needs tmux; htop and btop (apt-get install -y htop btop) for the comparison.
set -euo pipefail

cd "$(dirname "$0")/.."
# shellcheck source=benches/lib.sh
. benches/lib.sh
N=${1:-1000}
ROUNDS=${ROUNDS:-5}
TIMEOUT=${TIMEOUT:-10}
read -r -a TOOLS <<<"${TOOLS:-boxtop htop btop}"
OUTDIR=${OUTDIR:-$(mktemp -d /tmp/boxtop-first-frame.XXXXXX)}
mkdir -p "$OUTDIR"
SOCK="boxtop-first-frame-$$"
CFG="$OUTDIR/config"
BOXTOP="$PWD/target/release/boxtop"

command -v tmux >/dev/null || { echo "tmux is needed: apt-get install -y tmux" >&2; exit 1; }
[ "${BASH_VERSINFO[0]}" -ge 5 ] || { echo "bash 5 is needed (EPOCHREALTIME)" >&2; exit 1; }

SLEEPERS=()
cleanup() {
  trap - EXIT INT TERM HUP
  stop_tmux_and_sleepers
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM HUP

tool_cmd() {
  case $1 in
    boxtop) echo "$BOXTOP" ;;
    *) echo "$1" ;;
  esac
}

tool_exists() {
  case $1 in
    boxtop) [ -x "$BOXTOP" ] ;;
    *) command -v "$1" >/dev/null ;;
  esac
}

# The marker of a screen that shows the process list (see the top), as an extended regex.
tool_marker() {
  case $1 in
    boxtop) echo ' boxtop .* [0-9]+ processes \(' ;;
    htop) echo 'Tasks: [0-9]+' ;;
    btop) echo '[0-9]+/[0-9]+└' ;;
  esac
}

# Microseconds since the epoch from bash's EPOCHREALTIME ("SECONDS.MICROS").
usec() { local t=${1/./}; echo $((10#$t)); }

# One start of one tool; sets RESULT to the milliseconds from exec to marker (or nothing).
CAPTURES=0
CAPTURE_US=0
measure() {
  RESULT=
  local tool=$1 round=$2 cmd marker t0 t1 screen c0 c1
  cmd=$(tool_cmd "$tool")
  marker=$(tool_marker "$tool")
  rm -rf "$CFG" && mkdir -p "$CFG/home"
  rm -f "$OUTDIR/t0"
  tmux -L "$SOCK" -f /dev/null new-session -d -x 160 -y 45 -s ff \
    "exec env HOME=$CFG/home XDG_CONFIG_HOME=$CFG LANG=C.UTF-8 LC_ALL=C.UTF-8 \
     bash -c 'printf %s \"\$EPOCHREALTIME\" >$OUTDIR/t0; exec $cmd'"
  local deadline=$((SECONDS + TIMEOUT))
  while [ $SECONDS -lt $deadline ]; do
    c0=$EPOCHREALTIME
    screen=$(tmux -L "$SOCK" capture-pane -p -t ff 2>/dev/null || true)
    c1=$EPOCHREALTIME
    CAPTURES=$((CAPTURES + 1))
    CAPTURE_US=$((CAPTURE_US + $(usec "$c1") - $(usec "$c0")))
    # bash's own regex match: no grep to start between two captures.
    if [[ $screen =~ $marker ]]; then
      t1=$c1
      break
    fi
  done
  printf '%s\n' "$screen" >"$OUTDIR/$tool-$round.txt"
  tmux -L "$SOCK" kill-server 2>/dev/null || true
  [ -n "${t1:-}" ] && [ -s "$OUTDIR/t0" ] || return 0
  t0=$(cat "$OUTDIR/t0")
  RESULT=$((($(usec "$t1") - $(usec "$t0") + 500) / 1000))
}

echo "building boxtop (release) ..."
cargo build --release --quiet
grow_sleepers "$N"
sleep 1
echo "first frame, ms from exec to a screen with the process list; $(count_procs) processes;" \
  "$ROUNDS rounds; screens in $OUTDIR"
declare -A RUNS
failed=0
for round in $(seq "$ROUNDS"); do
  for tool in "${TOOLS[@]}"; do
    tool_exists "$tool" || continue
    measure "$tool" "$round"
    if [ -z "$RESULT" ]; then
      echo "$tool: no process list within ${TIMEOUT}s (screen: $OUTDIR/$tool-$round.txt)" >&2
      failed=1
      continue
    fi
    RUNS[$tool]="${RUNS[$tool]:-} $RESULT"
  done
done
printf '%-8s %8s   %s\n' tool median runs
for tool in "${TOOLS[@]}"; do
  if ! tool_exists "$tool"; then
    printf '%-8s %8s\n' "$tool" "missing"
    continue
  fi
  read -r -a v <<<"${RUNS[$tool]:-}"
  [ ${#v[@]} -gt 0 ] || continue
  median=$(printf '%s\n' "${v[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '%-8s %8s   %s\n' "$tool" "$median" "${v[*]}"
done
[ "$CAPTURES" -gt 0 ] && echo "CAPTURE_MS $(awk -v u="$CAPTURE_US" -v n="$CAPTURES" \
  'BEGIN {printf "%.1f", u / n / 1000}') (mean time of one capture-pane, the resolution)"
exit "$failed"
