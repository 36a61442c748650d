//! Everything one poll saw, shared with the UI as `Arc<Snapshot>`.

use super::{
    CgroupSnapshot, Container, HostReference, MemoryMap, NamespaceEntry, ProcThreads, ProcessRow,
};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Wall-clock time of the poll, milliseconds since the Unix epoch.
    pub taken_at_unix_ms: u64,
    /// Whose namespaces count as the host's in `namespaces[].host`.
    pub host_reference: HostReference,
    /// Ascending by pid. Rows are shared with the collector's cache and earlier snapshots:
    /// a process that did not change costs a snapshot one pointer.
    pub processes: Vec<Arc<ProcessRow>>,
    /// Sorted by type, then inode.
    pub namespaces: Vec<NamespaceEntry>,
    pub cgroups: CgroupSnapshot,
    /// The chosen process's uid and gid maps (its user namespace's view of ids).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_maps: Option<super::IdMaps>,
    /// The chosen process's address space (`snapshot --pid N`, or the selected process).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_map: Option<MemoryMap>,
    /// The containers its processes form (inferred: `collect::containers`), by runtime and
    /// name.
    pub containers: Vec<Container>,
    /// The threads of the processes whose threads were asked for (`H`: every process with
    /// more than one; the threads view: the selected one), ascending by pid. Empty when
    /// none is shown: then no /proc/PID/task is read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub threads: Vec<ProcThreads>,
}

impl Snapshot {
    pub fn process(&self, pid: i32) -> Option<&ProcessRow> {
        self.processes
            .binary_search_by_key(&pid, |p| p.pid)
            .ok()
            .and_then(|i| self.processes.get(i))
            .map(|p| &**p)
    }

    /// The threads read of process `pid` (its index in `threads` and the group).
    pub fn threads_of(&self, pid: i32) -> Option<(usize, &ProcThreads)> {
        let i = self.threads.binary_search_by_key(&pid, |g| g.pid).ok()?;
        Some((i, self.threads.get(i)?))
    }
}
