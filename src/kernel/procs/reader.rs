//! The per-refresh process reader, built to cost less than a plain open/read/close loop.
//!
//! How it stays cheap (figures in BENCHMARKS.md):
//! - `schedstat` and `stat` of every process stay open between refreshes and are re-read
//!   with pread into one buffer: no path lookup, open or close. A kept file also pins the
//!   process: once that process is reaped the read fails with ESRCH, even if its pid has been
//!   reused, so a reused pid never inherits old data.
//! - `schedstat` is read first. When its run count has not moved, a single-threaded process
//!   has not run since the last refresh, so its stat and context switches are unchanged and
//!   the last row is reused. Most processes on a host sleep, so most of `stat` and all of the
//!   costlier `status` are skipped. (Memory reclaim can shrink the RSS of a process that does
//!   not run, and a parent's exit re-parents it; the periodic read below catches both.)
//! - What rarely changes (command line, uid, NSpid, namespaces, cgroup membership) is read
//!   when a process is first seen, then again every `slow_period` refreshes, staggered by pid
//!   so that the cost is spread evenly: at most `slow_period` refreshes stale. Pids named in
//!   `fresh` (the selected process) are read in full on every refresh.

mod parallel;
mod row;

pub(in crate::kernel::procs) use row::{comm_matches, new_info};

use super::files::{KeptFile, parse_schedstat_pcount, read_at_start};
use super::stat::parse_stat;
use super::users::UserCache;
use crate::kernel::{KernelError, Roots};
use crate::model::{CpuPercent, NsSet, ProcCgroup, ProcessRow};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

/// Default refreshes between two full reads of one process.
pub const DEFAULT_SLOW_PERIOD: u64 = 10;

/// `pcount` not known (no schedstat, or not read yet). (A run count whose low bits are this
/// reads as unknown: the process is read as if it ran, which is only the cost of a read.)
const NO_PCOUNT: u32 = u32::MAX;

/// The low 32 bits of a counter that is only compared for equality with its last value.
fn low32(n: u64) -> u32 {
    u32::try_from(n & u64::from(u32::MAX)).unwrap_or(NO_PCOUNT)
}

#[derive(Debug)]
pub struct ProcReader {
    /// One entry per process, ascending by pid (a sorted vector, not a hash map: at 5,000
    /// processes a map's table of 8,192 buckets is 130 KiB more than the entries).
    entries: Vec<(i32, Entry)>,
    buf: Vec<u8>,
    /// Second buffer, for the files read while stat's text is still in `buf`.
    scratch: Vec<u8>,
    pids: Vec<i32>,
    users: UserCache,
    /// Identical /proc/PID/cgroup contents share one parsed copy (most processes of a host
    /// sit in a handful of cgroups).
    cgroup_sets: HashMap<Vec<u8>, Arc<[ProcCgroup]>>,
    /// Likewise for namespace sets.
    ns_sets: HashMap<NsSet, Arc<NsSet>>,
    /// Likewise for names (`comm`): a host runs many processes of the same program, and each
    /// name would otherwise be an allocation of its own (160 KiB at 5,000 processes).
    comms: super::comm_names::CommNames,
    tick: u64,
    last_refresh: Option<Instant>,
    /// Wall time since the previous refresh (None on the first).
    elapsed_usec: Option<u64>,
    clk_tck: u64,
    page_size: u64,
    /// Refreshes between two full reads of a process (1 = every refresh).
    pub slow_period: u64,
}

#[derive(Debug)]
struct Entry {
    schedstat: Option<KeptFile>,
    stat: Option<KeptFile>,
    /// Run count from schedstat at the last refresh ([`NO_PCOUNT`] if unknown), its low 32
    /// bits: it is only compared with the previous one, and a process does not run 2^32
    /// times between two refreshes. (The cache holds one entry per process: 8 bytes saved
    /// each is 64 KiB of hash table at 5,000 processes.)
    pcount: u32,
    /// `pcount` when status, cmdline and namespaces were last read.
    pcount_at_slow: u32,
    /// The last row produced (None until the first read), shared with the snapshots: a
    /// process that did not run costs each snapshot one pointer, not a copy.
    row: Option<Arc<ProcessRow>>,
    /// The process vanished while it was read: forgotten at the end of the refresh.
    gone: bool,
}

impl Default for Entry {
    fn default() -> Self {
        Entry {
            schedstat: None,
            stat: None,
            pcount: NO_PCOUNT,
            pcount_at_slow: NO_PCOUNT,
            row: None,
            gone: false,
        }
    }
}

/// How much of a process one refresh reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Depth {
    /// stat (status too if the main thread ran); reuse the last row if it did not run.
    Light,
    /// The staggered periodic read: stat and cgroup always; status, cmdline, uid and
    /// namespaces only if the main thread ran since they were last read (a task that has
    /// not run cannot have exec'd, setns'd, unshared or changed its ids; another process
    /// can move it to another cgroup, though).
    Periodic,
    /// Everything: a new process, or the selected one.
    Full,
}

