//! cpu % from two samples: of each process (utime+stime) and each cgroup (usage_usec).

use crate::model::{CgroupSnapshot, ProcessRow};
use std::collections::HashMap;
use std::time::Instant;

/// The previous sample's counters, keyed by identity.
#[derive(Debug, Default)]
pub struct Rates {
    at: Option<Instant>,
    /// (pid, start time) -> utime+stime in µs.
    procs: HashMap<(i32, u64), u64>,
    /// (hierarchy id, cgroup path) -> usage in µs.
    cgroups: HashMap<(u32, String), u64>,
}

impl Rates {
    /// Fills `cpu_percent` where a previous sample of the same process or cgroup exists,
    /// then remembers this sample.
    pub fn apply(&mut self, processes: &mut [ProcessRow], cgroups: &mut CgroupSnapshot) {
        let now = Instant::now();
        let elapsed_usec = self.at.map(|t| now.duration_since(t).as_micros() as u64);
        self.apply_at(elapsed_usec, processes, cgroups);
        self.at = Some(now);
    }

    /// The pure part: `elapsed_usec` is the wall time since the previous sample.
    pub fn apply_at(
        &mut self,
        elapsed_usec: Option<u64>,
        processes: &mut [ProcessRow],
        cgroups: &mut CgroupSnapshot,
    ) {
        let percent = |now: u64, before: Option<&u64>| -> Option<f64> {
            let (before, elapsed) = (*before?, elapsed_usec.filter(|e| *e > 0)?);
            Some(now.saturating_sub(before) as f64 * 100.0 / elapsed as f64)
        };
        let mut next = HashMap::with_capacity(processes.len());
        for p in processes.iter_mut() {
            let key = (p.pid, p.start_time_ticks);
            let used = p.utime_usec.saturating_add(p.stime_usec);
            p.cpu_percent = percent(used, self.procs.get(&key));
            next.insert(key, used);
        }
        self.procs = next;

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
