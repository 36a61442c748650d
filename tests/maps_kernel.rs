//! The memory-map reader against the real kernel, on children this test starts itself
//! (`support/maps_child.rs`: this test binary re-run, mapping what it is told). Nothing here
//! touches any other process.
//!
//! Timing (not asserted; tests are not benchmarks):
//! `cargo test --release --test maps_kernel -- --ignored --nocapture measure`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

#[path = "support/maps_child.rs"]
mod maps_child;

use boxtop::kernel::Roots;
use boxtop::kernel::maps::{MapsReader, fill_smaps_counters};
use boxtop::model::{Mapping, MemoryMap};
use maps_child::{Guard, KNOWN_PAGES, KNOWN_TOUCHED, MANY, PmapRow, page, pmap, start_time};
use std::time::Instant;

/// The child's side (see `support/maps_child.rs`). In a normal test run it does nothing.
#[test]
fn child_process() {
    maps_child::child_main();
}

fn find(map: &MemoryMap, start: u64) -> Option<&Mapping> {
    map.mappings.iter().find(|m| m.start == start)
}

#[test]
fn known_mapping_has_its_size_perms_and_rss() {
    let child = Guard::start("known");
    let mut map = child.read();
    if let Err(e) = fill_smaps_counters(&Roots::live(), &mut map) {
        panic!("smaps: {e}");
    }
    let m = find(&map, child.addr).expect("the known mapping is listed");
    let pg = page() as u64;
    assert_eq!(m.size_bytes, KNOWN_PAGES as u64 * pg);
    assert_eq!(m.end - m.start, m.size_bytes);
    assert_eq!(m.perms, "r-xp");
    assert_eq!(m.path, None);
    assert_eq!(m.rss_bytes, Some(KNOWN_TOUCHED as u64 * pg));
    assert_eq!(m.anonymous_bytes, Some(KNOWN_TOUCHED as u64 * pg));
    assert_eq!(
        m.pss_bytes,
        Some(KNOWN_TOUCHED as u64 * pg),
        "private pages"
    );
    assert_eq!(m.swap_bytes, Some(0));
    // Text of the program: the test binary's own code.
    assert!(
        map.mappings
            .iter()
            .any(|m| m.kind == boxtop::model::MappingKind::Text)
    );
    assert!(
        map.totals
            .is_some_and(|t| t.rss_bytes >= KNOWN_TOUCHED as u64 * pg)
    );
}

#[test]
fn sixty_thousand_mappings_are_all_read() {
    let child = Guard::start("many");
    let map = child.read();
    let pg = page() as u64;
    let first = map
        .mappings
        .iter()
        .position(|m| m.start == child.addr)
        .expect("first page of the run is a mapping");
    let run = map.mappings.get(first..first + MANY).unwrap_or_default();
    assert_eq!(run.len(), MANY);
    for (i, m) in run.iter().enumerate() {
        let want = if i % 2 == 0 { "r--p" } else { "rw-p" };
        assert_eq!(
            (m.start, m.size_bytes, m.perms.as_str()),
            (child.addr + i as u64 * pg, pg, want)
        );
    }
    assert!(map.mappings.len() > MANY);
    // As many mappings as the kernel says in its own count of lines.
    let text = std::fs::read(Roots::live().pid_file(child.pid(), "maps")).unwrap_or_default();
    assert_eq!(
        map.mappings.len(),
        text.iter().filter(|&&b| b == b'\n').count()
    );
}

fn ours_as_pmap_rows(map: &MemoryMap) -> Vec<PmapRow> {
    let kb = |b: Option<u64>| b.unwrap_or(u64::MAX) / 1024;
    map.mappings
        .iter()
        .map(|m| {
            (
                m.start,
                m.size_bytes / 1024,
                kb(m.rss_bytes),
                kb(m.pss_bytes),
            )
        })
        .collect()
}

/// Whether a mapping's pages belong to the child alone (exec'd, so nothing is shared with the
/// parent): their Pss equals their Rss whatever other processes do.
fn unshared(m: &Mapping) -> bool {
    use boxtop::model::MappingKind::{Anonymous, Heap, Stack};
    matches!(m.kind, Anonymous | Heap | Stack)
}

