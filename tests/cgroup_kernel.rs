//! read_cgroups() against the real kernel (root only). The test creates its own cgroups,
//! named `boxtop-test-<pid>-<n>`, as children of the cgroups this test process is in (per
//! /proc/self/cgroup, in each hierarchy it uses), puts its own `sleep` child in them, writes
//! limits and freezes, and checks that boxtop's snapshot shows exactly that, cross-checked
//! against the raw files and, where it works, systemd-cgls.
//!
//! It never writes to a cgroup it did not create and never acts on a process it did not
//! start. A Drop guard thaws, kills and reaps the child and removes the cgroups (children
//! first), even when an assertion fails.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

use boxtop::kernel::Roots;
use boxtop::kernel::cgroupfs::read_cgroups;
use boxtop::model::{CgroupNode, CgroupSnapshot, FreezerState, Hierarchy, Limit};

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[path = "support/own_cgroups.rs"]
mod own;

use own::{Guard, make, raw};

fn find<'a>(snap: &'a CgroupSnapshot, pick: &dyn Fn(&Hierarchy) -> bool) -> Option<&'a Hierarchy> {
    snap.hierarchies.iter().find(|h| pick(h))
}

fn node<'a>(h: &'a Hierarchy, rel: &str) -> &'a CgroupNode {
    h.cgroups
        .iter()
        .find(|c| c.path == rel)
        .unwrap_or_else(|| panic!("{rel} not in the snapshot of {}", h.mount_point))
}

