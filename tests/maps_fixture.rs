//! The memory-map reader on captured /proc trees (tests/fixtures/maps): a real `sleep` with
//! hostile entries added, a kernel thread, and a 32-bit process whose exe, smaps and
//! smaps_rollup are missing; and the zombie and the kernel thread of the v2 host fixture,
//! whose rows say why their maps are empty.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

use boxtop::kernel::maps::{fill_smaps_counters, read_memory_map};
use boxtop::kernel::{KernelError, Roots};
use boxtop::model::{Access, MappingKind, MemoryMap, NoMappings};
use std::path::{Path, PathBuf};

const SLEEP: i32 = 6716;
const SLEEP_START: u64 = 32758;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/maps")
}

fn roots() -> Roots {
    Roots::new(fixture().join("proc"), fixture().join("cgroup"))
}

fn sleep_map() -> MemoryMap {
    match read_memory_map(&roots(), SLEEP, SLEEP_START) {
        Ok(m) => m,
        Err(e) => panic!("fixture sleep: {e}"),
    }
}

fn kb(n: u64) -> u64 {
    n * 1024
}

#[test]
fn every_line_of_maps_is_a_mapping() {
    let text = std::fs::read(fixture().join("proc/6716/maps")).unwrap_or_default();
    let lines = text
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .count();
    let map = sleep_map();
    assert_eq!(map.mappings.len(), lines);
    assert_eq!((map.pid, map.start_time_ticks), (SLEEP, SLEEP_START));
    assert!(
        map.mappings.windows(2).all(|w| w[0].end <= w[1].start),
        "ascending"
    );
    assert!(map.mappings.iter().all(|m| m.size_bytes == m.end - m.start));
    let first = &map.mappings[0];
    assert_eq!(
        (first.start, first.end),
        (0x55b5_ed2f_8000, 0x55b5_ed2f_a000)
    );
    assert_eq!((first.perms.as_str(), first.offset), ("r--p", 0));
    assert_eq!((first.dev.as_str(), first.inode), ("fe:00", 247_774));
    let last = map
        .mappings
        .last()
        .map(|m| (m.start, m.perms.as_str(), m.path.as_deref()));
    assert_eq!(
        last,
        Some((0xffff_ffff_ff60_0000, "--xp", Some("[vsyscall]")))
    );
}

#[test]
fn kinds_paths_and_deleted_flags() {
    let map = sleep_map();
    let find = |path: &str| {
        map.mappings
            .iter()
            .find(|m| m.path.as_deref() == Some(path))
            .map(|m| (m.kind, m.deleted))
    };
    use MappingKind::*;
    assert_eq!(find("/SYSV00000000"), Some((Shared, true)));
    assert_eq!(find("/memfd:wayland-cursor"), Some((Shared, true)));
    assert_eq!(find("/tmp/my file (deleted) here"), Some((File, false)));
    assert_eq!(find("/tmp/gone lib.so"), Some((Library, true)));
    assert_eq!(find("[anon:arena 1]"), Some((Anonymous, false)));
    assert_eq!(find("[uprobes]"), Some((Special, false)));
    assert_eq!(find("/dev/shm/pulse-shm-1"), Some((Shared, false)));
    assert_eq!(find("/usr/lib/locale/C.utf8/LC_CTYPE"), Some((File, false)));
    assert_eq!(find("[heap]"), Some((Heap, false)));
    assert_eq!(find("[stack]"), Some((Stack, false)));
    assert_eq!(find("[vdso]"), Some((Special, false)));
    assert_eq!(find("[vvar]"), Some((Special, false)));
    // Above the end of user space: a page of the kernel's half, not a user mapping.
    assert_eq!(find("[vsyscall]"), Some((KernelHalf, false)));
    // The program: exe -> /usr/bin/sleep; code is Text, the rest Data.
    let sleep: Vec<(MappingKind, &str)> = map
        .mappings
        .iter()
        .filter(|m| m.path.as_deref() == Some("/usr/bin/sleep"))
        .map(|m| (m.kind, m.perms.as_str()))
        .collect();
    assert_eq!(
        sleep,
        vec![
            (Data, "r--p"),
            (Text, "r-xp"),
            (Data, "r--p"),
            (Data, "r--p"),
            (Data, "rw-p")
        ]
    );
    let libc = map
        .mappings
        .iter()
        .filter(|m| m.path.as_deref().is_some_and(|p| p.ends_with("libc.so.6")));
    assert!(libc.clone().count() == 5 && libc.clone().all(|m| m.kind == Library));
    let anon = map.mappings.iter().filter(|m| m.path.is_none());
    assert!(anon.clone().count() == 3 && anon.clone().all(|m| m.kind == Anonymous));
}

