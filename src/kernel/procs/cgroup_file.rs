//! Parser of /proc/PID/cgroup: `hierarchy-id:controller-list:path` per line. See cgroups(7).

use crate::model::ProcCgroup;
use crate::text::display_safe;

/// One entry per well-formed line. The path is everything after the second colon, so a
/// cgroup name holding colons stays whole.
pub(super) fn parse_proc_cgroup(buf: &[u8]) -> Vec<ProcCgroup> {
    buf.split(|b| *b == b'\n')
        .filter_map(|line| {
            let mut parts = line.splitn(3, |b| *b == b':');
            let id = super::stat::parse_uint(parts.next()?)?;
            let controllers = parts.next()?;
            let path = parts.next()?;
            Some(ProcCgroup {
                hierarchy_id: u32::try_from(id).ok()?,
                controllers: controllers
                    .split(|b| *b == b',')
                    .filter(|c| !c.is_empty())
                    .map(display_safe)
                    .collect(),
                path: display_safe(path),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn hybrid_file() {
        let v = parse_proc_cgroup(
            b"9:name=systemd:/\n4:memory:/a b/c:d\n1:cpu,cpuacct:/\n0::/user.slice\n",
        );
        assert_eq!(v.len(), 4);
        assert_eq!(v[0].controllers, vec!["name=systemd"]);
        assert_eq!(v[1].path, "/a b/c:d");
        assert_eq!(v[2].controllers, vec!["cpu", "cpuacct"]);
        assert_eq!((v[3].hierarchy_id, v[3].controllers.len()), (0, 0));
        assert_eq!(v[3].path, "/user.slice");
    }

    #[test]
    fn skips_garbage() {
        assert!(parse_proc_cgroup(b"x:y:z\n\n0:/\n").is_empty());
    }

    proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = parse_proc_cgroup(&bytes);
        }
    }
}
