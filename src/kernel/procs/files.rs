//! Reading small procfs files: pread into reused buffers, and the open-file budget.

use std::fs::File;
use std::io::{self, Read};
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

/// pread from offset 0 until end of file. procfs regenerates the text for a read at
/// offset 0, so a file kept open gives fresh data on every call.
pub(super) fn read_at_start(f: &File, buf: &mut Vec<u8>) -> io::Result<usize> {
    buf.clear();
    if buf.capacity() < 1024 {
        buf.reserve(1024);
    }
    loop {
        let len = buf.len();
        if buf.capacity() == len {
            buf.reserve(len);
        }
        let cap = buf.capacity();
        buf.resize(cap, 0);
        match f.read_at(&mut buf[len..], len as u64) {
            Ok(0) => {
                buf.truncate(len);
                return Ok(len);
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

/// Opens and reads a whole file into `buf`.
pub(super) fn read_path(path: &Path, buf: &mut Vec<u8>) -> io::Result<usize> {
    buf.clear();
    File::open(path)?.read_to_end(buf)
}

/// A procfs file kept open between refreshes. The count of kept files is process-wide
/// (several collectors, as in the tests, share one descriptor table), so that keeping files
/// can never starve other opens of descriptors (EMFILE).
#[derive(Debug)]
pub(super) struct KeptFile(File);

static KEPT: AtomicU64 = AtomicU64::new(0);
static LIMIT: OnceLock<u64> = OnceLock::new();

/// Descriptors left for everything else (terminal, cgroup files, maps, other collectors).
const FD_RESERVE: u64 = 256;

impl KeptFile {
    /// Keeps `f` if the process-wide budget allows; otherwise it is closed (and opened
    /// again by path when next needed). The first call raises the soft open-file limit to
    /// the hard one.
    pub(super) fn keep(f: File) -> Option<KeptFile> {
        let limit = *LIMIT.get_or_init(|| raise_fd_limit().saturating_sub(FD_RESERVE) / 2);
        if KEPT.fetch_add(1, Ordering::Relaxed) >= limit {
            KEPT.fetch_sub(1, Ordering::Relaxed);
            return None;
        }
        Some(KeptFile(f))
    }

    pub(super) fn file(&self) -> &File {
        &self.0
    }
}

impl Drop for KeptFile {
    fn drop(&mut self) {
        KEPT.fetch_sub(1, Ordering::Relaxed);
    }
}

fn raise_fd_limit() -> u64 {
    use nix::sys::resource::{Resource, getrlimit, setrlimit};
    match getrlimit(Resource::RLIMIT_NOFILE) {
        Ok((soft, hard))
            if hard > soft && setrlimit(Resource::RLIMIT_NOFILE, hard, hard).is_ok() =>
        {
            hard
        }
        Ok((soft, _)) => soft,
        Err(_) => 1024,
    }
}

/// The third field of /proc/PID/schedstat: how many times the task has been scheduled
/// onto a CPU (`pcount`; see Documentation/scheduler/sched-stats.rst). If it has not moved
/// since the last refresh, the task has not run: its times, state and context switches
/// cannot have changed.
pub(super) fn parse_schedstat_pcount(buf: &[u8]) -> Option<u64> {
    let field = buf
        .split(u8::is_ascii_whitespace)
        .filter(|f| !f.is_empty())
        .nth(2)?;
    super::stat::parse_uint(field)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedstat_pcount() {
        assert_eq!(
            parse_schedstat_pcount(b"158550118 50821943 348\n"),
            Some(348)
        );
        assert_eq!(parse_schedstat_pcount(b"1 2\n"), None);
        assert_eq!(parse_schedstat_pcount(b""), None);
    }

    #[test]
    fn reads_whole_files_of_any_size() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        let data: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &data).unwrap();
        let mut buf = Vec::new();
        let f = File::open(&path).unwrap();
        assert_eq!(read_at_start(&f, &mut buf).unwrap(), data.len());
        assert_eq!(buf, data);
        assert_eq!(read_path(&path, &mut buf).unwrap(), data.len());
    }
}
