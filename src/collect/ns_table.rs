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
    let mut sets: HashMap<*const NsSet, (usize, &NsSet)> = HashMap::new();
    for p in processes {
        sets.entry(Arc::as_ptr(&p.namespaces))
            .or_insert((0, &p.namespaces))
            .0 += 1;
    }
    let mut sizes: BTreeMap<(NsKind, u64), usize> = BTreeMap::new();
    for (n, set) in sets.values() {
        for kind in kinds() {
            if let Some(inode) = set.get(kind) {
                *sizes.entry((kind, inode)).or_default() += n;
            }
        }
    }
    let mut members: BTreeMap<(NsKind, u64), Vec<i32>> = sizes
        .into_iter()
        .map(|(key, n)| (key, Vec::with_capacity(n)))
        .collect();
    for p in processes {
        for kind in kinds() {
            if let Some(list) = p
                .namespaces
                .get(kind)
                .and_then(|inode| members.get_mut(&(kind, inode)))
            {
                list.push(p.pid);
            }
        }
    }
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
