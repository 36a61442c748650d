//! `boxtop serve`'s collection, which reads processes only where a metric needs them, finds
//! what the dashboard's full collection finds on this machine: the same containers (a real
//! LXC and podman container where they run, and a sandbox of the test's own made with
//! `unshare`), with the same members, main process, cgroup and interfaces, and the same
//! count of processes and of namespaces of each type. Where the host changes between the
//! two readings (other tests start processes), the comparison is made again, a bounded
//! number of times.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

#[path = "support/containers.rs"]
mod containers;
#[path = "support/live.rs"]
mod live;

use boxtop::collect::Collector;
use boxtop::collect::export_collector::ExportCollector;
use boxtop::kernel::Roots;
use boxtop::model::{Runtime, Snapshot};
use containers::{Lxc, Podman, seen};
use std::collections::BTreeMap;
use std::process::{Child, Command, Stdio};

/// What both collections must agree on.
#[derive(Debug, PartialEq)]
struct Seen {
    containers: BTreeMap<(Runtime, String), String>,
    processes: usize,
    namespaces: BTreeMap<&'static str, usize>,
}

fn seen_in(snap: &Snapshot) -> Seen {
    let containers = snap
        .containers
        .iter()
        .map(|c| {
            let mut pids = c.pids.clone();
            pids.sort_unstable();
            let interfaces: Vec<&str> = c
                .network
                .iter()
                .flat_map(|n| n.interfaces.iter().map(|i| i.name.as_str()))
                .collect();
            (
                (c.runtime, c.id.clone()),
                format!(
                    "name {} ({:?}) main {} pids {pids:?} cgroup {:?} interfaces {interfaces:?}",
                    c.name, c.name_source, c.main_pid, c.cgroup
                ),
            )
        })
        .collect();
    let mut namespaces = BTreeMap::new();
    for ns in &snap.namespaces {
        *namespaces.entry(ns.kind.file_name()).or_default() += 1;
    }
    Seen {
        containers,
        processes: snap.processes.len(),
        namespaces,
    }
}

/// A sandbox of the test's own: a `sleep` in new net and uts namespaces, in a session of
/// its own. Killed and reaped on drop.
struct Sandbox(Child);

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_exporters_collection_finds_what_the_dashboards_finds() {
    if !nix::unistd::geteuid().is_root() {
        eprintln!("skip: not root (the full picture needs every process's files)");
        return;
    }
    let _lxc = Lxc::start();
    let podman = Podman::start();
    let sandbox = Command::new("setsid")
        .args(["unshare", "--net", "--uts", "sleep", "300"])
        .stdin(Stdio::null())
        .spawn()
        .map(Sandbox);
    let Ok(sandbox) = sandbox else {
        eprintln!("skip: unshare cannot be started here");
        return;
    };
    // setsid execs unshare (the child is no group leader), which unshares and execs sleep.
    let pid = i32::try_from(sandbox.0.id()).unwrap();
    if let Some(p) = &podman {
        let (id, main, _) = p.inspect();
        seen(Runtime::Podman, &id, main);
    }
    let roots = Roots::live();
    let mut full = Collector::new(roots.clone()).unwrap();
    let start = std::time::Instant::now();
    while !full
        .collect(None)
        .unwrap()
        .containers
        .iter()
        .any(|c| c.runtime == Runtime::Sandbox && c.pids.contains(&pid))
    {
        assert!(
            start.elapsed().as_secs() < 10,
            "the sandbox {pid} is never seen"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let mut export = ExportCollector::new(roots).unwrap();
    let counters = |_: &str, depth: usize| depth <= 2;
    let mut last = None;
    for _ in 0..20 {
        let a = seen_in(&export.collect(&counters).unwrap());
        let b = seen_in(&full.collect(None).unwrap());
        let c = seen_in(&export.collect(&counters).unwrap());
        if a == b || b == c {
            eprintln!("both readings agree: {b:#?}");
            let sandboxes = b.containers.keys().filter(|(r, _)| *r == Runtime::Sandbox);
            assert!(sandboxes.count() >= 1, "{b:#?}");
            return;
        }
        last = Some((b, c));
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    let (b, c) = last.unwrap();
    assert_eq!(
        c, b,
        "the exporter's reading (left) against the dashboard's"
    );
}
