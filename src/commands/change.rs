//! `boxtop freeze | thaw | limit | kill | move`: the command is the confirmation. It names
//! the target, refuses a plan with cautions without --force, prints the plan with
//! --dry-run, else makes it (the identity of a process is re-checked right before the first
//! write) and prints every file with its old and new value, like `systemctl set-property`.

use crate::actions::limits::LimitRequest;
use crate::actions::plan::Plan;
use crate::actions::{CgroupPath, Target, freeze as freezer, kill as signals, migrate, set_limits};
use crate::cli::{ActionArgs, KillArgs, LimitArgs, MoveArgs};
use crate::kernel::Roots;
use color_eyre::eyre::{Result, bail, eyre};

/// `--pid N` (the process as it is now), `--cgroup PATH` (canonical) or `--container
/// NAME|ID` (by name, full id or unique id prefix, as it is now).
fn target(roots: &Roots, args: &ActionArgs) -> Result<Target> {
    match (args.pid, args.cgroup.as_deref(), args.container.as_deref()) {
        (Some(pid), _, _) => Target::process_now(roots, pid),
        (None, Some(c), _) => Target::cgroup(c),
        (None, None, Some(name)) => Target::container_now(roots, name),
        (None, None, None) => bail!("give --pid, --cgroup or --container"),
    }
}

pub(super) fn freeze(roots: &Roots, args: &ActionArgs, freeze: bool) -> Result<()> {
    let plan = freezer::plan_freeze_action(roots, &target(roots, args)?, freeze, args.force)?;
    run_plan(roots, &plan, args.dry_run, args.force)
}

pub(super) fn limit(roots: &Roots, args: &LimitArgs) -> Result<()> {
    // Parse everything before touching anything.
    let req = LimitRequest::parse(
        args.memory.as_deref(),
        args.memory_high.as_deref(),
        args.cpu.as_deref(),
        args.pids.as_deref(),
    )
    .map_err(|e| eyre!("{e}"))?;
    let t = &args.target;
    let plan = set_limits::plan_limit(roots, &target(roots, t)?, req, t.force)?;
    run_plan(roots, &plan, t.dry_run, t.force)
}

/// `kill --pid` sends a signal to one process, `kill --container` to each of its processes
/// (or writes its v2 `cgroup.kill` for SIGKILL); `kill --cgroup` writes v2 `cgroup.kill`.
pub(super) fn kill(roots: &Roots, args: &KillArgs) -> Result<()> {
    let signal = signals::parse_signal(&args.signal)?;
    let t = &args.target;
    let plan = signals::plan_kill_action(roots, &target(roots, t)?, signal, t.force)?;
    run_plan(roots, &plan, t.dry_run, t.force)
}

pub(super) fn move_process(roots: &Roots, args: &MoveArgs) -> Result<()> {
    let dest = match args.cgroup.as_deref() {
        Some(c) => Some(CgroupPath::parse(c).map_err(|e| eyre!(e))?),
        None => None,
    };
    let who = Target::process_now(roots, args.pid)?;
    let plan = migrate::plan_move(roots, &who, dest.as_ref(), args.force)?;
    run_plan(roots, &plan, args.dry_run, args.force)
}

/// The command's way with a plan: refuse a caution without --force, print it with
/// --dry-run, else make it and print what was done.
fn run_plan(roots: &Roots, plan: &Plan, dry_run: bool, force: bool) -> Result<()> {
    plan.check_forced(force)?;
    if dry_run {
        let mut text = format!("{}\n", plan.title());
        for line in plan.preview() {
            text.push_str(&line);
            text.push('\n');
        }
        return Ok(crate::report::print(text.as_bytes())?);
    }
    // What was done is printed even when a later step failed (and after every write: a
    // reader gone does not cut the plan short).
    let applied = plan.apply(roots);
    let mut text = String::new();
    for line in &applied.done {
        text.push_str(line);
        text.push('\n');
    }
    let printed = crate::report::print(text.as_bytes());
    applied.into_result()?;
    Ok(printed?)
}
