//! read_cgroups() on captured and hand-written cgroupfs trees (tests/fixtures/cgroup-*),
//! through `Roots`, as the CLI's --proc-root / --cgroup-root would use them.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

use boxtop::kernel::cgroupfs::read_cgroups;
use boxtop::kernel::{KernelError, Roots};
use boxtop::model::{
    CgroupMode, CgroupNode, CgroupSnapshot, FreezerState, Hierarchy, Limit, PidsStats,
};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn read(name: &str) -> CgroupSnapshot {
    let fx = fixture(name);
    read_cgroups(&Roots::new(fx.join("proc"), fx.join("cgroup"))).expect("fixture reads")
}

fn by_id(s: &CgroupSnapshot, id: u32) -> &Hierarchy {
    s.hierarchies
        .iter()
        .find(|h| h.id == id)
        .unwrap_or_else(|| panic!("hierarchy {id} missing"))
}

fn node<'a>(h: &'a Hierarchy, path: &str) -> &'a CgroupNode {
    h.cgroups
        .iter()
        .find(|c| c.path == path)
        .unwrap_or_else(|| panic!("{path} missing in {}", h.mount_point))
}

/// Shape invariants every hierarchy must meet: root first, parents before children, depth
/// and parent consistent with the path, siblings sorted.
fn check_shape(h: &Hierarchy) {
    let root = &h.cgroups[0];
    assert_eq!(
        (root.path.as_str(), root.depth, root.parent),
        ("/", 0, None)
    );
    for (i, c) in h.cgroups.iter().enumerate().skip(1) {
        let p = c.parent.expect("non-root has a parent");
        assert!(p < i, "parent after child: {}", c.path);
        let parent = &h.cgroups[p];
        assert_eq!(c.depth, parent.depth + 1, "{}", c.path);
        let expect = if parent.path == "/" {
            format!("/{}", c.name)
        } else {
            format!("{}/{}", parent.path, c.name)
        };
        assert_eq!(c.path, expect);
    }
    for (i, c) in h.cgroups.iter().enumerate() {
        let kids: Vec<&str> = h
            .cgroups
            .iter()
            .filter(|k| k.parent == Some(i))
            .map(|k| k.name.as_str())
            .collect();
        let mut sorted = kids.clone();
        sorted.sort();
        assert_eq!(kids, sorted, "children of {} not sorted", c.path);
    }
    for c in &h.cgroups {
        assert!(
            !c.path.chars().any(char::is_control),
            "unsafe path {:?}",
            c.path
        );
    }
}

