//! `boxtop move`: migrate a process into another cgroup, or into a new one of its own.
//! See Documentation/admin-guide/cgroup-v2.rst, "Organizing Processes and Threads".

use super::command::{look, write_error};
use crate::cli::{ActionArgs, MoveArgs};
use crate::kernel::cgroupfs::write::plan_migrate;
use crate::kernel::{KernelError, Roots};
use color_eyre::eyre::{Result, bail, eyre};

/// v1 controllers whose cgroups take a process without more setup (a new cpuset cgroup, for
/// one, has no cpus or mems until they are written, and refuses tasks).
const CREATE_IN_V1: [&str; 5] = ["freezer", "memory", "cpu", "cpuacct", "pids"];

pub fn run_move(roots: &Roots, args: &MoveArgs) -> Result<()> {
    let target = ActionArgs {
        pid: Some(args.pid),
        cgroup: None,
        dry_run: args.dry_run,
        force: args.force,
    };
    let (snap, hierarchies) = look(roots, &target)?;
    let pid = args.pid;
    let row = snap
        .process(pid)
        .ok_or(KernelError::NoSuchProcess { pid })?;
    let mut steps = Vec::new(); // (directory to create?, write)
    for h in &hierarchies {
        let dest = match &args.cgroup {
            Some(path) => format!("/{}", path.trim_matches('/')),
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
        let dir = Roots::cgroup_dir(&h.dir, &dest);
        let create = args.create && !dir.exists();
        if !create && !dir.join("cgroup.procs").is_file() {
            continue; // this hierarchy has no such cgroup
        }
        steps.push((create.then(|| dir.clone()), plan_migrate(&dir, pid), dest));
    }
    if steps.is_empty() {
        bail!(
            "no hierarchy has {}",
            args.cgroup
                .as_deref()
                .map_or("a cgroup to create it in".to_string(), |c| format!(
                    "a cgroup {c}"
                ))
        );
    }
    if args.dry_run {
        for (mkdir, w, dest) in &steps {
            if let Some(dir) = mkdir {
                println!("Would create {}\n  mkdir {}", dir.display(), dir.display());
            }
            println!(
                "Would move process {pid} to {dest}: {}\n  {}",
                w.file.display(),
                w.shell_line()
            );
        }
        return Ok(());
    }
    if crate::kernel::procs::read_start_time(roots, pid).ok() != Some(row.start_time_ticks) {
        bail!(
            "process {pid} has exited (or its pid was reused) since it was looked up; nothing moved"
        );
    }
    for (mkdir, w, dest) in &steps {
        if let Some(dir) = mkdir {
            std::fs::create_dir(dir).map_err(|e| eyre!("{}: cannot create: {e}", dir.display()))?;
            println!("Created {}", dir.display());
        }
        w.apply()
            .map_err(|e| eyre!("{}", migrate_error(&e, w, dest)))?;
        println!("Moved process {pid} to {dest} ({})", w.file.display());
    }
    Ok(())
}

/// EBUSY on a v2 cgroup.procs is the no-internal-process rule; say so.
fn migrate_error(
    e: &KernelError,
    w: &crate::kernel::cgroupfs::write::PlannedWrite,
    dest: &str,
) -> String {
    match e {
        KernelError::Io { source, .. } if source.raw_os_error() == Some(libc::EBUSY) => format!(
            "cannot move into {dest}: it has child cgroups with controllers enabled, and cgroup v2 \
             keeps processes out of such inner cgroups (the no-internal-process rule); choose a \
             leaf cgroup, or --create a new one"
        ),
        _ => write_error(e, w),
    }
}
