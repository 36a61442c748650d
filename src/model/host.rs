//! Which namespaces are the host's, per type, from a snapshot's namespace table.

use super::{NsKind, NsSet, Snapshot};

impl Snapshot {
    /// The reference ("host") namespace of each type, as marked in `namespaces`.
    pub fn host_namespaces(&self) -> NsSet {
        let mut set = NsSet::default();
        for e in self.namespaces.iter().filter(|e| e.host) {
            set.set(e.kind, Some(e.inode));
            // The *_for_children links are not in the table; they follow pid and time.
            match e.kind {
                NsKind::Pid => set.set(NsKind::PidForChildren, Some(e.inode)),
                NsKind::Time => set.set(NsKind::TimeForChildren, Some(e.inode)),
                _ => {}
            }
        }
        set
    }
}

/// One letter per namespace type, for the process table's compact mark.
pub fn ns_letter(kind: NsKind) -> char {
    match kind {
        NsKind::Cgroup => 'C',
        NsKind::Ipc => 'i',
        NsKind::Mnt => 'm',
        NsKind::Net => 'n',
        NsKind::Pid => 'p',
        NsKind::PidForChildren => 'P',
        NsKind::Time => 't',
        NsKind::TimeForChildren => 'T',
        NsKind::User => 'U',
        NsKind::Uts => 'u',
    }
}

/// The namespaces of `mine` that differ from `host`, as letters (`pnu` = new pid, net and
/// uts namespaces); empty when all are the host's; `?` when they could not be read.
pub fn ns_mark(mine: &NsSet, host: &NsSet) -> String {
    ns_differs(mine, host).map(ns_letter).collect()
}

/// The types (pid_for_children and time_for_children left out) in which `mine` differs from
/// `host`, in the mark's order. Allocates nothing: the process table sorts by it.
pub fn ns_differs<'a>(
    mine: &'a NsSet,
    host: &'a NsSet,
) -> impl Iterator<Item = NsKind> + Clone + 'a {
    NsKind::ALL
        .into_iter()
        .filter(|k| !k.is_for_children())
        .filter(move |k| matches!((mine.get(*k), host.get(*k)), (Some(a), Some(b)) if a != b))
}
