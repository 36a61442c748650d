//! Where procfs and cgroupfs are. Every kernel path is joined here, so that fixtures can swap
//! the roots (docs/ARCHITECTURE.md, "Roots").

use super::KernelError;
use std::path::{Path, PathBuf};

/// The canonical places; mountinfo names cgroup mounts under [`DEFAULT_CGROUP`].
pub const DEFAULT_PROC: &str = "/proc";
pub const DEFAULT_CGROUP: &str = "/sys/fs/cgroup";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roots {
    proc: PathBuf,
    cgroup: PathBuf,
}

impl Default for Roots {
    fn default() -> Self {
        Roots::live()
    }
}

impl Roots {
    pub fn new(proc: impl Into<PathBuf>, cgroup: impl Into<PathBuf>) -> Self {
        Roots {
            proc: proc.into(),
            cgroup: cgroup.into(),
        }
    }

    /// The running system's /proc and /sys/fs/cgroup.
    pub fn live() -> Self {
        Roots::new(DEFAULT_PROC, DEFAULT_CGROUP)
    }

    pub fn proc_root(&self) -> &Path {
        &self.proc
    }

    pub fn cgroup_root(&self) -> &Path {
        &self.cgroup
    }

    /// True when both roots are the real system's (not a fixture).
    pub fn is_live(&self) -> bool {
        self.proc == Path::new(DEFAULT_PROC) && self.cgroup == Path::new(DEFAULT_CGROUP)
    }

    /// `/proc/NAME` (e.g. `uptime`, `stat`).
    pub fn proc_file(&self, name: &str) -> PathBuf {
        self.proc.join(name)
    }

    /// `/proc/PID`.
    pub fn pid_dir(&self, pid: i32) -> PathBuf {
        self.proc.join(pid.to_string())
    }

    /// `/proc/PID/NAME` (NAME may contain a slash, as in `ns/net`).
    /// A file of the host's own filesystem that a runtime keeps its state in
    /// (`var/lib/docker/...`): under the directory that holds the proc root, which is `/` on a
    /// live host, and a fixture's own directory beside its `proc/`.
    pub fn host_file(&self, rel: &str) -> PathBuf {
        let base = self.proc.parent().unwrap_or_else(|| Path::new(""));
        base.join(rel.trim_start_matches('/'))
    }

    pub fn pid_file(&self, pid: i32, name: &str) -> PathBuf {
        let mut p = self.pid_dir(pid);
        p.push(name);
        p
    }

    /// `/proc/PID/task`: the threads of a process, one directory each.
    pub fn task_dir(&self, pid: i32) -> PathBuf {
        self.pid_file(pid, "task")
    }

    /// `/proc/PID/task/TID/NAME`: a file of one thread.
    pub fn task_file(&self, pid: i32, tid: i32, name: &str) -> PathBuf {
        let mut p = self.task_dir(pid);
        p.push(tid.to_string());
        p.push(name);
        p
    }

    /// `/proc/self/NAME`: the reading process's own view (mountinfo, cgroup, ns).
    pub fn self_file(&self, name: &str) -> PathBuf {
        let mut p = self.proc.join("self");
        p.push(name);
        p
    }

    /// Maps a cgroup mount point from mountinfo (e.g. `/sys/fs/cgroup/memory`) to a path
    /// under the cgroup root. Mounts outside /sys/fs/cgroup are used as they are on the live
    /// system and ignored for a fixture root (their files are not in the fixture).
    pub fn cgroup_mount(&self, mount_point: &str) -> Option<PathBuf> {
        let canonical = Path::new(DEFAULT_CGROUP);
        let mp = Path::new(mount_point);
        match mp.strip_prefix(canonical) {
            Ok(rel) if rel.as_os_str().is_empty() => Some(self.cgroup.clone()),
            Ok(rel) => Some(self.cgroup.join(rel)),
            Err(_) if self.cgroup == canonical && mp.is_absolute() => Some(mp.to_path_buf()),
            Err(_) => None,
        }
    }

