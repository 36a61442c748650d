//! `boxtop freeze | thaw | limit`: the command is the confirmation. It resolves the target,
//! refuses a protected one without --force, re-checks the process identity right before
//! writing, writes, and prints every file with its old and new value (like
//! `systemctl set-property`); `--dry-run` prints the same without writing.

use super::limits::LimitRequest;
use super::plan::{ActionKind, Plan, Step};
use super::protect::Protected;
use crate::cli::{ActionArgs, LimitArgs};
use crate::kernel::cgroupfs::files::FileReader;
use crate::kernel::cgroupfs::mode::{HierarchyMount, discover};
use crate::kernel::cgroupfs::write::{
    PlannedWrite, plan_cpu_max, plan_memory_high, plan_memory_max, plan_pids_max,
};
use crate::kernel::{KernelError, Roots};
use crate::model::{Collector, Limit, Snapshot};
use color_eyre::eyre::{Result, bail, eyre};
use std::path::PathBuf;

/// A cgroup an action will write to.
pub(super) struct Target {
    pub(super) hierarchy: HierarchyMount,
    /// Path inside the hierarchy.
    pub(super) path: String,
    pub(super) dir: PathBuf,
}

pub fn run_limit(roots: &Roots, args: &LimitArgs) -> Result<()> {
    // Parse everything before touching anything.
    let req = LimitRequest::parse(
        args.memory.as_deref(),
        args.memory_high.as_deref(),
        args.cpu.as_deref(),
        args.pids.as_deref(),
    )
    .map_err(|e| eyre!("{e}"))?;
    let plan = plan_limit(roots, &args.target, req)?;
    run_plan(roots, &plan, &args.target)
}

/// The command's way with a plan: refuse a caution without --force, print it with
/// --dry-run, else make it and print what was done.
pub(super) fn run_plan(roots: &Roots, plan: &Plan, args: &ActionArgs) -> Result<()> {
    plan.check_forced(args.force)?;
    if args.dry_run {
        println!("{}", plan.title());
        for line in plan.preview() {
            println!("{line}");
        }
        return Ok(());
    }
    // What was done is printed even when a later step failed.
    let applied = plan.apply(roots);
    for line in &applied.done {
        println!("{line}");
    }
    applied.into_result().map(|_| ())
}

/// The writes that set `req` on the target's cgroups (each limit in the hierarchy that has
/// it: v2 first, else v1).
pub fn plan_limit(roots: &Roots, t: &ActionArgs, req: LimitRequest) -> Result<Plan> {
    let looked = look(roots, t)?;
    let mut plan = looked.plan(ActionKind::Limit);
    if let Some(limit) = req.memory {
        let target = looked.resolve(t, &["memory.max", "memory.limit_in_bytes"])?;
        guard(&looked, t, &target, &mut plan);
        if let Some(why) = below_usage(&target, limit) {
            plan.cautions.push(why);
        }
        plan.steps.push(Step::Write(plan_memory_max(
            &target.dir,
            target.hierarchy.version,
            limit,
        )));
    }
    if let Some(limit) = req.memory_high {
        let target = looked
            .resolve(t, &["memory.high"])
            .map_err(|e| eyre!("{e} (memory.high, the throttle, exists only in cgroup v2)"))?;
        guard(&looked, t, &target, &mut plan);
        plan.steps
            .push(Step::Write(plan_memory_high(&target.dir, limit)));
    }
    if let Some(limit) = req.cpu {
        let target = looked.resolve(t, &["cpu.max", "cpu.cfs_quota_us"])?;
        guard(&looked, t, &target, &mut plan);
        let writes = plan_cpu_max(&target.dir, target.hierarchy.version, limit);
        plan.steps.extend(writes.into_iter().map(Step::Write));
    }
    if let Some(limit) = req.pids {
        let target = looked.resolve(t, &["pids.max"])?;
        guard(&looked, t, &target, &mut plan);
        plan.steps
            .push(Step::Write(plan_pids_max(&target.dir, limit)));
    }
    // Several limits usually land in the same cgroup: each caution once, in order.
    let mut seen = std::collections::HashSet::new();
    plan.cautions.retain(|c| seen.insert(c.clone()));
    Ok(plan)
}

/// What an action works from: the snapshot, the hierarchies, and the cautions about the
/// target itself (a protected process, the root cgroup).
pub(super) struct Looked {
    pub(super) snap: Snapshot,
    /// What boxtop refuses without a force, as seen in `snap`.
    protected: Protected,
    pub(super) hierarchies: Vec<HierarchyMount>,
    cautions: Vec<String>,
    target: String,
    process: Option<(i32, u64)>,
    /// A --cgroup target (without --pid), in canonical form.
    cgroup: Option<String>,
}

impl Looked {
    /// [`resolve`] for this target. When the target has no such file and is protected, the
    /// refusal is the clearer error (the root cgroup has no limits to set, for one).
    pub(super) fn resolve(&self, args: &ActionArgs, files: &[&str]) -> Result<Target> {
        resolve(self, args.pid, files).map_err(|e| {
            match self.cautions.first().filter(|_| !args.force) {
                Some(why) => eyre!("refused: {why}; add --force to act anyway"),
                None => e,
            }
        })
    }

    /// An empty plan for this target, with its cautions and identity.
    pub(super) fn plan(&self, kind: ActionKind) -> Plan {
        let mut p = Plan::new(kind, self.target.clone());
        p.cautions = self.cautions.clone();
        p.process = self.process;
        p
    }
}

