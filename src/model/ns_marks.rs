//! Whether a process's namespace is the host's, its own (or its group's), or shared.

use crate::model::{HostReference, NamespaceEntry, NsKind, NsSet, ProcessRow, Snapshot};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NsMark {
    /// The same namespace as the host reference.
    Host,
    /// Not the host's, and only this process or processes in exactly the same namespaces
    /// (its container, its group) are in it.
    New,
    /// Not the host's, and processes in other namespace sets share it too (a pod's network
    /// namespace, a user namespace holding several containers).
    Shared,
    /// The link is absent or could not be read.
    Unknown,
}

impl NsMark {
    pub fn label(self) -> &'static str {
        match self {
            NsMark::Host => "host",
            NsMark::New => "new",
            NsMark::Shared => "shared",
            NsMark::Unknown => "-",
        }
    }
}

/// One row of the process view.
#[derive(Debug, Clone, PartialEq)]
pub struct NsRow<'a> {
    pub kind: NsKind,
    pub inode: Option<u64>,
    pub mark: NsMark,
    /// The table entry (members) of that namespace, if any process is in it.
    pub entry: Option<&'a NamespaceEntry>,
}

/// The table entry of a namespace; the `*_for_children` links are looked up as the type
/// they follow (the table does not list them separately).
pub fn entry_of(snap: &Snapshot, kind: NsKind, inode: u64) -> Option<&NamespaceEntry> {
    let kind = match kind {
        NsKind::PidForChildren => NsKind::Pid,
        NsKind::TimeForChildren => NsKind::Time,
        k => k,
    };
    snap.namespaces
        .binary_search_by(|e| (e.kind, e.inode).cmp(&(kind, inode)))
        .ok()
        .and_then(|i| snap.namespaces.get(i))
}

pub fn row<'a>(snap: &'a Snapshot, host: &NsSet, p: &ProcessRow, kind: NsKind) -> NsRow<'a> {
    let inode = p.namespaces.get(kind);
    let entry = inode.and_then(|i| entry_of(snap, kind, i));
    let mark = match inode {
        None => NsMark::Unknown,
        Some(i) if host.get(kind) == Some(i) => NsMark::Host,
        Some(_) => {
            let own_group = entry.is_none_or(|e| {
                e.pids.iter().all(|m| {
                    snap.process(*m)
                        .is_none_or(|o| *o.namespaces == *p.namespaces)
                })
            });
            if own_group {
                NsMark::New
            } else {
                NsMark::Shared
            }
        }
    };
    NsRow {
        kind,
        inode,
        mark,
        entry,
    }
}

/// Which process's namespaces count as the host's, in a few words.
pub fn reference_text(r: HostReference) -> String {
    match r {
        HostReference::Pid1 => "host = pid 1's namespaces".into(),
        HostReference::KernelThread { pid } => {
            format!("host = kernel thread {pid}'s (pid 1 unreadable)")
        }
        HostReference::MostShared => "host = the most shared (pid 1 unreadable)".into(),
        HostReference::None => "no host reference: no namespaces readable".into(),
    }
}

#[cfg(test)]
mod tests;
