//! A fixture process with 60,000 mappings (generated into a temp dir: too big to commit),
//! read through Roots like any other tree.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

use boxtop::kernel::{Roots, maps};
use boxtop::model::MappingKind;
use std::fmt::Write;

#[test]
fn sixty_thousand_mappings_read_whole() {
    let dir = tempfile::tempdir().unwrap();
    let pid_dir = dir.path().join("proc/777");
    std::fs::create_dir_all(&pid_dir).unwrap();
    let mut text = String::new();
    let mut addr: u64 = 0x7f00_0000_0000;
    for i in 0..60_000u64 {
        // Alternate perms and leave a one-page hole every 100 mappings.
        let perms = if i % 2 == 0 { "r--p" } else { "rw-p" };
        let _ = writeln!(
            text,
            "{:x}-{:x} {perms} 00000000 00:00 0 ",
            addr,
            addr + 4096
        );
        addr += 4096;
        if i % 100 == 99 {
            addr += 4096;
        }
    }
    let _ = writeln!(
        text,
        "7ffc00000000-7ffc00021000 rw-p 00000000 00:00 0                          [stack]"
    );
    std::fs::write(pid_dir.join("maps"), &text).unwrap();
    std::fs::write(
        pid_dir.join("stat"),
        "777 (huge) S 1 777 777 0 -1 4194304 0 0 0 0 0 0 0 0 20 0 1 0 4242 0 0 0\n",
    )
    .unwrap();
    let roots = Roots::new(dir.path().join("proc"), dir.path().join("cgroup"));
    let map = maps::read_memory_map(&roots, 777, 4242).expect("read");
    assert_eq!(map.mappings.len(), 60_001);
    assert!(
        map.mappings.windows(2).all(|w| w[0].end <= w[1].start),
        "ascending"
    );
    assert_eq!(
        map.mappings
            .iter()
            .filter(|m| m.kind == MappingKind::Anonymous)
            .count(),
        60_000
    );
    // 599 one-page holes inside the run, plus the big one below the stack and the one from
    // the stack up to the end of user space.
    assert_eq!(map.gaps.len(), 601);
    assert!(map.gaps[0].size_bytes > 4096, "the largest gap comes first");
    assert!(map.gaps[1].size_bytes > 4096);
    assert!(map.gaps[2..].iter().all(|g| g.size_bytes == 4096));
    assert!(
        map.totals.is_none(),
        "no smaps_rollup in this fixture: absent, not zero"
    );
}
