//! /proc/PID/ns/* links: each is a symlink whose target reads `type:[inode]`.
//! See namespaces(7), "The /proc/[pid]/ns/ directory".

mod uts_name;

pub use uts_name::read_uts_name;

use super::{KernelError, Roots};
use crate::model::{IdMapRange, IdMaps, NsKind, NsSet};
use std::io;

/// Reads the inode of every namespace type of `pid`.
///
/// A link that is absent (an older kernel without `time`, or a zombie whose namespaces are
/// already released) is None. Denied links (another user's process when not root, or a
/// locked-down pid 1) make the whole set `Denied`: they are all guarded by the same ptrace
/// check, so one denial means all.
///
/// The ten links are read with readlinkat(2) relative to one O_PATH descriptor of the
/// directory, into a buffer on the stack: a readlink by full path walks /proc, the pid and
/// ns again for each link, and that walk was most of the cost of a process's first read.
pub fn read_ns_set(roots: &Roots, pid: i32) -> Result<NsSet, KernelError> {
    use std::os::fd::AsRawFd;
    use std::os::unix::fs::OpenOptionsExt;
    let dir_path = roots.pid_file(pid, "ns");
    let mut set = NsSet::default();
    let dir = match std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_PATH | libc::O_DIRECTORY)
        .open(&dir_path)
    {
        Ok(dir) => dir,
        // No directory, no links: read as every link absent, like a zombie's.
        Err(e) => match KernelError::from_io(&dir_path, e) {
            KernelError::Gone { .. } => return Ok(set),
            other => return Err(other),
        },
    };
    for kind in NsKind::ALL {
        // "pid_for_children" and a NUL fit in 32 bytes; a link reads "type:[inode]".
        let mut name = [0u8; 32];
        let bytes = kind.file_name().as_bytes();
        if let Some(slot) = name.get_mut(..bytes.len()) {
            slot.copy_from_slice(bytes);
        }
        let mut target = [0u8; 64];
        // SAFETY: `name` is NUL-terminated (the name is shorter than the array) and `target`
        // is writable for the length given; readlinkat writes at most that many bytes.
        let n = unsafe {
            libc::readlinkat(
                dir.as_raw_fd(),
                name.as_ptr().cast(),
                target.as_mut_ptr().cast(),
                target.len(),
            )
        };
        if let Some(read) = usize::try_from(n).ok().and_then(|n| target.get(..n)) {
            set.set(kind, parse_ns_link(read));
            continue;
        }
        let err = io::Error::last_os_error();
        match KernelError::from_io(dir_path.join(kind.file_name()), err) {
            KernelError::Gone { .. } => {}
            other @ KernelError::Denied { .. } => return Err(other),
            KernelError::Io { source, .. } if source.kind() == io::ErrorKind::InvalidInput => {}
            other => return Err(other),
        }
    }
    Ok(set)
}

/// `net:[4026531840]` -> 4026531840.
pub fn parse_ns_link(target: &[u8]) -> Option<u64> {
    let open = target.iter().position(|b| *b == b'[')?;
    let inner = target.get(open + 1..)?.strip_suffix(b"]")?;
    super::procs::stat::parse_uint(inner)
}

/// Reads /proc/PID/uid_map and gid_map.
pub fn read_id_maps(roots: &Roots, pid: i32) -> Result<IdMaps, KernelError> {
    let read = |name: &str| {
        let path = roots.pid_file(pid, name);
        std::fs::read(&path)
            .map(|b| parse_id_map(&b))
            .map_err(|e| KernelError::from_io(path, e))
    };
    Ok(IdMaps {
        pid,
        uid_map: read("uid_map")?,
        gid_map: read("gid_map")?,
    })
}

/// Lines of three numbers, `inside outside count`, padded with spaces; malformed lines are
/// skipped. See user_namespaces(7), "User and group ID mappings".
pub fn parse_id_map(buf: &[u8]) -> Vec<IdMapRange> {
    let num = |f: &[u8]| super::procs::stat::parse_uint(f).and_then(|n| u32::try_from(n).ok());
    buf.split(|b| *b == b'\n')
        .filter_map(|line| {
            let mut f = line
                .split(|b| *b == b' ' || *b == b'\t')
                .filter(|f| !f.is_empty());
            let r = IdMapRange {
                inside: num(f.next()?)?,
                outside: num(f.next()?)?,
                count: num(f.next()?)?,
            };
            f.next().is_none().then_some(r)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_id_maps() {
        let host = parse_id_map(b"         0          0 4294967295\n");
        assert_eq!(host.len(), 1);
        assert!(host[0].is_identity());
        let rootless =
            parse_id_map(b"         0       1000          1\n         1     100000      65536\n");
        assert_eq!(
            rootless[1],
            IdMapRange {
                inside: 1,
                outside: 100000,
                count: 65536
            }
        );
        assert!(parse_id_map(b"").is_empty());
        assert!(parse_id_map(b"1 2\n-1 0 1\n1 2 3 4\n").is_empty());
    }

    proptest::proptest! {
        #[test]
        fn id_map_never_panics(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..200)) {
            let _ = parse_id_map(&bytes);
        }
    }

    #[test]
    fn parses_links() {
        assert_eq!(parse_ns_link(b"net:[4026531840]"), Some(4026531840));
        assert_eq!(parse_ns_link(b"pid_for_children:[1]"), Some(1));
        assert_eq!(parse_ns_link(b"net:[]"), None);
        assert_eq!(parse_ns_link(b"net:[12"), None);
        assert_eq!(parse_ns_link(b"garbage"), None);
    }
}
