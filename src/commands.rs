//! The commands layer: the command line, mapped to the domain requests of the layers below
//! and run. With `cli.rs`, the only code that knows clap (docs/ARCHITECTURE.md, "Layers").

mod change;
mod config;
mod launch;

use crate::cli::{Cli, Subcommand};
use crate::kernel::Roots;
use crate::report::{self, BenchParams, SnapshotRequest};
use std::io::Write as _;
use std::process::ExitCode;

/// Runs what the command line asks for; the exit status is the process's.
pub fn run(cli: Cli) -> ExitCode {
    let flags = config::Flags::of(&cli);
    let roots = Roots::new(cli.roots.proc_root, cli.roots.cgroup_root);
    if cli.readonly && cli.command.as_ref().is_some_and(Subcommand::acts) {
        eprintln!("boxtop: --readonly: actions are disabled");
        return ExitCode::from(1);
    }
    if cli.record.is_some() && cli.command.is_some() {
        eprintln!(
            "boxtop: --record DIR records the dashboard; `boxtop record --output DIR` records \
             without it"
        );
        return ExitCode::from(2);
    }
    let result = match cli.command {
        Some(Subcommand::Snapshot(a)) if a.from.is_some() => match (a.from, a.at) {
            (Some(from), Some(at)) => report::snapshot_at(&from, &at, a.json),
            _ => Err(color_eyre::eyre::eyre!("--from and --at go together")),
        },
        Some(Subcommand::Snapshot(a)) => report::run_snapshot(
            &roots,
            SnapshotRequest {
                json: a.json,
                width: width(a.json || a.full),
                pid: a.pid,
                cpu_sample_ms: a.cpu_sample_ms,
            },
        ),
        Some(Subcommand::Containers(a)) => report::run_containers(
            &roots,
            SnapshotRequest {
                json: a.json,
                width: width(a.json || a.full),
                pid: None,
                cpu_sample_ms: a.cpu_sample_ms,
            },
        ),
        Some(Subcommand::Events(a)) => report::run_events(
            &roots,
            report::EventsRequest {
                json: a.json,
                width: width(a.json || a.full),
                follow: a.follow,
                interval_ms: secs_to_ms(a.interval),
            },
        ),
        Some(Subcommand::Serve(a)) => crate::export::run_serve(
            &roots,
            &crate::export::ServeRequest {
                listen: a.listen,
                interval: std::time::Duration::from_secs_f64(a.interval),
                cgroups: crate::export::metrics::CgroupSelection {
                    max_depth: a.cgroup_depth,
                    prefixes: a.cgroup_path,
                },
            },
        ),
        Some(Subcommand::Record(a)) => report::run_record(
            &roots,
            &report::RecordRequest {
                dir: a.output.unwrap_or_else(default_recording_dir),
                interval_ms: secs_to_ms(a.interval),
                retain_ms: a.retain,
                max_size: a.max_size,
                pid: a.pid,
                samples: a.samples,
            },
        ),
        Some(Subcommand::Replay(a)) if a.info => report::recording_info(&a.path),
        Some(Subcommand::Replay(a)) if a.dump => report::dump_sample(&a.path, a.at.as_deref()),
        Some(Subcommand::Replay(a)) => match config::for_screen(&flags) {
            Ok(settings) => replay(&a, settings),
            Err(e) => return failed(&e),
        },
        Some(Subcommand::Config(a)) => match config::run(&flags, &a) {
            Ok(()) => Ok(()),
            Err(e) => return failed(&e),
        },
        Some(Subcommand::CollectBench(a)) => report::run_collect_bench(
            &roots,
            BenchParams {
                ticks: a.ticks,
                interval_ms: a.interval_ms,
                slow_period: a.slow_period,
                threads: a.threads,
            },
        ),
        Some(Subcommand::Freeze(a)) => change::freeze(&roots, &a, true),
        Some(Subcommand::Thaw(a)) => change::freeze(&roots, &a, false),
        Some(Subcommand::Limit(a)) => change::limit(&roots, &a),
        Some(Subcommand::Kill(a)) => change::kill(&roots, &a),
        Some(Subcommand::Move(a)) => change::move_process(&roots, &a),
        // The command's exit status is ours, like unshare(1).
        Some(Subcommand::Run(a)) => match launch::run(&roots, &a) {
            Ok(code) => return ExitCode::from(code),
            Err(e) => Err(e),
        },
        Some(Subcommand::TourPingpong) => crate::kernel::pingpong::run().map_err(Into::into),
        Some(Subcommand::Tour(a)) => {
            let lang = match a.lang {
                Some(crate::cli::TourLang::En) => crate::app::tour::Lang::En,
                Some(crate::cli::TourLang::Zh) => crate::app::tour::Lang::Zh,
                None => crate::tui::locale_lang(),
            };
            match dashboard(roots, &flags, None, Some(lang)) {
                Ok(r) => r,
                Err(code) => return code,
            }
        }
        Some(Subcommand::Completions(a)) => completions(a.shell),
        Some(Subcommand::Man(a)) => man(a.dir.as_deref()),
        Some(Subcommand::SpawnHelper(a)) => return ExitCode::from(launch::helper(&roots, &a)),
        None => match dashboard(roots, &flags, cli.record, None) {
            Ok(r) => r,
            Err(code) => return code,
        },
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let broken_pipe = e
                .chain()
                .filter_map(|c| c.downcast_ref::<std::io::Error>())
                .any(crate::kernel::broken_pipe::is_broken_pipe);
            if broken_pipe {
                return crate::kernel::broken_pipe::end_by_sigpipe();
            }
            // One clear line, no backtrace: bad input is the user's to fix, not a crash.
            // Not eprintln!, which panics when stderr is gone: the dashboard's terminal
            // closed under it, and the draw that failed is the error.
            let _ = writeln!(std::io::stderr(), "boxtop: {e}");
            ExitCode::from(1)
        }
    }
}