#[test]
fn own_cgroups_show_our_child_limits_and_freezer() {
    if !nix::unistd::geteuid().is_root() {
        eprintln!("skip: not root (creating cgroups needs root)");
        return;
    }
    let roots = Roots::live();
    let before = match read_cgroups(&roots) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("skip: no cgroup filesystem here: {e}");
            return;
        }
    };
    let v1 = |c: &'static str| {
        move |h: &Hierarchy| h.version == 1 && h.controllers.iter().any(|x| x == c)
    };
    let memory = find(&before, &v1("memory")).cloned();
    let pids = find(&before, &v1("pids")).cloned();
    let cpu = find(&before, &v1("cpu")).cloned();
    let freezer = find(&before, &v1("freezer")).cloned();
    let unified = find(&before, &|h| h.version == 2).cloned();
    for (what, h) in [
        ("v1 memory", &memory),
        ("v1 pids", &pids),
        ("v1 cpu", &cpu),
        ("v1 freezer", &freezer),
        ("cgroup2", &unified),
    ] {
        if h.is_none() {
            eprintln!("note: no {what} hierarchy here; that part is skipped");
        }
    }

    let mut guard = Guard::default();
    // Two children: one task frozen by the v1 freezer never reaches the v2 "frozen" state
    // on this kernel (it sits in the v1 refrigerator, not in the v2 freezer trap), so the
    // v1 freezer gets a child of its own.
    let spawn = |guard: &mut Guard| {
        let child = Command::new("sleep")
            .arg("300")
            .stdin(Stdio::null())
            .spawn()
            .expect("spawn sleep");
        let pid = i32::try_from(child.id()).unwrap();
        guard.children.push(child);
        pid
    };
    let pid = spawn(&mut guard);
    let frozen_v1_pid = spawn(&mut guard);

    // Create, move the child in, write the limit; remember (hierarchy, group index).
    let mut made: Vec<(Hierarchy, usize, i32)> = Vec::new();
    let mut setup =
        |h: &Option<Hierarchy>, pid: i32, writes: &[(&str, &str)], guard: &mut Guard| {
            let Some(h) = h else { return };
            let Some(i) = make(h, guard) else {
                eprintln!("skip {}: cannot create a cgroup there", h.mount_point);
                return;
            };
            let dir = guard.groups[i].dir.clone();
            std::fs::write(dir.join("cgroup.procs"), pid.to_string()).expect("move our child");
            for (file, value) in writes {
                std::fs::write(dir.join(file), value).unwrap_or_else(|e| panic!("{file}: {e}"));
            }
            made.push((h.clone(), i, pid));
        };
    setup(
        &memory,
        pid,
        &[("memory.limit_in_bytes", "67108864")],
        &mut guard,
    );
    setup(&pids, pid, &[("pids.max", "16")], &mut guard);
    setup(&cpu, pid, &[("cpu.cfs_quota_us", "25000")], &mut guard);
    setup(
        &freezer,
        frozen_v1_pid,
        &[("freezer.state", "FROZEN")],
        &mut guard,
    );
    setup(&unified, pid, &[("cgroup.freeze", "1")], &mut guard);

    // Freezing is asynchronous: wait until the kernel says so, at most 3 s.
    let deadline = Instant::now() + Duration::from_secs(3);
    for (h, i, _) in &made {
        let dir = &guard.groups[*i].dir;
        while Instant::now() < deadline {
            let done = match h.version {
                2 => raw(dir, "cgroup.events").contains("frozen 1"),
                _ if h.controllers.iter().any(|c| c == "freezer") => {
                    raw(dir, "freezer.state") == "FROZEN"
                }
                _ => true,
            };
            if done {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    let snap = read_cgroups(&roots).expect("live read");
    for (h, i, pid) in &made {
        let pid = *pid;
        let g = &guard.groups[*i];
        let sh = snap
            .hierarchies
            .iter()
            .find(|x| x.id == h.id)
            .expect("hierarchy still there");
        let n = node(sh, &g.rel);
        assert_eq!(*n.pids, [pid], "{}: our child, and only it", g.rel);
        assert_eq!(raw(&g.dir, "cgroup.procs"), pid.to_string());
        let parent = &sh.cgroups[n.parent.expect("has a parent")];
        assert!(
            g.rel.starts_with(&parent.path),
            "parent of {} is {}",
            g.rel,
            parent.path
        );
        let c = |name: &str| h.controllers.iter().any(|x| x == name);
        if h.version == 2 {
            assert_eq!(n.populated, Some(true));
            assert_eq!(
                n.freezer,
                Some(FreezerState::V2 {
                    requested: Some(true),
                    frozen: Some(true)
                })
            );
            assert!(raw(&g.dir, "cgroup.events").contains("frozen 1"));
        } else if c("memory") {
            let m = n.memory.expect("memory stats");
            assert_eq!(m.max_bytes, Some(Limit::Value(64 << 20)));
            assert_eq!(raw(&g.dir, "memory.limit_in_bytes"), "67108864");
            assert!(m.current_bytes.is_some() && m.peak_bytes.is_some());
            assert_eq!(m.oom_kill_events, Some(0));
        } else if c("pids") {
            let p = n.pids_limit.expect("pids stats");
            assert_eq!(p.max, Some(Limit::Value(16)));
            assert_eq!(
                p.current.map(|v| v.to_string()),
                Some(raw(&g.dir, "pids.current"))
            );
            assert_eq!(p.current, Some(1));
        } else if c("cpu") {
            let cpu = n.cpu.expect("cpu stats");
            assert_eq!(cpu.quota_usec, Some(Limit::Value(25_000)));
            assert_eq!(
                cpu.period_usec.map(|v| v.to_string()),
                Some(raw(&g.dir, "cpu.cfs_period_us"))
            );
            assert_eq!(
                cpu.weight.map(|v| v.to_string()),
                Some(raw(&g.dir, "cpu.shares"))
            );
        } else if c("freezer") {
            assert_eq!(
                n.freezer,
                Some(FreezerState::V1 {
                    state: "FROZEN".into(),
                    self_freezing: Some(true),
                    parent_freezing: Some(false)
                })
            );
        }
        // /proc/<child>/cgroup agrees on where the child is.
        let proc_cg = std::fs::read_to_string(roots.pid_file(pid, "cgroup")).unwrap_or_default();
        assert!(
            proc_cg
                .lines()
                .any(|l| l.starts_with(&format!("{}:", h.id)) && l.ends_with(&g.rel)),
            "/proc/{pid}/cgroup has no {}:...:{} in\n{proc_cg}",
            h.id,
            g.rel
        );
    }

    cross_check_systemd_cgls(&made, &guard);
    eprintln!(
        "checked {} own cgroups with children {pid} and {frozen_v1_pid}",
        made.len()
    );
}

/// systemd-cgls lists a cgroup's processes; on this machine it reads the unified (or the
/// name=systemd) hierarchy. It needs no running systemd for a path, but may still fail.
fn cross_check_systemd_cgls(made: &[(Hierarchy, usize, i32)], guard: &Guard) {
    let Some((_, i, pid)) = made.iter().find(|(h, _, _)| h.version == 2) else {
        eprintln!("skip systemd-cgls: no cgroup2 group of ours");
        return;
    };
    let rel = &guard.groups[*i].rel;
    let out = match Command::new("systemd-cgls")
        .args(["--no-pager", "--full", rel])
        .output()
    {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).into_owned(),
        Ok(o) => {
            eprintln!(
                "skip systemd-cgls: it failed here ({})",
                String::from_utf8_lossy(&o.stderr).trim()
            );
            return;
        }
        Err(e) => {
            eprintln!("skip systemd-cgls: not usable ({e})");
            return;
        }
    };
    assert!(
        out.lines()
            .any(|l| l.contains(&pid.to_string()) && l.contains("sleep")),
        "systemd-cgls {rel} does not list our child {pid}:\n{out}"
    );
    eprintln!("systemd-cgls agrees: {rel} holds {pid}");
}

/// boxtop's own planned writes (kernel::cgroupfs::write) on cgroups this test created:
/// what they write is what read_cgroups() then shows, and what the raw files say.
#[test]
fn planned_writes_change_what_boxtop_reads() {
    use boxtop::actions::limits::{parse_pids, parse_size};
    use boxtop::kernel::cgroupfs::write::{plan_freeze, plan_memory_max, plan_pids_max};
    if !nix::unistd::geteuid().is_root() {
        eprintln!("SKIP planned writes: needs root");
        return;
    }
    let roots = Roots::live();
    let before = read_cgroups(&roots).expect("cgroups");
    let mut guard = Guard::default();
    let memory = find(&before, &|h| {
        h.version == 1 && h.controllers.iter().any(|c| c == "memory")
    });
    let pids = find(&before, &|h| {
        h.version == 1 && h.controllers.iter().any(|c| c == "pids")
    });
    let unified = find(&before, &|h| h.version == 2);
    let (Some(memory), Some(pids), Some(unified)) = (memory, pids, unified) else {
        eprintln!("SKIP planned writes: needs v1 memory and pids and a cgroup2 mount");
        return;
    };
    let (Some(m), Some(p), Some(u)) = (
        make(memory, &mut guard),
        make(pids, &mut guard),
        make(unified, &mut guard),
    ) else {
        eprintln!("SKIP planned writes: could not create test cgroups");
        return;
    };
    // A child of ours in the v2 group, to be frozen.
    let child = Command::new("sleep")
        .arg("300")
        .stdin(Stdio::null())
        .spawn()
        .expect("sleep");
    let pid = i32::try_from(child.id()).unwrap();
    guard.children.push(child);
    std::fs::write(guard.groups[u].dir.join("cgroup.procs"), pid.to_string()).expect("move child");

    let mem = plan_memory_max(&guard.groups[m].dir, 1, parse_size("48M").unwrap());
    assert_eq!(mem.new, "50331648");
    mem.apply().expect("memory limit");
    plan_pids_max(&guard.groups[p].dir, parse_pids("12").unwrap())
        .apply()
        .expect("pids.max");
    let freeze = plan_freeze(&guard.groups[u].dir, 2, true);
    assert_eq!(freeze.old.as_deref(), Some("0"));
    freeze.apply().expect("freeze");
    let deadline = Instant::now() + Duration::from_secs(3);
    while !raw(&guard.groups[u].dir, "cgroup.events").contains("frozen 1")
        && Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(20));
    }

    let snap = read_cgroups(&roots).expect("cgroups");
    let h = |id| {
        snap.hierarchies
            .iter()
            .find(|h| h.id == id)
            .expect("hierarchy")
    };
    let mnode = node(h(memory.id), &guard.groups[m].rel);
    assert_eq!(
        mnode.memory.and_then(|x| x.max_bytes),
        Some(Limit::Value(48 << 20))
    );
    assert_eq!(
        raw(&guard.groups[m].dir, "memory.limit_in_bytes"),
        "50331648"
    );
    let pnode = node(h(pids.id), &guard.groups[p].rel);
    assert_eq!(pnode.pids_limit.and_then(|x| x.max), Some(Limit::Value(12)));
    let unode = node(h(unified.id), &guard.groups[u].rel);
    assert_eq!(
        unode.freezer,
        Some(FreezerState::V2 {
            requested: Some(true),
            frozen: Some(true)
        }),
        "requested and effective"
    );
    // Thaw through the same planner, and the kernel says so.
    plan_freeze(&guard.groups[u].dir, 2, false)
        .apply()
        .expect("thaw");
    let deadline = Instant::now() + Duration::from_secs(3);
    while !raw(&guard.groups[u].dir, "cgroup.events").contains("frozen 0")
        && Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(raw(&guard.groups[u].dir, "cgroup.events").contains("frozen 0"));
}

