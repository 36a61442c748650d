//! The per-refresh process reader, built to cost less than a plain open/read/close loop.
//!
//! How it stays cheap (figures in BENCHMARKS.md):
//! - `stat` (and `status`, for context switches) of every process stay open between
//!   refreshes and are re-read with pread into one buffer: the kernel regenerates the text on
//!   every read at offset 0, and we skip the path lookup, open and close. A kept file
//!   also pins the process identity: once that process is reaped the read fails with ESRCH,
//!   even if its pid has been reused, so a reused pid can never inherit old data.
//! - What rarely changes (command line, uid, NSpid, namespaces, cgroup membership) is read
//!   when a process is first seen, then again every `slow_period` refreshes, staggered by pid
//!   so that the cost is spread evenly. It is therefore at most `slow_period` refreshes stale.
//!   Pids named in `fresh` (the selected process) are re-read on every refresh.

use super::cgroup_file::parse_proc_cgroup;
use super::cmdline::parse_cmdline;
use super::stat::{Stat, parse_stat};
use super::status::{parse_ctxt_switches, parse_status};
use super::users::UserCache;
use crate::kernel::namespaces::read_ns_set;
use crate::kernel::{KernelError, Roots};
use crate::model::{Access, NsSet, ProcCgroup, ProcessRow};
use crate::text::display_safe;
use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Read};
use std::os::unix::fs::FileExt;
use std::sync::Arc;

/// Default refreshes between two reads of the slow fields of one process.
pub const DEFAULT_SLOW_PERIOD: u64 = 10;

/// File descriptors left for everything else (terminal, cgroup files, maps).
const FD_RESERVE: u64 = 256;

#[derive(Debug)]
pub struct ProcReader {
    entries: HashMap<i32, Entry>,
    buf: Vec<u8>,
    pids: Vec<i32>,
    users: UserCache,
    tick: u64,
    clk_tck: u64,
    page_size: u64,
    /// How many files may be kept open, and how many are.
    fd_budget: u64,
    kept: u64,
    /// Refreshes between two reads of the slow fields (1 = every refresh).
    pub slow_period: u64,
}

#[derive(Debug)]
struct Entry {
    start_time: u64,
    stat_file: Option<File>,
    status_file: Option<File>,
    comm_raw: Vec<u8>,
    comm: Arc<str>,
    slow: Slow,
    seen_tick: u64,
}

impl Entry {
    fn kept_files(&self) -> u64 {
        u64::from(self.stat_file.is_some()) + u64::from(self.status_file.is_some())
    }
}

#[derive(Debug, Clone, Default)]
struct Slow {
    cmdline: Arc<[String]>,
    uid: Option<u32>,
    user: Option<Arc<str>>,
    nspid: Arc<[i32]>,
    cgroups: Arc<[ProcCgroup]>,
    namespaces: NsSet,
    namespaces_access: Access,
}

impl ProcReader {
    pub fn new() -> Self {
        ProcReader {
            entries: HashMap::new(),
            buf: Vec::with_capacity(4096),
            pids: Vec::new(),
            users: UserCache::default(),
            tick: 0,
            clk_tck: sysconf(nix::unistd::SysconfVar::CLK_TCK).unwrap_or(100),
            page_size: sysconf(nix::unistd::SysconfVar::PAGE_SIZE).unwrap_or(4096),
            fd_budget: raise_fd_limit().saturating_sub(FD_RESERVE),
            kept: 0,
            slow_period: DEFAULT_SLOW_PERIOD,
        }
    }

    /// Clock ticks per second (USER_HZ), the unit of stat's times.
    pub fn clk_tck(&self) -> u64 {
        self.clk_tck
    }

    /// Reads every process once. Processes that vanish mid-read are skipped; only an
    /// unreadable proc root is an error.
    pub fn refresh(
        &mut self,
        roots: &Roots,
        fresh: &[i32],
    ) -> Result<Vec<ProcessRow>, KernelError> {
        self.tick += 1;
        // Recount the kept files rather than track every close: always exact.
        self.kept = self.entries.values().map(Entry::kept_files).sum();
        list_pids(roots, &mut self.pids)?;
        let mut rows = Vec::with_capacity(self.pids.len());
        let pids = std::mem::take(&mut self.pids);
        for &pid in &pids {
            if let Some(row) = self.sample(roots, pid, fresh.contains(&pid)) {
                rows.push(row);
            }
        }
        self.pids = pids;
        let tick = self.tick;
        self.entries.retain(|_, e| e.seen_tick == tick);
        rows.sort_unstable_by_key(|r| r.pid);
        Ok(rows)
    }

