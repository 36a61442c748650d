//! Freeze and thaw: the plans `boxtop freeze | thaw` print or make, and the dashboard
//! confirms. *Freeze* is the kernel's cgroup freezer, never the UI's pause.
//!
//! A container is frozen with its runtime's freezer (docs/ARCHITECTURE.md, "Freeze and
//! pause"): LXC, and runc on a v1 or hybrid host, use the v1 freezer wherever it is mounted,
//! so a v2 `cgroup.freeze` there would stop the processes behind the runtime's back (its
//! `lxc-unfreeze`, `runc resume` would not thaw them).

use super::plan::{ActionKind, Plan, Step};
use super::target::{CgroupTarget, Looked, Target, guard, look};
use crate::kernel::Roots;
use crate::kernel::cgroupfs::mode::HierarchyMount;
use crate::kernel::cgroupfs::write::{is_frozen, plan_freeze};
use color_eyre::eyre::{Result, bail, eyre};
use std::time::{Duration, Instant};

/// Resolves and checks a freeze or thaw. A freeze of a protected target, or of a process
/// that shares its cgroup, carries a caution; a thaw never does (it is the way out).
/// `force`: the caller acts despite cautions.
pub fn plan_freeze_action(
    roots: &Roots,
    target: &Target,
    freeze: bool,
    force: bool,
) -> Result<Plan> {
    freeze_plan(roots, &look(roots, target, force)?, freeze)
}

fn freeze_plan(roots: &Roots, looked: &Looked, freeze: bool) -> Result<Plan> {
    if looked.container().is_some() {
        return container_plan(roots, looked, freeze);
    }
    // v2 cgroup.freeze exists in every non-root cgroup; else the v1 freezer.
    let target = looked.resolve(&["cgroup.freeze", "freezer.state"])?;
    let mut plan = looked.plan(if freeze {
        ActionKind::Freeze
    } else {
        ActionKind::Thaw
    });
    let version = target.hierarchy.version;
    plan.target = match looked.pid() {
        Some(_) => format!("{}: cgroup {} (v{version})", plan.target, target.path),
        None => format!("cgroup {} (v{version})", target.path),
    };
    if freeze {
        guard(looked, &target, &mut plan);
    } else {
        plan.cautions.clear();
    }
    plan.steps.push(Step::Freezer {
        write: plan_freeze(&target.dir, version, freeze),
        dir: target.dir,
        path: target.path,
        version,
        freeze,
    });
    Ok(plan)
}

/// The runtime's freezer of a container: its own cgroup in a v1 hierarchy with the freezer
/// controller, where it has one; else its v2 cgroup's `cgroup.freeze`.
fn runtime_freezer(looked: &Looked) -> Result<CgroupTarget> {
    let v1 = looked.container_cgroup_offering(1, Some("freezer"), "freezer.state");
    let v2 = || looked.container_cgroup_offering(2, None, "cgroup.freeze");
    v1.or_else(v2).ok_or_else(|| {
        eyre!(
            "the cgroups of {}: neither a v1 freezer cgroup nor a v2 cgroup.freeze of its own \
             (is the freezer mounted?)",
            looked.describe()
        )
    })
}

/// Freeze or thaw a container with its runtime's freezer. A thaw also thaws its v2
/// cgroup.freeze when that was set by someone else (a freeze made outside its runtime), so
/// that no freezer is left holding it.
fn container_plan(roots: &Roots, looked: &Looked, freeze: bool) -> Result<Plan> {
    looked.no_cgroup(if freeze { "a freeze" } else { "a thaw" })?;
    let c = looked
        .container()
        .cloned()
        .ok_or_else(|| eyre!("not a container"))?;
    let target = runtime_freezer(looked).map_err(|e| match looked.refusal() {
        Some(r) => r,
        None => e,
    })?;
    let mut plan = looked.plan(if freeze {
        ActionKind::Freeze
    } else {
        ActionKind::Thaw
    });
    let version = target.hierarchy.version;
    plan.target = format!(
        "{}: cgroup {} (v{version}{})",
        looked.target_words(),
        target.path,
        if version == 1 { " freezer" } else { "" }
    );
    if freeze {
        guard(looked, &target, &mut plan);
    } else {
        plan.cautions.clear();
    }
    let v2_also = (version == 1 && !freeze)
        .then(|| {
            looked
                .hierarchies
                .iter()
                .filter(|h| h.version == 2)
                .filter_map(|h| looked.container_cgroup(h))
                .find(|t| is_frozen(&t.dir, 2) == Some(true))
        })
        .flatten();
    match super::runtime_commands::freeze_argv(roots, &c, freeze) {
        Some(argv) => {
            plan.notes
                .extend(super::runtime_commands::freeze_via_runtime(&c, &argv));
            let version = target.hierarchy.version;
            plan.steps.push(Step::Runtime {
                argv,
                write: plan_freeze(&target.dir, version, freeze),
                dir: target.dir,
                path: target.path,
                version,
                freeze,
            });
        }
        None => {
            plan.steps.push(freezer_step(target, freeze));
            plan.notes
                .extend(super::runtime_commands::freeze(&c, freeze));
        }
    }
    if let Some(t) = v2_also {
        plan.notes.push(format!(
            "its v2 cgroup {} is frozen too (cgroup.freeze, not its runtime's freezer): thawed \
             as well",
            t.path
        ));
        plan.steps.push(freezer_step(t, false));
    }
    Ok(plan)
}