/// A reader that keeps the control files open (the dashboard's and `boxtop serve`'s) sees
/// members come and go at once, in every hierarchy (a v1 member list read again through the
/// same descriptor within a second is the old one), and a cgroup that was removed and made
/// again under the same name as the new one: the old descriptors fail with ENODEV and are
/// replaced; files of cgroups no longer there are closed.
#[test]
fn kept_files_follow_members_and_a_cgroup_removed_and_made_again() {
    if !nix::unistd::geteuid().is_root() {
        eprintln!("skip: not root (creating cgroups needs root)");
        return;
    }
    let roots = Roots::live();
    let Ok(before) = read_cgroups(&roots) else {
        eprintln!("skip: no cgroup filesystem here");
        return;
    };
    // Every hierarchy but systemd's named one (its tree is systemd's own business).
    for h in before.hierarchies.iter().filter(|h| h.name.is_none()) {
        kept_files_follow(&roots, h);
    }
}

fn kept_files_follow(roots: &Roots, h: &Hierarchy) {
    use boxtop::kernel::cgroupfs::{Reading, files::FileReader, read_cgroups_with};
    let mut guard = Guard::default();
    let Some(g) = make(h, &mut guard) else {
        eprintln!("note: no cgroup of the test's own in {}", h.mount_point);
        return;
    };
    let (dir, rel) = (guard.groups[g].dir.clone(), guard.groups[g].rel.clone());
    let mut reader = FileReader::keeping();
    let members = |reader: &mut FileReader| -> Option<Vec<i32>> {
        reader.begin_pass();
        let snap = read_cgroups_with(roots, None, reader, &|_| Reading::ALL).unwrap();
        reader.end_pass();
        let h = snap.hierarchies.iter().find(|x| x.id == h.id)?;
        h.cgroups
            .iter()
            .find(|c| c.path == rel)
            .map(|c| c.pids.to_vec())
    };
    let first = own::own_sleep(&mut guard);
    // A v1 cpuset cgroup takes no task before its cpus and mems are set (ENOSPC).
    if let Err(e) = std::fs::write(dir.join("cgroup.procs"), first.to_string()) {
        eprintln!("note: {} takes no member here: {e}", h.mount_point);
        return;
    }
    assert_eq!(
        members(&mut reader),
        Some(vec![i32::try_from(first).unwrap()])
    );
    assert!(
        reader.holds_under(&dir),
        "the reader keeps the files it read"
    );
    let parent = dir.parent().unwrap().join("cgroup.procs");

    // The member leaves (back to the test's cgroup) and another comes, within a second.
    let other = own::own_sleep(&mut guard);
    std::fs::write(&parent, first.to_string()).unwrap();
    std::fs::write(dir.join("cgroup.procs"), other.to_string()).unwrap();
    assert_eq!(
        members(&mut reader),
        Some(vec![i32::try_from(other).unwrap()]),
        "{}: the members now",
        h.mount_point
    );

    // Between two passes the member leaves, the cgroup is removed and made again under the
    // same name with another member.
    std::fs::write(&parent, other.to_string()).unwrap();
    std::fs::remove_dir(&dir).unwrap();
    std::fs::create_dir(&dir).unwrap();
    let second = own::own_sleep(&mut guard);
    std::fs::write(dir.join("cgroup.procs"), second.to_string()).unwrap();
    assert_eq!(
        members(&mut reader),
        Some(vec![i32::try_from(second).unwrap()])
    );

    // Removed for good: the next pass closes its files.
    std::fs::write(&parent, second.to_string()).unwrap();
    std::fs::remove_dir(&dir).unwrap();
    assert_eq!(members(&mut reader), None);
    assert!(
        !reader.holds_under(&dir),
        "the removed cgroup's files are closed"
    );
}