#[test]
fn pure_v2_systemd_host() {
    let s = read("cgroup-v2");
    assert_eq!(s.mode, CgroupMode::V2);
    assert_eq!(s.hierarchies.len(), 1);
    let h = by_id(&s, 0);
    check_shape(h);
    assert_eq!(h.version, 2);
    assert_eq!(h.mount_point, "/sys/fs/cgroup");
    assert_eq!(
        h.controllers,
        [
            "cpuset", "cpu", "io", "memory", "hugetlb", "pids", "rdma", "misc"
        ]
    );
    // 1 root + 13 groups written by the fixture.
    assert_eq!(h.cgroups.len(), 14);
    let names: Vec<&str> = h
        .cgroups
        .iter()
        .filter(|c| c.depth == 1)
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names, ["init.scope", "system.slice", "user.slice"]);

    let root = &h.cgroups[0];
    assert_eq!(*root.pids, [2, 3, 4]);
    assert_eq!(root.populated, None, "the root has no cgroup.events");
    assert_eq!(root.freezer, None, "the root has no cgroup.freeze");
    assert_eq!(root.memory, None, "no memory.* files on the root here");
    let cpu = root.cpu.unwrap();
    assert_eq!(cpu.usage_usec, Some(9_131_223_000));
    assert_eq!(cpu.nr_periods, None, "root cpu.stat has no bandwidth keys");
    assert_eq!(cpu.cpu_percent, None);
    let psi = root.pressure.unwrap();
    assert_eq!(psi.cpu.unwrap().some.unwrap().avg10, 1.23);
    assert_eq!(psi.io.unwrap().full.unwrap().total_usec, 88_001_234);
    assert_eq!(
        root.cpuset.as_ref().unwrap().effective_cpus.as_deref(),
        Some("0-7")
    );

    let init = node(h, "/init.scope");
    assert_eq!(*init.pids, [1]);
    assert_eq!(init.populated, Some(true));
    let m = init.memory.unwrap();
    assert_eq!(m.max_bytes, Some(Limit::Max));
    assert_eq!(m.current_bytes, Some(12_189_696));
    assert_eq!(init.cpu.unwrap().quota_usec, Some(Limit::Max));

    let lim = node(h, "/system.slice/limited.service");
    let m = lim.memory.unwrap();
    assert_eq!(m.max_bytes, Some(Limit::Value(536_870_912)));
    assert_eq!(m.high_bytes, Some(Limit::Value(469_762_048)));
    assert_eq!(m.peak_bytes, Some(805_306_368));
    assert_eq!(m.swap_current_bytes, Some(0));
    assert_eq!(
        (m.oom_events, m.oom_kill_events, m.max_events, m.high_events),
        (Some(2), Some(1), Some(17), Some(40))
    );
    // Its own counts (memory.events.local): one fewer limit hit and throttle than with its
    // child's; and the swap events.
    assert_eq!(
        (m.oom_local, m.oom_kill_local, m.max_local, m.high_local),
        (Some(2), Some(1), Some(16), Some(39))
    );
    assert_eq!(
        (m.swap_high_events, m.swap_max_events, m.swap_fail_events),
        (Some(0), Some(3), Some(5))
    );
    let c = lim.cpu.unwrap();
    assert_eq!(c.quota_usec, Some(Limit::Value(50_000)));
    assert_eq!(c.period_usec, Some(100_000));
    assert_eq!(c.weight, Some(50));
    assert_eq!(
        (c.nr_periods, c.nr_throttled, c.throttled_usec),
        (Some(1200), Some(300), Some(9_000_000))
    );
    assert_eq!(
        lim.pids_limit,
        Some(PidsStats {
            current: Some(2),
            max: Some(Limit::Value(64)),
            // pids.events: three forks refused.
            max_events: Some(3),
        })
    );
    assert_eq!(lim.cpuset.as_ref().unwrap().cpus.as_deref(), Some(""));

    let frozen = node(h, "/system.slice/frozen.service");
    assert_eq!(
        frozen.freezer,
        Some(FreezerState::V2 {
            requested: Some(true),
            frozen: Some(true)
        })
    );
    let empty = node(h, "/system.slice/empty.service");
    assert_eq!(empty.populated, Some(false));
    assert!(empty.pids.is_empty());
    assert_eq!(
        empty.freezer,
        Some(FreezerState::V2 {
            requested: Some(false),
            frozen: Some(false)
        })
    );

    // Delegated sub-tree without controllers: cpu.stat core keys only, no memory.
    let app = "/user.slice/user-1000.slice/user@1000.service/app.slice";
    let spaced = node(h, &format!("{app}/my app: v2.scope"));
    assert_eq!(spaced.name, "my app: v2.scope");
    assert_eq!(*spaced.pids, [2001]);
    assert_eq!(spaced.memory, None);
    assert_eq!(spaced.pids_limit, None);
    assert_eq!(spaced.cpu.unwrap().quota_usec, None);
    assert!(spaced.pressure.is_some());
    let hostile = node(h, &format!("{app}/\\x1b]0;pwned\\x07.scope"));
    assert_eq!(*hostile.pids, [2002]);
    assert_eq!(hostile.depth, 5);
}

