//! glibc malloc settings for a long-running boxtop (dashboard, collector benchmark).
//!
//! Measured at 5,000 processes in the dashboard (BENCHMARKS.md): one arena instead of one
//! per thread saves ~0.4 MiB of peak RSS, since snapshots are built on the poller thread and
//! freed on the UI thread; serving allocations of 16 KiB and more (row vectors, pid lists,
//! hash tables) by mmap gives their pages back when they are freed instead of leaving holes
//! in the heap: another ~0.6 MiB. A few mmap/munmap calls per refresh cost nothing visible.

/// Must run before any thread starts.
pub fn tune() {
    // SAFETY: mallopt only changes allocator parameters; called while single-threaded.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 16 * 1024);
    }
}
