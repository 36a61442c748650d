# Shell helpers the bench scripts share (sourced, not run). The sleepers and cgroups they
# make are kept in SLEEPERS and BENCH_CGROUPS, for the script's cleanup.

# utime + stime of a process (all its threads), in clock ticks. The comm field may hold
# spaces and parentheses: the fields are counted after the last ')' (proc_pid_stat(5)).
cpu_ticks() {
  local stat rest
  stat=$(cat "/proc/$1/stat") || return 1
  rest=${stat##*) }
  # rest starts at field 3 (state); utime is field 14, stime 15.
  read -r -a f <<<"$rest"
  echo $((f[11] + f[12]))
}

# Peak RSS of a process, in KiB (VmHWM of /proc/PID/status).
peak_kib() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }

# Starts sleepers until there are $1 extra processes.
grow_sleepers() {
  local want=$1
  while [ ${#SLEEPERS[@]} -lt "$want" ]; do
    sleep 3600 </dev/null >/dev/null 2>&1 &
    SLEEPERS+=($!)
  done
  disown -a
}

# Processes on the machine now (what each tool has to read).
# (A glob, not find: find fails when a process ends while it looks, which stops a script
# running under set -e.)
count_procs() {
  local all=(/proc/[0-9]*)
  echo "${#all[@]}"
}

# The v2 hierarchy (pure v2: /sys/fs/cgroup; hybrid: its unified mount) and this script's
# cgroup in it.
make_containers() {
  [ "${CONTAINERS:-0}" -gt 0 ] || return 0
  local v2 own i cg pid
  v2=$(awk '$9 == "cgroup2" {print $5; exit}' /proc/self/mountinfo)
  own=$(awk -F: '$1 == "0" {print $3}' /proc/self/cgroup)
  [ -n "$v2" ] || { echo "CONTAINERS: no cgroup2 mount" >&2; exit 1; }
  for i in $(seq "$CONTAINERS"); do
    cg="$v2$own/lxc.payload.boxtop-bench-$i"
    mkdir "$cg"
    BENCH_CGROUPS+=("$cg")
    unshare --net --uts sleep 3600 </dev/null >/dev/null 2>&1 &
    pid=$!
    SLEEPERS+=("$pid")
    echo "$pid" >"$cg/cgroup.procs"
  done
  disown -a
  echo "made $CONTAINERS container-shaped cgroups under $v2$own"
}

# The script's tmux server (private socket $SOCK) and its socket file, and the sleepers: what
# every bench script's cleanup ends with.
stop_tmux_and_sleepers() {
  tmux -L "$SOCK" kill-server 2>/dev/null || true
  rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCK"
  if [ ${#SLEEPERS[@]} -gt 0 ]; then
    kill "${SLEEPERS[@]}" 2>/dev/null || true
    SLEEPERS=()
  fi
}