/// Pss divides each page among the processes that map it at that moment, so a file-backed
/// mapping's Pss changes whenever another process sharing the test binary or libc (another
/// test's child, any `sh` on the host) starts or exits. pmap and we read smaps at different
/// moments, and pmap itself is not consistent under such churn: its Pss total (procps sums
/// it on its own pass) then differs from the sum of its rows. So each attempt reads ours
/// before and after pmap, and is a window only when both of ours agree and pmap's total is
/// the sum of its rows. Whatever the churn: addresses, sizes and Rss must agree exactly, and
/// so must the Pss of the child's own anonymous memory, which no other process can share.
#[test]
fn agrees_with_pmap() {
    let child = Guard::start("known");
    let roots = Roots::live();
    let read = || {
        let mut map = child.read();
        if let Err(e) = fill_smaps_counters(&roots, &mut map) {
            panic!("smaps: {e}");
        }
        map
    };
    for attempt in 0..20 {
        let before = read();
        let Some(maps_child::Pmap {
            rows,
            rss_kb: pmap_rss,
            pss_kb: pmap_pss,
            ..
        }) = pmap(child.pid())
        else {
            println!("skipped: pmap (procps) is not installed or its output was not understood");
            return;
        };
        let after = read();
        let ours = ours_as_pmap_rows(&before);
        assert_eq!(ours.len(), rows.len(), "rows, ours vs pmap");
        // What no other process can move: checked on every attempt.
        for ((o, p), m) in ours.iter().zip(&rows).zip(&before.mappings) {
            assert_eq!((o.0, o.1, o.2), (p.0, p.1, p.2), "address, size kB, Rss kB");
            if unshared(m) {
                assert_eq!(o.3, p.3, "Pss of unshared {:x}", o.0);
            }
        }
        let rss: u64 = rows.iter().map(|r| r.2).sum();
        assert_eq!(rss, pmap_rss, "pmap's Rss total is the sum of its rows");
        let pmap_rows_pss: u64 = rows.iter().map(|r| r.3).sum();
        if ours != ours_as_pmap_rows(&after)
            || before.totals != after.totals
            || pmap_rows_pss != pmap_pss
        {
            println!("attempt {attempt}: Pss moved while pmap ran; again");
            std::thread::sleep(std::time::Duration::from_millis(50));
            continue;
        }
        // pmap itself maps libc and the loader (and its own libraries) while it reads: those
        // pages then have one more sharer, so their Pss is lower in pmap's reading, never
        // higher. A process sharing the test binary that starts and exits inside the window
        // moves the other file-backed rows: then try again.
        let lib_lower = |(o, p, m): &(&PmapRow, &PmapRow, &Mapping)| {
            m.kind == boxtop::model::MappingKind::Library && p.3 <= o.3
        };
        let moved: Vec<(&PmapRow, &PmapRow)> = ours
            .iter()
            .zip(&rows)
            .zip(&before.mappings)
            .map(|((o, p), m)| (o, p, m))
            .filter(|t| t.0.3 != t.1.3 && !lib_lower(t))
            .map(|(o, p, _)| (o, p))
            .collect();
        if !moved.is_empty() {
            println!(
                "attempt {attempt}: file-backed Pss moved inside the window {moved:x?}; again"
            );
            continue;
        }
        let lowered: u64 = ours.iter().zip(&rows).map(|(o, p)| o.3 - p.3).sum();
        let summed: u64 = before
            .mappings
            .iter()
            .filter_map(|m| m.pss_bytes)
            .map(|b| b / 1024)
            .sum();
        assert_eq!(summed, pmap_pss + lowered);
        // smaps_rollup: Rss is the same sum. Its Pss is summed by the kernel before rounding
        // to kB, while each smaps line is rounded down, so the rollup may exceed the sum by
        // less than 1 kB per mapping, and never falls below it.
        let t = before.totals.expect("rollup");
        assert_eq!(t.rss_bytes / 1024, pmap_rss);
        let rollup_pss = t.pss_bytes / 1024;
        assert!(
            rollup_pss >= summed && rollup_pss - summed < before.mappings.len() as u64,
            "rollup Pss {rollup_pss} kB vs summed smaps {summed} kB"
        );
        println!(
            "pmap agrees on {} mappings; Rss {pmap_rss} kB; Pss {pmap_pss} kB in pmap, \
             {summed} kB in ours ({lowered} kB less in pmap: libraries it shares while \
             running), rollup {rollup_pss} kB",
            rows.len()
        );
        return;
    }
    println!(
        "Pss never held still for a whole window: checked addresses, sizes, Rss and unshared Pss"
    );
}

/// Prints how long each step takes for MANY mappings. Run it in release (see the top).
#[test]
#[ignore = "measurement, run by hand in release"]
fn measure() {
    let child = Guard::start("many");
    let roots = Roots::live();
    let mut reader = MapsReader::default();
    let start = start_time(child.pid());
    for round in 0..5 {
        let t0 = Instant::now();
        let mut map = match reader.read_memory_map(&roots, child.pid(), start) {
            Ok(m) => m,
            Err(e) => panic!("{e}"),
        };
        let t1 = Instant::now();
        let filled = reader.fill_smaps_counters(&roots, &mut map);
        let t2 = Instant::now();
        let t3 = Instant::now();
        let raw = std::fs::read(roots.pid_file(child.pid(), "smaps")).unwrap_or_default();
        let t4 = Instant::now();
        let maps_len = std::fs::read(roots.pid_file(child.pid(), "maps")).map_or(0, |v| v.len());
        let t5 = Instant::now();
        let _ = std::fs::read(roots.pid_file(child.pid(), "smaps_rollup"));
        let t6 = Instant::now();
        println!(
            "round {round}: bare reads: maps ({:.1} MB) {:.1} ms, smaps_rollup {:.1} ms",
            maps_len as f64 / 1e6,
            (t5 - t4).as_secs_f64() * 1e3,
            (t6 - t5).as_secs_f64() * 1e3,
        );
        println!(
            "round {round}: {} mappings, {} gaps: read_memory_map {:.1} ms; fill_smaps_counters \
             {:.1} ms ({filled:?}); bare read of smaps ({} MB) {:.1} ms",
            map.mappings.len(),
            map.gaps.len(),
            (t1 - t0).as_secs_f64() * 1e3,
            (t2 - t1).as_secs_f64() * 1e3,
            raw.len() / 1_000_000,
            (t4 - t3).as_secs_f64() * 1e3,
        );
    }
}
