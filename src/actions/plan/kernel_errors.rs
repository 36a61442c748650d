//! The kernel's refusals of a plan's steps, as sentences that say what to do.

use crate::kernel::KernelError;
use crate::kernel::cgroupfs::write::PlannedWrite;

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

pub(super) fn mkdir_error(e: &KernelError, dir: &std::path::Path) -> String {
    match e {
        KernelError::Gone { .. } => format!(
            "{}: cannot create: its parent cgroup no longer exists",
            dir.display()
        ),
        KernelError::Denied { .. } => format!(
            "{}: cannot create: permission denied (run as root, or own the parent cgroup)",
            dir.display()
        ),
        other => format!("{}: cannot create: {other}", dir.display()),
    }
}

/// EBUSY on a v2 cgroup.procs is the no-internal-process rule; say so.
pub(super) fn migrate_error(e: &KernelError, w: &PlannedWrite, dest: &str) -> String {
    match e {
        KernelError::Io { source, .. } if source.raw_os_error() == Some(libc::EBUSY) => format!(
            "cannot move into {dest}: it has child cgroups with controllers enabled, and cgroup v2 \
             keeps processes out of such inner cgroups (the no-internal-process rule); choose a \
             leaf cgroup, or create a new one"
        ),
        _ => write_error(e, w),
    }
}
