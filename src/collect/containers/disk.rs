//! What is read for containers' cgroups alone, each refresh: the working set (memory usage
//! less the inactive page cache, what `docker stats` and the kubelet call it) and the bytes
//! read and written, with rates against the previous refresh
//! (`kernel::cgroupfs::container_stats`). A few files per container, none for a host
//! without containers.

use crate::kernel::Roots;
use crate::kernel::cgroupfs::container_stats::{inactive_file_bytes, io_bytes};
use crate::model::{Container, Hierarchy, Runtime, Snapshot};
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

/// The previous refresh's bytes read and written, per container.
#[derive(Debug, Default)]
pub struct DiskRates {
    at: Option<Instant>,
    totals: HashMap<(Runtime, String), (u64, u64)>,
}

impl DiskRates {
    pub fn measure(&mut self, roots: &Roots, snap: &Snapshot, containers: &mut [Container]) {
        let now = Instant::now();
        let elapsed = self.at.map(|t| now.duration_since(t).as_secs_f64());
        let mut hierarchies: Vec<&Hierarchy> = snap.cgroups.hierarchies.iter().collect();
        hierarchies.sort_by_key(|h| std::cmp::Reverse(h.version));
        let mut totals = HashMap::new();
        for c in containers.iter_mut() {
            let Some(path) = c.cgroup.as_deref() else {
                continue;
            };
            // The container's directory in each hierarchy with `controller` (v2 has them
            // all, where enabled: its files say).
            let dirs = |controller: &str| {
                hierarchies
                    .iter()
                    .filter(move |h| {
                        h.version == 2 || h.controllers.iter().any(|n| n == controller)
                    })
                    .filter_map(|h| {
                        let mount = roots.cgroup_mount(&h.mount_point)?;
                        Some((Roots::cgroup_dir(&mount, path), h.version))
                    })
                    .collect::<Vec<(PathBuf, u8)>>()
            };
            let inactive = dirs("memory")
                .iter()
                .find_map(|(d, v)| inactive_file_bytes(d, *v));
            if let (Some(usage), Some(inactive)) = (c.measures.memory_current_bytes, inactive) {
                c.measures.memory_working_set_bytes = Some(usage.saturating_sub(inactive));
            }
            let Some((read, written)) = dirs("blkio").iter().find_map(|(d, v)| io_bytes(d, *v))
            else {
                continue;
            };
            c.measures.disk_read_bytes = Some(read);
            c.measures.disk_write_bytes = Some(written);
            let key = (c.runtime, c.id.clone());
            if let (Some(secs), Some(before)) = (elapsed, self.totals.get(&key))
                && secs > 0.0
            {
                let rate = |now: u64, then: u64| now.checked_sub(then).map(|d| rate_of(d, secs));
                c.measures.disk_read_bytes_per_sec = rate(read, before.0);
                c.measures.disk_write_bytes_per_sec = rate(written, before.1);
            }
            totals.insert(key, (read, written));
        }
        self.totals = totals;
        self.at = Some(now);
    }
}

#[allow(
    clippy::cast_precision_loss,
    reason = "a byte count per refresh is far below 2^52: exact in f64"
)]
fn rate_of(bytes: u64, secs: f64) -> f64 {
    bytes as f64 / secs
}
