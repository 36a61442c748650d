//! A container's measures: what the snapshot already holds for its cgroup, looked up in each
//! hierarchy that has a copy of it (v2 first). Nothing is read here.

use crate::model::{CgroupNode, ContainerMeasures, Limit, Snapshot};

/// The measures of the cgroup at `path` (runtimes make the same path in every hierarchy).
pub(super) fn of_cgroup(snap: &Snapshot, path: &str) -> ContainerMeasures {
    let nodes = snap.cgroups.copies_of(path);
    let first = |f: &dyn Fn(&CgroupNode) -> Option<u64>| nodes.iter().find_map(|n| f(n));
    let first_limit = |f: &dyn Fn(&CgroupNode) -> Option<Limit>| nodes.iter().find_map(|n| f(n));
    let frozen: Vec<bool> = nodes
        .iter()
        .filter_map(|n| n.freezer.as_ref()?.is_frozen())
        .collect();
    ContainerMeasures {
        cpu_percent: nodes.iter().find_map(|n| n.cpu.as_ref()?.cpu_percent),
        cpu_limit_cpus: nodes.iter().find_map(|n| {
            let c = n.cpu.as_ref()?;
            match (c.quota_usec?, c.period_usec?) {
                // Microseconds of a period: exact in f64 far beyond any real quota.
                #[allow(clippy::cast_precision_loss, reason = "µs counts fit f64 exactly")]
                (Limit::Value(q), p) if p > 0 => Some(q as f64 / p as f64),
                _ => None,
            }
        }),
        memory_current_bytes: first(&|n| n.memory.as_ref()?.current_bytes),
        memory_max: first_limit(&|n| n.memory.as_ref()?.max_bytes),
        pids_current: first(&|n| n.pids_limit.as_ref()?.current),
        pids_max: first_limit(&|n| n.pids_limit.as_ref()?.max),
        frozen: (!frozen.is_empty()).then(|| frozen.contains(&true)),
        // Read for containers alone, after grouping (`disk.rs`).
        ..ContainerMeasures::default()
    }
}

/// A sandbox's measures: its processes' cpu % summed (where any is known).
pub(super) fn of_processes(snap: &Snapshot, pids: &[i32]) -> ContainerMeasures {
    let known: Vec<f64> = pids
        .iter()
        .filter_map(|p| snap.process(*p)?.cpu_percent.get().map(f64::from))
        .collect();
    ContainerMeasures {
        cpu_percent: (!known.is_empty()).then(|| known.iter().sum()),
        ..ContainerMeasures::default()
    }
}
