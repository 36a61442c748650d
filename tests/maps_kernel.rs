//! The memory-map reader against the real kernel, on children this test starts itself.
//!
//! The child is this test binary re-run with [`CHILD`] set: the `child_process` test then
//! maps what it is told, prints `ready <address>` and blocks on stdin until the parent closes
//! it. Children are killed and reaped by a guard even when an assertion fails. Nothing here
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

use boxtop::kernel::Roots;
use boxtop::kernel::maps::{MapsReader, fill_smaps_counters, read_memory_map};
use boxtop::model::{Mapping, MemoryMap};
use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::Instant;

const CHILD: &str = "BOXTOP_MAPS_CHILD";
/// Pages of the known mapping, and how many of them the child touches.
const KNOWN_PAGES: usize = 7;
const KNOWN_TOUCHED: usize = 5;
/// Mappings of the many-mappings child (vm.max_map_count is 65530 by default).
const MANY: usize = 60_000;

fn page() -> usize {
    // SAFETY: sysconf has no preconditions.
    let n = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    usize::try_from(n).unwrap_or(4096)
}

/// The child's side. In a normal test run it does nothing.
#[test]
fn child_process() {
    let Ok(mode) = std::env::var(CHILD) else {
        return;
    };
    let addr = match mode.as_str() {
        "known" => map_known(),
        "many" => map_many(),
        other => panic!("unknown child mode {other}"),
    };
    println!("ready {addr:x}");
    let _ = std::io::Write::flush(&mut std::io::stdout());
    // Block on stdin with a raw read into the stack: std's Stdin would allocate its 8 KiB
    // buffer on the heap now, after "ready", and the parent would see the heap's Rss grow
    // between its reads and pmap's.
    let mut buf = [0u8; 64];
    loop {
        // SAFETY: reads into a buffer of the length given.
        let n = unsafe { libc::read(0, buf.as_mut_ptr().cast(), buf.len()) };
        if n <= 0 {
            break;
        }
    }
}

fn mmap_anon(len: usize, prot: i32) -> *mut u8 {
    // SAFETY: a fresh private anonymous mapping; the kernel picks the address.
    let p = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            len,
            prot,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
            -1,
            0,
        )
    };
    assert_ne!(
        p,
        libc::MAP_FAILED,
        "mmap: {}",
        std::io::Error::last_os_error()
    );
    p.cast()
}

/// 7 pages, 5 of them written (so Rss is exactly 5 pages), then made r-x: no neighbour has
/// those permissions, so the kernel cannot merge it with one.
fn map_known() -> usize {
    let len = KNOWN_PAGES * page();
    let p = mmap_anon(len, libc::PROT_READ | libc::PROT_WRITE);
    for i in 0..KNOWN_TOUCHED {
        // SAFETY: within the mapping just made, which is writable.
        unsafe { p.add(i * page()).write_volatile(0x5a) };
    }
    // SAFETY: the range is the mapping above.
    let r = unsafe { libc::mprotect(p.cast(), len, libc::PROT_READ | libc::PROT_EXEC) };
    assert_eq!(r, 0, "mprotect: {}", std::io::Error::last_os_error());
    p as usize
}

/// One reservation of MANY + 2 pages; pages 1..=MANY alternate r-- and rw- (the rw- ones
/// touched), so the kernel must keep MANY separate mappings. The first and last pages stay
/// PROT_NONE as fences (they may merge with a neighbouring guard page; they are not counted).
fn map_many() -> usize {
    let pg = page();
    let base = mmap_anon((MANY + 2) * pg, libc::PROT_NONE);
    for i in 0..MANY {
        // SAFETY: page i + 1 of the reservation above.
        let p = unsafe { base.add((i + 1) * pg) };
        let prot = if i % 2 == 0 {
            libc::PROT_READ
        } else {
            libc::PROT_READ | libc::PROT_WRITE
        };
        // SAFETY: the page belongs to the reservation.
        let r = unsafe { libc::mprotect(p.cast(), pg, prot) };
        assert_eq!(r, 0, "mprotect {i}: {}", std::io::Error::last_os_error());
        if i % 2 == 1 {
            // SAFETY: the page was just made writable.
            unsafe { p.write_volatile(1) };
        }
    }
    base as usize + pg
}

/// A running child; killed and reaped on drop, whatever happened in the test.
struct Guard {
    child: Child,
    addr: u64,
}

impl Guard {
    fn start(mode: &str) -> Guard {
        let exe = std::env::current_exe().unwrap_or_default();
        let child = Command::new(exe)
            .args([
                "--exact",
                "child_process",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD, mode)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn();
        let mut child = match child {
            Ok(c) => c,
            Err(e) => panic!("spawn child: {e}"),
        };
        let stdout: Option<ChildStdout> = child.stdout.take();
        let mut guard = Guard { child, addr: 0 };
        let mut lines = BufReader::new(stdout.expect("piped stdout")).lines();
        // The harness prints "test child_process ... " before our line, on the same line.
        let addr = lines.by_ref().map_while(Result::ok).find_map(|l| {
            l.split("ready ")
                .nth(1)
                .and_then(|a| u64::from_str_radix(a.trim(), 16).ok())
        });
        guard.addr = addr.expect("child did not say ready");
        guard
    }

    fn pid(&self) -> i32 {
        i32::try_from(self.child.id()).unwrap_or(0)
    }

    fn read(&self) -> MemoryMap {
        let roots = Roots::live();
        match read_memory_map(&roots, self.pid(), start_time(self.pid())) {
            Ok(m) => m,
            Err(e) => panic!("read_memory_map: {e}"),
        }
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Field 22 of /proc/PID/stat, read here independently of the code under test.
fn start_time(pid: i32) -> u64 {
    let stat = std::fs::read_to_string(Roots::live().pid_file(pid, "stat")).unwrap_or_default();
    let after = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or_default();
    after
        .split_whitespace()
        .nth(19)
        .and_then(|w| w.parse().ok())
        .unwrap_or(0)
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

/// One row of `pmap -X`: address, size and Rss and Pss in kB.
type PmapRow = (u64, u64, u64, u64);

/// Runs procps `pmap -X`, which reads smaps with its own parser. None when it is missing.
fn pmap(pid: i32) -> Option<(Vec<PmapRow>, (u64, u64))> {
    let out = Command::new("pmap")
        .arg("-X")
        .arg(pid.to_string())
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut lines = text.lines().skip(1);
    let header: Vec<&str> = lines.next()?.split_whitespace().collect();
    let col = |name: &str| header.iter().position(|h| *h == name);
    let (size, rss, pss) = (col("Size")?, col("Rss")?, col("Pss")?);
    let mut rows = Vec::new();
    let mut totals = None;
    let mut after_rule = false;
    for line in lines {
        let w: Vec<&str> = line.split_whitespace().collect();
        if w.first().is_some_and(|f| f.starts_with("====")) {
            after_rule = true;
            continue;
        }
        let num = |i: usize| w.get(i).and_then(|s| s.parse::<u64>().ok());
        if after_rule {
            // The totals line starts at the Size column.
            totals = Some((num(rss - size)?, num(pss - size)?));
            break;
        }
        let addr = u64::from_str_radix(w.first()?, 16).ok()?;
        rows.push((addr, num(size)?, num(rss)?, num(pss)?));
    }
    Some((rows, totals?))
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
        let Some((rows, (pmap_rss, pmap_pss))) = pmap(child.pid()) else {
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
