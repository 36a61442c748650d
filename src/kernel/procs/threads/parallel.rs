//! Many threads read for the first time at once (the refresh after `H`, above all) are read on
//! several threads, as the process reader reads many new processes (`reader/parallel.rs`).
//!
//! A thread's first read opens and reads four files (schedstat, stat, status, wchan), about
//! 15 µs, most of it procfs making and rendering them: 20,000 threads are 0.3 s before `H`
//! shows anything. The files of different processes share nothing in the kernel, so the
//! reads split across CPUs. Later refreshes, where few threads ran, stay on one thread.

use super::{Group, ThreadReader, Wanted};
use crate::kernel::Roots;
use crate::kernel::procs::split;
use crate::model::ProcThreads;

/// Fewer threads read for the first time than this per thread are not worth a thread.
const NEW_PER_THREAD: u64 = 512;

impl ThreadReader {
    /// Reads `groups` (aligned with `wanted`): on this thread, or, when many of their threads
    /// are new, split into chunks of consecutive processes, one per thread; in pid order.
    pub(super) fn read_all(
        &mut self,
        roots: &Roots,
        groups: &mut [Group],
        wanted: &[Wanted],
    ) -> Vec<ProcThreads> {
        let new: u64 = groups
            .iter()
            .zip(wanted)
            .filter(|(g, _)| g.last.is_none())
            .map(|(_, w)| u64::from(w.threads))
            .sum();
        let threads = split::threads_for(new, NEW_PER_THREAD);
        if threads < 2 || groups.is_empty() {
            return self.read_range(roots, groups, wanted);
        }
        let chunk = groups.len().div_ceil(threads);
        let mut parts: Vec<(&mut [Group], &[Wanted])> =
            groups.chunks_mut(chunk).zip(wanted.chunks(chunk)).collect();
        let mut workers: Vec<ThreadReader> = (1..parts.len()).map(|_| self.worker()).collect();
        let read = |r: &mut ThreadReader, (part, w): &mut (&mut [Group], &[Wanted])| {
            r.read_range(roots, part, w)
        };
        split::read_parts("boxtop-threads", self, &mut workers, &mut parts, &read)
            .into_iter()
            .flatten()
            .collect()
    }

    /// A reader for one chunk of this refresh: the same refresh count, interval and period.
    fn worker(&self) -> ThreadReader {
        let mut w = ThreadReader::new();
        w.tick = self.tick;
        w.last_refresh = self.last_refresh;
        w.elapsed_usec = self.elapsed_usec;
        w.slow_period = self.slow_period;
        w
    }
}
