//! A process's outline: its stat line and its namespace links, nothing more. `boxtop serve`
//! keeps one per process (to count processes and namespaces and to find sandboxes) and
//! reads in full, through the [`super::ProcReader`], only the processes a metric needs.

use super::files::read_path;
use super::reader::new_info;
use super::stat::parse_stat;
use crate::kernel::namespaces::read_ns_set;
use crate::kernel::{KernelError, Roots};
use crate::model::{Access, NsSet, ProcState, ProcessRow};
use std::sync::Arc;

/// Shares what many processes have alike (their names, their namespace sets).
pub trait Interner {
    fn comm(&mut self, raw: &[u8]) -> Arc<str>;
    fn namespaces(&mut self, set: NsSet) -> Arc<NsSet>;
}

/// The outline of `pid`: None when it is gone. Its counters are left at zero and its cpu %
/// unknown: an outline is not for showing a process.
pub fn read_outline(
    roots: &Roots,
    pid: i32,
    buf: &mut Vec<u8>,
    intern: &mut dyn Interner,
) -> Option<ProcessRow> {
    read_path(&roots.pid_file(pid, "stat"), buf).ok()?;
    let stat = parse_stat(buf)?;
    let mut info = new_info(pid, &stat, intern.comm(stat.comm));
    match read_ns_set(roots, pid) {
        Ok(set) => info.namespaces = intern.namespaces(set),
        Err(KernelError::Denied { .. }) => info.namespaces_access = Access::Denied,
        Err(_) => info.namespaces_access = Access::Gone,
    }
    Some(ProcessRow::unmeasured(
        Arc::new(info),
        stat.ppid,
        ProcState::new(stat.state),
        u32::try_from(stat.num_threads).unwrap_or(u32::MAX),
    ))
}
