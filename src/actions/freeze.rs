//! Freeze and thaw: `boxtop freeze | thaw`, and the plans the dashboard confirms.

use super::command::{guard, look, resolve, write_error};
use crate::cli::ActionArgs;
use crate::kernel::Roots;
use crate::kernel::cgroupfs::write::{PlannedWrite, plan_freeze};
use color_eyre::eyre::{Result, bail, eyre};
use std::path::PathBuf;
use std::time::{Duration, Instant};

pub fn run_freeze(roots: &Roots, args: &ActionArgs, freeze: bool) -> Result<()> {
    let plan = plan_freeze_action(roots, args, freeze)?;
    if args.dry_run {
        for line in plan.describe() {
            println!("{line}");
        }
        return Ok(());
    }
    println!("{}", apply_freeze_action(roots, &plan)?);
    Ok(())
}

/// A freeze or thaw, planned and checked, waiting to be confirmed (the dashboard) or made
/// (the command).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FreezePlan {
    pub freeze: bool,
    /// The cgroup, as `snapshot` shows it, and its hierarchy's version.
    pub path: String,
    pub version: u8,
    dir: PathBuf,
    pub write: PlannedWrite,
    /// With --pid: the process's identity, re-checked right before the write.
    pub process: Option<(i32, u64)>,
}

impl FreezePlan {
    /// What will be written, and the shell line that does the same.
    pub fn describe(&self) -> Vec<String> {
        let w = &self.write;
        vec![
            format!(
                "{} cgroup {} (cgroup v{})",
                if self.freeze { "Freeze" } else { "Thaw" },
                self.path,
                self.version
            ),
            format!(
                "Would write {}: {} -> {}",
                w.file.display(),
                w.old.as_deref().unwrap_or("?"),
                w.new
            ),
            format!("  {}", w.shell_line()),
        ]
    }
}

/// Resolves and checks a freeze or thaw (protected set, a --pid sharing its cgroup).
pub fn plan_freeze_action(roots: &Roots, args: &ActionArgs, freeze: bool) -> Result<FreezePlan> {
    let (snap, hierarchies) = look(roots, args)?;
    // v2 cgroup.freeze exists in every non-root cgroup; else the v1 freezer.
    let target = resolve(
        &snap,
        &hierarchies,
        args,
        &["cgroup.freeze", "freezer.state"],
    )?;
    if freeze {
        guard(&snap, args, &target)?;
    }
    let process = args
        .pid
        .and_then(|pid| snap.process(pid).map(|p| (pid, p.start_time_ticks)));
    Ok(FreezePlan {
        freeze,
        write: plan_freeze(&target.dir, target.hierarchy.version, freeze),
        path: target.path,
        version: target.hierarchy.version,
        dir: target.dir,
        process,
    })
}

/// Makes a planned freeze or thaw and waits (bounded) for the kernel's effective state.
pub fn apply_freeze_action(roots: &Roots, plan: &FreezePlan) -> Result<String> {
    // The identity of a --pid, right before the write: a reused pid is never hit.
    let gone = |(pid, start): (i32, u64)| {
        crate::kernel::procs::read_start_time(roots, pid).ok() != Some(start)
    };
    if let Some((pid, _)) = plan.process.filter(|id| gone(*id)) {
        bail!(
            "process {pid} has exited (or its pid was reused) since it was looked up; nothing written"
        );
    }
    let w = &plan.write;
    w.apply().map_err(|e| eyre!("{}", write_error(&e, w)))?;
    let wrote = format!(
        "Wrote {}: {} -> {}",
        w.file.display(),
        w.old.as_deref().unwrap_or("?"),
        w.new
    );
    let state = wait_freezer(&plan.dir, &plan.path, plan.version, plan.freeze)?;
    Ok(format!("{wrote}\n{state}"))
}

/// After a freeze or thaw: wait (bounded) for the kernel's effective state and say it.
///
/// cgroup v1 can stay FREEZING when a task will not stop (an uninterruptible sleep, for
/// instance); writing FROZEN again retries (Documentation/admin-guide/cgroup-v1/freezer-
/// subsystem.rst). If it is still not frozen at the deadline, boxtop thaws it back rather
/// than leave it half frozen, and fails.
fn wait_freezer(dir: &std::path::Path, path: &str, version: u8, freeze: bool) -> Result<String> {
    let v1 = version != 2;
    let deadline = Instant::now() + Duration::from_secs(2);
    let mut next_retry = Instant::now() + Duration::from_millis(500);
    loop {
        let state = if v1 {
            std::fs::read_to_string(dir.join("freezer.state"))
                .ok()
                .map(|s| s.trim() == "FROZEN")
        } else {
            std::fs::read_to_string(dir.join("cgroup.events"))
                .ok()
                .and_then(|s| {
                    s.lines()
                        .find_map(|l| l.strip_prefix("frozen ").map(|v| v.trim() == "1"))
                })
        };
        if state == Some(freeze) {
            return Ok(format!(
                "{path}: {}",
                if freeze { "frozen" } else { "thawed" }
            ));
        }
        let now = Instant::now();
        if now > deadline {
            if v1 && freeze {
                let _ = plan_freeze(dir, 1, false).apply();
                bail!(
                    "{path}: could not freeze within 2 s (a task would not stop); thawed it back"
                );
            }
            return Ok(format!(
                "{path}: still {} after 2 s (the kernel waits for every task to stop)",
                if freeze { "freezing" } else { "thawing" }
            ));
        }
        if v1 && freeze && now > next_retry {
            let _ = plan_freeze(dir, 1, true).apply();
            next_retry = now + Duration::from_millis(500);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
