//! Command-line definitions (clap derive) only. `crate::commands` maps them to the domain
//! requests of the layers below; nothing else sees a clap type.

mod actions;

pub use actions::{ActionArgs, KillArgs, LimitArgs, MoveArgs, RunArgs, SpawnHelperArgs};
use clap::{Args, Parser};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "boxtop",
    version,
    about = "Live dashboard of Linux processes, memory maps, namespaces and cgroups"
)]
pub struct Cli {
    #[command(flatten)]
    pub roots: RootArgs,
    /// Disable every action (freeze, thaw, limit, kill, move, run): look, never touch.
    #[arg(long, global = true)]
    pub readonly: bool,
    /// Allow the dashboard's actions even if the config file says `readonly = true`.
    #[arg(long, global = true, conflicts_with = "readonly")]
    pub no_readonly: bool,
    /// Seconds between two refreshes of the dashboard (default 1, or the config file's
    /// `interval`).
    #[arg(long, value_name = "SECONDS", value_parser = parse_interval)]
    pub interval: Option<f64>,
    /// The dashboard's config file, instead of $XDG_CONFIG_HOME/boxtop/config.toml
    /// (~/.config/boxtop/config.toml); it must exist.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Read no config file: the defaults and the flags only.
    #[arg(long, global = true, conflicts_with = "config")]
    pub no_config: bool,
    /// Also record what the dashboard shows to DIR, with the selected process's memory map
    /// (kept 7 days, 1 GiB at most; `boxtop record` is the daemon's way). `boxtop replay DIR`.
    #[arg(long, value_name = "DIR")]
    pub record: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Subcommand>,
}

#[derive(Debug, Args, Clone)]
pub struct RootArgs {
    /// Where procfs is (a fixture tree can stand in for it).
    #[arg(long, global = true, value_name = "DIR", default_value = crate::kernel::roots::DEFAULT_PROC)]
    pub proc_root: PathBuf,
    /// Where the cgroup filesystems are mounted (a fixture tree can stand in for it).
    #[arg(
        long,
        global = true,
        value_name = "DIR",
        default_value = crate::kernel::roots::DEFAULT_CGROUP
    )]
    pub cgroup_root: PathBuf,
}

#[derive(Debug, clap::Subcommand)]
pub enum Subcommand {
    /// Read everything once and print it (a summary, or JSON with --json).
    Snapshot(SnapshotArgs),
    /// The containers once, like `podman ps` with stats: LXC, Docker, podman, Kubernetes and
    /// nspawn containers named from their cgroups, sandboxes from their namespaces.
    Containers(ContainersArgs),
    /// What the kernel did: OOM kills, memory limits hit, freezes and thaws, cgroups emptied,
    /// processes started, exec'd and ended, namespaces made and released, with their cgroup
    /// and container. Compares two snapshots one interval apart; --follow keeps going.
    Events(EventsArgs),
    /// Serve Prometheus metrics of the containers, cgroups and namespaces of this host
    /// (`GET /metrics`, text format 0.0.4; docs/metrics.md), as an exporter like cAdvisor.
    Serve(ServeArgs),
    /// Record what the dashboard sees (processes, namespaces, cgroups, containers and the
    /// kernel's events) to a directory of per-day files, bounded in age and size, until
    /// interrupted (SIGINT, SIGTERM). `boxtop replay DIR` plays it back.
    Record(RecordArgs),
    /// Open the dashboard on a recording: a time bar, `[` `]` or Left/Right one sample,
    /// `t` a time, Space play and pause. Actions are refused: it is the past.
    Replay(ReplayArgs),
    /// Freeze a cgroup with the kernel's freezer (v2 cgroup.freeze, v1 freezer.state); a
    /// container through its runtime's own command where it is installed (lxc-freeze,
    /// podman pause, docker pause), else with its runtime's freezer (v1 freezer.state where
    /// the container has a v1 freezer cgroup, as LXC and runc use it; else v2).
    Freeze(ActionArgs),
    /// Thaw a frozen cgroup, or a container.
    Thaw(ActionArgs),
    /// Set memory, cpu and pids limits of a cgroup, or of a container's own cgroups.
    Limit(LimitArgs),
    /// Move a process into another cgroup (in every hierarchy that has it), or into a new
    /// cgroup of its own (--create), so that it can be frozen and limited alone.
    Move(MoveArgs),
    /// Send a signal to a process (--pid) or to every process of a container (--container;
    /// SIGKILL through its v2 cgroup.kill where it has one), or kill every process of a v2
    /// cgroup (--cgroup, through cgroup.kill).
    Kill(KillArgs),
    /// Start a command in new namespaces (pid, net, uts, ipc, mnt, user, cgroup, time), the
    /// way container runtimes do it: unshare(2), fork, mounts, hostname, chroot, exec.
    Run(RunArgs),
    /// The dashboard's config file: print the default one (--default), save the settings in
    /// force to it (--save), say where it is (--path), or print the settings in force (the
    /// file's, the defaults, the flags): `boxtop config --default >
    /// ~/.config/boxtop/config.toml`.
    Config(ConfigArgs),
    /// The guided tour of the talk boxtop grew from, live on this host: the address space,
    /// threads, cgroups, namespaces, chroot and LXC, each with its shell line, its kernel
    /// file and a demo (previewed like any action, removed when the tour ends).
    Tour(TourArgs),
    /// Internal: the tour's thread demo, two threads passing a token.
    #[command(name = "tour-pingpong", hide = true)]
    TourPingpong,
    /// Print a completion script for a shell (bash, zsh or fish): `boxtop completions bash >
    /// /etc/bash_completion.d/boxtop`, or see the README.
    Completions(CompletionsArgs),
    /// Print the manual page boxtop(1) in roff, or with --dir write it and a page for each
    /// command (boxtop-snapshot(1), ...) into a directory: `boxtop man --dir
    /// /usr/local/share/man/man1`.
    Man(ManArgs),
    /// Internal: the single-threaded helper that `boxtop run` and the dashboard re-execute to
    /// create namespaces (unshare(CLONE_NEWUSER) fails in a multithreaded process).
    #[command(hide = true)]
    SpawnHelper(SpawnHelperArgs),
    /// Benchmark aid: run the live collector for a number of refreshes and print its own
    /// CPU and memory cost as JSON (used by `cargo bench --bench refresh`).
    #[command(hide = true)]
    CollectBench(CollectBenchArgs),
}

