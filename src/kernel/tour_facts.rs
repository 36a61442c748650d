//! What the tour shows that no snapshot holds: one hierarchy's directory as `ls -l` lists it
//! (the talk's picture of the v1 layout), and what a sandbox sees from inside: its host name,
//! the pids its own /proc lists, and where its root really is. Read by the poller only for
//! the step on screen: a directory listing (a few dozen entries), one readlink, one listing
//! of the sandbox's /proc and a setns thread for the host name, about a millisecond.

use super::{Roots, namespaces};
use std::os::unix::fs::PermissionsExt;

/// `name` and `ls -l`'s mode column (`drwxr-xr-x`) of each entry of the hierarchy mounted at
/// `mount_point`, sorted by name; None when it cannot be listed.
pub fn listing(roots: &Roots, mount_point: &str) -> Option<Vec<(String, String)>> {
    let dir = roots.cgroup_mount(mount_point)?;
    let mut out: Vec<(String, String)> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .filter_map(|e| {
            let meta = e.metadata().ok()?;
            let name = crate::text::display_safe(e.file_name().as_encoded_bytes());
            Some((name, mode_string(meta.is_dir(), meta.permissions().mode())))
        })
        .collect();
    out.sort();
    Some(out)
}

/// `ls -l`'s ten characters for a directory or a regular file.
pub fn mode_string(dir: bool, mode: u32) -> String {
    let mut s = String::with_capacity(10);
    s.push(if dir { 'd' } else { '-' });
    for shift in [6u32, 3, 0] {
        let bits = (mode >> shift) & 0o7;
        s.push(if bits & 4 != 0 { 'r' } else { '-' });
        s.push(if bits & 2 != 0 { 'w' } else { '-' });
        s.push(if bits & 1 != 0 { 'x' } else { '-' });
    }
    s
}

/// What a sandbox sees: its host name, the pids its /proc lists (through /proc/PID/root,
/// which is its root as the kernel resolves it for us; its /proc is the proc it mounted in
/// its own mount namespace), and the target of /proc/PID/root.
pub struct Inside {
    pub hostname: Option<String>,
    pub proc_pids: Option<Vec<i32>>,
    pub root: Option<String>,
}

pub fn inside(roots: &Roots, pid: i32) -> Inside {
    let root_link = roots.pid_file(pid, "root");
    let proc_pids = std::fs::read_dir(root_link.join("proc")).ok().map(|d| {
        let mut pids: Vec<i32> = d
            .flatten()
            .filter_map(|e| e.file_name().to_str().and_then(|n| n.parse().ok()))
            .collect();
        pids.sort_unstable();
        pids
    });
    Inside {
        hostname: namespaces::read_uts_name(roots, pid).ok(),
        proc_pids,
        root: std::fs::read_link(&root_link)
            .ok()
            .map(|p| crate::text::display_safe(p.as_os_str().as_encoded_bytes())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_as_ls_writes_them() {
        assert_eq!(mode_string(true, 0o755), "drwxr-xr-x");
        assert_eq!(mode_string(false, 0o644), "-rw-r--r--");
        assert_eq!(mode_string(false, 0o200), "--w-------");
    }
}
