//! The system-wide namespace table (like lsns(8)) and the host reference.

use crate::model::{HostReference, NamespaceEntry, NsKind, NsSet, ProcessRow};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// Groups processes by (type, inode). Like lsns, the `*_for_children` links are not listed
/// as namespaces of their own, and each process counts once (threads are not processes).
pub fn build_namespace_table(
    processes: &[Arc<ProcessRow>],
) -> (HostReference, Vec<NamespaceEntry>) {
    // Member pids, straight into the lists the table keeps (processes are sorted by pid,
    // so each list is ascending and its first pid is the lowest). Each list is made at its
    // size: grown by doubling, the host's lists (every process, one per type) would pass
    // through up to twice their size while the previous snapshot is alive. The sizes come
    // from the namespace sets, which the reader shares between processes (a host has a
    // handful): one pass over the processes counts the sets, not every link.
    let kinds = || NsKind::ALL.into_iter().filter(|k| !k.is_for_children());
    // Neighbours by pid mostly share their set: a run of the same set is one lookup.
    let mut sets: HashMap<*const NsSet, (usize, &NsSet)> = HashMap::new();
    for run in processes.chunk_by(|a, b| Arc::ptr_eq(&a.namespaces, &b.namespaces)) {
        if let Some(first) = run.first() {
            sets.entry(Arc::as_ptr(&first.namespaces))
                .or_insert((0, &first.namespaces))
                .0 += run.len();
        }
    }
    let mut sizes: BTreeMap<(NsKind, u64), usize> = BTreeMap::new();
    for (n, set) in sets.values() {
        for kind in kinds() {
            if let Some(inode) = set.get(kind) {
                *sizes.entry((kind, inode)).or_default() += n;
            }
        }
    }
    // The lists in key order, and for each distinct set the lists its processes go in:
    // one lookup per process, not one per process and type.
    let keys: Vec<(NsKind, u64)> = sizes.keys().copied().collect();
    let mut lists: Vec<Vec<i32>> = sizes.values().map(|n| Vec::with_capacity(*n)).collect();
    let slots: HashMap<*const NsSet, Vec<usize>> = sets
        .iter()
        .map(|(ptr, (_, set))| {
            let at = kinds()
                .filter_map(|kind| {
                    let inode = set.get(kind)?;
                    keys.binary_search(&(kind, inode)).ok()
                })
                .collect();
            (*ptr, at)
        })
        .collect();
    for run in processes.chunk_by(|a, b| Arc::ptr_eq(&a.namespaces, &b.namespaces)) {
        let Some(first) = run.first() else { continue };
        for &i in slots
            .get(&Arc::as_ptr(&first.namespaces))
            .into_iter()
            .flatten()
        {
            if let Some(list) = lists.get_mut(i) {
                list.extend(run.iter().map(|p| p.pid));
            }
        }
    }
    let members: BTreeMap<(NsKind, u64), Vec<i32>> = keys.into_iter().zip(lists).collect();
    let (reference, host) = host_reference(processes, &members);
    let table = members
        .into_iter()
        .filter_map(|((kind, inode), pids)| {
            let lowest = *pids.first()?;
            let first = processes
                .binary_search_by_key(&lowest, |p| p.pid)
                .ok()
                .and_then(|i| processes.get(i))?;
            Some(NamespaceEntry {
                kind,
                inode,
                nprocs: pids.len(),
                pids,
                lowest_pid: first.pid,
                user: first.user.clone(),
                command: first.command_line(),
                host: host.get(kind) == Some(inode),
            })
        })
        .collect();
    (reference, table)
}

/// docs/ARCHITECTURE.md, "Identity and the host": pid 1's namespaces when readable; else a kernel thread's (they always
/// live in the initial namespaces); else, per type, the namespace with the most members
/// (in a container's /proc that is the container's own).
fn host_reference(
    processes: &[Arc<ProcessRow>],
    members: &BTreeMap<(NsKind, u64), Vec<i32>>,
) -> (HostReference, NsSet) {
    let readable = |p: &&Arc<ProcessRow>| p.namespaces_access.is_ok() && !p.namespaces.is_empty();
    if let Some(init) = processes.iter().find(|p| p.pid == 1).filter(readable) {
        return (HostReference::Pid1, *init.namespaces);
    }
    if let Some(k) = processes.iter().filter(|p| p.kernel_thread).find(readable) {
        return (HostReference::KernelThread { pid: k.pid }, *k.namespaces);
    }
    if members.is_empty() {
        return (HostReference::None, NsSet::default());
    }
    let mut set = NsSet::default();
    for kind in NsKind::ALL {
        let best = members
            .iter()
            .filter(|((k, _), _)| *k == kind)
            .max_by_key(|(_, m)| m.len())
            .map(|((_, inode), _)| *inode);
        set.set(kind, best);
    }
    (HostReference::MostShared, set)
}
