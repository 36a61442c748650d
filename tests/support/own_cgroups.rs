//! Cgroups a test creates for itself, as children of the cgroups the test process is in (per
//! hierarchy), named `boxtop-test-<pid>-<n>`; and the guard that undoes everything, even when
//! an assertion fails: thaw, kill and reap the test's own children, remove the cgroups
//! (children first).

#![allow(
    dead_code,
    reason = "shared by several test crates; each uses only part of it"
)]

use boxtop::kernel::Roots;
use boxtop::model::Hierarchy;
use std::path::PathBuf;
use std::process::Child;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

static SEQ: AtomicU32 = AtomicU32::new(0);

/// One cgroup the test created: its directory and its path inside the hierarchy.
pub(crate) struct Made {
    pub dir: PathBuf,
    pub rel: String,
}

#[derive(Default)]
pub(crate) struct Guard {
    pub children: Vec<Child>,
    pub groups: Vec<Made>,
}

impl Drop for Guard {
    fn drop(&mut self) {
        for g in &self.groups {
            // Thaw first: a frozen task does not die until it is thawed.
            for (file, value) in [("cgroup.freeze", "0"), ("freezer.state", "THAWED")] {
                if g.dir.join(file).is_file() {
                    let _ = std::fs::write(g.dir.join(file), value);
                }
            }
        }
        for child in &mut self.children {
            let _ = child.kill(); // the test's own children only
            let _ = child.wait();
        }
        // Children first (created last), then wait for the kernel to let go of each.
        for g in self.groups.iter().rev() {
            let deadline = Instant::now() + Duration::from_secs(3);
            while std::fs::remove_dir(&g.dir).is_err() && g.dir.exists() {
                if Instant::now() > deadline {
                    eprintln!("could not remove {}", g.dir.display());
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }
}

/// A cgroup of the test's own in the first hierarchy with a freezer (v2 `cgroup.freeze`
/// or the v1 freezer), and the file and values that freeze and thaw it.
pub(crate) fn freezable(
    snap: &boxtop::model::Snapshot,
    guard: &mut Guard,
) -> Option<(PathBuf, &'static str, &'static str, &'static str)> {
    for h in &snap.cgroups.hierarchies {
        let (file, on, off) = if h.version == 2 {
            ("cgroup.freeze", "1", "0")
        } else if h.controllers.iter().any(|c| c == "freezer") {
            ("freezer.state", "FROZEN", "THAWED")
        } else {
            continue;
        };
        let Some(g) = make(h, guard) else { continue };
        let dir = guard.groups[g].dir.clone();
        if dir.join(file).is_file() {
            return Some((dir, file, on, off));
        }
    }
    None
}

/// This process's cgroup path in the hierarchy with `id` (from /proc/self/cgroup).
pub(crate) fn own_path(id: u32) -> Option<String> {
    let text = std::fs::read_to_string(Roots::live().self_file("cgroup")).ok()?;
    text.lines().find_map(|l| {
        let mut p = l.splitn(3, ':');
        let hid: u32 = p.next()?.parse().ok()?;
        p.next()?;
        (hid == id).then(|| p.next().map(str::to_string))?
    })
}

/// Creates `boxtop-test-<pid>-<n>` under the test's own cgroup in `h`; its index in the guard.
pub(crate) fn make(h: &Hierarchy, guard: &mut Guard) -> Option<usize> {
    let own = own_path(h.id)?;
    let mount = Roots::live().cgroup_mount(&h.mount_point)?;
    let name = format!(
        "boxtop-test-{}-{}",
        std::process::id(),
        SEQ.fetch_add(1, Ordering::Relaxed)
    );
    let rel = format!("{}/{name}", own.trim_end_matches('/'));
    let dir = Roots::cgroup_dir(&mount, &rel);
    std::fs::create_dir(&dir).ok()?;
    guard.groups.push(Made { dir, rel });
    Some(guard.groups.len() - 1)
}

/// A control file's content, trimmed ("" if unreadable).
pub(crate) fn raw(dir: &std::path::Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file))
        .unwrap_or_default()
        .trim()
        .to_string()
}

/// A `sleep 300` of the test's own, in a session of its own (processes in boxtop's terminal
/// session are protected), registered with the guard.
pub(crate) fn own_sleep(guard: &mut Guard) -> u32 {
    let child = std::process::Command::new("setsid")
        .args(["sleep", "300"])
        .stdin(std::process::Stdio::null())
        .spawn()
        .expect("setsid sleep");
    let pid = child.id();
    guard.children.push(child);
    pid
}
