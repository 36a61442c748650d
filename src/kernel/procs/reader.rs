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
//!   not run; that is caught by the periodic full read below.)
//! - What rarely changes (command line, uid, NSpid, namespaces, cgroup membership) is read
//!   when a process is first seen, then again every `slow_period` refreshes, staggered by pid
//!   so that the cost is spread evenly: at most `slow_period` refreshes stale. Pids named in
//!   `fresh` (the selected process) are read in full on every refresh.

use super::cgroup_file::parse_proc_cgroup;
use super::cmdline::parse_cmdline;
use super::files::{KeptFile, parse_schedstat_pcount, read_at_start, read_path};
use super::stat::{Stat, parse_stat, parse_statm_resident};
use super::status::{Status, parse_status};
use super::users::UserCache;
use crate::kernel::namespaces::read_ns_set;
use crate::kernel::{KernelError, Roots};
use crate::model::{Access, NsSet, ProcCgroup, ProcessRow};
use crate::text::display_safe;
use std::collections::HashMap;
use std::fs::File;
use std::sync::Arc;
use std::time::Instant;

/// Default refreshes between two full reads of one process.
pub const DEFAULT_SLOW_PERIOD: u64 = 10;

#[derive(Debug)]
pub struct ProcReader {
    entries: HashMap<i32, Entry>,
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
    tick: u64,
    last_refresh: Option<Instant>,
    /// Wall time since the previous refresh (None on the first).
    elapsed_usec: Option<u64>,
    clk_tck: u64,
    page_size: u64,
    /// Refreshes between two full reads of a process (1 = every refresh).
    pub slow_period: u64,
}

