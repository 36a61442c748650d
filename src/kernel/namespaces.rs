//! /proc/PID/ns/* links: each is a symlink whose target reads `type:[inode]`.
//! See namespaces(7), "The /proc/[pid]/ns/ directory".

use super::{KernelError, Roots};
use crate::model::{NsKind, NsSet};
use std::io;

/// Reads the inode of every namespace type of `pid`.
///
/// A link that is absent (an older kernel without `time`, or a zombie whose namespaces are
/// already released) is None. Denied links (another user's process when not root, or a
/// locked-down pid 1) make the whole set `Denied`: they are all guarded by the same ptrace
/// check, so one denial means all.
pub fn read_ns_set(roots: &Roots, pid: i32) -> Result<NsSet, KernelError> {
    let mut set = NsSet::default();
    let mut path = roots.pid_file(pid, "ns");
    for kind in NsKind::ALL {
        path.push(kind.file_name());
        match std::fs::read_link(&path) {
            Ok(target) => set.set(kind, parse_ns_link(target.as_os_str().as_encoded_bytes())),
            Err(e) => match KernelError::from_io(&path, e) {
                KernelError::Gone { .. } => {}
                other @ KernelError::Denied { .. } => return Err(other),
                KernelError::Io { source, .. } if source.kind() == io::ErrorKind::InvalidInput => {}
                other => return Err(other),
            },
        }
        path.pop();
    }
    Ok(set)
}

/// `net:[4026531840]` -> 4026531840.
pub fn parse_ns_link(target: &[u8]) -> Option<u64> {
    let open = target.iter().position(|b| *b == b'[')?;
    let inner = target.get(open + 1..)?.strip_suffix(b"]")?;
    super::procs::stat::parse_uint(inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_links() {
        assert_eq!(parse_ns_link(b"net:[4026531840]"), Some(4026531840));
        assert_eq!(parse_ns_link(b"pid_for_children:[1]"), Some(1));
        assert_eq!(parse_ns_link(b"net:[]"), None);
        assert_eq!(parse_ns_link(b"net:[12"), None);
        assert_eq!(parse_ns_link(b"garbage"), None);
    }
}
