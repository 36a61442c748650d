//! Counters read only for the cgroups of containers (never in the tree walk: a host has far
//! more cgroups than containers): the page cache memory can give back at once, for the
//! working set, and the bytes read and written.
//!
//! - memory.stat (Documentation/admin-guide/cgroup-v2.rst; v1 memory.rst): `inactive_file`
//!   (v2), `total_inactive_file` (v1, this cgroup and its children).
//! - io.stat (v2): one line per device, `MAJ:MIN rbytes=N wbytes=N rios=N wios=N ...`.
//! - v1 blkio: `blkio.throttle.io_service_bytes_recursive`, else
//!   `blkio.io_service_bytes_recursive` (the order runc reads them in): `MAJ:MIN Read N`,
//!   `MAJ:MIN Write N`, ..., `Total N`.

use super::files::FileReader;
use super::parse::flat_get;
use std::path::Path;

/// Inactive file-backed memory of the cgroup at `dir`, in bytes.
pub fn inactive_file_bytes(reader: &mut FileReader, dir: &Path, version: u8) -> Option<u64> {
    let buf = reader.read_in(dir, "memory.stat").ok()?;
    flat_get(
        buf,
        if version == 2 {
            "inactive_file"
        } else {
            "total_inactive_file"
        },
    )
}

/// Bytes read and written by the cgroup at `dir` and its children, over every device.
pub fn io_bytes(reader: &mut FileReader, dir: &Path, version: u8) -> Option<(u64, u64)> {
    if version == 2 {
        return parse_io_stat(reader.read_in(dir, "io.stat").ok()?);
    }
    [
        "blkio.throttle.io_service_bytes_recursive",
        "blkio.io_service_bytes_recursive",
    ]
    .iter()
    .find_map(|f| parse_blkio_bytes(reader.read_in(dir, f).ok()?))
}

/// `rbytes=` and `wbytes=` of every line, summed; an empty file (no I/O yet) is zero.
fn parse_io_stat(buf: &[u8]) -> Option<(u64, u64)> {
    let text = std::str::from_utf8(buf).ok()?;
    let mut total = (0u64, 0u64);
    for word in text.split_ascii_whitespace() {
        let add = |prefix: &str| {
            word.strip_prefix(prefix)
                .and_then(|v| v.parse::<u64>().ok())
        };
        if let Some(v) = add("rbytes=") {
            total.0 = total.0.saturating_add(v);
        } else if let Some(v) = add("wbytes=") {
            total.1 = total.1.saturating_add(v);
        }
    }
    Some(total)
}

/// `MAJ:MIN Read N` and `MAJ:MIN Write N` lines, summed over devices; None for a file that
/// has neither (a hierarchy that accounts nothing, as on a kernel with blk-throttle off).
fn parse_blkio_bytes(buf: &[u8]) -> Option<(u64, u64)> {
    let text = std::str::from_utf8(buf).ok()?;
    let mut total = (0u64, 0u64);
    let mut seen = false;
    for line in text.lines() {
        let mut w = line.split_ascii_whitespace();
        let (Some(_device), Some(op), Some(n)) = (w.next(), w.next(), w.next()) else {
            continue;
        };
        let Ok(n) = n.parse::<u64>() else { continue };
        match op {
            "Read" => total.0 = total.0.saturating_add(n),
            "Write" => total.1 = total.1.saturating_add(n),
            _ => continue,
        }
        seen = true;
    }
    (seen || text.trim() == "Total 0").then_some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_stat_sums_devices() {
        let b = b"8:0 rbytes=1459200 wbytes=314773504 rios=192 wios=353 dbytes=0 dios=0\n\
                  8:16 rbytes=800 wbytes=200 rios=1 wios=1 dbytes=0 dios=0\n";
        assert_eq!(parse_io_stat(b), Some((1_460_000, 314_773_704)));
        assert_eq!(parse_io_stat(b""), Some((0, 0)), "no I/O yet");
    }

    #[test]
    fn blkio_sums_read_and_write() {
        let b = b"8:0 Read 4096\n8:0 Write 8192\n8:0 Sync 0\n8:0 Async 12288\n8:0 Total 12288\n\
                  8:16 Read 100\n8:16 Write 0\nTotal 12388\n";
        assert_eq!(parse_blkio_bytes(b), Some((4196, 8192)));
        assert_eq!(parse_blkio_bytes(b"Total 0\n"), Some((0, 0)));
        assert_eq!(parse_blkio_bytes(b"nonsense"), None);
    }

    #[test]
    fn inactive_file_by_version() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(
            d.path().join("memory.stat"),
            "anon 100\nfile 5000\ninactive_file 3000\ntotal_inactive_file 7000\n",
        )
        .unwrap();
        let r = &mut FileReader::new();
        assert_eq!(inactive_file_bytes(r, d.path(), 2), Some(3000));
        assert_eq!(inactive_file_bytes(r, d.path(), 1), Some(7000));
        assert_eq!(io_bytes(r, d.path(), 2), None, "no io.stat");
    }
}
