//! Shared by the kernel tests of the memory map: a child process the test starts itself (this
//! test binary re-run with [`CHILD`] set, through the crate's own `child_process` test,
//! which calls [`child_main`]), and procps `pmap -X` read as a cross-check.
//!
//! The child maps what it is told, prints `ready <address>` and blocks on stdin until the
//! parent closes it. Children are killed and reaped by a guard even when an assertion fails.
//! Nothing here touches any other process.

#![allow(
    dead_code,
    reason = "shared by several test crates; each uses only part of it"
)]

use boxtop::kernel::Roots;
use boxtop::kernel::maps::read_memory_map;
use boxtop::model::MemoryMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdout, Command, Stdio};

pub(crate) const CHILD: &str = "BOXTOP_MAPS_CHILD";
/// Pages of the known mapping, and how many of them the child touches.
pub(crate) const KNOWN_PAGES: usize = 7;
pub(crate) const KNOWN_TOUCHED: usize = 5;
/// Mappings of the many-mappings child (vm.max_map_count is 65530 by default).
pub(crate) const MANY: usize = 60_000;

pub(crate) fn page() -> usize {
    // SAFETY: sysconf has no preconditions.
    let n = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    usize::try_from(n).unwrap_or(4096)
}

/// The child's side, for each test crate's `child_process` test to call. In a normal test
/// run it does nothing. Mode `exit` returns at once: the child exits, and stays a zombie
/// until the parent waits for it.
pub(crate) fn child_main() {
    let Ok(mode) = std::env::var(CHILD) else {
        return;
    };
    let addr = match mode.as_str() {
        "known" => map_known(),
        "many" => map_many(),
        "exit" => return,
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
pub(crate) struct Guard {
    child: Child,
    pub(crate) addr: u64,
}

impl Guard {
    pub(crate) fn start(mode: &str) -> Guard {
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

    /// A child that exits at once and is left unreaped (a zombie) until the guard drops.
    pub(crate) fn start_and_exit() -> Guard {
        let exe = std::env::current_exe().unwrap_or_default();
        let child = Command::new(exe)
            .args(["--exact", "child_process", "--test-threads=1"])
            .env(CHILD, "exit")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn();
        match child {
            Ok(child) => Guard { child, addr: 0 },
            Err(e) => panic!("spawn child: {e}"),
        }
    }

    pub(crate) fn pid(&self) -> i32 {
        i32::try_from(self.child.id()).unwrap_or(0)
    }

    pub(crate) fn read(&self) -> MemoryMap {
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
pub(crate) fn start_time(pid: i32) -> u64 {
    let stat = std::fs::read_to_string(Roots::live().pid_file(pid, "stat")).unwrap_or_default();
    let after = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or_default();
    after
        .split_whitespace()
        .nth(19)
        .and_then(|w| w.parse().ok())
        .unwrap_or(0)
}

/// One row of `pmap -X`: address, size and Rss and Pss in kB.
pub(crate) type PmapRow = (u64, u64, u64, u64);

/// What `pmap -X` printed: its rows, and its totals line (Size, Rss and Pss in kB).
pub(crate) struct Pmap {
    pub(crate) rows: Vec<PmapRow>,
    pub(crate) size_kb: u64,
    pub(crate) rss_kb: u64,
    pub(crate) pss_kb: u64,
}

/// Runs procps `pmap -X`, which reads smaps with its own parser. None when it is missing.
pub(crate) fn pmap(pid: i32) -> Option<Pmap> {
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
            totals = Some((num(0)?, num(rss - size)?, num(pss - size)?));
            break;
        }
        let addr = u64::from_str_radix(w.first()?, 16).ok()?;
        rows.push((addr, num(size)?, num(rss)?, num(pss)?));
    }
    let (size_kb, rss_kb, pss_kb) = totals?;
    Some(Pmap {
        rows,
        size_kb,
        rss_kb,
        pss_kb,
    })
}