/// Looks the target up (a --pid must exist); a protected --pid, or the root cgroup, becomes a
/// caution.
pub(super) fn look(roots: &Roots, args: &ActionArgs) -> Result<Looked> {
    let snap = Collector::new(roots.clone())?.collect(None)?;
    let own = i32::try_from(std::process::id()).unwrap_or(0);
    let protected = Protected::from_snapshot(&snap, own);
    let mut cautions = Vec::new();
    let mut process = None;
    let target = match (args.pid, args.cgroup.as_deref()) {
        (Some(pid), _) => {
            let row = snap
                .process(pid)
                .ok_or(KernelError::NoSuchProcess { pid })?;
            cautions.extend(protected.process(row));
            process = Some((pid, row.start_time_ticks));
            format!("process {pid} ({})", row.comm)
        }
        (None, Some(c)) => {
            let path = Roots::cgroup_path(c).map_err(|e| eyre!(e))?;
            if path == "/" {
                cautions.push("the root cgroup is protected (it holds every process)".into());
            }
            format!("cgroup {path}")
        }
        (None, None) => bail!("give --pid or --cgroup"),
    };
    let (_, hierarchies) = discover(roots, &mut FileReader::new())?;
    let cgroup = match args.cgroup.as_deref().filter(|_| args.pid.is_none()) {
        Some(c) => Some(Roots::cgroup_path(c).map_err(|e| eyre!(e))?),
        None => None,
    };
    Ok(Looked {
        snap,
        protected,
        hierarchies,
        cautions,
        target,
        process,
        cgroup,
    })
}

/// The first hierarchy (v2 before v1) where the target cgroup has one of `files`: the
/// --pid's cgroup there, else the --cgroup.
fn resolve(looked: &Looked, pid: Option<i32>, files: &[&str]) -> Result<Target> {
    let mut order: Vec<&HierarchyMount> = looked.hierarchies.iter().collect();
    order.sort_by_key(|h| std::cmp::Reverse(h.version));
    for h in order {
        let path = match (pid, &looked.cgroup) {
            (Some(pid), _) => {
                let row = looked
                    .snap
                    .process(pid)
                    .ok_or(KernelError::NoSuchProcess { pid })?;
                match row.cgroup_in(h.id) {
                    Some(p) => p.to_string(),
                    None => continue,
                }
            }
            (None, Some(path)) => path.clone(),
            (None, None) => bail!("give --pid or --cgroup"),
        };
        let dir = Roots::cgroup_dir(&h.dir, &path);
        if files.iter().any(|f| dir.join(f).is_file()) {
            return Ok(Target {
                hierarchy: h.clone(),
                path,
                dir,
            });
        }
    }
    let what = match (pid, &looked.cgroup) {
        (Some(pid), _) => format!("the cgroups of process {pid}"),
        (_, Some(c)) => format!("cgroup {c}"),
        _ => "the target".into(),
    };
    Err(eyre!(
        "{what}: no hierarchy offers {} there (is the controller mounted or enabled?)",
        files.join(" or ")
    ))
}

/// Adds the cautions of writing to `t`: a protected cgroup, or a --pid whose cgroup holds
/// other processes (which the write would affect too).
pub(super) fn guard(looked: &Looked, args: &ActionArgs, t: &Target, plan: &mut Plan) {
    let snap = &looked.snap;
    if let Some(why) = looked.protected.cgroup(t.hierarchy.id, &t.path) {
        plan.cautions.push(format!("cgroup {} {why}", t.path));
    }
    if let Some(pid) = args.pid {
        let node = snap
            .cgroups
            .hierarchies
            .iter()
            .find(|h| h.id == t.hierarchy.id && h.version == t.hierarchy.version)
            .and_then(|h| h.cgroups.iter().find(|c| c.path == t.path));
        let others = node.map_or(0, |n| n.pids.iter().filter(|p| **p != pid).count());
        if others > 0 {
            plan.shared_with = plan.shared_with.max(others);
            plan.cautions.push(format!(
                "process {pid} shares cgroup {} with {others} other processes, which this would \
                 affect too; move it into a cgroup of its own first (boxtop move --pid {pid} \
                 --create), or use --cgroup to mean all of them",
                t.path
            ));
        }
    }
}

/// A memory limit below what the cgroup uses now: v1 refuses (EBUSY), v2 reclaims and may
/// OOM-kill. Said, as a caution.
fn below_usage(t: &Target, limit: Limit) -> Option<String> {
    let Limit::Value(new) = limit else {
        return None;
    };
    let file = if t.hierarchy.version == 2 {
        "memory.current"
    } else {
        "memory.usage_in_bytes"
    };
    let current = std::fs::read_to_string(t.dir.join(file))
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())?;
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

/// The kernel's refusal as a sentence.
pub(crate) fn write_error(e: &KernelError, w: &PlannedWrite) -> String {
    let file = w.file.display();
    match e {
        KernelError::Io { source, .. } => match source.raw_os_error() {
            Some(libc::EBUSY) => format!(
                "{file}: the kernel refused {:?} as busy (EBUSY): usage is above it, or the cgroup is in use",
                w.new
            ),
            Some(libc::EINVAL) => {
                format!("{file}: the kernel refused {:?} as invalid (EINVAL)", w.new)
            }
            Some(libc::ENOSPC) => {
                format!("{file}: no room (ENOSPC): a limit or the cgroup depth is exhausted")
            }
            Some(libc::EOPNOTSUPP) => format!("{file}: not supported in this cgroup (EOPNOTSUPP)"),
            _ => e.to_string(),
        },
        KernelError::Denied { .. } => {
            format!("{file}: permission denied (EPERM/EACCES): run as root, or own the cgroup")
        }
        KernelError::Gone { .. } => format!("{file}: the cgroup no longer exists"),
        other => other.to_string(),
    }
}
