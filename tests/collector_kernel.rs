//! Real kernel: the collector's derived root-cgroup membership equals the kernel's own
//! cgroup.procs of each hierarchy root (for processes present throughout).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

#[path = "support/live.rs"]
mod live;

use boxtop::kernel::{Roots, cgroupfs};
use std::collections::BTreeSet;

#[test]
fn derived_root_members_match_cgroup_procs() {
    if !live::need_root("root cgroup membership") {
        return;
    }
    let derived = live::snapshot();
    let direct = cgroupfs::read_cgroups(&Roots::live()).expect("cgroups");
    let again = live::snapshot();
    let stable: BTreeSet<i32> = derived
        .processes
        .iter()
        // The same process in the same cgroups in both snapshots: one that started, ended or
        // moved between the reads (a runtime's cleanup after a container test) proves nothing.
        .filter(|p| {
            again
                .process(p.pid)
                .is_some_and(|q| q.start_time_ticks == p.start_time_ticks && q.cgroups == p.cgroups)
        })
        .map(|p| p.pid)
        .collect();
    assert!(!direct.hierarchies.is_empty());
    for h in &direct.hierarchies {
        let Some(d) = derived
            .cgroups
            .hierarchies
            .iter()
            .find(|x| x.id == h.id && x.version == h.version)
        else {
            panic!("hierarchy {} missing from the collector's snapshot", h.id);
        };
        let mine: BTreeSet<i32> = d.cgroups[0]
            .pids
            .iter()
            .copied()
            .filter(|p| stable.contains(p))
            .collect();
        let kernel: BTreeSet<i32> = h.cgroups[0]
            .pids
            .iter()
            .copied()
            .filter(|p| stable.contains(p))
            .collect();
        assert_eq!(
            mine, kernel,
            "root of hierarchy {} ({:?})",
            h.id, h.controllers
        );
    }
}
