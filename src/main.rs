//! boxtop: parse the command line and dispatch.

use boxtop::cli::{Cli, Command};
use boxtop::kernel::Roots;
use boxtop::report;
use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let roots = Roots::new(cli.roots.proc_root, cli.roots.cgroup_root);
    if cli.readonly && cli.command.as_ref().is_some_and(Command::acts) {
        eprintln!("boxtop: --readonly: actions are disabled");
        return ExitCode::from(1);
    }
    let result = match cli.command {
        Some(Command::Snapshot(args)) => report::run_snapshot(&roots, &args),
        Some(Command::CollectBench(args)) => report::run_collect_bench(&roots, &args),
        Some(Command::Freeze(args)) => boxtop::actions::freeze::run_freeze(&roots, &args, true),
        Some(Command::Thaw(args)) => boxtop::actions::freeze::run_freeze(&roots, &args, false),
        Some(Command::Limit(args)) => boxtop::actions::command::run_limit(&roots, &args),
        Some(Command::Kill(args)) => boxtop::actions::kill::run_kill(&roots, &args),
        Some(Command::Move(args)) => boxtop::actions::migrate::run_move(&roots, &args),
        // The command's exit status is ours, like unshare(1).
        Some(Command::Run(args)) => match boxtop::actions::run::run_run(&roots, &args) {
            Ok(code) => return ExitCode::from(code),
            Err(e) => Err(e),
        },
        Some(Command::SpawnHelper(args)) => {
            return ExitCode::from(boxtop::actions::run::run_helper(&roots, &args));
        }
        None => {
            boxtop::kernel::spawn::quiet_error_backtraces();
            if let Err(e) = color_eyre::install() {
                eprintln!("boxtop: {e}");
            }
            let interval = std::time::Duration::from_secs_f64(cli.interval);
            boxtop::app::run::run(roots, interval, cli.readonly)
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
