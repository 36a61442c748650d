//! The protected set (docs/ARCHITECTURE.md, "Actions"): what boxtop refuses to freeze,
//! limit, move or signal without an explicit force.
//!
//! Freezing the cgroup that holds the dashboard, or its shell's, hangs the very terminal the
//! user would thaw it from. So: pid 1, kernel threads, boxtop itself, its parent chain and
//! every process of its session (its terminal); and every root cgroup, boxtop's own cgroups
//! and their ancestors, and the cgroups of its parent chain and their ancestors.

use crate::model::{ProcessRow, Snapshot};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Protected {
    /// pid -> why.
    pids: BTreeMap<i32, String>,
    /// The session of boxtop's terminal: all its processes are protected.
    session: Option<i32>,
    /// (hierarchy id, cgroup path) -> why.
    cgroups: BTreeMap<(u32, String), String>,
}

impl Protected {
    /// The protected set as seen from process `own_pid` (boxtop) in `snap`.
    pub(super) fn from_snapshot(snap: &Snapshot, own_pid: i32) -> Protected {
        let mut p = Protected::default();
        p.pids.insert(1, "pid 1 (init) is protected".into());
        // boxtop and its parent chain, with their cgroups and every ancestor of those.
        let mut seen = BTreeSet::new();
        let mut next = Some(own_pid);
        let mut first = true;
        while let Some(pid) = next.filter(|pid| *pid > 0 && seen.insert(*pid)) {
            let Some(row) = snap.process(pid) else { break };
            let who = if first {
                "boxtop itself".to_string()
            } else {
                format!("boxtop's ancestor {} ({})", pid, row.comm)
            };
            if first {
                p.session = Some(row.session).filter(|s| *s > 0);
            }
            p.pids
                .entry(pid)
                .or_insert_with(|| format!("{who} is protected"));
            for c in row.cgroups.iter() {
                for path in ancestors(&c.path) {
                    p.cgroups.entry((c.hierarchy_id, path)).or_insert_with(|| {
                        format!("holds {who} (freezing or limiting it could hang this terminal)")
                    });
                }
            }
            first = false;
            next = Some(row.ppid);
        }
        // pid 1's cgroups and their ancestors: freezing init.scope freezes init. (Usually
        // reached through the parent chain already; not when boxtop runs in a pid namespace.)
        if let Some(init) = snap.process(1) {
            for c in init.cgroups.iter() {
                for path in ancestors(&c.path) {
                    p.cgroups
                        .entry((c.hierarchy_id, path))
                        .or_insert_with(|| "holds pid 1 (init)".into());
                }
            }
        }
        for h in &snap.cgroups.hierarchies {
            p.cgroups.insert(
                (h.id, "/".to_string()),
                "the root cgroup is protected".into(),
            );
        }
        p
    }

    /// Why acting on this process needs `--force`, if it does.
    pub(super) fn process(&self, row: &ProcessRow) -> Option<String> {
        if let Some(why) = self.pids.get(&row.pid) {
            return Some(why.clone());
        }
        if row.kernel_thread {
            return Some(format!("{} is a kernel thread", row.pid));
        }
        if self.session.is_some_and(|s| s == row.session) {
            return Some(format!("{} is in boxtop's terminal session", row.pid));
        }
        None
    }

    /// Why acting on this cgroup needs `--force`, if it does.
    pub(super) fn cgroup(&self, hierarchy_id: u32, path: &str) -> Option<String> {
        self.cgroups.get(&(hierarchy_id, path.to_string())).cloned()
    }
}

/// `/a/b/c` -> `/`, `/a`, `/a/b`, `/a/b/c`.
fn ancestors(path: &str) -> Vec<String> {
    let mut out = vec!["/".to_string()];
    let mut cur = String::new();
    for part in path.split('/').filter(|p| !p.is_empty()) {
        cur.push('/');
        cur.push_str(part);
        out.push(cur.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collect::Collector;
    use crate::kernel::Roots;
    use std::path::Path;

    fn fixture() -> Snapshot {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cgroup-v2");
        Collector::new(Roots::new(dir.join("proc"), dir.join("cgroup")))
            .unwrap()
            .collect(None)
            .unwrap()
    }

    #[test]
    fn ancestors_of_a_path() {
        assert_eq!(ancestors("/a/b"), ["/", "/a", "/a/b"]);
        assert_eq!(ancestors("/"), ["/"]);
    }

    #[test]
    fn boxtop_its_parents_their_cgroups_pid1_and_roots() {
        let snap = fixture();
        // As if boxtop were 401 (in the container; parent 400, whose parent is 1).
        let p = Protected::from_snapshot(&snap, 401);
        let row = |pid| snap.process(pid).unwrap();
        assert!(p.process(row(401)).unwrap().contains("boxtop itself"));
        assert!(p.process(row(400)).unwrap().contains("ancestor 400"));
        assert!(p.process(row(1)).unwrap().contains("pid 1"));
        assert!(p.process(row(2)).unwrap().contains("kernel thread"));
        assert_eq!(
            p.process(row(300)),
            None,
            "another user's process is not protected"
        );
        assert!(p.cgroup(0, "/container/box").is_some());
        assert!(p.cgroup(0, "/container").is_some(), "ancestors too");
        assert!(p.cgroup(0, "/").unwrap().contains("root"));
        // pid 1's cgroup (the parent chain reaches it) is protected; a sibling service is not.
        assert!(
            p.cgroup(0, "/user.slice/user-1000.slice/session-2.scope")
                .is_some()
        );
        assert_eq!(p.cgroup(0, "/system.slice/cron.service"), None);
    }

    #[test]
    fn the_terminal_session_is_protected() {
        let mut snap = fixture();
        // Put 300 in 401's session.
        let session = snap.process(401).unwrap().session;
        let i = snap.processes.iter().position(|r| r.pid == 300).unwrap();
        let mut row = (*snap.processes[i]).clone();
        std::sync::Arc::make_mut(&mut row.info).session = session;
        snap.processes[i] = std::sync::Arc::new(row);
        let p = Protected::from_snapshot(&snap, 401);
        assert!(
            p.process(snap.process(300).unwrap())
                .unwrap()
                .contains("terminal session")
        );
    }
}