/// Why a read through [`ProcReader::read_kept`] failed.
enum ReadFail {
    /// The kept file's process is gone (ESRCH or an empty read); its pid may be reused.
    Stale,
    /// The file could not be opened or read by path: gone, denied or not there at all.
    Missing,
}

impl ProcReader {
    pub fn new() -> Self {
        ProcReader {
            entries: Vec::new(),
            buf: Vec::with_capacity(1024),
            scratch: Vec::with_capacity(2048),
            pids: Vec::new(),
            users: UserCache::default(),
            cgroup_sets: HashMap::new(),
            ns_sets: HashMap::new(),
            comms: super::comm_names::CommNames::default(),
            tick: 0,
            last_refresh: None,
            elapsed_usec: None,
            clk_tck: clk_tck(),
            page_size: sysconf(nix::unistd::SysconfVar::PAGE_SIZE).unwrap_or(4096),
            slow_period: DEFAULT_SLOW_PERIOD,
        }
    }

    /// Reads every process. Processes that vanish mid-read are skipped; only an unreadable
    /// proc root is an error.
    pub fn refresh(
        &mut self,
        roots: &Roots,
        fresh: &[i32],
    ) -> Result<Vec<Arc<ProcessRow>>, KernelError> {
        self.start_refresh();
        super::list_pids(roots, &mut self.pids)?;
        self.pids.sort_unstable();
        let pids = std::mem::take(&mut self.pids);
        let rows = self.read_listed(roots, &pids, fresh);
        self.pids = pids;
        Ok(rows)
    }

    /// [`ProcReader::refresh`] of the processes `pids` (ascending) alone, as `boxtop serve`
    /// reads only those its metrics need; the others are forgotten.
    pub fn refresh_only(
        &mut self,
        roots: &Roots,
        pids: &[i32],
        fresh: &[i32],
    ) -> Vec<Arc<ProcessRow>> {
        self.start_refresh();
        self.read_listed(roots, pids, fresh)
    }

    fn start_refresh(&mut self) {
        self.tick += 1;
        let now = Instant::now();
        self.elapsed_usec = self
            .last_refresh
            .map(|t| u64::try_from(now.duration_since(t).as_micros()).unwrap_or(u64::MAX));
        self.last_refresh = Some(now);
    }

    fn read_listed(&mut self, roots: &Roots, pids: &[i32], fresh: &[i32]) -> Vec<Arc<ProcessRow>> {
        self.align_entries(pids);
        // Out of the reader while they are read, so that parts of them can be read on other
        // threads (`parallel.rs`); put back below.
        let mut entries = std::mem::take(&mut self.entries);
        let (mut rows, gone) = self.read_entries(roots, &mut entries, fresh);
        self.entries = entries;
        if gone {
            self.entries.retain(|(_, e)| !e.gone);
        }
        if self.cgroup_sets.len() > 4 * rows.len().max(64) {
            self.cgroup_sets.clear(); // bound the interners on hosts with churning cgroups
        }
        if self.ns_sets.len() > 4 * rows.len().max(64) {
            self.ns_sets.clear();
        }
        self.comms.bound(rows.len());
        rows.sort_unstable_by_key(|r| r.pid);
        rows
    }

    /// Reads the processes of `entries` (one per pid listed, ascending, as `align_entries`
    /// left them) on this thread: their rows, and whether one vanished.
    fn read_range(
        &mut self,
        roots: &Roots,
        entries: &mut [(i32, Entry)],
        fresh: &[i32],
    ) -> (Vec<Arc<ProcessRow>>, bool) {
        let mut rows = Vec::with_capacity(entries.len());
        let mut gone = false;
        for (pid, entry) in entries.iter_mut() {
            let pid = *pid;
            let depth = if fresh.contains(&pid) {
                Depth::Full
            } else if (u64::from(pid.unsigned_abs()) + self.tick)
                .is_multiple_of(self.slow_period.max(1))
            {
                Depth::Periodic
            } else {
                Depth::Light
            };
            match self.sample(roots, pid, depth, entry) {
                Some(row) => {
                    entry.row = Some(Arc::clone(&row));
                    rows.push(row);
                }
                // Gone mid-read: forgotten by the caller.
                None => {
                    *entry = Entry::default();
                    entry.gone = true;
                    gone = true;
                }
            }
        }
        (rows, gone)
    }

    /// Makes `entries` hold exactly one entry per pid of `pids` (ascending), in the same
    /// order: entries of processes gone are dropped, new pids get a fresh entry. In place:
    /// a process that appears or ends moves the entries after it, never copies the cache.
    fn align_entries(&mut self, pids: &[i32]) {
        self.entries
            .retain(|(pid, _)| pids.binary_search(pid).is_ok());
        if self.entries.len() == pids.len() {
            return;
        }
        self.entries
            .reserve_exact(pids.len().saturating_sub(self.entries.len()));
        for (i, &pid) in pids.iter().enumerate() {
            if self.entries.get(i).map(|(p, _)| *p) != Some(pid) {
                self.entries.insert(i, (pid, Entry::default()));
            }
        }
    }

