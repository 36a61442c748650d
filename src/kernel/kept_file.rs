//! Files kept open between refreshes and re-read with pread, and the process-wide budget of
//! descriptors they may hold. On this machine a pread of a kept file costs about a fifteenth
//! of open + read + close of the same cgroup file (1.2 against 19 µs, BENCHMARKS.md).

use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

/// pread from offset 0 until end of file. procfs and cgroupfs (seq_file) regenerate the text
/// for a read at offset 0, so a file kept open gives fresh data on every call.
///
/// A read that returns less than it was given room for is taken as the end: seq_file fills
/// the buffer while it has records (`seq_read_iter` in fs/seq_file.c), as a regular file
/// does. Asking again to see 0 would cost a second generation of the whole text, since a
/// pread at another offset makes seq_file walk its records from the start again.
pub fn read_at_start(f: &File, buf: &mut Vec<u8>) -> io::Result<usize> {
    buf.clear();
    if buf.capacity() < 1024 {
        buf.reserve(1024);
    }
    loop {
        // Read into as much room as the text so far (at least 1 KiB), not into the whole
        // capacity: the buffer is shared by every file, and zeroing the 30 KiB a big member
        // list once needed before each small read was a third of a scrape.
        let len = buf.len();
        let room = len.max(1024);
        buf.reserve(room);
        buf.resize(len + room, 0);
        match f.read_at(&mut buf[len..], len as u64) {
            Ok(0) => {
                buf.truncate(len);
                return Ok(len);
            }
            Ok(n) if n < room => {
                buf.truncate(len + n);
                return Ok(len + n);
            }
            Ok(n) => buf.truncate(len + n),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => buf.truncate(len),
            Err(e) => {
                buf.truncate(len);
                return Err(e);
            }
        }
    }
}

/// A procfs or cgroupfs file (or directory) kept open between refreshes. The count of kept
/// descriptors is process-wide (several collectors, as in the tests, share one descriptor
/// table), so that keeping them can never starve other opens of descriptors (EMFILE).
#[derive(Debug)]
pub struct Kept<T>(T);

pub type KeptFile = Kept<File>;

static KEPT: AtomicU64 = AtomicU64::new(0);
static LIMIT: OnceLock<u64> = OnceLock::new();

/// Descriptors left for everything else (terminal, cgroup files, maps, other collectors).
const FD_RESERVE: u64 = 256;

impl<T> Kept<T> {
    /// Keeps `f` if the process-wide budget allows; otherwise it is closed (and opened
    /// again by path when next needed). The first call raises the soft open-file limit to
    /// the hard one.
    pub fn keep(f: T) -> Option<Kept<T>> {
        let limit = *LIMIT.get_or_init(|| raise_fd_limit().saturating_sub(FD_RESERVE) / 2);
        if KEPT.fetch_add(1, Ordering::Relaxed) >= limit {
            KEPT.fetch_sub(1, Ordering::Relaxed);
            return None;
        }
        Some(Kept(f))
    }

    pub fn get_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

impl KeptFile {
    pub fn file(&self) -> &File {
        &self.0
    }
}

impl<T> Drop for Kept<T> {
    fn drop(&mut self) {
        KEPT.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Grows this process's descriptor table to hold `count` descriptors now, while it has one
/// thread. The kernel grows the table by doubling when a new descriptor does not fit, and in a
/// process with more than one thread each growth waits for an RCU grace period
/// (`expand_fdtable` in fs/file.c calls synchronize_rcu when the table is shared): the
/// dashboard's first refresh, which opens and keeps a few descriptors per process, waited
/// 40 ms for six of them at 1,000 processes, as long as the reading itself. The table never
/// shrinks, so growing it once, early, costs nothing later. Also raises the soft limit (see
/// [`Kept::keep`]); `count` is capped by the budget of kept files.
pub fn reserve_descriptors(count: u64) {
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
    let budget = *LIMIT.get_or_init(|| raise_fd_limit().saturating_sub(FD_RESERVE) / 2);
    let highest = count.min(budget.saturating_add(FD_RESERVE));
    let Ok(highest) = libc::c_int::try_from(highest) else {
        return;
    };
    let Ok(any) = File::open("/") else {
        return;
    };
    // SAFETY: F_DUPFD_CLOEXEC duplicates an open descriptor onto the lowest free number at
    // or above `highest`, which makes the table that large; the copy is closed at once.
    let dup = unsafe { libc::fcntl(any.as_raw_fd(), libc::F_DUPFD_CLOEXEC, highest) };
    if dup >= 0 {
        // SAFETY: `dup` is the descriptor just made, owned by nothing else.
        drop(unsafe { OwnedFd::from_raw_fd(dup) });
    }
}

/// The soft open-file limit boxtop was started with, once [`raise_fd_limit`] raised it
/// (`u64::MAX` until then).
static USER_SOFT: AtomicU64 = AtomicU64::new(u64::MAX);

fn raise_fd_limit() -> u64 {
    use nix::sys::resource::{Resource, getrlimit, setrlimit};
    match getrlimit(Resource::RLIMIT_NOFILE) {
        Ok((soft, hard))
            if hard > soft && setrlimit(Resource::RLIMIT_NOFILE, hard, hard).is_ok() =>
        {
            USER_SOFT.store(soft, Ordering::Relaxed);
            hard
        }
        Ok((soft, _)) => soft,
        Err(_) => 1024,
    }
}

/// Puts back the soft open-file limit the user started boxtop with, if boxtop raised it:
/// called in a child between fork and exec, so that a command boxtop starts gets the
/// user's limit (programs that still use select(2) fail above 1,024 descriptors, which is
/// why systemd asks services to do the same). Async-signal-safe: an atomic load and
/// setrlimit(2).
pub fn restore_user_fd_limit() -> io::Result<()> {
    let soft = USER_SOFT.load(Ordering::Relaxed);
    if soft == u64::MAX {
        return Ok(());
    }
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit write and read the one struct given.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &raw mut limit) } != 0 {
        return Err(io::Error::last_os_error());
    }
    limit.rlim_cur = soft.min(limit.rlim_max);
    // SAFETY: as above.
    if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raw const limit) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}
