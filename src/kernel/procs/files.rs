//! Reading small procfs files: pread into reused buffers, and the open-file budget.

use std::fs::File;
use std::io::{self, Read};
use std::os::unix::fs::FileExt;
use std::path::Path;

/// pread from offset 0 until end of file. procfs regenerates the text for a read at
/// offset 0, so a file kept open gives fresh data on every call.
pub fn read_at_start(f: &File, buf: &mut Vec<u8>) -> io::Result<usize> {
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
pub fn read_path(path: &Path, buf: &mut Vec<u8>) -> io::Result<usize> {
    buf.clear();
    File::open(path)?.read_to_end(buf)
}

/// How many files may stay open between refreshes.
#[derive(Debug)]
pub struct FdBudget {
    limit: u64,
    used: u64,
}

/// Descriptors left for everything else (terminal, cgroup files, maps).
const FD_RESERVE: u64 = 256;

impl FdBudget {
    /// Raises the soft open-file limit to the hard one and budgets all but a reserve.
    pub fn from_rlimit() -> Self {
        FdBudget {
            limit: raise_fd_limit().saturating_sub(FD_RESERVE),
            used: 0,
        }
    }

    /// Starts a count: `kept` files are open now.
    pub fn recount(&mut self, kept: u64) {
        self.used = kept;
    }

    /// Keeps `f` if the budget allows (otherwise it is closed and re-opened when needed).
    pub fn keep(&mut self, f: File) -> Option<File> {
        if self.used >= self.limit {
            return None;
        }
        self.used += 1;
        Some(f)
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
pub fn parse_schedstat_pcount(buf: &[u8]) -> Option<u64> {
    let field = buf
        .split(|b| b.is_ascii_whitespace())
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