fn freezer_step(t: CgroupTarget, freeze: bool) -> Step {
    let version = t.hierarchy.version;
    Step::Freezer {
        write: plan_freeze(&t.dir, version, freeze),
        dir: t.dir,
        path: t.path,
        version,
        freeze,
    }
}

/// The dashboard's freeze of a process: as [`plan_freeze_action`]; but a process whose
/// cgroups have no freezer file (the root cgroups, which cannot be frozen) gets the plan that
/// moves it into a cgroup of its own first, said in a note. (The command stays strict: it
/// refuses, and `boxtop move --create` is the way.)
pub fn plan_freeze_or_alone(roots: &Roots, target: &Target) -> Result<Plan> {
    let looked = look(roots, target, false)?;
    let strict = freeze_plan(roots, &looked, true);
    let Some(pid) = looked.pid().filter(|_| strict.is_err()) else {
        return strict;
    };
    let in_roots = looked.snap.process(pid).is_some_and(|p| {
        looked
            .hierarchies
            .iter()
            .filter(|h| h.version == 2 || h.controllers.iter().any(|c| c == "freezer"))
            .all(|h| p.cgroup_in(h.id).is_none_or(|path| path == "/"))
    });
    match strict {
        Err(_) if in_roots => {
            let mut plan = alone_plan(&looked, pid)?;
            plan.notes.push(format!(
                "process {pid} is in a root cgroup, which cannot be frozen: it is moved into a \
                 new cgroup of its own first"
            ));
            Ok(plan)
        }
        other => other,
    }
}

/// Freeze one process that shares its cgroup: move it into a new cgroup of its own
/// (`boxtop-PID`, as `move --create`), then freeze that one.
pub fn plan_freeze_alone(roots: &Roots, target: &Target) -> Result<Plan> {
    let Some(pid) = target.pid() else {
        bail!(
            "only a process can be frozen alone; {} is not one",
            target.describe()
        );
    };
    alone_plan(&look(roots, target, false)?, pid)
}

fn alone_plan(looked: &Looked, pid: i32) -> Result<Plan> {
    // Only in the hierarchy whose freezer will be used (v2's, else v1's freezer): the
    // process keeps its other cgroups, and their limits. `m` moves it everywhere.
    let has_v2 = looked.hierarchies.iter().any(|h| h.version == 2);
    let keep = |h: &HierarchyMount| {
        if has_v2 {
            h.version == 2
        } else {
            h.controllers.iter().any(|c| c == "freezer")
        }
    };
    let (mut plan, moved) = super::migrate::move_plan(looked, pid, None, &keep)?;
    let m = moved
        .first()
        .ok_or_else(|| eyre!("process {pid}: no freezer hierarchy to give it a cgroup in"))?;
    plan.kind = ActionKind::Freeze;
    plan.target = format!(
        "process {pid} alone: a new cgroup {} (v{})",
        m.dest, m.version
    );
    plan.steps.push(Step::Freezer {
        write: plan_freeze(&m.dir, m.version, true),
        dir: m.dir.clone(),
        path: m.dest.clone(),
        version: m.version,
        freeze: true,
    });
    Ok(plan)
}

