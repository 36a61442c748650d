//! Many threads read for the first time at once (the refresh after `H`, above all) are read on
//! several threads, as the process reader reads many new processes (`reader/parallel.rs`).
//!
//! A thread's first read opens and reads four files (schedstat, stat, status, wchan), about
//! 15 µs, most of it procfs making and rendering them: 20,000 threads are 0.3 s before `H`
//! shows anything. The files of different processes share nothing in the kernel, so the
//! reads split across CPUs. Later refreshes, where few threads ran, stay on one thread.

use super::{Group, ThreadReader, Wanted};
use crate::kernel::Roots;
use crate::model::ProcThreads;

/// Fewer threads read for the first time than this per thread are not worth a thread.
const NEW_PER_THREAD: u64 = 512;
/// More threads than this gain little.
const MAX_THREADS: usize = 4;

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
        let threads = std::thread::available_parallelism()
            .map_or(1, std::num::NonZero::get)
            .min(MAX_THREADS)
            .min(usize::try_from(new / NEW_PER_THREAD).unwrap_or(usize::MAX));
        if threads < 2 || groups.is_empty() {
            return self.read_range(roots, groups, wanted);
        }
        let chunk = groups.len().div_ceil(threads);
        let mut parts: Vec<(&mut [Group], &[Wanted])> =
            groups.chunks_mut(chunk).zip(wanted.chunks(chunk)).collect();
        let mut workers: Vec<ThreadReader> = (1..parts.len()).map(|_| self.worker()).collect();
        // One result per part; None: its thread could not be started, read below.
        let results: Vec<Option<Vec<ProcThreads>>> = std::thread::scope(|s| {
            let Some(((mine, my_wanted), theirs)) = parts.split_first_mut() else {
                return Vec::new();
            };
            let handles: Vec<_> = theirs
                .iter_mut()
                .zip(workers.iter_mut())
                .map(|((part, w), worker)| {
                    let w: &[Wanted] = w;
                    std::thread::Builder::new()
                        .name("boxtop-threads".into())
                        .spawn_scoped(s, move || worker.read_range(roots, part, w))
                        .ok()
                })
                .collect();
            let first = self.read_range(roots, mine, my_wanted);
            std::iter::once(Some(first))
                .chain(handles.into_iter().map(|h| {
                    h.map(|h| {
                        h.join()
                            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                    })
                }))
                .collect()
        });
        let mut out = Vec::with_capacity(wanted.len());
        for ((part, w), result) in parts.iter_mut().zip(results) {
            match result {
                Some(done) => out.extend(done),
                None => out.extend(self.read_range(roots, part, w)),
            }
        }
        out
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