#[test]
fn hostile_path_is_display_safe() {
    let map = sleep_map();
    let hostile = map
        .mappings
        .iter()
        .find(|m| m.inode == 4244)
        .and_then(|m| m.path.clone())
        .unwrap_or_default();
    assert_eq!(hostile, "/tmp/\\xff\\xfe\\x1b]0;pwned\\x07");
    let json = serde_json::to_string(&map).unwrap_or_default();
    assert!(!json.contains('\u{1b}') && !json.contains('\u{7}'));
}

/// x86-64's end of user space with 47-bit addresses (TASK_SIZE_MAX).
const TOP_47: u64 = 0x7fff_ffff_f000;

#[test]
fn gaps_fill_user_space_from_the_lowest_mapping_to_its_end() {
    let map = sleep_map();
    let u = map
        .user_space
        .expect("an x86-64 process's end of user space");
    assert_eq!((u.top, u.bits, u.label()), (TOP_47, 47, "47-bit".into()));
    assert!(!map.gaps.is_empty());
    assert!(
        map.gaps
            .windows(2)
            .all(|w| w[0].size_bytes >= w[1].size_bytes)
    );
    // Every mapping but [vsyscall] is in user space.
    let user = map.user_mappings();
    assert_eq!(user.len(), map.mappings.len() - 1);
    let first = &map.mappings[0];
    let mapped: u64 = user.iter().map(|m| m.size_bytes).sum();
    let unmapped: u64 = map.gaps.iter().map(|g| g.size_bytes).sum();
    // The identity: user mappings and gaps tile the range from the lowest mapping to the top.
    assert_eq!(mapped + unmapped, TOP_47 - first.start);
    assert_eq!(map.user_span(), Some((first.start, TOP_47)));
    for g in &map.gaps {
        assert_eq!(g.size_bytes, g.end - g.start);
        assert!(user.iter().any(|m| m.end == g.start));
        assert!(user.iter().any(|m| m.start == g.end) || g.end == TOP_47);
        assert!(g.start >= first.start && g.end <= TOP_47);
    }
    // No gap runs to [vsyscall]: the hole below it is not user space.
    assert!(!map.gaps.iter().any(|g| g.end == 0xffff_ffff_ff60_0000));
    // The last runs from the stack to the top.
    let stack = user.last().map(|m| m.end).unwrap_or_default();
    assert!(map.gaps.iter().any(|g| (g.start, g.end) == (stack, TOP_47)));
    // The largest is the hole between the heap and the libraries.
    assert_eq!(map.gaps[0].end, 0x7f2a_c100_0000);
    // Adjacent mappings (the sleep segments) leave no gap between them.
    assert!(!map.gaps.iter().any(|g| g.start == 0x55b5_ed2f_a000));
}

#[test]
fn a_32_bit_process_ends_below_4_gib() {
    let map = match read_memory_map(&roots(), 4242, 777) {
        Ok(m) => m,
        Err(e) => panic!("{e}"),
    };
    let u = map.user_space.expect("an end of user space");
    assert_eq!((u.top, u.label()), (0xffff_e000, "32-bit process".into()));
    let last = map.gaps.iter().find(|g| g.end == u.top);
    assert_eq!(
        last.map(|g| g.start),
        Some(0xff90_1000),
        "the stack to the top"
    );
    let (lo, hi) = map.user_span().unwrap_or_default();
    assert_eq!(map.mapped_user_bytes() + map.not_used_bytes(), hi - lo);
}

