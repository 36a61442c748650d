//! How long one `read_cgroups()` takes on the live system. Not a timed test: it measures
//! and prints, and asserts nothing about speed. Run with
//! `cargo test --release --test cgroup_bench -- --ignored --nocapture`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

use boxtop::kernel::Roots;
use boxtop::kernel::cgroupfs::read_cgroups;
use std::time::Instant;

#[test]
#[ignore = "measurement, run by hand in release"]
fn time_read_cgroups_live() {
    let roots = Roots::live();
    let snap = match read_cgroups(&roots) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("skip: {e}");
            return;
        }
    };
    let cgroups: usize = snap.hierarchies.iter().map(|h| h.cgroups.len()).sum();
    if std::env::var_os("BOXTOP_DUMP").is_some() {
        println!(
            "{}",
            serde_json::to_string_pretty(&snap).unwrap_or_default()
        );
    }
    let rounds = 200;
    let start = Instant::now();
    for _ in 0..rounds {
        let s = read_cgroups(&roots).expect("live read");
        std::hint::black_box(s);
    }
    let per = start.elapsed() / rounds;
    println!(
        "read_cgroups: {:?} per call ({} hierarchies, {} cgroups, mode {:?})",
        per,
        snap.hierarchies.len(),
        cgroups,
        snap.mode
    );
}