#[test]
fn pure_v1_with_comounted_and_named_hierarchies() {
    let s = read("cgroup-v1");
    assert_eq!(s.mode, CgroupMode::V1);
    // systemd, cpu+cpuacct, memory (mounted twice: shown once), freezer, pids, cpuset, mytools
    let ids: Vec<u32> = s.hierarchies.iter().map(|h| h.id).collect();
    assert_eq!(ids, [1, 2, 3, 4, 5, 6, 7]);
    for h in &s.hierarchies {
        assert_eq!(h.version, 1);
        check_shape(h);
    }
    let systemd = by_id(&s, 1);
    assert_eq!(systemd.name.as_deref(), Some("systemd"));
    assert!(systemd.controllers.is_empty());
    assert_eq!(systemd.cgroups.len(), 8);
    let esc = node(systemd, "/system.slice/\\x1b]0;pwned\\x07.scope");
    assert_eq!(*esc.pids, [1600]);
    assert_eq!(esc.memory, None);
    assert_eq!(esc.cpu, None);

    let cpu = by_id(&s, 2);
    assert_eq!(cpu.controllers, ["cpu", "cpuacct"]);
    assert_eq!(cpu.mount_point, "/sys/fs/cgroup/cpu,cpuacct");
    let us = node(cpu, "/user.slice").cpu.unwrap();
    assert_eq!(us.quota_usec, Some(Limit::Value(50_000)));
    assert_eq!(us.period_usec, Some(100_000));
    assert_eq!(us.weight, Some(512));
    assert_eq!(us.usage_usec, Some(5_000_000), "ns -> usec");
    assert_eq!(us.throttled_usec, Some(350_000), "ns -> usec");
    assert_eq!((us.nr_periods, us.nr_throttled), (Some(120), Some(7)));
    assert!(us.user_usec.is_some(), "from cpuacct.stat ticks");
    assert_eq!(node(cpu, "/").cpu.unwrap().quota_usec, Some(Limit::Max));

    let mem = by_id(&s, 3);
    assert_eq!(
        mem.mount_point, "/sys/fs/cgroup/memory",
        "the full mount is kept"
    );
    assert_eq!(mem.mount_root, "/");
    let root = node(mem, "/").memory.unwrap();
    assert_eq!(root.max_bytes, Some(Limit::Max), "v1 unlimited");
    let sess = node(mem, "/user.slice/user-1000.slice/session-2.scope");
    let m = sess.memory.unwrap();
    assert_eq!(m.max_bytes, Some(Limit::Value(134_217_728)));
    assert_eq!(m.current_bytes, Some(67_108_864));
    assert_eq!(m.peak_bytes, Some(130_023_424));
    assert_eq!((m.max_events, m.oom_kill_events), (Some(12), Some(1)));
    assert_eq!(
        (m.high_bytes, m.oom_events),
        (None, None),
        "v1 has no such file"
    );
    assert_eq!(sess.populated, None, "v1 has no cgroup.events");
    let odd = node(mem, "/docker/a b:c");
    assert_eq!(odd.name, "a b:c");
    assert_eq!(
        odd.memory.unwrap().max_bytes,
        Some(Limit::Value(268_435_456))
    );

    let frz = by_id(&s, 4);
    assert_eq!(
        node(frz, "/").freezer,
        None,
        "the root has no freezer.state"
    );
    assert_eq!(
        node(frz, "/jail").freezer,
        Some(FreezerState::V1 {
            state: "FROZEN".into(),
            self_freezing: Some(true),
            parent_freezing: Some(false)
        })
    );
    assert_eq!(
        node(frz, "/jail/inner").freezer,
        Some(FreezerState::V1 {
            state: "FROZEN".into(),
            self_freezing: Some(false),
            parent_freezing: Some(true)
        })
    );
    assert!(matches!(
        &node(frz, "/free").freezer,
        Some(FreezerState::V1 { state, .. }) if state == "THAWED"
    ));

    let pids = by_id(&s, 5);
    assert_eq!(node(pids, "/").pids_limit, None);
    assert_eq!(
        node(pids, "/user.slice").pids_limit.unwrap().max,
        Some(Limit::Max)
    );
    assert_eq!(
        node(pids, "/user.slice/user-1000.slice/session-2.scope").pids_limit,
        Some(PidsStats {
            current: Some(2),
            max: Some(Limit::Value(64)),
            // v1's pids.events, as the kernel writes it: no fork refused.
            max_events: Some(0),
        })
    );

    let cpuset = by_id(&s, 6);
    let pinned = node(cpuset, "/pinned").cpuset.clone().unwrap();
    assert_eq!(pinned.cpus.as_deref(), Some("2-3"));
    assert_eq!(pinned.effective_mems.as_deref(), Some("0"));

    let tools = by_id(&s, 7);
    assert_eq!(tools.name.as_deref(), Some("mytools"));
    assert_eq!(
        tools.mount_point, "/sys/fs/cgroup/my tools",
        "mountinfo \\040 undone"
    );
    assert_eq!(*node(tools, "/a: b").pids, [1500]);
}

