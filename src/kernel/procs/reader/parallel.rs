//! Many new processes at once (the first refresh, above all) are read on several threads.
//!
//! A process's first read costs about 40 µs, most of it in the kernel: procfs makes an inode
//! for each of its files on first lookup (the ten namespace links above all) and renders
//! status and cmdline. At 1,000 processes that is 40 ms before the dashboard's first frame,
//! against about 5 ms for a later refresh, where most processes did not run and are not
//! read. The files of different processes share nothing in the kernel, so the reads split
//! across CPUs almost perfectly. Later refreshes stay on one thread: their cost is small and
//! a thread's start would be a good part of it.

use super::{Entry, ProcReader};
use crate::kernel::Roots;
use crate::kernel::procs::split;
use crate::model::ProcessRow;
use std::sync::Arc;

/// Fewer new processes than this per thread are not worth a thread (one start is about the
/// cost of reading one or two new processes).
const NEW_PER_THREAD: u64 = 256;

impl ProcReader {
    /// Reads `entries` (aligned with the pids listed), on this thread or, when many of them
    /// are new, split into chunks of consecutive pids, one per thread: their rows in pid
    /// order, and whether one vanished.
    pub(super) fn read_entries(
        &mut self,
        roots: &Roots,
        entries: &mut [(i32, Entry)],
        fresh: &[i32],
    ) -> (Vec<Arc<ProcessRow>>, bool) {
        let new = entries.iter().filter(|(_, e)| e.row.is_none()).count();
        let threads = split::threads_for(u64::try_from(new).unwrap_or(u64::MAX), NEW_PER_THREAD);
        if threads < 2 {
            return self.read_range(roots, entries, fresh);
        }
        let chunk = entries.len().div_ceil(threads);
        let mut parts: Vec<&mut [(i32, Entry)]> = entries.chunks_mut(chunk).collect();
        let mut workers: Vec<ProcReader> = (1..parts.len()).map(|_| self.worker()).collect();
        let read =
            |r: &mut ProcReader, part: &mut &mut [(i32, Entry)]| r.read_range(roots, part, fresh);
        let results = split::read_parts("boxtop-reader", self, &mut workers, &mut parts, &read);
        let mut rows = Vec::with_capacity(results.iter().map(|(r, _)| r.len()).sum());
        let mut gone = false;
        for (r, g) in results {
            rows.extend(r);
            gone |= g;
        }
        for worker in workers {
            self.adopt(worker);
        }
        (rows, gone)
    }

    /// A reader for one chunk of this refresh: the same refresh count, interval and period,
    /// so that it reads each process to the depth this reader would.
    fn worker(&self) -> ProcReader {
        let mut w = ProcReader::new();
        w.tick = self.tick;
        w.last_refresh = self.last_refresh;
        w.elapsed_usec = self.elapsed_usec;
        w.slow_period = self.slow_period;
        w
    }

    /// Takes in what a worker interned, so that later reads share it. Where both had the
    /// same cgroup set, the worker's rows keep their own copy until their next periodic read
    /// swaps in this reader's (one copy of such a row, once).
    fn adopt(&mut self, worker: ProcReader) {
        for (text, set) in worker.cgroup_sets {
            self.cgroup_sets.entry(text).or_insert(set);
        }
        for (key, set) in worker.ns_sets {
            self.ns_sets.entry(key).or_insert(set);
        }
    }
}
