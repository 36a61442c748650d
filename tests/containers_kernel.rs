//! Real containers (root): an LXC container and a podman container that the test starts with
//! unique names and always removes, named and grouped by boxtop with no runtime API, and
//! cross-checked against the runtimes' own tools (lxc-info, lxc-ls, podman inspect) and the
//! kernel's cgroup.procs. The runtimes' monitors (lxc-start's, conmon) are not members.
//!
//! Needs lxc, busybox-static, podman and runc (`.ci/run` installs them); without one, or
//! without root, each test says SKIP and passes. This machine has no network bridge: the LXC
//! container gets `lxc.net.0.type = empty`, the podman one `--network none`.

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

use boxtop::model::{NameSource, Runtime};
use containers::{Lxc, Podman, cgroup_dir, procs_below, run, seen, text, unique};
use live::{have_tool, snapshot};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

#[test]
fn an_lxc_container_is_named_with_exactly_its_processes() {
    let Some(lxc) = Lxc::start() else {
        return;
    };
    let init = lxc.init_pid();
    // busybox's init is still starting its children for a moment: compare boxtop's members
    // with the kernel's list read right after, once the two agree (bounded), so that a
    // process started between the two reads is not taken for a wrong member.
    let start = Instant::now();
    let (snap, c) = loop {
        let (snap, c) = seen(Runtime::Lxc, &lxc.name, init);
        if c.pids == procs_below(&cgroup_dir(&snap, &c))
            || start.elapsed() > Duration::from_secs(10)
        {
            break (snap, c);
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    assert_eq!(
        (c.name.as_str(), c.name_source),
        (lxc.name.as_str(), NameSource::CgroupPath)
    );
    assert_eq!(
        c.cgroup.as_deref(),
        Some(format!("/lxc.payload.{}", lxc.name).as_str())
    );
    assert_eq!(c.main_pid, init, "lxc-info's PID is its init");
    // Exactly what the kernel has in the payload cgroup (busybox's init starts a few).
    assert_eq!(c.pids, procs_below(&cgroup_dir(&snap, &c)));
    assert!(c.pids.len() >= 2, "init and its children: {:?}", c.pids);
    // lxc-start's monitor, in lxc.monitor.NAME, is not a member.
    let monitor_path = format!("/lxc.monitor.{}", lxc.name);
    let monitors: Vec<i32> = snap
        .processes
        .iter()
        .filter(|p| p.cgroups.iter().any(|g| g.path == monitor_path))
        .map(|p| p.pid)
        .collect();
    assert!(!monitors.is_empty(), "the monitor runs in {monitor_path}");
    assert!(
        monitors.iter().all(|m| !c.pids.contains(m)),
        "{monitors:?} in {:?}",
        c.pids
    );
    // Its own pid, mount, uts and ipc namespaces, as the kernel links them.
    let row = snap.process(init).expect("its init");
    for kind in [
        boxtop::model::NsKind::Pid,
        boxtop::model::NsKind::Mnt,
        boxtop::model::NsKind::Uts,
    ] {
        assert_eq!(
            c.namespaces.get(kind.file_name()).copied(),
            row.namespaces.get(kind)
        );
    }
    // pids.current as the kernel counts it, in the first hierarchy that has the file.
    let pids_file = snap
        .cgroups
        .hierarchies
        .iter()
        .map(|h| Path::new(&h.mount_point).join(format!("lxc.payload.{}/pids.current", lxc.name)))
        .find(|f| f.is_file())
        .expect("a pids hierarchy holds the container");
    let pids_now: u64 = std::fs::read_to_string(&pids_file)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert_eq!(
        c.measures.pids_current,
        Some(pids_now),
        "{}",
        pids_file.display()
    );
    assert_eq!(c.measures.frozen, Some(false));
    // The working set, from its memory.stat, is at most its usage; its block I/O counters
    // are there (the busybox container has done no I/O of note: they may be 0, not absent).
    let ws = c.measures.memory_working_set_bytes.expect("a working set");
    assert!(ws <= c.measures.memory_current_bytes.expect("a usage"));
    assert!(c.measures.disk_read_bytes.is_some() && c.measures.disk_write_bytes.is_some());
    // lxc-freeze: boxtop sees it frozen at the next snapshot; lxc-unfreeze undoes it.
    let frozen_as = |want: bool| {
        let start = Instant::now();
        loop {
            let snap = snapshot();
            let now = snap
                .containers
                .iter()
                .find(|x| x.runtime == Runtime::Lxc && x.id == lxc.name)
                .and_then(|x| x.measures.frozen);
            if now == Some(want) {
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(5),
                "frozen {now:?}, want {want}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    assert!(run(&["lxc-freeze", "-n", &lxc.name], 30).status.success());
    frozen_as(true);
    let state = text(&run(&["lxc-info", "-n", &lxc.name, "-s"], 10));
    assert!(state.contains("FROZEN"), "{state}");
    // `boxtop containers` says so too, on the container's line.
    let table = Command::new(env!("CARGO_BIN_EXE_boxtop"))
        .args(["containers", "--cpu-sample-ms", "0"])
        .output()
        .expect("boxtop containers");
    let table = String::from_utf8_lossy(&table.stdout);
    let line = table
        .lines()
        .find(|l| l.split_whitespace().next() == Some(lxc.name.as_str()))
        .unwrap_or_else(|| panic!("{table}"));
    let cells: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(
        (cells[1], cells[2], cells[3]),
        ("lxc", lxc.name.as_str(), "frozen"),
        "{line}"
    );
    assert!(run(&["lxc-unfreeze", "-n", &lxc.name], 30).status.success());
    frozen_as(false);
    // lxc-ls lists it running, under the same name.
    let listed = text(&run(&["lxc-ls", "-f", "-F", "NAME,STATE"], 10));
    assert!(
        listed
            .lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == [lxc.name.as_str(), "RUNNING"]),
        "{listed}"
    );
}

#[test]
fn a_podman_container_is_named_with_exactly_its_processes() {
    let Some(podman) = Podman::start() else {
        return;
    };
    let (id, pid, conmon) = podman.inspect();
    let (snap, c) = seen(Runtime::Podman, &id, pid);
    assert_eq!(
        c.pids,
        vec![pid],
        "sleep alone; conmon {conmon} is not a member"
    );
    assert_eq!(c.pids, procs_below(&cgroup_dir(&snap, &c)));
    assert_eq!(c.main_pid, pid);
    assert!(
        c.cgroup
            .as_deref()
            .is_some_and(|p| p.contains(&format!("libpod-{id}")))
    );
    // Named as podman names it, from its storage's containers.json (no podman command, no
    // socket); podman ps shows the same name and 12 characters of the id.
    assert_eq!(
        (c.name.as_str(), c.name_source),
        (podman.name.as_str(), NameSource::PodmanStorage)
    );
    assert_eq!(c.short_id(), &id[..12]);
    let ps = text(&run(
        &["podman", "ps", "--format", "{{.ID}} {{.Names}}"],
        30,
    ));
    assert!(
        ps.lines()
            .any(|l| l == format!("{} {}", &id[..12], podman.name)),
        "{ps}"
    );
}

/// A network namespace the test makes for the far end of a veth pair; deleted on drop (its
/// end of the pair goes with it, and so does the container's).
struct PeerNetns(String);

impl Drop for PeerNetns {
    fn drop(&mut self) {
        let _ = run(&["ip", "netns", "del", &self.0], 10);
    }
}

/// One interface's counters as the container's own namespace shows them, read through
/// nsenter (not boxtop): (rx bytes, rx packets, tx bytes, tx packets).
fn counters_in(pid: i32, iface: &str) -> (u64, u64, u64, u64) {
    let dev = text(&run(
        &[
            "nsenter",
            "-t",
            &pid.to_string(),
            "-n",
            "cat",
            "/proc/net/dev",
        ],
        10,
    ));
    let line = dev
        .lines()
        .find_map(|l| l.trim_start().strip_prefix(&format!("{iface}:")))
        .unwrap_or_else(|| panic!("{iface} in {dev}"));
    let f: Vec<u64> = line
        .split_whitespace()
        .map(|v| v.parse().unwrap())
        .collect();
    (f[0], f[1], f[8], f[9])
}

/// Traffic into the container, and boxtop's counters of its network namespace: a veth pair
/// between the container's network namespace and one the test makes (never the host's),
/// link-local IPv6 only, a bounded number of pings. boxtop's counters lie between two
/// readings of the container's own /proc/net/dev taken before and after it, and its rate
/// over two refreshes with pings between them is not zero.
#[test]
fn an_lxc_containers_network_counters_match_its_own_namespace() {
    if !["ip", "nsenter", "ping"].iter().all(|t| have_tool(t)) {
        return;
    }
    let Some(lxc) = Lxc::start() else {
        return;
    };
    let init = lxc.init_pid();
    traffic_is_counted(init, Runtime::Lxc, &lxc.name);
}

#[test]
fn a_podman_containers_network_counters_match_its_own_namespace() {
    if !["ip", "nsenter", "ping"].iter().all(|t| have_tool(t)) {
        return;
    }
    let Some(podman) = Podman::start() else {
        return;
    };
    let (id, pid, _conmon) = podman.inspect();
    seen(Runtime::Podman, &id, pid);
    traffic_is_counted(pid, Runtime::Podman, &id);
}

/// Traffic into the container `id` of `runtime`, whose process `init` is in its network
/// namespace: a veth pair between that namespace and one the test makes (never the host's),
/// link-local IPv6, a bounded number of pings; boxtop's counters of the interface lie between
/// two reads of the container's own /proc/net/dev through nsenter, and a second refresh has a
/// receive rate.
fn traffic_is_counted(init: i32, runtime: Runtime, id: &str) {
    let peer = PeerNetns(unique("boxtop-t"));
    let pid = init.to_string();
    let (near, far) = ("bxt0", "bxt1");
    let ok = |args: &[&str]| {
        let o = run(args, 20);
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    };
    ok(&["ip", "netns", "add", &peer.0]);
    // Made inside the peer namespace, then one end moved into the container's: no end is
    // ever in the host's network namespace.
    ok(&[
        "ip", "netns", "exec", &peer.0, "ip", "link", "add", far, "type", "veth", "peer", "name",
        near,
    ]);
    ok(&[
        "ip", "netns", "exec", &peer.0, "ip", "link", "set", near, "netns", &pid,
    ]);
    ok(&[
        "ip", "netns", "exec", &peer.0, "ip", "link", "set", far, "up",
    ]);
    ok(&["nsenter", "-t", &pid, "-n", "ip", "link", "set", near, "up"]);
    // The container end's link-local address, once it is no longer tentative.
    let start = Instant::now();
    let addr = loop {
        let shown = text(&run(
            &[
                "nsenter", "-t", &pid, "-n", "ip", "-6", "-o", "addr", "show", "dev", near,
                "scope", "link",
            ],
            10,
        ));
        let found = shown
            .split_whitespace()
            .skip_while(|w| *w != "inet6")
            .nth(1)
            .and_then(|a| a.split('/').next())
            .filter(|_| !shown.contains("tentative"))
            .map(str::to_string);
        if let Some(a) = found {
            break a;
        }
        if start.elapsed() > Duration::from_secs(10) {
            eprintln!("SKIP container network: no link-local address on {near}: {shown}");
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let ping = |n: &str| {
        run(
            &[
                "ip",
                "netns",
                "exec",
                &peer.0,
                "ping",
                "-6",
                "-c",
                n,
                "-i",
                "0.05",
                "-W",
                "1",
                &format!("{addr}%{far}"),
            ],
            30,
        )
    };
    let pinged = ping("20");
    let said = text(&pinged);
    // "20 packets transmitted, 19 received": the first may go while neighbour discovery
    // runs; each reply the peer got is a request the container received and answered.
    let received: u64 = said
        .split(", ")
        .find_map(|part| part.strip_suffix(" received"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0);
    assert!(
        received > 0,
        "ping: {said}{}",
        String::from_utf8_lossy(&pinged.stderr)
    );
    let before = counters_in(init, near);
    let snap = snapshot();
    let after = counters_in(init, near);
    let c = snap
        .containers
        .iter()
        .find(|c| c.runtime == runtime && c.id == id)
        .expect("the container");
    let net = c.network.as_ref().expect("its network");
    assert!(!net.shared_with_host);
    let i = net
        .interfaces
        .iter()
        .find(|i| i.name == near)
        .unwrap_or_else(|| panic!("{near} in {:?}", net.interfaces));
    let seen = (i.rx_bytes, i.rx_packets, i.tx_bytes, i.tx_packets);
    assert!(
        before.0 <= seen.0 && seen.0 <= after.0,
        "rx {before:?} {seen:?} {after:?}"
    );
    assert!(
        before.2 <= seen.2 && seen.2 <= after.2,
        "tx {before:?} {seen:?} {after:?}"
    );
    assert!(
        seen.1 >= received && seen.3 >= received,
        "{received} echo requests in and replies out: {seen:?}"
    );
    // A rate, over two refreshes of one collector with pings between them.
    let mut collector = boxtop::collect::Collector::new(boxtop::kernel::Roots::live()).unwrap();
    collector.collect(None).unwrap();
    assert!(ping("10").status.success());
    let snap = collector.collect(None).unwrap();
    let rate = snap
        .containers
        .iter()
        .find(|c| c.runtime == runtime && c.id == id)
        .and_then(|c| c.network.as_ref()?.rx_bytes_per_sec)
        .expect("a receive rate on the second refresh");
    assert!(rate > 0.0, "{rate}");
}