/// The keeping reader's discovery of the hierarchies is kept while the mount table stays the
/// same, and a mount (here a tmpfs of the test's own on a temporary directory) makes it stale.
#[test]
fn a_kept_discovery_notices_a_mount() {
    use boxtop::kernel::cgroupfs::{files::FileReader, mode::discover_kept};
    if !nix::unistd::geteuid().is_root() {
        eprintln!("skip: not root (mounting needs root)");
        return;
    }
    let roots = Roots::live();
    let mut reader = FileReader::keeping();
    let mut kept = None;
    if discover_kept(&roots, &mut reader, &mut kept).is_err() {
        eprintln!("skip: no cgroup filesystem here");
        return;
    }
    let d = kept.as_ref().expect("the live discovery is kept");
    // Other tests of this binary may mount meanwhile: only a change must be seen.
    let _ = d.mounts_changed();
    assert!(!d.mounts_changed(), "nothing mounted since");
    let dir = tempfile::tempdir().unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "boxtop-test", dir.path().to_str().unwrap()])
        .status();
    if !mounted.is_ok_and(|s| s.success()) {
        eprintln!("skip: mount -t tmpfs failed here");
        return;
    }
    let seen = d.mounts_changed();
    let _ = Command::new("umount").arg(dir.path()).status();
    assert!(seen, "a mount makes the kept discovery stale");
    let again = discover_kept(&roots, &mut reader, &mut kept).unwrap();
    assert_eq!(
        again,
        discover_kept(&roots, &mut reader, &mut kept).unwrap()
    );
}
