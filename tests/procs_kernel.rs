//! Real kernel: boxtop's process table against ps(1) (procps), on processes the test starts.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

#[path = "support/live.rs"]
mod live;

use live::{Owned, have_tool, snapshot, wait_for};
use std::collections::BTreeSet;
use std::process::Command;

fn ps(args: &[&str]) -> String {
    let out = Command::new("ps").args(args).output().expect("run ps");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn own_child_matches_ps() {
    if !have_tool("ps") {
        return;
    }
    let owned = Owned::spawn(Command::new("sleep").args(["301", "0"]));
    let pid = owned.pid();
    let snap = wait_for(|| {
        let s = snapshot();
        s.process(pid)
            .is_some_and(|p| &*p.comm == "sleep" && !p.cmdline.is_empty())
            .then_some(s)
    })
    .expect("child visible");
    drop(snap);
    // Let it finish starting (page faults move its RSS) and settle into nanosleep.
    std::thread::sleep(std::time::Duration::from_millis(300));
    let snap = snapshot();
    let row = snap.process(pid).unwrap();
    let line = ps(&[
        "-o",
        "pid=,ppid=,uid=,user=,nlwp=,rss=,vsz=,comm=",
        "-p",
        &pid.to_string(),
    ]);
    let f: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(f[0].parse::<i32>().unwrap(), row.pid);
    assert_eq!(f[1].parse::<i32>().unwrap(), row.ppid);
    assert_eq!(
        f[1].parse::<u32>().unwrap(),
        std::process::id(),
        "our child"
    );
    assert_eq!(Some(f[2].parse::<u32>().unwrap()), row.uid);
    assert_eq!(Some(f[3]), row.user.as_deref());
    assert_eq!(f[4].parse::<u32>().unwrap(), row.threads);
    // ps prints KiB; a sleeping `sleep` does not change its RSS between the two reads.
    assert_eq!(f[5].parse::<u64>().unwrap() * 1024, row.rss_bytes);
    assert_eq!(f[6].parse::<u64>().unwrap() * 1024, row.vsz_bytes);
    assert_eq!(f[7], &*row.comm);
    assert_eq!(row.cmdline.to_vec(), ["sleep", "301", "0"]);
    assert_eq!(row.state, 'S');
    assert!(!row.kernel_thread);
    assert_eq!(&*row.nspid, [pid]);
    // ps's start time is in seconds after boot; ours is in clock ticks.
    let start = ps(&["-o", "etimes=", "-p", &pid.to_string()]);
    assert!(start.trim().parse::<u64>().unwrap() < 60);
    drop(owned);
}

/// Every process present in two boxtop snapshots taken around one `ps -e` is listed by ps,
/// and every process ps lists that both snapshots saw is in boxtop's table.
#[test]
fn process_set_matches_ps() {
    if !have_tool("ps") {
        return;
    }
    let before = snapshot();
    let listed: BTreeSet<i32> = ps(&["-e", "-o", "pid="])
        .split_whitespace()
        .filter_map(|s| s.parse().ok())
        .collect();
    let after = snapshot();
    let ids = |s: &boxtop::model::Snapshot| -> BTreeSet<(i32, u64)> {
        s.processes
            .iter()
            .map(|p| (p.pid, p.start_time_ticks))
            .collect()
    };
    let stable: BTreeSet<i32> = ids(&before)
        .intersection(&ids(&after))
        .map(|(pid, _)| *pid)
        .collect();
    let missing: Vec<_> = stable.difference(&listed).collect();
    assert!(missing.is_empty(), "ps does not list {missing:?}");
    let seen: BTreeSet<i32> = before
        .processes
        .iter()
        .chain(&after.processes)
        .map(|p| p.pid)
        .collect();
    // A pid ps listed that neither snapshot saw lived only between them (ps itself, a
    // compiler started by a parallel build): it must be gone by now.
    let unseen: Vec<_> = listed
        .iter()
        .filter(|p| !seen.contains(p))
        .filter(|p| std::path::Path::new(&format!("/proc/{p}")).exists())
        .collect();
    assert!(
        unseen.is_empty(),
        "boxtop misses {unseen:?}, which are still running"
    );
    assert!(stable.len() > 10);
}

/// A process that exits between two polls disappears, and one that appears is picked up
/// with a full read (the kept files of the old one are not reused).
#[test]
fn processes_come_and_go_between_polls() {
    let mut collector = boxtop::collect::Collector::new(boxtop::kernel::Roots::live()).unwrap();
    let a = Owned::spawn(Command::new("sleep").arg("302"));
    let pid_a = a.pid();
    let first = wait_for(|| {
        collector
            .collect(None)
            .ok()
            .filter(|s| s.process(pid_a).is_some_and(|p| !p.cmdline.is_empty()))
    })
    .expect("sleep 302 seen");
    assert_eq!(
        first.process(pid_a).unwrap().cmdline.to_vec(),
        ["sleep", "302"]
    );
    drop(a);
    let b = Owned::spawn(Command::new("sleep").arg("303"));
    let snap = collector.collect(None).unwrap();
    assert!(snap.process(pid_a).is_none(), "exited process is gone");
    let row = snap.process(b.pid()).expect("new process seen at once");
    assert_eq!(
        row.cmdline.to_vec(),
        ["sleep", "303"],
        "read in full on first sight"
    );
}

/// A first read of many new processes is split across threads
/// (src/kernel/procs/reader/parallel.rs, from 256 new processes per thread): every one of
/// 600 children of the test must come out whole, with what each thread read (stat, status,
/// cmdline, cgroup, namespaces), and a second refresh of the same reader must agree.
#[test]
fn a_first_read_of_many_new_processes_is_whole() {
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    if threads < 2 {
        eprintln!("SKIP: one CPU, the first read stays on one thread");
    }
    let children: Vec<Owned> = (0..600)
        .map(|_| Owned::spawn(Command::new("sleep").args(["302", "0"])))
        .collect();
    let ours = snapshot();
    let me = ours
        .process(i32::try_from(std::process::id()).unwrap())
        .expect("the test itself")
        .clone();
    let check = |rows: &[std::sync::Arc<boxtop::model::ProcessRow>]| {
        for c in &children {
            let Ok(i) = rows.binary_search_by_key(&c.pid(), |r| r.pid) else {
                panic!("child {} missing from the read", c.pid());
            };
            let row = &rows[i];
            assert_eq!(row.ppid, me.pid, "{}", row.pid);
            assert_eq!(row.uid, me.uid, "{}", row.pid);
            assert_eq!(row.cgroups, me.cgroups, "{}", row.pid);
            assert_eq!(row.namespaces, me.namespaces, "{}", row.pid);
            // Just after fork the child may still be the test binary, before its exec.
            if &*row.comm == "sleep" {
                assert_eq!(row.cmdline.join(" "), "sleep 302 0");
            }
        }
        assert!(rows.windows(2).all(|w| w[0].pid < w[1].pid), "in pid order");
    };
    let roots = boxtop::kernel::Roots::live();
    let mut reader = boxtop::kernel::procs::ProcReader::new();
    let first = reader.refresh(&roots, &[]).expect("first read");
    check(&first);
    let second = reader.refresh(&roots, &[]).expect("second read");
    check(&second);
}