#[test]
fn hybrid_like_this_machine() {
    let s = read("cgroup-hybrid");
    assert_eq!(s.mode, CgroupMode::Hybrid);
    let ids: Vec<(u32, u8)> = s.hierarchies.iter().map(|h| (h.id, h.version)).collect();
    assert_eq!(
        ids,
        [
            (0, 2),
            (1, 1),
            (2, 1),
            (3, 1),
            (4, 1),
            (5, 1),
            (6, 1),
            (7, 1),
            (8, 1),
            (9, 1)
        ]
    );
    for h in &s.hierarchies {
        check_shape(h);
    }
    let uni = by_id(&s, 0);
    assert_eq!(uni.mount_point, "/sys/fs/cgroup/unified");
    assert_eq!(uni.controllers, ["hugetlb"]);
    let fx = node(uni, "/boxtop fx");
    assert_eq!(*fx.pids, [4242]);
    assert_eq!(fx.populated, Some(true));
    assert_eq!(
        fx.freezer,
        Some(FreezerState::V2 {
            requested: Some(true),
            frozen: Some(true)
        })
    );
    assert_eq!(fx.memory, None, "memory is a v1 controller on this host");
    assert_eq!(
        fx.pressure.unwrap().cpu.unwrap().some.unwrap().total_usec,
        777
    );
    assert_eq!(node(uni, "/thawed").populated, Some(false));

    assert_eq!(by_id(&s, 1).controllers, ["cpu"]);
    assert_eq!(by_id(&s, 2).controllers, ["cpuacct"]);
    let mem = by_id(&s, 4);
    assert_eq!(mem.controllers, ["memory"]);
    assert_eq!(mem.cgroups.len(), 4);
    let limited = node(mem, "/process_api/836b4809978b60b2d1a0d919aa086251");
    assert_eq!(
        limited.memory.unwrap().max_bytes,
        Some(Limit::Value(536_870_912))
    );
    let own = node(mem, "/process_api/7daecaf3eeac2adb846f109fe022524f");
    assert_eq!(own.memory.unwrap().max_bytes, Some(Limit::Max));
    assert_eq!(*own.pids, [5854, 5855]);
    assert!(matches!(
        &node(by_id(&s, 6), "/boxtop-fx").freezer,
        Some(FreezerState::V1 { state, .. }) if state == "FROZEN"
    ));
    assert_eq!(
        node(by_id(&s, 8), "/boxtop-fx").pids_limit.unwrap().max,
        Some(Limit::Value(16))
    );
    let systemd = by_id(&s, 9);
    assert_eq!(systemd.name.as_deref(), Some("systemd"));
}

