//! The commands layer: the command line, mapped to the domain requests of the layers below
//! and run. With `cli.rs`, the only code that knows clap (docs/ARCHITECTURE.md, "Layers").

mod change;
mod launch;

use crate::cli::{Cli, Subcommand};
use crate::kernel::Roots;
use crate::report::{self, BenchParams, SnapshotRequest};
use std::process::ExitCode;

/// Runs what the command line asks for; the exit status is the process's.
pub fn run(cli: Cli) -> ExitCode {
    let roots = Roots::new(cli.roots.proc_root, cli.roots.cgroup_root);
    if cli.readonly && cli.command.as_ref().is_some_and(Subcommand::acts) {
        eprintln!("boxtop: --readonly: actions are disabled");
        return ExitCode::from(1);
    }
    let result = match cli.command {
        Some(Subcommand::Snapshot(a)) => report::run_snapshot(
            &roots,
            SnapshotRequest {
                json: a.json,
                pid: a.pid,
                cpu_sample_ms: a.cpu_sample_ms,
            },
        ),
        Some(Subcommand::Containers(a)) => report::run_containers(
            &roots,
            SnapshotRequest {
                json: a.json,
                pid: None,
                cpu_sample_ms: a.cpu_sample_ms,
            },
        ),
        Some(Subcommand::Events(a)) => report::run_events(
            &roots,
            report::EventsRequest {
                json: a.json,
                follow: a.follow,
                interval_ms: u64::try_from(
                    std::time::Duration::from_secs_f64(a.interval).as_millis(),
                )
                .unwrap_or(1000),
            },
        ),
        Some(Subcommand::CollectBench(a)) => report::run_collect_bench(
            &roots,
            BenchParams {
                ticks: a.ticks,
                interval_ms: a.interval_ms,
                slow_period: a.slow_period,
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
        Some(Subcommand::SpawnHelper(a)) => return ExitCode::from(launch::helper(&roots, &a)),
        None => {
            crate::kernel::spawn::quiet_error_backtraces();
            if let Err(e) = color_eyre::install() {
                eprintln!("boxtop: {e}");
            }
            let interval = std::time::Duration::from_secs_f64(cli.interval);
            crate::tui::run(roots, interval, cli.readonly)
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One clear line, no backtrace: bad input is the user's to fix, not a crash.
            eprintln!("boxtop: {e}");
            ExitCode::from(1)
        }
    }
}
