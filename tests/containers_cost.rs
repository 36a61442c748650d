//! What grouping processes into containers costs per refresh (`collect::containers::group`,
//! which the collector runs on every snapshot), on the live system. Not a timed test: it
//! measures and prints, and asserts nothing about speed. Start the processes to measure with
//! first (benches/dashboard.sh's sleepers, or `for i in $(seq 5000); do sleep 3600 & done`),
//! then run `cargo test --release --test containers_cost -- --ignored --nocapture`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

use boxtop::collect::Collector;
use boxtop::collect::containers::{DiskRates, NetRates, group};
use boxtop::kernel::Roots;
use std::time::Instant;

#[test]
#[ignore = "measurement, run by hand in release"]
fn time_grouping_live() {
    let mut collector = match Collector::new(Roots::live()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("SKIP containers cost: {e}");
            return;
        }
    };
    let snap = collector.collect(None).expect("a live snapshot");
    let rounds = 200;
    let start = Instant::now();
    for _ in 0..rounds {
        std::hint::black_box(group(&snap));
    }
    let per = start.elapsed() / rounds;
    // What is read for the containers found: their network and disk counters.
    let roots = Roots::live();
    let (mut net, mut disk) = (NetRates::default(), DiskRates::default());
    let mut found = group(&snap);
    let start = Instant::now();
    for _ in 0..rounds {
        net.measure(&roots, &snap, &mut found);
    }
    let per_net = start.elapsed() / rounds;
    let mut files = boxtop::kernel::cgroupfs::files::FileReader::keeping();
    let start = Instant::now();
    for _ in 0..rounds {
        disk.measure(&roots, &mut files, &snap, &mut found);
    }
    let per_disk = start.elapsed() / rounds;
    println!("network counters {per_net:?}, disk and working set {per_disk:?} per refresh");
    let collect_start = Instant::now();
    let again = collector.collect(None).expect("a live snapshot");
    let collect = collect_start.elapsed();
    println!(
        "{} processes, {} containers: group() {:?} per refresh; one whole collect (group \
         included) {collect:?}",
        again.processes.len(),
        again.containers.len(),
        per
    );
}