impl Subcommand {
    /// Whether the command changes the system (refused with --readonly). Exhaustive on
    /// purpose: a new command must say which it is.
    pub fn acts(&self) -> bool {
        match self {
            Subcommand::Snapshot(_)
            | Subcommand::Containers(_)
            | Subcommand::Events(_)
            | Subcommand::Serve(_)
            | Subcommand::Record(_)
            | Subcommand::Replay(_)
            | Subcommand::Config(_)
            // The tour's demos are actions, each previewed; --readonly refuses them there.
            | Subcommand::Tour(_)
            | Subcommand::TourPingpong
            | Subcommand::Completions(_)
            | Subcommand::Man(_)
            | Subcommand::CollectBench(_) => false,
            Subcommand::Freeze(_)
            | Subcommand::Thaw(_)
            | Subcommand::Limit(_)
            | Subcommand::Move(_)
            | Subcommand::Kill(_)
            | Subcommand::Run(_)
            | Subcommand::SpawnHelper(_) => true,
        }
    }
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Print the default config file, every key commented (it parses to the defaults).
    #[arg(long = "default", conflicts_with_all = ["save", "path"])]
    pub print_default: bool,
    /// Write the settings in force (the defaults, the config file, the flags) to the config
    /// file (--config FILE, or the usual place); an existing file is kept unless --force.
    #[arg(long)]
    pub save: bool,
    /// Print the path of the config file the dashboard reads (whether or not it exists).
    #[arg(long, conflicts_with = "save")]
    pub path: bool,
    /// With --save: replace a config file that is there already.
    #[arg(long, requires = "save")]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write boxtop.1 and one page per command here instead of printing boxtop(1).
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct TourArgs {
    /// The tour's language: en or zh (Simplified Chinese, the talk's own); by default from
    /// LC_ALL, LC_MESSAGES or LANG, else English.
    #[arg(long, value_enum)]
    pub lang: Option<TourLang>,
}

/// The languages the tour is written in (assets/tour/).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TourLang {
    En,
    Zh,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell the script is for.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// The shells completions are made for.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
}