    /// A path inside a hierarchy as a user gave it, in the form the kernel and the snapshot
    /// use: `/a/b` (`a//b/` -> `/a/b`). `.` and `..` are refused: they could lead out of the
    /// hierarchy, and a path spelled differently would not match the protected set.
    pub fn cgroup_path(given: &str) -> Result<String, String> {
        if given.contains('\0') {
            return Err("the cgroup path contains a NUL byte".into());
        }
        let parts: Vec<&str> = given.split('/').filter(|p| !p.is_empty()).collect();
        if parts.iter().any(|p| *p == "." || *p == "..") {
            return Err(format!(
                "cgroup {given:?}: . and .. are not allowed; give the path inside the hierarchy, \
                 as `boxtop snapshot` shows it (e.g. /system.slice/x)"
            ));
        }
        Ok(format!("/{}", parts.join("/")))
    }

    /// A cgroup directory: `rel` is a path inside the hierarchy like `/a/b` (or `/`).
    pub fn cgroup_dir(mount: &Path, rel: &str) -> PathBuf {
        let rel = rel.trim_start_matches('/');
        if rel.is_empty() {
            mount.to_path_buf()
        } else {
            mount.join(rel)
        }
    }

    /// Checks that the proc root looks like procfs: it must have `self` (our own view) or
    /// at least one numeric pid directory.
    pub fn check_proc(&self) -> Result<(), KernelError> {
        let not_proc = |why: &str| KernelError::NotATree {
            path: self.proc.clone(),
            why: why.to_string(),
        };
        let entries = std::fs::read_dir(&self.proc)
            .map_err(|e| not_proc(&format!("not a proc tree ({e})")))?;
        let has_self = self.proc.join("self").exists();
        let has_pid = entries.flatten().any(|e| {
            e.file_name()
                .to_str()
                .is_some_and(|n| n.parse::<i32>().is_ok())
        });
        if has_pid || has_self {
            Ok(())
        } else {
            Err(not_proc("not a proc tree (no pid directories, no self)"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cgroup_paths_are_made_canonical_or_refused() {
        for (given, want) in [
            ("/", "/"),
            ("", "/"),
            ("a/b", "/a/b"),
            ("/a//b/", "/a/b"),
            ("//user.slice///x.scope", "/user.slice/x.scope"),
            ("/a b/c", "/a b/c"),
        ] {
            assert_eq!(Roots::cgroup_path(given).as_deref(), Ok(want), "{given:?}");
        }
        for bad in ["/..", "/a/../b", "/./a", "..", "/a/.", "/a\0b"] {
            assert!(Roots::cgroup_path(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn mounts_rebase_onto_fixture_root() {
        let r = Roots::new("/fx/proc", "/fx/cg");
        assert_eq!(
            r.cgroup_mount("/sys/fs/cgroup/memory"),
            Some(PathBuf::from("/fx/cg/memory"))
        );
        assert_eq!(
            r.cgroup_mount("/sys/fs/cgroup"),
            Some(PathBuf::from("/fx/cg"))
        );
        assert_eq!(r.cgroup_mount("/cgroup2"), None);
        assert_eq!(
            Roots::live().cgroup_mount("/cgroup2"),
            Some(PathBuf::from("/cgroup2"))
        );
        assert_eq!(
            Roots::cgroup_dir(Path::new("/m"), "/a b/c:d"),
            PathBuf::from("/m/a b/c:d")
        );
        assert_eq!(Roots::cgroup_dir(Path::new("/m"), "/"), PathBuf::from("/m"));
        assert_eq!(r.pid_file(7, "ns/net"), PathBuf::from("/fx/proc/7/ns/net"));
        assert_eq!(
            r.task_file(7, 9, "stat"),
            PathBuf::from("/fx/proc/7/task/9/stat")
        );
    }
}
