//! Limits: the writes that set a [`LimitRequest`] on a target's cgroups, each limit in the
//! hierarchy that has it (v2 first, else v1), with the cautions of each. A container's limits
//! go to its own cgroups; the runtime's command for the same is said in a note.

use super::limits::LimitRequest;
use super::plan::{ActionKind, Plan, Step};
use super::target::{CgroupTarget, Looked, Target, guard, look};
use crate::kernel::Roots;
use crate::kernel::cgroupfs::write::{
    PlannedWrite, plan_cpu_max, plan_memory_high, plan_memory_max, plan_pids_max,
};
use crate::model::Limit;
use color_eyre::eyre::{Result, eyre};

/// The plan that sets `req` on `target`. `force`: the caller acts despite cautions.
pub fn plan_limit(roots: &Roots, target: &Target, req: LimitRequest, force: bool) -> Result<Plan> {
    let looked = look(roots, target, force)?;
    looked.no_cgroup("a limit")?;
    let mut plan = looked.plan(ActionKind::Limit);
    if let Some(limit) = req.memory {
        let t = looked.resolve(&["memory.max", "memory.limit_in_bytes"])?;
        guard(&looked, &t, &mut plan);
        if let Some(why) = below_usage(&looked, &t, limit) {
            plan.cautions.push(why);
        }
        plan.steps.push(Step::Write(plan_memory_max(
            &t.dir,
            t.hierarchy.version,
            limit,
        )));
    }
    if let Some(limit) = req.memory_high {
        let t = looked
            .resolve(&["memory.high"])
            .map_err(|e| eyre!("{e} (memory.high, the throttle, exists only in cgroup v2)"))?;
        guard(&looked, &t, &mut plan);
        plan.steps
            .push(Step::Write(plan_memory_high(&t.dir, limit)));
    }
    if let Some(limit) = req.cpu {
        let t = looked.resolve(&["cpu.max", "cpu.cfs_quota_us"])?;
        guard(&looked, &t, &mut plan);
        let writes = plan_cpu_max(&t.dir, t.hierarchy.version, limit);
        plan.steps.extend(writes.into_iter().map(Step::Write));
    }
    if let Some(limit) = req.pids {
        let t = looked.resolve(&["pids.max"])?;
        guard(&looked, &t, &mut plan);
        plan.steps.push(Step::Write(plan_pids_max(&t.dir, limit)));
    }
    // Several limits usually land in the same cgroup: each caution once, in order.
    let mut seen = std::collections::HashSet::new();
    plan.cautions.retain(|c| seen.insert(c.clone()));
    if let Some(c) = looked.container() {
        let writes: Vec<&PlannedWrite> = plan
            .steps
            .iter()
            .filter_map(|s| match s {
                Step::Write(w) => Some(w),
                _ => None,
            })
            .collect();
        let notes = super::runtime_commands::limit(c, &req, &writes);
        plan.notes.extend(notes);
    }
    Ok(plan)
}

/// A memory limit below what the cgroup uses now (v2 memory.current, v1
/// memory.usage_in_bytes, as the snapshot just read them): v1 refuses (EBUSY), v2 reclaims
/// and may OOM-kill. Said, as a caution.
fn below_usage(looked: &Looked, t: &CgroupTarget, limit: Limit) -> Option<String> {
    let Limit::Value(new) = limit else {
        return None;
    };
    let current = looked
        .snap
        .cgroups
        .hierarchies
        .iter()
        .find(|h| h.id == t.hierarchy.id && h.version == t.hierarchy.version)
        .and_then(|h| h.cgroups.iter().find(|c| c.path == t.path))
        .and_then(|c| c.memory.as_ref())
        .and_then(|m| m.current_bytes)?;
    (current > new).then(|| {
        format!(
            "the cgroup uses {} now, more than the new limit {}: {}",
            crate::text::format_bytes(current),
            crate::text::format_bytes(new),
            if t.hierarchy.version == 2 {
                "the kernel would reclaim memory and may OOM-kill processes in it"
            } else {
                "cgroup v1 refuses such a limit (EBUSY)"
            }
        )
    })
}