#[test]
fn totals_from_rollup_and_counters_from_smaps() {
    let mut map = sleep_map();
    let t = map.totals.unwrap_or_default();
    assert_eq!(map.totals_access, Access::Ok);
    assert_eq!((t.rss_bytes, t.pss_bytes), (kb(1748), kb(457)));
    assert_eq!((t.anonymous_bytes, t.swap_bytes), (kb(108), 0));
    assert_eq!((t.shared_clean_bytes, t.shared_dirty_bytes), (kb(1596), 0));
    assert_eq!(
        (t.private_clean_bytes, t.private_dirty_bytes),
        (kb(44), kb(108))
    );
    assert!(!map.smaps_read);
    assert!(map.mappings.iter().all(|m| m.rss_bytes.is_none()));

    if let Err(e) = fill_smaps_counters(&roots(), &mut map) {
        panic!("{e}");
    }
    assert!(map.smaps_read && map.smaps_access == Access::Ok);
    assert!(map.mappings.iter().all(|m| m.rss_bytes.is_some()
        && m.pss_bytes.is_some()
        && m.swap_bytes.is_some()
        && m.anonymous_bytes.is_some()));
    // The real process's smaps sums to its rollup; the added entries hold 96 kB more.
    let rss: u64 = map.mappings.iter().filter_map(|m| m.rss_bytes).sum();
    assert_eq!(rss, t.rss_bytes + kb(96));
    let sysv = map.mappings.iter().find(|m| m.inode == 65538);
    assert_eq!(sysv.and_then(|m| m.rss_bytes), Some(kb(64)));
    let arena = map
        .mappings
        .iter()
        .find(|m| m.path.as_deref() == Some("[anon:arena 1]"));
    assert_eq!(arena.and_then(|m| m.anonymous_bytes), Some(kb(12)));
}

#[test]
fn kernel_thread_is_an_empty_map() {
    let map = read_memory_map(&roots(), 2, 3);
    let mut map = match map {
        Ok(m) => m,
        Err(e) => panic!("{e}"),
    };
    assert!(map.mappings.is_empty() && map.gaps.is_empty());
    assert_eq!((map.totals, map.totals_access), (None, Access::Ok));
    assert!(fill_smaps_counters(&roots(), &mut map).is_ok());
}

/// The v2 host fixture, whose process table has a zombie (301) and kthreadd (2).
fn host_roots() -> Roots {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cgroup-v2");
    Roots::new(dir.join("proc"), dir.join("cgroup"))
}

/// The empty map of `pid` and what its row in a collected snapshot says of it.
fn no_mappings(pid: i32) -> NoMappings {
    let snap = boxtop::collect::Collector::new(host_roots())
        .and_then(|mut c| c.collect(None))
        .unwrap_or_else(|e| panic!("collect: {e}"));
    let row = snap.process(pid).expect("in the fixture");
    let map = read_memory_map(&host_roots(), pid, row.start_time_ticks)
        .unwrap_or_else(|e| panic!("{pid}: {e}"));
    assert!(map.mappings.is_empty() && map.gaps.is_empty(), "{pid}");
    assert_eq!(map.user_space, None, "nothing to place");
    NoMappings::of(row.kernel_thread, row.state)
}

#[test]
fn a_zombies_empty_map_is_said_to_be_released_not_a_kernel_thread() {
    let why = no_mappings(301);
    assert_eq!(why, NoMappings::Exited(boxtop::model::ProcState::new(b'Z')));
    let said = why.sentence(301);
    assert!(said.contains("zombie (state Z)"), "{said}");
    assert!(said.contains("already released"), "{said}");
    assert!(!said.contains("kernel thread"), "{said}");
}

#[test]
fn a_kernel_threads_empty_map_is_said_to_be_one() {
    let why = no_mappings(2);
    assert_eq!(why, NoMappings::KernelThread);
    assert!(why.sentence(2).contains("kernel thread"));
}