    /// Reads one process, reusing what is cached for it.
    fn sample(&mut self, roots: &Roots, pid: i32, fresh: bool) -> Option<ProcessRow> {
        let (stat_file, status_file) = match self.entries.get_mut(&pid) {
            Some(e) => (e.stat_file.take(), e.status_file.take()),
            None => (None, None),
        };
        let (stat_file, known) = match stat_file {
            Some(f) => match read_at_start(&f, &mut self.buf) {
                Ok(n) if n > 0 => (Some(f), true),
                // ESRCH or an empty read: the process this file was opened on is gone; the
                // pid now shown (if any) belongs to a new process.
                _ => {
                    self.drop_entry(pid);
                    (None, false)
                }
            },
            None => (None, self.entries.contains_key(&pid)),
        };
        let stat_file = match stat_file {
            Some(f) => Some(f),
            None => {
                let path = roots.pid_file(pid, "stat");
                let f = File::open(&path).ok()?;
                match read_at_start(&f, &mut self.buf) {
                    Ok(n) if n > 0 => self.keep(f),
                    _ => return None,
                }
            }
        };
        let buf = std::mem::take(&mut self.buf);
        let row = match parse_stat(&buf) {
            Some(stat) => self.update(roots, pid, &stat, known, fresh, stat_file, status_file),
            None => None,
        };
        self.buf = buf;
        row
    }

    #[allow(clippy::too_many_arguments)]
    fn update(
        &mut self,
        roots: &Roots,
        pid: i32,
        stat: &Stat<'_>,
        known: bool,
        fresh: bool,
        stat_file: Option<File>,
        status_file: Option<File>,
    ) -> Option<ProcessRow> {
        let same = known
            && self
                .entries
                .get(&pid)
                .is_some_and(|e| e.start_time == stat.starttime);
        if !same {
            self.drop_entry(pid);
        }
        let slow_due =
            !same || fresh || (pid as u64 + self.tick).is_multiple_of(self.slow_period.max(1));
        let mut status_file = if same { status_file } else { None };
        let mut status_buf = Vec::new();
        let (vol, nonvol, status_ok) =
            match self.read_status(roots, pid, &mut status_file, &mut status_buf) {
                Ok(()) => {
                    let (v, n) = parse_ctxt_switches(&status_buf);
                    (v, n, Access::Ok)
                }
                Err(e) => (None, None, e.access()),
            };
        let slow = if slow_due {
            Some(self.read_slow(roots, pid, &status_buf))
        } else {
            None
        };
        let tick = self.tick;
        let entry = self.entries.entry(pid).or_insert_with(|| Entry {
            start_time: stat.starttime,
            stat_file: None,
            status_file: None,
            comm_raw: Vec::new(),
            comm: Arc::from(""),
            slow: Slow::default(),
            seen_tick: tick,
        });
        entry.seen_tick = tick;
        entry.stat_file = stat_file;
        entry.status_file = status_file;
        if entry.comm_raw != stat.comm || entry.comm.is_empty() {
            entry.comm_raw.clear();
            entry.comm_raw.extend_from_slice(stat.comm);
            entry.comm = Arc::from(display_safe(stat.comm));
        }
        if let Some(slow) = slow {
            entry.slow = slow;
        }
        let s = &entry.slow;
        let usec = |ticks: u64| ticks.saturating_mul(1_000_000) / self.clk_tck.max(1);
        Some(ProcessRow {
            pid,
            ppid: stat.ppid,
            start_time_ticks: stat.starttime,
            comm: entry.comm.clone(),
            cmdline: s.cmdline.clone(),
            state: char::from(stat.state),
            uid: s.uid,
            user: s.user.clone(),
            threads: stat.num_threads,
            rss_bytes: stat.rss_pages.saturating_mul(self.page_size),
            vsz_bytes: stat.vsize,
            utime_usec: usec(stat.utime),
            stime_usec: usec(stat.stime),
            cpu_percent: None,
            voluntary_ctxt_switches: vol,
            nonvoluntary_ctxt_switches: nonvol,
            kernel_thread: stat.is_kernel_thread(),
            nspid: s.nspid.clone(),
            cgroups: s.cgroups.clone(),
            namespaces: s.namespaces,
            session: stat.session,
            tty_nr: stat.tty_nr,
            namespaces_access: s.namespaces_access,
            status_access: status_ok,
        })
    }