#[derive(Debug, Args)]
pub struct SnapshotArgs {
    /// Whole lines even on a terminal (by default each line is cut to its width, as ps and
    /// systemd-cgls do; piped output is always whole).
    #[arg(long, short = 'l')]
    pub full: bool,
    /// Print the whole snapshot as JSON (fields documented in docs/snapshot-json.md).
    #[arg(long)]
    pub json: bool,
    /// Also read the memory map of this process.
    #[arg(long, value_name = "N")]
    pub pid: Option<i32>,
    /// Milliseconds between the two samples that give cpu %; 0 takes one sample and leaves
    /// cpu % out.
    #[arg(long, value_name = "MS", default_value_t = 200)]
    pub cpu_sample_ms: u64,
    /// Print the recorded sample at or before this time instead of reading the host: a
    /// clock time today (`10:42`, `10:42:05`), a date and time (`2026-12-02 10:42`), a time
    /// back from the recording's end (`-5m`), or milliseconds since the epoch. Needs --from.
    #[arg(
        long,
        value_name = "TIME",
        requires = "from",
        allow_hyphen_values = true
    )]
    pub at: Option<String>,
    /// The recording (a directory of `boxtop record`, or one of its .boxrec files).
    #[arg(long, value_name = "DIR|FILE", requires = "at")]
    pub from: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RecordArgs {
    /// Seconds between two samples (0.1 to 3600).
    #[arg(long, value_name = "SECONDS", default_value_t = 1.0, value_parser = parse_interval)]
    pub interval: f64,
    /// The directory to write to (created if missing). Default: /var/lib/boxtop/recording
    /// for root, else $XDG_STATE_HOME/boxtop/recording (~/.local/state/boxtop/recording).
    #[arg(long, short = 'o', value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Remove whole days older than this: `7d`, `36h`, `90m` (s, m, h, d, w).
    #[arg(long, value_name = "DURATION", default_value = "7d", value_parser = parse_duration_ms)]
    pub retain: u64,
    /// Keep the directory under this size, the oldest files removed first: `1G`, `500M`,
    /// `64MiB` (K, M, G, T are powers of 1024).
    #[arg(long, value_name = "SIZE", default_value = "1G", value_parser = parse_size)]
    pub max_size: u64,
    /// Also record this process's memory map in every sample.
    #[arg(long, short = 'p', value_name = "PID")]
    pub pid: Option<i32>,
    /// Stop after this many samples (for tests and benchmarks); 0 records until stopped.
    #[arg(long, value_name = "N", default_value_t = 0, hide = true)]
    pub samples: u64,
}

#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// The recording: a directory of `boxtop record`, or one of its .boxrec files.
    pub path: PathBuf,
    /// Start at this time (as `snapshot --at` takes it); default the first sample.
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    pub at: Option<String>,
    /// Print the sample at --at (or the last one) as JSON and exit, like
    /// `snapshot --json --at TIME --from PATH`.
    #[arg(long)]
    pub dump: bool,
    /// Print what the recording holds (its files, first and last time, samples, losses)
    /// and exit.
    #[arg(long, conflicts_with = "dump")]
    pub info: bool,
}

#[derive(Debug, Args)]
pub struct ContainersArgs {
    /// Whole lines even on a terminal (by default each line is cut to its width, as ps and
    /// systemd-cgls do; piped output is always whole).
    #[arg(long, short = 'l')]
    pub full: bool,
    /// Print them as a JSON array (the `containers` of `snapshot --json`, documented in
    /// docs/snapshot-json.md).
    #[arg(long)]
    pub json: bool,
    /// Milliseconds between the two samples that give cpu %; 0 takes one sample and leaves
    /// cpu % out.
    #[arg(long, value_name = "MS", default_value_t = 200)]
    pub cpu_sample_ms: u64,
}

#[derive(Debug, Args)]
pub struct EventsArgs {
    /// Whole lines even on a terminal (by default each line is cut to its width, as ps and
    /// systemd-cgls do; piped output is always whole).
    #[arg(long, short = 'l')]
    pub full: bool,
    /// One JSON object per line (documented in docs/events-json.md).
    #[arg(long)]
    pub json: bool,
    /// Keep going: print each refresh's events as they are seen, until interrupted.
    #[arg(long, short = 'f')]
    pub follow: bool,
    /// Seconds between two snapshots (0.1 to 3600).
    #[arg(long, value_name = "SECONDS", default_value_t = 1.0, value_parser = parse_interval)]
    pub interval: f64,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on: `127.0.0.1:9637`, `[::1]:9637`, `localhost:9637`, or
    /// `:9637` for every address (as node_exporter takes it). Loopback unless another is given.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:9637", value_parser = parse_listen)]
    pub listen: std::net::SocketAddr,
    /// Seconds a reading of the host is served again: scrapes within it share one (0.1 to
    /// 3600).
    #[arg(long, value_name = "SECONDS", default_value_t = 1.0, value_parser = parse_interval)]
    pub interval: f64,
    /// Cgroups at most this deep get metrics of their own (the root is 0); the containers'
    /// cgroups always do.
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub cgroup_depth: usize,
    /// Also every cgroup under this path (repeatable): `--cgroup-path /system.slice`.
    #[arg(long, value_name = "PATH")]
    pub cgroup_path: Vec<String>,
}

