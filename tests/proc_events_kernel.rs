//! The kernel's process events connector on this machine: a child of the test's own is
//! reported forked, exec'd and exited with its pid, and the census that `boxtop serve` keeps
//! from the events lists what /proc lists. Skips where the connector cannot be used (the
//! subscription proves itself or says why).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

use boxtop::collect::process_census::ProcessCensus;
use boxtop::kernel::Roots;
use boxtop::kernel::proc_events::{ProcEvent, ProcEvents};
use std::process::Command;
use std::time::{Duration, Instant};

#[test]
fn a_child_is_reported_forked_execd_and_exited() {
    let mut events = match ProcEvents::subscribe(Duration::from_secs(2)) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("skip: no process events here: {e}");
            return;
        }
    };
    let child = Command::new("true").status().unwrap();
    assert!(child.success());
    let me = i32::try_from(std::process::id()).unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut seen = Vec::new();
    let mut pid = None;
    while Instant::now() < deadline {
        events.drain(&mut seen);
        pid = seen.iter().find_map(|e| match e {
            ProcEvent::Fork {
                parent_tgid,
                child_pid,
                child_tgid,
            } if *parent_tgid == me && child_pid == child_tgid => Some(*child_pid),
            _ => None,
        });
        let done = pid.is_some_and(|p| {
            seen.contains(&ProcEvent::Exec { pid: p, tgid: p })
                && seen.contains(&ProcEvent::Exit { pid: p, tgid: p })
        });
        if done {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("fork, exec and exit of our child {pid:?} not all seen in {seen:?}");
}

#[test]
fn the_census_lists_what_proc_lists() {
    let roots = Roots::live();
    let mut census = ProcessCensus::new(&roots);
    if !census.follows_events() {
        eprintln!("skip: no process events here: {:?}", census.no_events);
        return;
    }
    census.refresh(&roots).unwrap();
    // Processes come and go; then the census follows them by events alone (no listing
    // until its 300th refresh).
    let mut children: Vec<_> = (0..5)
        .map(|_| Command::new("sleep").arg("30").spawn().unwrap())
        .collect();
    let gone = children.pop().unwrap();
    let mut gone = gone;
    gone.kill().unwrap();
    gone.wait().unwrap();
    let gone_pid = i32::try_from(gone.id()).unwrap();
    let listed = |roots: &Roots| -> Vec<i32> {
        let mut pids = Vec::new();
        boxtop::kernel::procs::list_pids(roots, &mut pids).unwrap();
        pids.sort_unstable();
        pids
    };
    let mut last = None;
    for _ in 0..50 {
        let before = listed(&roots);
        let ours = census.refresh(&roots).unwrap().0.to_vec();
        let after = listed(&roots);
        let missing: Vec<u32> = children
            .iter()
            .map(std::process::Child::id)
            .filter(|pid| ours.binary_search(&i32::try_from(*pid).unwrap()).is_err())
            .collect();
        assert!(ours.binary_search(&gone_pid).is_err(), "{gone_pid} exited");
        // Other tests start and end processes meanwhile: the census must equal a listing
        // made just before or just after it.
        if missing.is_empty() && (ours == before || ours == after) {
            for c in &mut children {
                let _ = c.kill();
                let _ = c.wait();
            }
            return;
        }
        last = Some(format!(
            "missing {missing:?}\ncensus {ours:?}\nbefore {before:?}\nafter {after:?}"
        ));
        std::thread::sleep(Duration::from_millis(50));
    }
    for c in &mut children {
        let _ = c.kill();
        let _ = c.wait();
    }
    panic!("{}", last.unwrap_or_default());
}
