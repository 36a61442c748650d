//! The process table: /proc/PID/{stat,status,cmdline,cgroup}, read by our own parsers.
//!
//! The procfs crate was left out here (a deviation from the first design, for a reason): the hot
//! path re-reads every process's stat every second through a kept-open file with pread into
//! one reused buffer, and parses only the fields we show, without allocating. procfs opens
//! the file anew and allocates for every field on every read, and its known panics on odd
//! input would need catch_unwind guards. Our parsers are small, fuzzed with proptest and
//! tested on hostile input.

mod cgroup_file;
mod cmdline;
pub mod comm_names;
mod files;
pub mod identity;
pub mod outline;
pub mod reader;
pub mod signal;
mod split;
pub mod stat;
mod status;
pub mod threads;
mod users;

pub use reader::ProcReader;
pub use threads::ThreadReader;

/// The start time (stat field 22) of `pid` now: with the pid, the process's identity.
/// Actions re-check it right before they write (docs/ARCHITECTURE.md, "Identity").
pub fn read_start_time(roots: &super::Roots, pid: i32) -> Result<u64, super::KernelError> {
    let path = roots.pid_file(pid, "stat");
    let buf = std::fs::read(&path).map_err(|e| super::KernelError::from_io(&path, e))?;
    identity::start_time_ticks(&buf)
        .ok_or_else(|| super::KernelError::parse(&path, "start time (field 22)"))
}

/// Grows the descriptor table, before the caller starts its threads, to what a reader of
/// the processes running now will keep: two files per process (stat and schedstat) and some
/// for the cgroups' files (see [`super::kept_file::reserve_descriptors`] for why).
pub fn reserve_descriptors(roots: &super::Roots) {
    let mut pids = Vec::new();
    let _ = list_pids(roots, &mut pids);
    let count = u64::try_from(pids.len()).unwrap_or(0);
    super::kept_file::reserve_descriptors(count * 2 + 512);
}

/// The numeric entries of the proc root, i.e. the visible processes (thread-group leaders).
pub fn list_pids(roots: &super::Roots, out: &mut Vec<i32>) -> Result<(), super::KernelError> {
    out.clear();
    let root = roots.proc_root();
    let dir = std::fs::read_dir(root).map_err(|e| super::KernelError::from_io(root, e))?;
    for entry in dir.flatten() {
        let name = entry.file_name();
        if let Some(pid) = stat::parse_int(name.as_encoded_bytes()).filter(|p| *p > 0) {
            out.push(pid);
        }
    }
    Ok(())
}