#[derive(Debug, Args)]
pub struct CollectBenchArgs {
    /// Number of refreshes to measure (after one warm-up).
    #[arg(long, default_value_t = 20)]
    pub ticks: u32,
    /// Milliseconds to sleep between refreshes (as the dashboard would).
    #[arg(long, default_value_t = 1000)]
    pub interval_ms: u64,
    /// Refreshes between two reads of the rarely-changing fields (1 = read all every time).
    #[arg(long, default_value_t = crate::kernel::procs::reader::DEFAULT_SLOW_PERIOD)]
    pub slow_period: u64,
    /// Also read the threads of every process, as the dashboard does with `H` on.
    #[arg(long)]
    pub threads: bool,
}

/// A refresh interval: 0.1 s to one hour.
fn parse_interval(s: &str) -> Result<f64, String> {
    let v: f64 = s
        .parse()
        .map_err(|_| format!("{s:?} is not a number of seconds"))?;
    if (0.1..=3600.0).contains(&v) {
        Ok(v)
    } else {
        Err(format!(
            "{s}: the interval must be between 0.1 and 3600 seconds"
        ))
    }
}

/// `7d`, `36h`, `90m`, `30s`, `2w`: a duration, in milliseconds.
pub fn parse_duration_ms(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: u64 = num
        .parse()
        .map_err(|_| format!("{s:?}: a duration is a number and a unit, like 7d or 90m"))?;
    let per: u64 = match unit {
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        "w" => 7 * 86_400_000,
        _ => return Err(format!("{s:?}: the unit is one of s, m, h, d, w (like 7d)")),
    };
    n.checked_mul(per)
        .ok_or_else(|| format!("{s:?}: too long a duration"))
}

/// `1G`, `500M`, `64MiB`, `4096`: a size in bytes (K, M, G, T are powers of 1024, as in
/// the cgroup files; a trailing `B` or `iB` is allowed).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: u64 = num
        .parse()
        .map_err(|_| format!("{s:?}: a size is a number and a unit, like 1G or 500M"))?;
    let unit = unit.trim_end_matches("iB").trim_end_matches('B');
    let shift = match unit.to_ascii_uppercase().as_str() {
        "" => 0,
        "K" => 10,
        "M" => 20,
        "G" => 30,
        "T" => 40,
        _ => return Err(format!("{s:?}: the unit is one of K, M, G, T (like 1G)")),
    };
    let v = n
        .checked_mul(1u64 << shift)
        .ok_or_else(|| format!("{s:?}: too large a size"))?;
    if v == 0 {
        return Err(format!("{s:?}: a size of 0 would keep nothing"));
    }
    Ok(v)
}

/// `--listen`: an address and port, a host name and port (its first address), or `:PORT`
/// for every address.
fn parse_listen(s: &str) -> Result<std::net::SocketAddr, String> {
    use std::net::ToSocketAddrs;
    let s = s.trim();
    let full = match s.strip_prefix(':') {
        Some(port) => format!("0.0.0.0:{port}"),
        None => s.to_string(),
    };
    full.to_socket_addrs()
        .map_err(|e| format!("{s}: {e} (an address and port: 127.0.0.1:9637, :9637)"))?
        .next()
        .ok_or_else(|| format!("{s}: names no address"))
}

#[cfg(test)]
mod tests {
    use super::{Cli, Subcommand, parse_listen};
    use clap::Parser;

    /// `record`'s defaults, as typed in its help, are the store's (the dashboard's
    /// `--record` uses those).
    #[test]
    fn record_defaults_are_the_stores() {
        let cli = Cli::try_parse_from(["boxtop", "record"]).expect("parses");
        let Some(Subcommand::Record(a)) = cli.command else {
            panic!("record");
        };
        assert_eq!(a.retain, crate::store::writer::DEFAULT_RETAIN_MS);
        assert_eq!(a.max_size, crate::store::writer::DEFAULT_MAX_SIZE);
    }

    #[test]
    fn listen_takes_addresses_names_and_a_bare_port() {
        assert_eq!(
            parse_listen("127.0.0.1:9637").unwrap().to_string(),
            "127.0.0.1:9637"
        );
        assert_eq!(
            parse_listen("[::1]:9637").unwrap().to_string(),
            "[::1]:9637"
        );
        assert_eq!(parse_listen(":9637").unwrap().to_string(), "0.0.0.0:9637");
        assert!(parse_listen("localhost:9637").unwrap().ip().is_loopback());
        let e = parse_listen("9637").unwrap_err();
        assert!(e.contains("127.0.0.1:9637"), "{e}");
        assert!(parse_listen("127.0.0.1:notaport").is_err());
    }
}
