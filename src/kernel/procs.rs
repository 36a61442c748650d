//! The process table: /proc/PID/{stat,status,cmdline,cgroup}.
