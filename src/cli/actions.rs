//! The arguments of the commands that act (freeze, thaw, limit, kill, move, run, and the
//! helper `run` re-executes), each aimed at a target with the switches every action has.

use clap::Args;
use std::path::PathBuf;

/// The target of an action and the switches every action has.
#[derive(Debug, Args, Clone, PartialEq, Eq, Default)]
pub struct ActionArgs {
    /// The cgroup of this process (it must be the only process in it, unless --force).
    #[arg(
        long,
        value_name = "N",
        conflicts_with_all = ["cgroup", "container"],
        required_unless_present_any = ["cgroup", "container"]
    )]
    pub pid: Option<i32>,
    /// A cgroup path inside its hierarchy, as `boxtop snapshot` shows it (e.g. /system.slice/x).
    #[arg(long, value_name = "PATH", conflicts_with = "container")]
    pub cgroup: Option<String>,
    /// A container as `boxtop containers` lists it: its name, its full id, or a unique
    /// prefix of its id. Its own cgroups, its runtime's freezer, every one of its processes.
    #[arg(long, value_name = "NAME|ID")]
    pub container: Option<String>,
    /// Print what would be written, write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Act even on a protected target (boxtop's own cgroups and session, pid 1, roots).
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args, Clone)]
pub struct LimitArgs {
    #[command(flatten)]
    pub target: ActionArgs,
    /// Memory limit: a size (64M, 1.5G, 512KiB) or max.
    #[arg(long, value_name = "SIZE")]
    pub memory: Option<String>,
    /// Memory throttle (cgroup v2 memory.high): above it the kernel reclaims and slows the
    /// cgroup down, but never OOM-kills. A size or max.
    #[arg(long, value_name = "SIZE")]
    pub memory_high: Option<String>,
    /// CPU limit: a number of CPUs (0.5), QUOTA/PERIOD in microseconds, or max.
    #[arg(long, value_name = "CPUS")]
    pub cpu: Option<String>,
    /// Process count limit: a number or max.
    #[arg(long, value_name = "N")]
    pub pids: Option<String>,
}

#[derive(Debug, Args, Clone)]
pub struct KillArgs {
    #[command(flatten)]
    pub target: ActionArgs,
    /// The signal for --pid and --container: a name (TERM, SIGKILL, hup) or a number.
    /// --cgroup always kills.
    #[arg(long, short = 's', value_name = "SIGNAL", default_value = "TERM")]
    pub signal: String,
}

#[derive(Debug, Args, Clone)]
pub struct MoveArgs {
    /// The process to move (with all its threads).
    #[arg(long, value_name = "N")]
    pub pid: i32,
    /// The destination: a cgroup path inside its hierarchies (e.g. /system.slice/x).
    #[arg(
        long,
        value_name = "PATH",
        conflicts_with = "create",
        required_unless_present = "create"
    )]
    pub cgroup: Option<String>,
    /// Create `boxtop-PID` under the process's current cgroup, in v2 and in the v1 freezer,
    /// memory, cpu, cpuacct and pids hierarchies, and move it there.
    #[arg(long)]
    pub create: bool,
    #[arg(long)]
    pub dry_run: bool,
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args, Clone, PartialEq, Eq)]
pub struct RunArgs {
    /// Namespaces to create, comma-separated: pid, net, uts, ipc, mnt, user, cgroup, time, or
    /// all.
    #[arg(long, value_name = "LIST")]
    pub unshare: Option<String>,
    /// The host name inside the new uts namespace.
    #[arg(long, value_name = "NAME")]
    pub hostname: Option<String>,
    /// Change the root directory to DIR (chroot) before starting the command.
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Join this cgroup first (in every hierarchy that has it), e.g. /system.slice/x.
    #[arg(long, value_name = "PATH")]
    pub cgroup: Option<String>,
    /// Map your user and group to root inside a new user namespace (implies user).
    #[arg(long)]
    pub map_root_user: bool,
    /// Run a small init as pid 1 that starts the command, forwards signals to it and reaps
    /// orphans (needs pid).
    #[arg(long)]
    pub init: bool,
    /// Print the steps that would be taken, do nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// The command and its arguments (after --).
    #[arg(
        value_name = "CMD",
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    pub command: Vec<String>,
}

#[derive(Debug, Args, Clone)]
pub struct SpawnHelperArgs {
    /// An inherited pipe: `pid N` or `error SENTENCE` is written to it.
    #[arg(long, value_name = "FD")]
    pub report_fd: Option<i32>,
    /// For the dashboard: start a new session, print nothing.
    #[arg(long)]
    pub quiet: bool,
    #[command(flatten)]
    pub run: RunArgs,
}