    /// Reads /proc/PID/status into `out`, through the kept file when there is one.
    fn read_status(
        &mut self,
        roots: &Roots,
        pid: i32,
        file: &mut Option<File>,
        out: &mut Vec<u8>,
    ) -> Result<(), KernelError> {
        let path = || roots.pid_file(pid, "status");
        if let Some(f) = file.as_ref() {
            match read_at_start(f, out) {
                Ok(n) if n > 0 => return Ok(()),
                Ok(_) => return Err(KernelError::Gone { path: path() }),
                Err(e) => return Err(KernelError::from_io(path(), e)),
            }
        }
        let f = File::open(path()).map_err(|e| KernelError::from_io(path(), e))?;
        read_at_start(&f, out).map_err(|e| KernelError::from_io(path(), e))?;
        *file = self.keep(f);
        Ok(())
    }

    fn read_slow(&mut self, roots: &Roots, pid: i32, status: &[u8]) -> Slow {
        let st = parse_status(status);
        let cmdline = read_small(&roots.pid_file(pid, "cmdline"))
            .map(|b| parse_cmdline(&b))
            .unwrap_or_default();
        let cgroups = read_small(&roots.pid_file(pid, "cgroup"))
            .map(|b| parse_proc_cgroup(&b))
            .unwrap_or_default();
        let (namespaces, namespaces_access) = match read_ns_set(roots, pid) {
            Ok(set) => (set, Access::Ok),
            Err(e) => (NsSet::default(), e.access()),
        };
        Slow {
            cmdline: cmdline.into(),
            uid: st.uid,
            user: st.uid.and_then(|u| self.users.name(u)),
            nspid: st.nspid.into(),
            cgroups: cgroups.into(),
            namespaces,
            namespaces_access,
        }
    }

    /// Keeps `f` open for the next refresh if the descriptor budget allows.
    fn keep(&mut self, f: File) -> Option<File> {
        if self.kept >= self.fd_budget {
            return None;
        }
        self.kept += 1;
        Some(f)
    }

    fn drop_entry(&mut self, pid: i32) {
        self.entries.remove(&pid);
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

/// pread from offset 0 until end of file; procfs regenerates the text for a read at 0.
fn read_at_start(f: &File, buf: &mut Vec<u8>) -> io::Result<usize> {
    buf.clear();
    if buf.capacity() < 4096 {
        buf.reserve(4096);
    }
    loop {
        let len = buf.len();
        if buf.capacity() == len {
            buf.reserve(len);
        }
        let cap = buf.capacity();
        buf.resize(cap, 0);
        let n = f.read_at(&mut buf[len..], len as u64);
        match n {
            Ok(0) => {
                buf.truncate(len);
                return Ok(len);
            }
            Ok(n) => buf.truncate(len + n),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => buf.truncate(len),
            Err(e) => {
                buf.truncate(len);
                return Err(e);
            }
        }
    }
}

/// A small file read whole (cmdline can be long: up to the argv area, read to the end).
fn read_small(path: &std::path::Path) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    File::open(path)?.read_to_end(&mut out)?;
    Ok(out)
}

fn sysconf(var: nix::unistd::SysconfVar) -> Option<u64> {
    nix::unistd::sysconf(var)
        .ok()
        .flatten()
        .and_then(|v| u64::try_from(v).ok())
        .filter(|v| *v > 0)
}

/// Raises the soft open-file limit to the hard one (kept files need one descriptor each)
/// and returns the soft limit now in force.
fn raise_fd_limit() -> u64 {
    use nix::sys::resource::{Resource, getrlimit, setrlimit};
    match getrlimit(Resource::RLIMIT_NOFILE) {
        Ok((soft, hard)) => {
            if hard > soft && setrlimit(Resource::RLIMIT_NOFILE, hard, hard).is_ok() {
                hard
            } else {
                soft
            }
        }
        Err(_) => 1024,
    }
}
