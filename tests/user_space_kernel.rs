//! Where user space ends, against the real kernel, on children this test starts itself
//! (`support/maps_child.rs`): the gaps tile user space from the lowest mapping to its end
//! (the identity of `kernel::maps::gaps`), the sizes add up to `pmap -X`'s, and an empty map
//! is told apart by the process's row (a zombie child of this test, a kernel thread).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

#[path = "support/maps_child.rs"]
mod maps_child;

use boxtop::kernel::Roots;
use boxtop::kernel::maps::read_memory_map;
use boxtop::kernel::maps::user_space::X86_64_TOP_47;
use boxtop::model::{MappingKind, NoMappings, ProcState, Snapshot};
use maps_child::{Guard, pmap, start_time};
use std::time::{Duration, Instant};

/// The child's side (see `support/maps_child.rs`). In a normal test run it does nothing.
#[test]
fn child_process() {
    maps_child::child_main();
}

#[test]
fn gaps_tile_user_space_and_sizes_agree_with_pmap() {
    let child = Guard::start("known");
    let map = child.read();
    let Some(u) = map.user_space else {
        println!("skipped: boxtop knows no end of user space on this architecture");
        return;
    };
    if cfg!(target_arch = "x86_64") {
        // A 64-bit child of a 64-bit test: 47 bits unless it mapped above (it did not).
        assert_eq!(
            (u.top, u.bits, u.label()),
            (X86_64_TOP_47, 47, "47-bit".into())
        );
    }
    let user = map.user_mappings();
    let lowest = user.first().expect("a user mapping").start;
    let mapped = map.mapped_user_bytes();
    let unused = map.not_used_bytes();
    // The identity: sizes of the user mappings + the gaps = top of user space - lowest start.
    assert_eq!(mapped + unused, u.top - lowest, "{:#x?}", map.gaps);
    assert_eq!(map.user_span(), Some((lowest, u.top)));
    for g in &map.gaps {
        assert!(
            g.start >= lowest && g.end <= u.top,
            "{g:x?} outside user space"
        );
        assert!(
            user.iter().any(|m| m.end == g.start),
            "{g:x?} follows a mapping"
        );
        assert!(
            user.iter().any(|m| m.start == g.end) || g.end == u.top,
            "{g:x?} ends at a mapping or at the top"
        );
    }
    // What lies above the top is the kernel's half ([vsyscall] on x86-64), and no gap runs to it.
    let above = &map.mappings[user.len()..];
    assert!(above.iter().all(|m| m.kind == MappingKind::KernelHalf));
    if cfg!(target_arch = "x86_64") {
        let vsyscall: Vec<&str> = above.iter().filter_map(|m| m.path.as_deref()).collect();
        assert!(
            vsyscall.is_empty() || vsyscall == ["[vsyscall]"],
            "{vsyscall:?}"
        );
    }
    assert!(
        !map.gaps
            .iter()
            .any(|g| above.iter().any(|m| m.start == g.end))
    );
    let last = user.last().expect("a user mapping");
    println!(
        "{} mappings ({} in user space), {} gaps; mapped {} B + not used {} B = {} B = \
         {:#x} (top, {}) - {lowest:#x} (lowest); the last gap {:#x}-{:#x}",
        map.mappings.len(),
        user.len(),
        map.gaps.len(),
        mapped,
        unused,
        mapped + unused,
        u.top,
        u.label(),
        last.end,
        u.top,
    );

    // The sizes against pmap -X, which reads the same child's smaps with its own parser
    // (the child is blocked on a read: its mappings hold still).
    let Some(p) = pmap(child.pid()) else {
        println!("skipped: pmap (procps) is not installed or its output was not understood");
        return;
    };
    let all_kb: u64 = map.mappings.iter().map(|m| m.size_bytes / 1024).sum();
    let rows_kb: u64 = p.rows.iter().map(|r| r.1).sum();
    assert_eq!(p.rows.len(), map.mappings.len(), "one pmap row per mapping");
    assert_eq!(
        rows_kb, p.size_kb,
        "pmap's Size total is the sum of its rows"
    );
    assert_eq!(
        all_kb, p.size_kb,
        "every mapping, ours vs pmap's Size total"
    );
    // pmap lists [vsyscall] too; below the top its rows are our user mappings.
    let user_rows_kb: u64 = p.rows.iter().filter(|r| r.0 < u.top).map(|r| r.1).sum();
    assert_eq!(
        user_rows_kb,
        mapped / 1024,
        "user space, ours vs pmap's rows"
    );
    println!(
        "pmap -X Size total {} kB = ours {} kB ({} kB in user space, {} kB above the top)",
        p.size_kb,
        all_kb,
        mapped / 1024,
        all_kb - mapped / 1024
    );
}

/// The live host's snapshot, as the dashboard's poller takes it.
fn snapshot() -> Snapshot {
    boxtop::collect::Collector::new(Roots::live())
        .and_then(|mut c| c.collect(None))
        .unwrap_or_else(|e| panic!("collect: {e}"))
}

/// The state letter of `pid`, read here independently of the code under test.
fn state(pid: i32) -> Option<char> {
    let stat = std::fs::read_to_string(Roots::live().pid_file(pid, "stat")).ok()?;
    stat.rsplit_once(')')?
        .1
        .split_whitespace()
        .next()?
        .chars()
        .next()
}

#[test]
fn a_zombie_child_has_an_empty_map_and_its_row_says_why() {
    let child = Guard::start_and_exit();
    let pid = child.pid();
    let deadline = Instant::now() + Duration::from_secs(10);
    while state(pid) != Some('Z') {
        assert!(Instant::now() < deadline, "pid {pid} never became a zombie");
        std::thread::sleep(Duration::from_millis(20));
    }
    let map = read_memory_map(&Roots::live(), pid, start_time(pid))
        .unwrap_or_else(|e| panic!("a zombie's map reads, empty: {e}"));
    assert!(map.mappings.is_empty() && map.gaps.is_empty());
    assert_eq!((map.user_space, map.totals), (None, None));
    let snap = snapshot();
    let row = snap.process(pid).expect("the zombie is in the snapshot");
    let why = NoMappings::of(row.kernel_thread, row.state);
    assert_eq!(why, NoMappings::Exited(ProcState::new(b'Z')));
    let said = why.sentence(pid);
    assert!(
        said.contains("zombie") && !said.contains("kernel thread"),
        "{said}"
    );
    drop(child); // reaped
}

#[test]
fn a_kernel_threads_map_is_empty_and_its_row_says_why() {
    let snap = snapshot();
    // kthreadd, or any kernel thread this pid namespace shows (none in a container's).
    let Some(row) = snap
        .processes
        .iter()
        .find(|p| p.kernel_thread && p.pid != 1)
    else {
        println!("skipped: no kernel thread is visible in this pid namespace");
        return;
    };
    let map = match read_memory_map(&Roots::live(), row.pid, row.start_time_ticks) {
        Ok(m) => m,
        Err(e) => {
            println!("skipped: kernel thread {} went or was denied: {e}", row.pid);
            return;
        }
    };
    assert!(map.mappings.is_empty(), "pid {} has no mm", row.pid);
    assert_eq!(
        NoMappings::of(row.kernel_thread, row.state),
        NoMappings::KernelThread
    );
}
