//! cpu % of each cgroup from two samples of its usage_usec. (Processes get theirs in the
//! process reader, which keeps each process's previous sample anyway.)

use crate::model::CgroupSnapshot;
use std::collections::HashMap;
use std::time::Instant;

/// The previous sample's counters, keyed by identity.
#[derive(Debug, Default)]
pub(super) struct Rates {
    at: Option<Instant>,
    /// (hierarchy id, cgroup path) -> usage in µs.
    cgroups: HashMap<(u32, String), u64>,
}

impl Rates {
    /// Fills `cpu_percent` where a previous sample of the same cgroup exists, then
    /// remembers this sample.
    pub(super) fn apply(&mut self, cgroups: &mut CgroupSnapshot) {
        let now = Instant::now();
        let elapsed_usec = self
            .at
            .map(|t| u64::try_from(now.duration_since(t).as_micros()).unwrap_or(u64::MAX));
        self.apply_at(elapsed_usec, cgroups);
        self.at = Some(now);
    }

    /// The pure part: `elapsed_usec` is the wall time since the previous sample.
    pub(super) fn apply_at(&mut self, elapsed_usec: Option<u64>, cgroups: &mut CgroupSnapshot) {
        let percent = |now: u64, before: Option<&u64>| -> Option<f64> {
            let (before, elapsed) = (*before?, elapsed_usec.filter(|e| *e > 0)?);
            Some(now.saturating_sub(before) as f64 * 100.0 / elapsed as f64)
        };
        let mut next = HashMap::new();
        for h in &mut cgroups.hierarchies {
            for node in &mut h.cgroups {
                let Some(cpu) = node.cpu.as_mut() else {
                    continue;
                };
                let Some(used) = cpu.usage_usec else { continue };
                let key = (h.id, node.path.clone());
                cpu.cpu_percent = percent(used, self.cgroups.get(&key));
                next.insert(key, used);
            }
        }
        self.cgroups = next;
    }
}
