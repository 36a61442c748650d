//! host / new / shared on a hand-built host: pid 1, a container (10, 11), and a "pod" of two
//! processes (20, 30) that share a network namespace but not their mount namespaces.

use super::*;
use crate::collect::build_namespace_table;
use crate::model::{CgroupMode, CgroupSnapshot};
use std::sync::Arc;

fn set(net: u64, mnt: u64, pid: u64) -> NsSet {
    let mut s = NsSet::default();
    for k in NsKind::ALL {
        s.set(k, Some(100 + k.index() as u64));
    }
    s.set(NsKind::TimeForChildren, s.get(NsKind::Time));
    s.set(NsKind::Net, Some(net));
    s.set(NsKind::Mnt, Some(mnt));
    s.set(NsKind::Pid, Some(pid));
    s.set(NsKind::PidForChildren, Some(pid));
    s
}

fn process(pid: i32, ns: NsSet) -> ProcessRow {
    let mut row = crate::model::process::test_row(pid);
    Arc::make_mut(&mut row.info).namespaces = Arc::new(ns);
    row
}

fn snapshot() -> Snapshot {
    let host = set(1, 2, 3);
    let processes: Vec<Arc<ProcessRow>> = vec![
        process(1, host),
        process(10, set(11, 12, 13)),
        process(11, set(11, 12, 13)),
        process(20, set(21, 22, 3)),
        process(30, set(21, 32, 3)),
    ]
    .into_iter()
    .map(Arc::new)
    .collect();
    let (host_reference, namespaces) = build_namespace_table(&processes);
    Snapshot {
        taken_at_unix_ms: 0,
        host_reference,
        processes,
        namespaces,
        id_maps: None,
        cgroups: CgroupSnapshot {
            mode: CgroupMode::V2,
            hierarchies: Vec::new(),
        },
        memory_map: None,
        containers: Vec::new(),
        threads: Vec::new(),
    }
}

fn mark(snap: &Snapshot, pid: i32, kind: NsKind) -> NsMark {
    let p = snap.process(pid).unwrap();
    row(snap, &snap.host_namespaces(), p, kind).mark
}

#[test]
fn host_new_and_shared() {
    let snap = snapshot();
    assert_eq!(snap.host_reference, HostReference::Pid1);
    for k in NsKind::ALL {
        assert_eq!(mark(&snap, 1, k), NsMark::Host, "{k:?}");
    }
    // The container's namespaces hold only the container: new, for both of its processes.
    for pid in [10, 11] {
        assert_eq!(mark(&snap, pid, NsKind::Net), NsMark::New);
        assert_eq!(mark(&snap, pid, NsKind::PidForChildren), NsMark::New);
        assert_eq!(mark(&snap, pid, NsKind::Uts), NsMark::Host);
    }
    // The pod: the network namespace is shared by two different namespace sets.
    assert_eq!(mark(&snap, 20, NsKind::Net), NsMark::Shared);
    assert_eq!(mark(&snap, 30, NsKind::Net), NsMark::Shared);
    assert_eq!(mark(&snap, 20, NsKind::Mnt), NsMark::New);
    assert_eq!(mark(&snap, 20, NsKind::Pid), NsMark::Host);
}

#[test]
fn members_and_absent_links() {
    let snap = snapshot();
    let p = snap.process(20).unwrap();
    let r = row(&snap, &snap.host_namespaces(), p, NsKind::Net);
    assert_eq!(r.entry.map(|e| e.pids.clone()), Some(vec![20, 30]));
    // pid_for_children is looked up as pid.
    let r = row(&snap, &snap.host_namespaces(), p, NsKind::PidForChildren);
    assert_eq!(r.entry.map(|e| e.nprocs), Some(3));
    let zombie = process(40, NsSet::default());
    let r = row(&snap, &snap.host_namespaces(), &zombie, NsKind::Net);
    assert_eq!((r.inode, r.mark), (None, NsMark::Unknown));
}
