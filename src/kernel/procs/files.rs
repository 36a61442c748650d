//! Reading small procfs files into reused buffers.

pub(super) use crate::kernel::kept_file::{KeptFile, read_at_start};
use std::fs::File;
use std::io;
use std::path::Path;

/// Opens and reads a whole file into `buf`: open, one read (two for a text longer than the
/// buffer's room), close. Not `read_to_end`, which first asks the size (statx) and the
/// position (lseek), both useless on procfs where every size is 0, and reads once more to see
/// the end: five calls where two do, for each of four files of every process a refresh reads.
pub(super) fn read_path(path: &Path, buf: &mut Vec<u8>) -> io::Result<usize> {
    read_at_start(&File::open(path)?, buf)
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