#[derive(Debug, Default)]
struct Entry {
    schedstat: Option<KeptFile>,
    stat: Option<KeptFile>,
    pcount: Option<u64>,
    /// `pcount` when status, cmdline and namespaces were last read.
    pcount_at_slow: Option<u64>,
    comm_raw: Vec<u8>,
    /// The last row produced (None until the first full read), shared with the snapshots:
    /// a process that did not run costs the snapshot one pointer.
    row: Option<Arc<ProcessRow>>,
    seen_tick: u64,
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
            entries: HashMap::new(),
            buf: Vec::with_capacity(1024),
            scratch: Vec::with_capacity(2048),
            pids: Vec::new(),
            users: UserCache::default(),
            cgroup_sets: HashMap::new(),
            ns_sets: HashMap::new(),
            tick: 0,
            last_refresh: None,
            elapsed_usec: None,
            clk_tck: sysconf(nix::unistd::SysconfVar::CLK_TCK).unwrap_or(100),
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
        self.tick += 1;
        let now = Instant::now();
        self.elapsed_usec = self
            .last_refresh
            .map(|t| now.duration_since(t).as_micros() as u64);
        self.last_refresh = Some(now);
        list_pids(roots, &mut self.pids)?;
        let pids = std::mem::take(&mut self.pids);
        // Grow the cache once rather than by doubling (each doubling briefly holds both).
        self.entries
            .reserve(pids.len().saturating_sub(self.entries.len()));
        let mut rows = Vec::with_capacity(pids.len());
        for &pid in &pids {
            let depth = if fresh.contains(&pid) {
                Depth::Full
            } else if (pid as u64 + self.tick).is_multiple_of(self.slow_period.max(1)) {
                Depth::Periodic
            } else {
                Depth::Light
            };
            let mut entry = self.entries.remove(&pid).unwrap_or_default();
            if let Some(row) = self.sample(roots, pid, depth, &mut entry) {
                entry.seen_tick = self.tick;
                entry.row = Some(Arc::clone(&row));
                self.entries.insert(pid, entry);
                rows.push(row);
            }
        }
        self.pids = pids;
        let tick = self.tick;
        self.entries.retain(|_, e| e.seen_tick == tick);
        if self.cgroup_sets.len() > 4 * rows.len().max(64) {
            self.cgroup_sets.clear(); // bound the interners on hosts with churning cgroups
        }
        if self.ns_sets.len() > 4 * rows.len().max(64) {
            self.ns_sets.clear();
        }
        rows.sort_unstable_by_key(|r| r.pid);
        Ok(rows)
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
            Ok(()) => parse_schedstat_pcount(&self.buf),
            Err(ReadFail::Stale) => return self.sample_new(roots, pid, e),
            Err(ReadFail::Missing) => None, // no schedstat here: read stat every time
        };
        let ran = pcount.is_none() || pcount != e.pcount;
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
            // It did not run: 0 % since the last refresh.
            if self.elapsed_usec.is_some() && row.cpu_percent != Some(0.0) {
                Arc::make_mut(row).cpu_percent = Some(0.0);
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
            let same = e
                .row
                .as_ref()
                .is_some_and(|r| r.start_time_ticks == stat.starttime);
            // A new process under a pid we knew (only possible when files were not kept):
            // nothing of the old one may be reused. A changed comm most likely means an
            // exec, which is when namespaces and command lines change: read it all.
            let exec = e.comm_raw != stat.comm;
            let depth = if !same || exec { Depth::Full } else { depth };
            if !same {
                e.row = None;
            }
            self.build_row(roots, pid, &stat, e, ran, depth)
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
        let f = File::open(roots.pid_file(pid, name)).map_err(|_| ReadFail::Missing)?;
        match read_at_start(&f, &mut self.buf) {
            Ok(n) if n > 0 => {
                *slot = KeptFile::keep(f);
                Ok(())
            }
            _ => Err(ReadFail::Missing),
        }
    }

    fn build_row(
        &mut self,
        roots: &Roots,
        pid: i32,
        stat: &Stat<'_>,
        e: &mut Entry,
        ran: bool,
        depth: Depth,
    ) -> Option<Arc<ProcessRow>> {
        let moved_since_slow = e.pcount.is_none() || e.pcount != e.pcount_at_slow;
        // Whether status, cmdline, uid and namespaces are read now.
        let slow = e.row.is_none()
            || depth == Depth::Full
            || (depth == Depth::Periodic
                && (moved_since_slow || e.row.as_ref().is_some_and(|r| r.threads > 1)));
        // status holds the main thread's context switches (and uid, NSpid): they can only
        // change if that thread ran.
        let mut st = Status::default();
        let mut status_access = Access::Ok;
        let old = e.row.as_ref().filter(|_| !ran && !slow);
        match old {
            Some(old) => {
                st.uid = old.uid;
                st.nspid = old.nspid.to_vec();
                st.voluntary_ctxt_switches = old.voluntary_ctxt_switches;
                st.nonvoluntary_ctxt_switches = old.nonvoluntary_ctxt_switches;
                status_access = old.status_access;
            }
            None => {
                let path = roots.pid_file(pid, "status");
                match read_path(&path, &mut self.scratch) {
                    Ok(_) => st = parse_status(&self.scratch),
                    Err(err) => status_access = KernelError::from_io(path, err).access(),
                }
            }
        }
        let comm = match e.row.as_ref() {
            Some(r) if e.comm_raw == stat.comm => r.comm.clone(),
            _ => Arc::from(display_safe(stat.comm)),
        };
        e.comm_raw.clear();
        e.comm_raw.extend_from_slice(stat.comm);
        // RSS from statm, not from stat's `rss` field: since Linux 6.2 the latter reads the
        // per-CPU counters without summing them and can be off by hundreds of KiB (seen
        // here: stat said 1456 KiB where statm, status and ps said 1676 KiB).
        let rss_pages = match read_path(&roots.pid_file(pid, "statm"), &mut self.scratch) {
            Ok(_) => parse_statm_resident(&self.scratch).unwrap_or(stat.rss_pages),
            Err(_) => stat.rss_pages,
        };
        let usec = |ticks: u64| ticks.saturating_mul(1_000_000) / self.clk_tck.max(1);
        let mut row = ProcessRow {
            pid,
            ppid: stat.ppid,
            start_time_ticks: stat.starttime,
            comm,
            cmdline: Arc::from(Vec::new()),
            state: char::from(stat.state),
            uid: st.uid,
            user: None,
            threads: stat.num_threads,
            rss_bytes: rss_pages.saturating_mul(self.page_size),
            vsz_bytes: stat.vsize,
            utime_usec: usec(stat.utime),
            stime_usec: usec(stat.stime),
            cpu_percent: None, // below
            voluntary_ctxt_switches: st.voluntary_ctxt_switches,
            nonvoluntary_ctxt_switches: st.nonvoluntary_ctxt_switches,
            kernel_thread: stat.is_kernel_thread(),
            nspid: Arc::from(st.nspid),
            cgroups: Arc::from(Vec::new()),
            namespaces: Arc::default(),
            session: stat.session,
            tty_nr: stat.tty_nr,
            namespaces_access: Access::Ok,
            status_access,
        };
        match e.row.as_ref().filter(|_| !slow) {
            Some(old) => {
                row.cmdline = old.cmdline.clone();
                row.user = old.user.clone();
                row.uid = row.uid.or(old.uid);
                row.cgroups = old.cgroups.clone();
                row.namespaces = Arc::clone(&old.namespaces);
                row.namespaces_access = old.namespaces_access;
            }
            None => {
                self.read_slow(roots, &mut row);
                e.pcount_at_slow = e.pcount;
            }
        }
        if depth == Depth::Periodic && !slow {
            self.read_cgroup(roots, &mut row);
        }
        // cpu %: CPU time used since the last refresh over the wall time between them.
        if let (Some(old), Some(elapsed)) = (e.row.as_ref(), self.elapsed_usec.filter(|e| *e > 0)) {
            let used =
                (row.utime_usec + row.stime_usec).saturating_sub(old.utime_usec + old.stime_usec);
            row.cpu_percent = Some(used as f64 * 100.0 / elapsed as f64);
        }
        Some(Arc::new(row))
    }

    /// Command line, user name, cgroup membership and namespaces.
    fn read_slow(&mut self, roots: &Roots, row: &mut ProcessRow) {
        let pid = row.pid;
        if read_path(&roots.pid_file(pid, "cmdline"), &mut self.scratch).is_ok() {
            row.cmdline = parse_cmdline(&self.scratch).into();
        }
        row.user = row.uid.and_then(|u| self.users.name(u));
        self.read_cgroup(roots, row);
        match read_ns_set(roots, pid) {
            Ok(set) => {
                row.namespaces =
                    Arc::clone(self.ns_sets.entry(set).or_insert_with(|| Arc::new(set)))
            }
            Err(e) => row.namespaces_access = e.access(),
        }
    }

    /// /proc/PID/cgroup, shared with every process whose file reads the same.
    fn read_cgroup(&mut self, roots: &Roots, row: &mut ProcessRow) {
        if read_path(&roots.pid_file(row.pid, "cgroup"), &mut self.scratch).is_ok() {
            row.cgroups = match self.cgroup_sets.get(&self.scratch) {
                Some(set) => set.clone(),
                None => {
                    let set: Arc<[ProcCgroup]> = parse_proc_cgroup(&self.scratch).into();
                    self.cgroup_sets.insert(self.scratch.clone(), set.clone());
                    set
                }
            };
        }
    }
}

impl Default for ProcReader {
    fn default() -> Self {
        ProcReader::new()
    }
}

/// The numeric entries of the proc root, i.e. the visible processes (thread-group leaders).
fn list_pids(roots: &Roots, out: &mut Vec<i32>) -> Result<(), KernelError> {
    out.clear();
    let root = roots.proc_root();
    let dir = std::fs::read_dir(root).map_err(|e| KernelError::from_io(root, e))?;
    for entry in dir.flatten() {
        let name = entry.file_name();
        if let Some(pid) = super::stat::parse_int(name.as_encoded_bytes()).filter(|p| *p > 0) {
            out.push(pid);
        }
    }
    Ok(())
}

fn sysconf(var: nix::unistd::SysconfVar) -> Option<u64> {
    nix::unistd::sysconf(var)
        .ok()
        .flatten()
        .and_then(|v| u64::try_from(v).ok())
        .filter(|v| *v > 0)
}