#[test]
fn missing_exe_smaps_and_rollup() {
    let mut map = match read_memory_map(&roots(), 4242, 777) {
        Ok(m) => m,
        Err(e) => panic!("{e}"),
    };
    let kinds: Vec<(MappingKind, bool)> =
        map.mappings.iter().map(|m| (m.kind, m.deleted)).collect();
    use MappingKind::*;
    assert_eq!(
        kinds,
        vec![
            (Text, true),
            (Data, true),
            (Heap, false),
            (Library, false),
            (Library, false),
            (Stack, false)
        ]
    );
    assert_eq!(map.mappings[0].start, 0x0804_8000);
    assert_eq!((map.totals, map.totals_access), (None, Access::Gone));
    let err = fill_smaps_counters(&roots(), &mut map);
    assert!(matches!(err, Err(KernelError::Gone { .. })), "{err:?}");
    assert!(!map.smaps_read);
    assert_eq!(map.smaps_access, Access::Gone);
    assert!(map.mappings.iter().all(|m| m.rss_bytes.is_none()));
}

#[test]
fn missing_pid_or_reused_pid_is_gone() {
    let err = read_memory_map(&roots(), 99_999, 1);
    assert!(matches!(err, Err(KernelError::Gone { .. })), "{err:?}");
    // Same pid, another start time: a newer process took the pid.
    let err = read_memory_map(&roots(), SLEEP, SLEEP_START + 1);
    assert!(matches!(err, Err(KernelError::Gone { .. })), "{err:?}");
}

/// Set in the child that [`smaps_denied_while_maps_is_not`] starts as `nobody`.
const DENIED_CHILD: &str = "BOXTOP_MAPS_DENIED_PROC";

/// In the child: read the copied fixture and print what came out. In a normal run: nothing.
#[test]
fn denied_child() {
    let Some(proc) = std::env::var_os(DENIED_CHILD) else {
        return;
    };
    let roots = Roots::new(PathBuf::from(proc), fixture().join("cgroup"));
    let mut map = match read_memory_map(&roots, SLEEP, SLEEP_START) {
        Ok(m) => m,
        Err(e) => panic!("{e}"),
    };
    let fill = fill_smaps_counters(&roots, &mut map);
    println!(
        "RESULT n={} totals={:?} totals_access={:?} smaps_access={:?} smaps_read={} fill_denied={}",
        map.mappings.len(),
        map.totals.is_some(),
        map.totals_access,
        map.smaps_access,
        map.smaps_read,
        matches!(fill, Err(KernelError::Denied { .. })),
    );
}

/// Root reads everything, so the denial is produced for real: a copy of the fixture with
/// smaps and smaps_rollup at mode 000, read by this test binary re-run as `nobody`.
#[test]
fn smaps_denied_while_maps_is_not() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    if !nix::unistd::Uid::effective().is_root() {
        println!("skipped: needs root to run a child as nobody");
        return;
    }
    let Ok(tmp) = tempfile::tempdir() else {
        panic!("tempdir");
    };
    let dir = tmp.path().join("proc/6716");
    let copy = || -> std::io::Result<()> {
        std::fs::create_dir_all(&dir)?;
        for f in ["maps", "smaps", "smaps_rollup", "stat"] {
            std::fs::copy(fixture().join("proc/6716").join(f), dir.join(f))?;
        }
        std::os::unix::fs::symlink("/usr/bin/sleep", dir.join("exe"))?;
        for d in [tmp.path(), &tmp.path().join("proc"), &dir] {
            std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o755))?;
        }
        for f in ["smaps", "smaps_rollup"] {
            std::fs::set_permissions(dir.join(f), std::fs::Permissions::from_mode(0o000))?;
        }
        Ok(())
    };
    if let Err(e) = copy() {
        panic!("copy fixture: {e}");
    }
    let exe = std::env::current_exe().unwrap_or_default();
    let out = std::process::Command::new(exe)
        .args(["--exact", "denied_child", "--nocapture", "--test-threads=1"])
        .env(DENIED_CHILD, tmp.path().join("proc"))
        .uid(65534)
        .gid(65534)
        .output();
    let out = match out {
        Ok(o) => o,
        Err(e) => {
            println!("skipped: cannot run the test binary as nobody ({e})");
            return;
        }
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    // The harness prints "test denied_child ... " on the same line before our output.
    let result = stdout
        .lines()
        .find_map(|l| l.find("RESULT").and_then(|i| l.get(i..)));
    assert_eq!(
        result,
        Some(
            "RESULT n=45 totals=false totals_access=Denied smaps_access=Denied smaps_read=false \
             fill_denied=true"
        ),
        "child said:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
