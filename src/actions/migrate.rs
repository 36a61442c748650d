//! Moves: migrate a process into another cgroup, or into a new one of its own (`boxtop
//! move`, the dashboard's `m`). See Documentation/admin-guide/cgroup-v2.rst, "Organizing
//! Processes and Threads".

use super::plan::{ActionKind, Plan, Step};
use super::target::{CgroupPath, Looked, Target, look};
use crate::kernel::cgroupfs::mode::HierarchyMount;
use crate::kernel::cgroupfs::probe;
use crate::kernel::cgroupfs::write::plan_migrate;
use crate::kernel::{KernelError, Roots};
use color_eyre::eyre::{Result, bail, eyre};
use std::path::PathBuf;

/// v1 controllers whose cgroups take a process without more setup (a new cpuset cgroup, for
/// one, has no cpus or mems until they are written, and refuses tasks).
const CREATE_IN_V1: [&str; 5] = ["freezer", "memory", "cpu", "cpuacct", "pids"];

/// One hierarchy's part of a move.
pub(super) struct Moved {
    pub(super) version: u8,
    pub(super) dir: PathBuf,
    pub(super) dest: String,
}

/// Moves `pid` into cgroup `dest` in every hierarchy that has it; with no `dest`, into a
/// new `boxtop-PID` under its current cgroup, in v2 and the v1 hierarchies of
/// [`CREATE_IN_V1`].
/// `force`: the caller acts despite cautions.
pub fn plan_move(
    roots: &Roots,
    target: &Target,
    dest: Option<&CgroupPath>,
    force: bool,
) -> Result<Plan> {
    let Some(pid) = target.pid() else {
        bail!("a move takes a process; {} is a cgroup", target.describe());
    };
    let dest = dest.map(CgroupPath::as_str);
    Ok(move_plan(&look(roots, target, force)?, pid, dest, &|_| true)?.0)
}

/// [`plan_move`] in the hierarchies `keep` picks, from what `looked` saw.
pub(super) fn move_plan(
    looked: &Looked,
    pid: i32,
    dest: Option<&str>,
    keep: &dyn Fn(&HierarchyMount) -> bool,
) -> Result<(Plan, Vec<Moved>)> {
    let row = looked
        .snap
        .process(pid)
        .ok_or(KernelError::NoSuchProcess { pid })?;
    let mut plan = looked.plan(ActionKind::Move);
    let mut moved = Vec::new();
    for h in looked.hierarchies.iter().filter(|h| keep(h)) {
        let to = match dest {
            Some(path) => Roots::cgroup_path(path).map_err(|e| eyre!(e))?,
            None => {
                let wanted = h.version == 2
                    || (h.name.is_none()
                        && h.controllers
                            .iter()
                            .any(|c| CREATE_IN_V1.contains(&c.as_str())));
                let Some(current) = row.cgroup_in(h.id).filter(|_| wanted) else {
                    continue;
                };
                format!("{}/boxtop-{pid}", current.trim_end_matches('/'))
            }
        };
        let dir = Roots::cgroup_dir(&h.dir, &to);
        if dest.is_none() && !probe::exists(&dir) {
            plan.steps.push(Step::Mkdir(dir.clone()));
        } else if !probe::is_cgroup(&dir) {
            continue; // this hierarchy has no such cgroup
        }
        if h.version == 2 && to != "/" {
            no_internal_process(&dir, &to)?;
        }
        plan.steps.push(Step::Move {
            write: plan_migrate(&dir, pid),
            dest: to.clone(),
        });
        moved.push(Moved {
            version: h.version,
            dir,
            dest: to,
        });
    }
    if moved.is_empty() {
        match dest {
            Some(c) => bail!("no hierarchy has a cgroup {c}"),
            None => bail!("no hierarchy to create a cgroup of its own in"),
        }
    }
    plan.target = match dest {
        Some(c) => format!("{} to cgroup {c}", plan.target),
        None => format!("{} to a new cgroup of its own (boxtop-{pid})", plan.target),
    };
    Ok((plan, moved))
}

/// cgroup v2 keeps processes out of a non-root cgroup that gives controllers to its children
/// (cgroup.subtree_control not empty): the "no internal process" rule of
/// Documentation/admin-guide/cgroup-v2.rst. Said before anything is written (the kernel
/// would answer EBUSY).
fn no_internal_process(dir: &std::path::Path, path: &str) -> Result<()> {
    let enabled = probe::subtree_control(dir);
    if enabled.is_empty() {
        return Ok(());
    }
    bail!(
        "cannot move into {path}: it gives controllers to its child cgroups ({enabled}), and \
         cgroup v2 keeps processes out of such inner cgroups (the no-internal-process rule); \
         move it into a leaf cgroup below {path}, or into a new one of its own"
    )
}