/// After a freeze or thaw: wait (bounded) for the kernel's effective state and say it.
///
/// cgroup v1 can stay FREEZING when a task will not stop (an uninterruptible sleep, for
/// instance); writing FROZEN again retries (Documentation/admin-guide/cgroup-v1/freezer-
/// subsystem.rst). If it is still not frozen at the deadline, boxtop thaws it back rather
/// than leave it half frozen, and fails.
pub(super) fn wait_freezer(
    dir: &std::path::Path,
    path: &str,
    version: u8,
    freeze: bool,
) -> Result<String> {
    let v1 = version != 2;
    let read = || is_frozen(dir, version);
    // A retry or the thaw back; its own failure shows in the state read next.
    let write = |freeze: bool| {
        let _ = plan_freeze(dir, 1, freeze).apply();
    };
    let waited = wait_with(&KERNEL_TIMING, v1, freeze, read, write);
    waited
        .map(|w| format!("{path}: {w}"))
        .map_err(|e| eyre!("{path}: {e}"))
}

/// How long to wait for the freezer, how often to write FROZEN again (v1), how often to look.
struct Timing {
    give_up: Duration,
    retry: Duration,
    poll: Duration,
}

const KERNEL_TIMING: Timing = Timing {
    give_up: Duration::from_secs(2),
    retry: Duration::from_millis(500),
    poll: Duration::from_millis(20),
};

/// The wait itself, over `read` (Some(frozen) as the kernel says it) and `write` (v1 only:
/// freezer.state FROZEN for a retry, THAWED to give up), so its give-up path is testable
/// without a task that will not stop.
fn wait_with(
    t: &Timing,
    v1: bool,
    freeze: bool,
    mut read: impl FnMut() -> Option<bool>,
    mut write: impl FnMut(bool),
) -> Result<String> {
    let deadline = Instant::now() + t.give_up;
    let mut next_retry = Instant::now() + t.retry;
    loop {
        if read() == Some(freeze) {
            return Ok(if freeze { "frozen" } else { "thawed" }.into());
        }
        let now = Instant::now();
        if now > deadline {
            if v1 && freeze {
                write(false);
                bail!(
                    "could not freeze within {} s (a task would not stop); thawed it back",
                    t.give_up.as_secs_f32()
                );
            }
            return Ok(format!(
                "still {} after {} s (the kernel waits for every task to stop)",
                if freeze { "freezing" } else { "thawing" },
                t.give_up.as_secs_f32()
            ));
        }
        if v1 && freeze && now > next_retry {
            write(true);
            next_retry = now + t.retry;
        }
        std::thread::sleep(t.poll);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const QUICK: Timing = Timing {
        give_up: Duration::from_millis(80),
        retry: Duration::from_millis(20),
        poll: Duration::from_millis(2),
    };

    #[test]
    fn v1_that_never_freezes_is_retried_then_thawed_back() {
        let mut writes = Vec::new();
        let out = wait_with(&QUICK, true, true, || Some(false), |f| writes.push(f));
        let err = out.expect_err("gave up");
        assert!(err.to_string().contains("thawed it back"), "{err}");
        assert_eq!(
            writes.last(),
            Some(&false),
            "the last write thaws: {writes:?}"
        );
        let retries = writes.iter().filter(|w| **w).count();
        assert!(retries >= 1, "FROZEN was written again: {writes:?}");
        assert_eq!(
            writes.len(),
            retries + 1,
            "one thaw, at the end: {writes:?}"
        );
    }

    #[test]
    fn v1_that_freezes_on_a_retry_is_frozen() {
        let mut reads = 0;
        let mut writes = Vec::new();
        let read = || {
            reads += 1;
            Some(reads > 15)
        };
        let out = wait_with(&QUICK, true, true, read, |f| writes.push(f));
        assert_eq!(out.expect("frozen"), "frozen");
        assert!(!writes.contains(&false), "never thawed: {writes:?}");
    }

    #[test]
    fn v2_is_never_written_again_and_says_it_is_still_freezing() {
        let mut writes = Vec::new();
        let out = wait_with(&QUICK, false, true, || Some(false), |f| writes.push(f));
        assert!(out.expect("not an error").starts_with("still freezing"));
        assert!(writes.is_empty(), "{writes:?}");
        // An unreadable file (None) is not taken for either state.
        let out = wait_with(&QUICK, false, false, || None, |_| ());
        assert!(out.expect("not an error").starts_with("still thawing"));
    }
}
