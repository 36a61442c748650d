//! Actions on real containers (root): `boxtop freeze | thaw | limit | kill --container` on an
//! LXC container (busybox template) and a podman container (runc) that each test starts with
//! a unique name and always removes (tests/support/containers.rs), checked against the raw
//! cgroup files, `ps`, and the runtimes' own tools (lxc-cgroup, lxc-info, runc state, podman
//! inspect).
//!
//! LXC 5 and podman 4 keep their own record of a container's state (lxc-info -s, podman
//! inspect), which a freezer written behind their backs does not change: boxtop therefore
//! freezes and thaws a container its runtime knows through the runtime's own command
//! (src/actions/runtime_commands.rs), and these tests check that the kernel, the tools that
//! read it (lxc-cgroup, runc state) and the runtimes' records all agree afterwards; and that a
//! thaw still thaws a container frozen behind the runtime's back.
//!
//! The containers are started with lxc-start -d and podman run -d, in sessions of their own:
//! boxtop protects only its own terminal session. Nothing but the test's containers is acted
//! on; every member is checked to be in the container's own cgroup first.

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

use boxtop::model::{Container, Runtime, Snapshot};
use containers::{Lxc, Podman, procs_below, run, seen, text};
use live::snapshot;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

/// `boxtop ARGS` on the live host, bounded in time; it must succeed. What it printed.
fn boxtop(args: &[&str]) -> String {
    let mut all = vec![env!("CARGO_BIN_EXE_boxtop")];
    all.extend_from_slice(args);
    let out: Output = run(&all, 60);
    assert!(
        out.status.success(),
        "boxtop {args:?}: {}{}",
        text(&out),
        String::from_utf8_lossy(&out.stderr)
    );
    text(&out)
}

/// The container's own cgroup directory in each hierarchy: (version, controllers, dir).
fn own_dirs(snap: &Snapshot, c: &Container) -> Vec<(u8, Vec<String>, PathBuf)> {
    snap.cgroups
        .hierarchies
        .iter()
        .filter_map(|h| {
            let path = boxtop::collect::containers::cgroup_in(snap, c, h.id)?;
            (path != "/").then(|| {
                (
                    h.version,
                    h.controllers.clone(),
                    Path::new(&h.mount_point).join(path.trim_start_matches('/')),
                )
            })
        })
        .collect()
}

/// The runtime's freezer as the kernel has it: the container's v1 freezer cgroup where it has
/// one (LXC and runc use it there), else its v2 cgroup. (version, dir).
fn runtime_freezer(snap: &Snapshot, c: &Container) -> (u8, PathBuf) {
    let dirs = own_dirs(snap, c);
    let v1 = dirs
        .iter()
        .find(|(v, ctl, d)| *v == 1 && ctl.iter().any(|x| x == "freezer") && d.is_dir());
    let v2 = dirs.iter().find(|(v, _, _)| *v == 2);
    let (v, _, d) = v1.or(v2).expect("a freezer cgroup of its own");
    (*v, d.clone())
}

fn read(file: &Path) -> String {
    std::fs::read_to_string(file)
        .unwrap_or_else(|e| panic!("{}: {e}", file.display()))
        .trim()
        .to_string()
}

/// Frozen as the kernel says it: v1 freezer.state, v2 cgroup.events.
fn kernel_frozen(version: u8, dir: &Path) -> bool {
    if version == 1 {
        read(&dir.join("freezer.state")) == "FROZEN"
    } else {
        read(&dir.join("cgroup.events")).contains("frozen 1")
    }
}

/// The v2 cgroup's own freeze, where the container has one: frozen or not.
fn v2_frozen(snap: &Snapshot, c: &Container) -> Option<bool> {
    own_dirs(snap, c)
        .into_iter()
        .find(|(v, _, _)| *v == 2)
        .map(|(_, _, d)| read(&d.join("cgroup.events")).contains("frozen 1"))
}