/// A config file's or `boxtop config`'s failure: one line, and its status.
fn failed(e: &config::Failure) -> ExitCode {
    let _ = writeln!(std::io::stderr(), "boxtop: {}", e.message);
    ExitCode::from(e.status)
}

/// The dashboard, or the tour in it: the settings in force (a bad config file ends here, with
/// its status), then the terminal.
fn dashboard(
    roots: Roots,
    flags: &config::Flags,
    record: Option<std::path::PathBuf>,
    tour: Option<crate::app::tour::Lang>,
) -> Result<color_eyre::Result<()>, ExitCode> {
    let settings = config::for_screen(flags).map_err(|e| failed(&e))?;
    crate::kernel::spawn::quiet_error_backtraces();
    if let Err(e) = color_eyre::install() {
        eprintln!("boxtop: {e}");
    }
    Ok(crate::tui::run(crate::tui::Live {
        roots,
        settings,
        record,
        tour,
    }))
}

/// `boxtop replay PATH [--at TIME]`: the dashboard on a recording, from its first sample or
/// the one at --at, with the config file's keys, theme and layout.
fn replay(
    a: &crate::cli::ReplayArgs,
    settings: crate::app::config::Config,
) -> color_eyre::Result<()> {
    let recording = report::open_recording(&a.path)?;
    let start = match a.at.as_deref() {
        Some(at) => report::sample_at(&recording, Some(at))?,
        None => 0,
    };
    crate::kernel::spawn::quiet_error_backtraces();
    if let Err(e) = color_eyre::install() {
        eprintln!("boxtop: {e}");
    }
    crate::tui::run_replay(crate::tui::Replay {
        recording,
        start,
        settings,
    })
}

/// An interval the command line checked (0.1 to 3600 s), in milliseconds.
fn secs_to_ms(secs: f64) -> u64 {
    u64::try_from(std::time::Duration::from_secs_f64(secs).as_millis()).unwrap_or(1000)
}

/// Where `boxtop record` writes when not told: the system's state directory for root (as a
/// daemon would, `/var/lib`), the user's ($XDG_STATE_HOME, the XDG base directory
/// specification's place for state that outlives a run) otherwise.
fn default_recording_dir() -> std::path::PathBuf {
    use std::path::PathBuf;
    if nix::unistd::geteuid().is_root() {
        return PathBuf::from("/var/lib/boxtop/recording");
    }
    let state = std::env::var_os("XDG_STATE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/state")))
        .unwrap_or_else(|| PathBuf::from("."));
    state.join("boxtop/recording")
}

/// `boxtop completions SHELL`: clap's script for that shell, from the same definitions the
/// parser uses (so it cannot drift from them).
fn completions(shell: crate::cli::Shell) -> color_eyre::Result<()> {
    use clap::CommandFactory;
    use clap_complete::Shell as S;
    let shell = match shell {
        crate::cli::Shell::Bash => S::Bash,
        crate::cli::Shell::Zsh => S::Zsh,
        crate::cli::Shell::Fish => S::Fish,
    };
    // Without the hidden internal commands, which clap_complete would offer.
    let full = Cli::command();
    let mut cmd = clap::Command::new("boxtop").version(env!("CARGO_PKG_VERSION"));
    for a in full.get_arguments() {
        cmd = cmd.arg(a.clone());
    }
    for s in full.get_subcommands().filter(|s| !s.is_hide_set()) {
        cmd = cmd.subcommand(s.clone());
    }
    let mut text = Vec::new();
    clap_complete::generate(shell, &mut cmd, "boxtop", &mut text);
    Ok(report::print(&text)?)
}

/// `boxtop man [--dir DIR]`: the manual pages, from the same definitions as the parser:
/// boxtop(1) on stdout, or it and one page per command (the hidden ones left out) in DIR.
fn man(dir: Option<&std::path::Path>) -> color_eyre::Result<()> {
    use clap::CommandFactory;
    let cmd = Cli::command();
    if let Some(dir) = dir {
        clap_mangen::generate_to(cmd, dir).map_err(|e| {
            color_eyre::eyre::eyre!("cannot write the pages to {}: {e}", dir.display())
        })?;
        return Ok(());
    }
    let mut text = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut text)?;
    Ok(report::print(&text)?)
}

/// The terminal's width to fit text to, unless the output is JSON or whole lines were asked.
fn width(whole: bool) -> Option<usize> {
    if whole {
        None
    } else {
        crate::kernel::terminal::stdout_columns()
    }
}