#[test]
fn json_shows_max_and_leaves_out_absent() {
    let s = read("cgroup-v2");
    let json = serde_json::to_value(&s).unwrap();
    let lim = &json["hierarchies"][0]["cgroups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["path"] == "/init.scope")
        .unwrap()["memory"];
    assert_eq!(lim["max_bytes"], "max");
    assert!(lim.get("oom_events").is_some());
    let root = &json["hierarchies"][0]["cgroups"][0];
    assert!(root.get("memory").is_none(), "absent, not zero");
}

#[test]
fn probe_without_mountinfo() {
    // A proc root without mountinfo: the cgroup root itself is examined.
    let empty_proc = tempfile::tempdir().unwrap();
    let v2 = fixture("cgroup-v2").join("cgroup");
    let s = read_cgroups(&Roots::new(empty_proc.path(), &v2)).unwrap();
    assert_eq!(s.mode, CgroupMode::V2);
    assert_eq!(s.hierarchies[0].cgroups.len(), 14);

    let hy = fixture("cgroup-hybrid").join("cgroup");
    let s = read_cgroups(&Roots::new(empty_proc.path(), &hy)).unwrap();
    assert_eq!(s.mode, CgroupMode::Hybrid);
    assert_eq!(s.hierarchies.len(), 10);
    let ids: std::collections::HashSet<u32> = s.hierarchies.iter().map(|h| h.id).collect();
    assert_eq!(ids.len(), 10, "ids stay unique without /proc/self/cgroup");

    // The v1 fixture's cpu and cpuacct are symlinks to cpu,cpuacct: walked once.
    let v1 = fixture("cgroup-v1").join("cgroup");
    let s = read_cgroups(&Roots::new(empty_proc.path(), &v1)).unwrap();
    assert_eq!(s.mode, CgroupMode::V1);
    assert!(
        s.hierarchies
            .iter()
            .all(|h| h.mount_point != "/sys/fs/cgroup/cpu")
    );
    assert!(
        s.hierarchies
            .iter()
            .any(|h| h.controllers == ["cpu", "cpuacct"])
    );
}

#[test]
fn a_tree_without_cgroups_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("junk")).unwrap();
    let fx = fixture("cgroup-v2");
    // The fixture's mountinfo names /sys/fs/cgroup, which maps to the (empty) root.
    let err = read_cgroups(&Roots::new(fx.join("proc"), dir.path())).unwrap_err();
    match err {
        KernelError::NotATree { path, why } => {
            assert_eq!(path, dir.path());
            assert!(why.starts_with("no cgroup filesystem under"), "{why}");
        }
        other => panic!("expected NotATree, got {other}"),
    }
}

/// cgroup v2's no-internal-process rule, on the pure v2 fixture (system.slice gives cpu, io,
/// memory and pids to its children): a move there is refused with the reason, before
/// anything is written; a leaf below it is fine. (This machine's v2 hierarchy has no
/// controller to give, so the real-kernel test of this skips here.)
#[test]
fn a_move_into_an_inner_v2_cgroup_is_refused_with_the_rule() {
    let dir = fixture("cgroup-v2");
    let roots = Roots::new(dir.join("proc"), dir.join("cgroup"));
    use boxtop::actions::{CgroupPath, Target, migrate::plan_move};
    let who = Target::process_now(&roots, 402).expect("402 is in the fixture");
    let dest = |p: &str| CgroupPath::parse(p).expect("a valid path");
    let e = plan_move(&roots, &who, Some(&dest("/system.slice")), false)
        .expect_err("refused")
        .to_string();
    assert!(e.contains("no-internal-process rule"), "{e}");
    assert!(e.contains("cpu io memory pids"), "{e}");
    let plan = plan_move(
        &roots,
        &who,
        Some(&dest("/system.slice/cron.service")),
        false,
    )
    .expect("a leaf takes it");
    assert!(plan.preview().join("\n").contains("echo 402 >"));
}