/// The LXC container once boxtop sees it with exactly the kernel's members (busybox's init
/// starts its children for a moment), none of them pid 1 of this machine.
fn lxc_seen(lxc: &Lxc) -> (Snapshot, Container) {
    let init = lxc.init_pid();
    let start = Instant::now();
    loop {
        let (snap, c) = seen(Runtime::Lxc, &lxc.name, init);
        let kernel = procs_below(&containers::cgroup_dir(&snap, &c));
        if c.pids == kernel && c.pids.len() >= 2 {
            assert!(!c.pids.contains(&1), "{:?}", c.pids);
            return (snap, c);
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "boxtop {:?}, kernel {kernel:?}",
            c.pids
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn lxc_state(name: &str) -> String {
    text(&run(&["lxc-info", "-n", name, "-s", "-H"], 10))
}

fn boxtop_frozen(runtime: Runtime, id: &str) -> Option<bool> {
    snapshot()
        .containers
        .iter()
        .find(|c| c.runtime == runtime && c.id == id)
        .and_then(|c| c.measures.frozen)
}

#[test]
fn an_lxc_container_is_frozen_and_thawed_through_lxc() {
    let Some(lxc) = Lxc::start() else {
        return;
    };
    let (snap, c) = lxc_seen(&lxc);
    let (version, dir) = runtime_freezer(&snap, &c);
    let plan = boxtop(&["freeze", "--container", &lxc.name, "--dry-run"]);
    assert!(
        plan.contains(&format!("lxc-freeze -n {}", lxc.name)),
        "{plan}"
    );
    assert!(!kernel_frozen(version, &dir), "a dry run writes nothing");
    let said = boxtop(&["freeze", "--container", &lxc.name]);
    assert!(
        said.contains(&format!("Ran lxc-freeze -n {}", lxc.name)),
        "{said}"
    );
    assert!(
        said.ends_with(": frozen"),
        "the kernel's state, waited for: {said}"
    );
    assert!(kernel_frozen(version, &dir), "{}", dir.display());
    if version == 1 {
        // The runtime's freezer, not v2's: v2 would stop the processes behind LXC's back.
        assert_eq!(v2_frozen(&snap, &c), Some(false), "v2 is not written");
        let lxc_cgroup = text(&run(&["lxc-cgroup", "-n", &lxc.name, "freezer.state"], 10));
        assert_eq!(lxc_cgroup, "FROZEN");
    }
    // Every member in the frozen cgroup, as the kernel lists it; LXC's record agrees.
    assert_eq!(procs_below(&dir), c.pids);
    assert_eq!(boxtop_frozen(Runtime::Lxc, &lxc.name), Some(true));
    assert_eq!(lxc_state(&lxc.name), "FROZEN");
    let said = boxtop(&["thaw", "--container", &lxc.name]);
    assert!(said.ends_with(": thawed"), "{said}");
    assert!(!kernel_frozen(version, &dir));
    if version == 1 {
        let lxc_cgroup = text(&run(&["lxc-cgroup", "-n", &lxc.name, "freezer.state"], 10));
        assert_eq!(lxc_cgroup, "THAWED");
    }
    assert_eq!(boxtop_frozen(Runtime::Lxc, &lxc.name), Some(false));
    assert_eq!(lxc_state(&lxc.name), "RUNNING");
}

/// A freezer written behind LXC's back (as a direct write does): LXC's own unfreeze, going
/// by its record, leaves it frozen; boxtop's thaw still thaws it, and says how.
#[test]
fn a_thaw_thaws_a_container_frozen_behind_its_runtimes_back() {
    let Some(lxc) = Lxc::start() else {
        return;
    };
    let (snap, c) = lxc_seen(&lxc);
    let (version, dir) = runtime_freezer(&snap, &c);
    let (file, frozen) = if version == 1 {
        ("freezer.state", "FROZEN")
    } else {
        ("cgroup.freeze", "1")
    };
    std::fs::write(dir.join(file), frozen).unwrap();
    let start = Instant::now();
    while !kernel_frozen(version, &dir) {
        assert!(start.elapsed() < Duration::from_secs(5), "did not freeze");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(
        lxc_state(&lxc.name),
        "RUNNING",
        "LXC's record did not follow"
    );
    let said = boxtop(&["thaw", "--container", &lxc.name]);
    assert!(said.contains("a freeze it did not make"), "{said}");
    assert!(said.ends_with(": thawed"), "{said}");
    assert!(!kernel_frozen(version, &dir));
    assert_eq!(boxtop_frozen(Runtime::Lxc, &lxc.name), Some(false));
}

/// A v2 cgroup.freeze set behind LXC's back (what writing v2 on this hybrid host did before):
/// boxtop's thaw clears it as well as the runtime's freezer.
#[test]
fn a_thaw_also_clears_a_v2_freeze_made_behind_the_runtimes_back() {
    let Some(lxc) = Lxc::start() else {
        return;
    };
    let (snap, c) = lxc_seen(&lxc);
    let (version, _) = runtime_freezer(&snap, &c);
    let v2 = own_dirs(&snap, &c)
        .into_iter()
        .find(|(v, _, _)| *v == 2)
        .map(|(_, _, d)| d);
    let Some(v2) = v2.filter(|_| version == 1) else {
        eprintln!("SKIP v2 freeze behind LXC's back: not a hybrid host");
        return;
    };
    std::fs::write(v2.join("cgroup.freeze"), "1").unwrap();
    let start = Instant::now();
    while !read(&v2.join("cgroup.events")).contains("frozen 1") {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "v2 did not freeze"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let plan = boxtop(&["thaw", "--container", &lxc.name, "--dry-run"]);
    assert!(plan.contains("is frozen too"), "{plan}");
    boxtop(&["thaw", "--container", &lxc.name]);
    assert!(read(&v2.join("cgroup.events")).contains("frozen 0"));
    assert_eq!(boxtop_frozen(Runtime::Lxc, &lxc.name), Some(false));
}

#[test]
fn a_podman_container_is_frozen_and_thawed_through_podman() {
    let Some(podman) = Podman::start() else {
        return;
    };
    let (id, pid, _conmon) = podman.inspect();
    let (snap, c) = seen(Runtime::Podman, &id, pid);
    assert_eq!(c.pids, vec![pid]);
    let (version, dir) = runtime_freezer(&snap, &c);
    let runc_status = || {
        let out = text(&run(&["runc", "state", &id], 10));
        let v: serde_json::Value = serde_json::from_str(&out).expect("runc state's JSON");
        v["status"].as_str().unwrap_or("").to_string()
    };
    let podman_status = || {
        text(&run(
            &[
                "podman",
                "inspect",
                "--format",
                "{{.State.Status}}",
                &podman.name,
            ],
            30,
        ))
    };
    assert_eq!(runc_status(), "running");
    let said = boxtop(&["freeze", "--container", &podman.name]);
    assert!(
        said.contains(&format!("Ran podman pause {}", &id[..12])),
        "{said}"
    );
    assert!(said.ends_with(": frozen"), "{said}");
    assert!(kernel_frozen(version, &dir), "{}", dir.display());
    if version == 1 {
        assert_eq!(v2_frozen(&snap, &c), Some(false), "v2 is not written");
    }
    // runc reads the freezer of its own cgroup manager (v1 on a hybrid host); podman's own
    // record follows, since podman made the freeze.
    assert_eq!(runc_status(), "paused");
    assert_eq!(podman_status(), "paused");
    let said = boxtop(&["thaw", "--container", &id[..12]]);
    assert!(said.ends_with(": thawed"), "{said}");
    assert!(!kernel_frozen(version, &dir));
    assert_eq!(runc_status(), "running");
    assert_eq!(podman_status(), "running");
}

/// The limit is in the raw cgroup file of the hierarchy that has it, and LXC's own tool reads
/// the same.
#[test]
fn a_limit_on_an_lxc_container_is_in_its_cgroup_file() {
    let Some(lxc) = Lxc::start() else {
        return;
    };
    let (snap, c) = lxc_seen(&lxc);
    boxtop(&[
        "limit",
        "--container",
        &lxc.name,
        "--memory",
        "64M",
        "--pids",
        "50",
    ]);
    let dirs = own_dirs(&snap, &c);
    let find = |files: &[&str]| {
        let mut by_version: Vec<&(u8, Vec<String>, PathBuf)> = dirs.iter().collect();
        by_version.sort_by_key(|(v, _, _)| std::cmp::Reverse(*v));
        by_version
            .iter()
            .find_map(|(_, _, d)| files.iter().map(|f| d.join(f)).find(|f| f.is_file()))
            .expect("a hierarchy has the file")
    };
    let memory = find(&["memory.max", "memory.limit_in_bytes"]);
    assert_eq!(
        read(&memory),
        (64u64 << 20).to_string(),
        "{}",
        memory.display()
    );
    let pids = find(&["pids.max"]);
    assert_eq!(read(&pids), "50", "{}", pids.display());
    let name = memory.file_name().unwrap().to_string_lossy().into_owned();
    let lxc_says = text(&run(&["lxc-cgroup", "-n", &lxc.name, &name], 10));
    assert_eq!(lxc_says, (64u64 << 20).to_string());
    let measures = snapshot()
        .containers
        .into_iter()
        .find(|x| x.runtime == Runtime::Lxc && x.id == lxc.name)
        .map(|x| x.measures)
        .expect("the container");
    assert_eq!(
        measures.memory_max,
        Some(boxtop::model::Limit::Value(64 << 20))
    );
}

/// STOP and CONT to every member, one signal each (not cgroup.kill): ps shows each stopped,
/// then running again.
#[test]
fn stop_and_cont_reach_every_member_of_an_lxc_container() {
    let Some(lxc) = Lxc::start() else {
        return;
    };
    let (_, c) = lxc_seen(&lxc);
    let states = || -> Vec<String> {
        c.pids
            .iter()
            .map(|p| text(&run(&["ps", "-o", "stat=", "-p", &p.to_string()], 10)))
            .collect()
    };
    let said = boxtop(&["kill", "--container", &lxc.name, "--signal", "STOP"]);
    for pid in &c.pids {
        assert!(
            said.contains(&format!("Sent SIGSTOP to process {pid}")),
            "{said}"
        );
    }
    let start = Instant::now();
    while !states().iter().all(|s| s.starts_with('T')) {
        assert!(start.elapsed() < Duration::from_secs(5), "{:?}", states());
        std::thread::sleep(Duration::from_millis(20));
    }
    boxtop(&["kill", "--container", &lxc.name, "--signal", "CONT"]);
    let start = Instant::now();
    while states().iter().any(|s| s.starts_with('T')) {
        assert!(start.elapsed() < Duration::from_secs(5), "{:?}", states());
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(lxc_state(&lxc.name), "RUNNING");
}

/// SIGKILL to a container ends every member (through its v2 cgroup.kill where it has one):
/// none is left in ps or in the kernel's cgroup.procs, and LXC sees it stopped.
#[test]
fn kill_ends_every_member_of_an_lxc_container() {
    let Some(lxc) = Lxc::start() else {
        return;
    };
    let (snap, c) = lxc_seen(&lxc);
    let dir = containers::cgroup_dir(&snap, &c);
    // Looked at before: LXC removes the container's cgroups once it has stopped.
    let has_kill_file = own_dirs(&snap, &c)
        .iter()
        .any(|(v, _, d)| *v == 2 && d.join("cgroup.kill").is_file());
    let said = boxtop(&["kill", "--container", &lxc.name, "--signal", "KILL"]);
    if has_kill_file {
        assert!(said.contains("cgroup.kill"), "{said}");
    } else {
        assert!(said.contains("Sent SIGKILL"), "{said}");
    }
    let pids: Vec<String> = c.pids.iter().map(i32::to_string).collect();
    let start = Instant::now();
    loop {
        let ps = text(&run(&["ps", "-o", "pid=", "-p", &pids.join(",")], 10));
        let left = procs_below(&dir);
        if ps.is_empty() && left.is_empty() {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "still there: ps {ps:?}, cgroup.procs {left:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let start = Instant::now();
    while lxc_state(&lxc.name) != "STOPPED" {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "lxc-info: {}",
            lxc_state(&lxc.name)
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// SIGKILL to a podman container: its process ends, and podman sees it exited.
#[test]
fn kill_ends_a_podman_container() {
    let Some(podman) = Podman::start() else {
        return;
    };
    let (id, pid, conmon) = podman.inspect();
    let (_, c) = seen(Runtime::Podman, &id, pid);
    assert!(!c.pids.contains(&conmon), "conmon is not a member");
    boxtop(&["kill", "--container", &podman.name, "--signal", "KILL"]);
    let start = Instant::now();
    loop {
        let status = text(&run(
            &[
                "podman",
                "inspect",
                "--format",
                "{{.State.Status}}",
                &podman.name,
            ],
            30,
        ));
        let alive = !text(&run(&["ps", "-o", "pid=", "-p", &pid.to_string()], 10)).is_empty();
        if status == "exited" && !alive {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "podman says {status}, process alive: {alive}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}
