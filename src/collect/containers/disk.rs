//! What is read for containers' cgroups alone, each refresh: the working set (memory usage
//! less the inactive page cache, what `docker stats` and the kubelet call it) and the bytes
//! read and written, with rates against the previous refresh
//! (`kernel::cgroupfs::container_stats`). A few files per container, none for a host
//! without containers.

use super::pair_rates::PairRates;
use crate::kernel::Roots;
use crate::kernel::cgroupfs::container_stats::{inactive_file_bytes, io_bytes};
use crate::kernel::cgroupfs::files::FileReader;
use crate::model::{Container, Hierarchy, Runtime, Snapshot};
use std::path::PathBuf;

/// The previous refresh's bytes read and written, per container.
#[derive(Debug, Default)]
pub struct DiskRates {
    totals: PairRates<(Runtime, String)>,
}

impl DiskRates {
    /// Reads through `reader` (the collector's, which keeps the files open).
    pub fn measure(
        &mut self,
        roots: &Roots,
        reader: &mut FileReader,
        snap: &Snapshot,
        containers: &mut [Container],
    ) {
        self.totals.start();
        let mut hierarchies: Vec<&Hierarchy> = snap.cgroups.hierarchies.iter().collect();
        hierarchies.sort_by_key(|h| std::cmp::Reverse(h.version));
        for c in containers.iter_mut() {
            let Some(path) = c.cgroup.as_deref() else {
                continue;
            };
            // The container's directory in each hierarchy that has a copy of it and the
            // controller: bound to a v1 hierarchy; in v2, available at its root (for memory,
            // enabled here: the walk found memory files). No file is tried where the walk
            // says it cannot be: a failed open costs a path walk each refresh.
            let dirs = |controller: &str| {
                hierarchies
                    .iter()
                    .filter(move |h| h.controllers.iter().any(|n| n == controller))
                    .filter_map(|h| {
                        let node = h.cgroups.iter().find(|n| n.path == path)?;
                        if h.version == 2 && controller == "memory" && node.memory.is_none() {
                            return None;
                        }
                        let mount = roots.cgroup_mount(&h.mount_point)?;
                        Some((Roots::cgroup_dir(&mount, path), h.version))
                    })
                    .collect::<Vec<(PathBuf, u8)>>()
            };
            let inactive = dirs("memory")
                .iter()
                .find_map(|(d, v)| inactive_file_bytes(reader, d, *v));
            if let (Some(usage), Some(inactive)) = (c.measures.memory_current_bytes, inactive) {
                c.measures.memory_working_set_bytes = Some(usage.saturating_sub(inactive));
            }
            let mut io = dirs("io");
            io.extend(dirs("blkio"));
            let Some((read, written)) = io.iter().find_map(|(d, v)| io_bytes(reader, d, *v)) else {
                continue;
            };
            c.measures.disk_read_bytes = Some(read);
            c.measures.disk_write_bytes = Some(written);
            (
                c.measures.disk_read_bytes_per_sec,
                c.measures.disk_write_bytes_per_sec,
            ) = self
                .totals
                .record((c.runtime, c.id.clone()), (read, written));
        }
        self.totals.finish();
    }
}