    /// The display-safe name, shared with every process of the same name.
    fn comm(&mut self, raw: &[u8]) -> Arc<str> {
        self.comms.get(raw)
    }

    /// One process, read to `depth`.
    fn sample(
        &mut self,
        roots: &Roots,
        pid: i32,
        depth: Depth,
        e: &mut Entry,
    ) -> Option<Arc<ProcessRow>> {
        let pcount = match self.read_kept(&mut e.schedstat, roots, pid, "schedstat") {
            Ok(()) => parse_schedstat_pcount(&self.buf).map_or(NO_PCOUNT, low32),
            Err(ReadFail::Stale) => return self.sample_new(roots, pid, e),
            Err(ReadFail::Missing) => NO_PCOUNT, // no schedstat here: read stat every time
        };
        let ran = pcount == NO_PCOUNT || pcount != e.pcount;
        e.pcount = pcount;
        // A command line read in the middle of an exec (comm already new, argv not yet set
        // up) comes back empty: read such a process again rather than keep the blank.
        let blank = e
            .row
            .as_ref()
            .is_some_and(|r| r.cmdline.is_empty() && !r.kernel_thread && r.state != 'Z');
        let depth = if blank { Depth::Full } else { depth };
        if let Some(row) = e
            .row
            .as_mut()
            .filter(|r| !ran && depth == Depth::Light && r.threads == 1)
        {
            // It did not run: 0 % since the last refresh. (The copy this makes happens once,
            // when a process first goes idle; after that the same row is shared.)
            if self.elapsed_usec.is_some() && row.cpu_percent.get() != Some(0.0) {
                Arc::make_mut(row).cpu_percent = CpuPercent::new(Some(0.0));
            }
            return Some(Arc::clone(row));
        }
        match self.read_kept(&mut e.stat, roots, pid, "stat") {
            Ok(()) => {}
            Err(ReadFail::Stale) => return self.sample_new(roots, pid, e),
            Err(ReadFail::Missing) => return None,
        }
        let buf = std::mem::take(&mut self.buf);
        let row = parse_stat(&buf).and_then(|stat| {
            let old = e
                .row
                .as_ref()
                .filter(|r| r.start_time_ticks == stat.starttime);
            // A new process under a pid we knew (only possible when files were not kept):
            // nothing of the old one may be reused. A changed comm most likely means an
            // exec, which is when namespaces and command lines change: read it all.
            let exec = old.is_some_and(|r| !comm_matches(stat.comm, &r.comm));
            let depth = if old.is_none() || exec {
                Depth::Full
            } else {
                depth
            };
            if old.is_none() {
                e.row = None;
            }
            self.build_row(roots, pid, &stat, e, ran, depth)
                .map(Arc::new)
        });
        self.buf = buf;
        row
    }

    /// The process we kept files for is gone, but its pid is listed again: a new process.
    fn sample_new(&mut self, roots: &Roots, pid: i32, e: &mut Entry) -> Option<Arc<ProcessRow>> {
        *e = Entry::default();
        self.sample(roots, pid, Depth::Full, e)
    }

    /// Reads `/proc/PID/<name>` into `self.buf`, through the kept file if there is one,
    /// else by path (keeping the file for next time if the budget allows).
    fn read_kept(
        &mut self,
        slot: &mut Option<KeptFile>,
        roots: &Roots,
        pid: i32,
        name: &str,
    ) -> Result<(), ReadFail> {
        if let Some(f) = slot.as_ref() {
            return match read_at_start(f.file(), &mut self.buf) {
                Ok(n) if n > 0 => Ok(()),
                _ => Err(ReadFail::Stale),
            };
        }
        let f = std::fs::File::open(roots.pid_file(pid, name)).map_err(|_| ReadFail::Missing)?;
        match read_at_start(&f, &mut self.buf) {
            Ok(n) if n > 0 => {
                *slot = KeptFile::keep(f);
                Ok(())
            }
            _ => Err(ReadFail::Missing),
        }
    }
}

impl Default for ProcReader {
    fn default() -> Self {
        ProcReader::new()
    }
}

/// Clock ticks a second (stat's times are in these).
pub(in crate::kernel::procs) fn clk_tck() -> u64 {
    sysconf(nix::unistd::SysconfVar::CLK_TCK).unwrap_or(100)
}

fn sysconf(var: nix::unistd::SysconfVar) -> Option<u64> {
    nix::unistd::sysconf(var)
        .ok()
        .flatten()
        .and_then(|v| u64::try_from(v).ok())
        .filter(|v| *v > 0)
}
