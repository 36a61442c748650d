# Shell helpers the bench scripts share (sourced, not run).

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
