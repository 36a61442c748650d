//! `boxtop freeze | thaw | limit`: the command is the confirmation. It resolves the target,
//! refuses a protected one without --force, re-checks the process identity right before
//! writing, writes, and prints every file with its old and new value (like
//! `systemctl set-property`); `--dry-run` prints the same without writing.

use super::limits::{parse_cpu, parse_pids, parse_size};
use super::protect::Protected;
use crate::cli::{ActionArgs, LimitArgs};
use crate::kernel::cgroupfs::files::FileReader;
use crate::kernel::cgroupfs::mode::{HierarchyMount, discover};
use crate::kernel::cgroupfs::write::{PlannedWrite, plan_cpu_max, plan_memory_max, plan_pids_max};
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
    if args.memory.is_none() && args.cpu.is_none() && args.pids.is_none() {
        bail!("nothing to set: give --memory, --cpu or --pids");
    }
    // Parse everything before touching anything.
    let memory = args.memory.as_deref().map(parse_size).transpose()?;
    let cpu = args.cpu.as_deref().map(parse_cpu).transpose()?;
    let pids = args.pids.as_deref().map(parse_pids).transpose()?;
    let t = &args.target;
    let (snap, hierarchies) = look(roots, t)?;
    let mut writes = Vec::new();
    if let Some(limit) = memory {
        let target = resolve(
            &snap,
            &hierarchies,
            t,
            &["memory.max", "memory.limit_in_bytes"],
        )?;
        guard(&snap, t, &target)?;
        below_usage(&target, limit, t.force)?;
        writes.push(plan_memory_max(
            &target.dir,
            target.hierarchy.version,
            limit,
        ));
    }
    if let Some(limit) = cpu {
        let target = resolve(&snap, &hierarchies, t, &["cpu.max", "cpu.cfs_quota_us"])?;
        guard(&snap, t, &target)?;
        writes.extend(plan_cpu_max(&target.dir, target.hierarchy.version, limit));
    }
    if let Some(limit) = pids {
        let target = resolve(&snap, &hierarchies, t, &["pids.max"])?;
        guard(&snap, t, &target)?;
        writes.push(plan_pids_max(&target.dir, limit));
    }
    apply_all(roots, &snap, t, &writes)
}

/// The snapshot and hierarchies an action works from; a protected --pid, or the root cgroup,
/// is refused here, before anything else is looked at.
pub(super) fn look(roots: &Roots, args: &ActionArgs) -> Result<(Snapshot, Vec<HierarchyMount>)> {
    let snap = Collector::new(roots.clone())?.collect(None)?;
    if let Some(pid) = args.pid {
        let row = snap
            .process(pid)
            .ok_or(KernelError::NoSuchProcess { pid })?;
        let own = i32::try_from(std::process::id()).unwrap_or(0);
        if let Some(why) = Protected::from_snapshot(&snap, own)
            .process(row)
            .filter(|_| !args.force)
        {
            bail!("refused: {why}; add --force to act anyway");
        }
    }
    if args
        .cgroup
        .as_deref()
        .is_some_and(|c| c.trim_matches('/').is_empty())
        && !args.force
    {
        bail!(
            "refused: the root cgroup is protected (it holds every process); add --force to act anyway"
        );
    }
    let (_, hierarchies) = discover(roots, &mut FileReader::new())?;
    Ok((snap, hierarchies))
}

/// The first hierarchy (v2 before v1) where the target cgroup has one of `files`.
pub(super) fn resolve(
    snap: &Snapshot,
    hierarchies: &[HierarchyMount],
    args: &ActionArgs,
    files: &[&str],
) -> Result<Target> {
    let mut order: Vec<&HierarchyMount> = hierarchies.iter().collect();
    order.sort_by_key(|h| std::cmp::Reverse(h.version));
    for h in order {
        let path = match (args.pid, &args.cgroup) {
            (Some(pid), _) => {
                let row = snap
                    .process(pid)
                    .ok_or(KernelError::NoSuchProcess { pid })?;
                match row.cgroup_in(h.id) {
                    Some(p) => p.to_string(),
                    None => continue,
                }
            }
            (None, Some(path)) => format!("/{}", path.trim_matches('/')),
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
    let what = match (args.pid, &args.cgroup) {
        (Some(pid), _) => format!("the cgroups of process {pid}"),
        (_, Some(c)) => format!("cgroup {c}"),
        _ => "the target".into(),
    };
    Err(eyre!(
        "{what}: no hierarchy offers {} there (is the controller mounted or enabled?)",
        files.join(" or ")
    ))
}

/// Refuses a protected target, or a --pid whose cgroup holds other processes, unless --force.
pub(super) fn guard(snap: &Snapshot, args: &ActionArgs, t: &Target) -> Result<()> {
    if args.force {
        return Ok(());
    }
    let own = i32::try_from(std::process::id()).unwrap_or(0);
    let protected = Protected::from_snapshot(snap, own);
    if let Some(why) = protected.cgroup(t.hierarchy.id, &t.path) {
        bail!(
            "refused: cgroup {} {why}; add --force to act anyway",
            t.path
        );
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
            bail!(
                "refused: process {pid} shares cgroup {} with {others} other processes, which this \
                 would affect too; move it into a cgroup of its own first (boxtop move --pid {pid} \
                 --create), use --cgroup to mean all of them, or --force",
                t.path
            );
        }
    }
    Ok(())
}

/// A memory limit below what the cgroup uses now: v1 refuses (EBUSY), v2 reclaims and may
/// OOM-kill. Said, and refused without --force.
fn below_usage(t: &Target, limit: Limit, force: bool) -> Result<()> {
    let Limit::Value(new) = limit else {
        return Ok(());
    };
    let file = if t.hierarchy.version == 2 {
        "memory.current"
    } else {
        "memory.usage_in_bytes"
    };
    let current = std::fs::read_to_string(t.dir.join(file))
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok());
    match current {
        Some(cur) if cur > new && !force => bail!(
            "the cgroup uses {} now, more than the new limit {}: {}; add --force to set it anyway",
            crate::text::format_bytes(cur),
            crate::text::format_bytes(new),
            if t.hierarchy.version == 2 {
                "the kernel would reclaim memory and may OOM-kill processes in it"
            } else {
                "cgroup v1 refuses such a limit (EBUSY)"
            }
        ),
        _ => Ok(()),
    }
}

/// Prints and (unless --dry-run) makes each write, re-checking a --pid's identity first.
pub(super) fn apply_all(
    roots: &Roots,
    snap: &Snapshot,
    args: &ActionArgs,
    writes: &[PlannedWrite],
) -> Result<()> {
    if let Some(pid) = args.pid {
        let start = snap.process(pid).map(|p| p.start_time_ticks);
        let now = crate::kernel::procs::read_start_time(roots, pid).ok();
        if start.is_none() || start != now {
            bail!(
                "process {pid} has exited (or its pid was reused) since it was looked up; nothing written"
            );
        }
    }
    for w in writes {
        let old = w.old.as_deref().unwrap_or("?");
        if args.dry_run {
            println!("Would write {}: {old} -> {}", w.file.display(), w.new);
            println!("  {}", w.shell_line());
            continue;
        }
        w.apply().map_err(|e| eyre!("{}", write_error(&e, w)))?;
        println!("Wrote {}: {old} -> {}", w.file.display(), w.new);
    }
    Ok(())
}

/// The kernel's refusal as a sentence.
pub(super) fn write_error(e: &KernelError, w: &PlannedWrite) -> String {
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
