//! The threads of the processes asked for, read per refresh as cheaply as the process reader
//! reads processes (`reader.rs`; the figures are in BENCHMARKS.md, "Threads"):
//!
//! - A thread's `schedstat` stays open (within the process-wide budget of kept files,
//!   `kept_file`) and is re-read with pread. When its time on a CPU and its count of times
//!   scheduled have both not moved, the thread has not run: its state, times, CPU, context
//!   switches and wait channel are unchanged, and its last row is reused with 0 % and 0
//!   switches a second. stat, status and wchan are read (by path) only for threads that ran.
//! - Before any of that, where the kernel's taskstats can be asked (root: it needs
//!   CAP_NET_ADMIN), one question per process gives the sums over its threads of the same
//!   two schedstat counters: when they have not moved, none of its threads ran, started or
//!   ended, and no file of it is read at all. A process of 16 sleeping threads then costs
//!   one netlink round trip (~2 µs) instead of 16 schedstat reads.
//! - /proc/PID/task is listed only when the process's thread count (`num_threads` of its
//!   stat, which the process reader reads every refresh for a process of several threads)
//!   differs from the threads known, or a known thread is gone: when the count is the same
//!   and every known thread is still there, no thread can have started.
//! - A thread's name can be changed by another thread of its process (pthread_setname_np
//!   writes its comm file; the kernel lets no other process write it) without it running:
//!   in a process one of whose threads ran, every `slow_period` refreshes (staggered by pid)
//!   the comm of each thread that did not run is read, so a name is at most that many
//!   refreshes stale. (Nothing else of a thread changes while it does not run.)
//!
//! Nothing here is read unless a caller asks for the threads (`H`, the threads view): with
//! them hidden, a refresh opens no task file at all.

mod parallel;
mod task_files;

use super::comm_names::CommNames;
use super::files::{KeptFile, read_at_start, read_path};
use super::status::parse_status;
use crate::kernel::taskstats::TaskStats;
use crate::kernel::{KernelError, Roots};
use crate::model::{CpuPercent, ProcState, ProcThreads, SwitchCount, ThreadRow, Wchan};
use std::sync::Arc;
use std::time::Instant;
use task_files::{parse_schedstat_run, parse_task_stat, wchan_name};

/// A process whose threads are wanted: pid, start time, and `num_threads` of its stat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wanted {
    pub pid: i32,
    pub start_time_ticks: u64,
    pub threads: u32,
}

#[derive(Debug)]
pub struct ThreadReader {
    /// One per process read at the last refresh, ascending by pid.
    groups: Vec<Group>,
    buf: Vec<u8>,
    tids: Vec<i32>,
    /// Thread names and wait channels are few and repeat (every worker of a pool has the
    /// same name; most threads sleep in one of a handful of functions): shared.
    names: CommNames,
    wchans: CommNames,
    tick: u64,
    last_refresh: Option<Instant>,
    elapsed_usec: Option<u64>,
    clk_tck: u64,
    /// Refreshes between two reads of a thread that did not run (see the module's comment).
    pub slow_period: u64,
    /// The kernel's sums over each process's threads (`kernel::taskstats`): None where it
    /// cannot be asked (not root, a fixture's roots), or until the first refresh tries.
    taskstats: Option<TaskStats>,
    tried_taskstats: bool,
    /// In the pass over one process's threads: whether one ran, whether one did not.
    pass_ran: bool,
    pass_idle: bool,
}

#[derive(Debug)]
struct Group {
    pid: i32,
    start_time_ticks: u64,
    /// Ascending by tid.
    tasks: Vec<Task>,
    /// The rows made at the last refresh, ascending by tid (shared with the snapshots).
    last: Option<Arc<[ThreadRow]>>,
    /// The sums of its threads' run counts and times on a CPU at the last refresh
    /// (taskstats), where the kernel told them.
    run_sum: Option<(u64, u64)>,
    /// In a refresh since the names of its threads that did not run were last read, one of
    /// its threads ran while another did not: that one may have renamed the other.
    unswept: bool,
}

#[derive(Debug)]
struct Task {
    tid: i32,
    schedstat: Option<KeptFile>,
    /// schedstat's time on a CPU and scheduled count when the thread was last read; None
    /// when unknown (no schedstat, or not read yet).
    ran: Option<(u64, u64)>,
}

/// What one refresh made of a known thread.
enum Sample {
    /// The same row as last time.
    Same,
    New(ThreadRow),
    Gone,
}

impl ThreadReader {
    pub fn new() -> Self {
        ThreadReader {
            groups: Vec::new(),
            buf: Vec::with_capacity(1024),
            tids: Vec::new(),
            names: CommNames::default(),
            wchans: CommNames::default(),
            tick: 0,
            last_refresh: None,
            elapsed_usec: None,
            clk_tck: super::reader::clk_tck(),
            slow_period: super::reader::DEFAULT_SLOW_PERIOD,
            taskstats: None,
            tried_taskstats: false,
            pass_ran: false,
            pass_idle: false,
        }
    }

    /// Reads the threads of `wanted` (ascending by pid); processes not listed are forgotten.
    /// A process that vanishes, or whose task directory cannot be read, is left out.
    pub fn refresh(&mut self, roots: &Roots, wanted: &[Wanted]) -> Vec<ProcThreads> {
        self.tick += 1;
        let now = Instant::now();
        self.elapsed_usec = self
            .last_refresh
            .map(|t| u64::try_from(now.duration_since(t).as_micros()).unwrap_or(u64::MAX));
        self.last_refresh = Some(now);
        if !self.tried_taskstats {
            self.tried_taskstats = true;
            // Only for the live host: a fixture's pids are not the kernel's.
            self.taskstats = roots.is_live().then(TaskStats::open).and_then(Result::ok);
        }
        let mut groups = std::mem::take(&mut self.groups);
        align_groups(&mut groups, wanted);
        let out = self.read_all(roots, &mut groups, wanted);
        self.groups = groups;
        let threads = out.iter().map(|g| g.threads.len()).sum();
        self.names.bound(threads);
        self.wchans.bound(threads);
        out
    }

    /// Reads `groups` (aligned with `wanted`) on this thread.
    fn read_range(
        &mut self,
        roots: &Roots,
        groups: &mut [Group],
        wanted: &[Wanted],
    ) -> Vec<ProcThreads> {
        let mut out = Vec::with_capacity(groups.len());
        for (group, w) in groups.iter_mut().zip(wanted) {
            if let Some(threads) = self.read_group(roots, group, w.threads) {
                out.push(ProcThreads {
                    pid: group.pid,
                    start_time_ticks: group.start_time_ticks,
                    threads,
                });
            } else {
                group.tasks.clear();
                group.last = None;
            }
        }
        out
    }

    /// One process's threads; None if its task directory is gone or unreadable.
    fn read_group(&mut self, roots: &Roots, g: &mut Group, count: u32) -> Option<Arc<[ThreadRow]>> {
        // The sums first: a thread that runs after they were read moves them for the next
        // refresh, even if its own files were read before it ran.
        let sums = self.taskstats.as_mut().and_then(|t| t.group_run(g.pid));
        let known = g.last.is_some() && usize::try_from(count).ok() == Some(g.tasks.len());
        // Unchanged sums: no thread ran, none started or ended (each would have moved them).
        let idle = known && sums.is_some() && sums == g.run_sum;
        g.run_sum = sums;
        // Only a thread of the same process can rename a thread that does not run (the
        // kernel refuses other writers of /proc/PID/task/TID/comm), so the names of the
        // threads that did not run are read again, every `slow_period` refreshes, only in a
        // process where one thread ran while another did not.
        let sweep = g.unswept
            && (u64::from(g.pid.unsigned_abs()) + self.tick)
                .is_multiple_of(self.slow_period.max(1));
        if idle && !sweep {
            return self.idle_group(g);
        }
        let mut listed = false;
        if g.last.is_none() || usize::try_from(count).ok() != Some(g.tasks.len()) {
            self.list(roots, g)?;
            listed = true;
        }
        loop {
            self.pass_ran = false;
            self.pass_idle = false;
            let samples: Vec<Sample> = (0..g.tasks.len())
                .map(|i| self.sample(roots, g, i, sweep))
                .collect();
            let gone = samples.iter().any(|s| matches!(s, Sample::Gone));
            if gone && !listed {
                // A thread ended: others may have started. List again and read once more
                // (the threads already read come out the same, from their kept files).
                self.list(roots, g)?;
                listed = true;
                continue;
            }
            let mixed = self.pass_ran && self.pass_idle;
            g.unswept = mixed || (g.unswept && !sweep);
            return Some(self.assemble(g, samples));
        }
    }

    /// A process none of whose threads ran: its last rows, at 0 % and 0 switches a second.
    fn idle_group(&self, g: &mut Group) -> Option<Arc<[ThreadRow]>> {
        let last = g.last.as_ref()?;
        if self.elapsed_usec.is_none() || last.iter().all(ThreadRow::is_idle) {
            return Some(Arc::clone(last));
        }
        let rows: Arc<[ThreadRow]> = last
            .iter()
            .map(|t| {
                let mut t = t.clone();
                t.idle_since(self.elapsed_usec);
                t
            })
            .collect();
        g.last = Some(Arc::clone(&rows));
        Some(rows)
    }

    /// The group's rows from this refresh's samples: the last ones again when nothing
    /// changed (no copy), else a new list.
    fn assemble(&mut self, g: &mut Group, samples: Vec<Sample>) -> Arc<[ThreadRow]> {
        let same = samples.iter().all(|s| matches!(s, Sample::Same))
            && g.last.as_ref().is_some_and(|l| l.len() == g.tasks.len());
        if let (true, Some(last)) = (same, g.last.as_ref()) {
            return Arc::clone(last);
        }
        let mut rows = Vec::with_capacity(g.tasks.len());
        let mut gone = Vec::new();
        for (task, sample) in g.tasks.iter().zip(samples) {
            match sample {
                Sample::New(row) => rows.push(row),
                Sample::Same => {
                    if let Some(row) = old_row(g.last.as_ref(), task.tid) {
                        rows.push(row.clone());
                    }
                }
                Sample::Gone => gone.push(task.tid),
            }
        }
        g.tasks.retain(|t| !gone.contains(&t.tid));
        let rows: Arc<[ThreadRow]> = rows.into();
        g.last = Some(Arc::clone(&rows));
        rows
    }

    /// Lists /proc/PID/task and makes the group's tasks exactly those, keeping what is known
    /// of the threads still there.
    fn list(&mut self, roots: &Roots, g: &mut Group) -> Option<()> {
        let dir = std::fs::read_dir(roots.task_dir(g.pid)).ok()?;
        self.tids.clear();
        self.tids.extend(
            dir.flatten()
                .filter_map(|e| super::stat::parse_int(e.file_name().as_encoded_bytes()))
                .filter(|t| *t > 0),
        );
        self.tids.sort_unstable();
        let tids = &self.tids;
        g.tasks.retain(|t| tids.binary_search(&t.tid).is_ok());
        for (i, &tid) in tids.iter().enumerate() {
            if g.tasks.get(i).map(|t| t.tid) != Some(tid) {
                g.tasks.insert(
                    i,
                    Task {
                        tid,
                        schedstat: None,
                        ran: None,
                    },
                );
            }
        }
        Some(())
    }

    /// Reads thread `i` of the group as far as it must be read; `sweep`: its name too if it
    /// did not run.
    fn sample(&mut self, roots: &Roots, g: &mut Group, i: usize, sweep: bool) -> Sample {
        let pid = g.pid;
        let Some(task) = g.tasks.get_mut(i) else {
            return Sample::Gone;
        };
        let tid = task.tid;
        let ran_now = match read_schedstat(roots, pid, task, &mut self.buf) {
            Ok(key) => key,
            Err(Gone) => return Sample::Gone,
        };
        let old = old_row(g.last.as_ref(), tid);
        let ran = ran_now.is_none() || ran_now != task.ran;
        task.ran = ran_now;
        if ran || old.is_none() {
            self.pass_ran = true;
        } else {
            self.pass_idle = true;
        }
        let Some(old) = old.filter(|_| !ran) else {
            return match self.read_thread(roots, pid, tid, old) {
                Some(row) if old.is_some_and(|o| *o == row) => Sample::Same,
                Some(row) => Sample::New(row),
                None => Sample::Gone,
            };
        };
        // It did not run: only its name can have changed (another thread can set it).
        let renamed = if sweep {
            match read_path(&roots.task_file(pid, tid, "comm"), &mut self.buf) {
                Ok(_) => {
                    let name = self.buf.strip_suffix(b"\n").unwrap_or(&self.buf);
                    (!super::reader::comm_matches(name, &old.comm)).then(|| self.names.get(name))
                }
                Err(_) => return Sample::Gone,
            }
        } else {
            None
        };
        if renamed.is_none() && (self.elapsed_usec.is_none() || old.is_idle()) {
            return Sample::Same;
        }
        let mut row = old.clone();
        if let Some(name) = renamed {
            row.comm = name;
        }
        row.idle_since(self.elapsed_usec);
        Sample::New(row)
    }

    /// A thread's stat, status and wchan, with its rates against `old`.
    fn read_thread(
        &mut self,
        roots: &Roots,
        pid: i32,
        tid: i32,
        old: Option<&ThreadRow>,
    ) -> Option<ThreadRow> {
        read_path(&roots.task_file(pid, tid, "stat"), &mut self.buf).ok()?;
        let stat = parse_task_stat(&self.buf)?;
        let comm = match old {
            Some(o) if super::reader::comm_matches(stat.comm, &o.comm) => Arc::clone(&o.comm),
            _ => self.names.get(stat.comm),
        };
        let mut row = ThreadRow {
            tid,
            comm,
            state: ProcState::new(stat.state),
            processor: stat.processor,
            cpu_usec: self.usec(stat.utime.saturating_add(stat.stime)),
            cpu_percent: CpuPercent::UNKNOWN,
            voluntary_ctxt_switches: SwitchCount::UNKNOWN,
            nonvoluntary_ctxt_switches: SwitchCount::UNKNOWN,
            voluntary_per_sec: None,
            nonvoluntary_per_sec: None,
            wchan: Wchan::None,
        };
        if read_path(&roots.task_file(pid, tid, "status"), &mut self.buf).is_ok() {
            let st = parse_status(&self.buf);
            row.voluntary_ctxt_switches = SwitchCount::new(st.voluntary_ctxt_switches);
            row.nonvoluntary_ctxt_switches = SwitchCount::new(st.nonvoluntary_ctxt_switches);
        }
        let wchan_path = roots.task_file(pid, tid, "wchan");
        row.wchan = match read_path(&wchan_path, &mut self.buf) {
            Ok(_) => match wchan_name(&self.buf) {
                Some(name) => Wchan::At(match old.map(|o| &o.wchan) {
                    Some(Wchan::At(known)) if super::reader::comm_matches(name, known) => {
                        Arc::clone(known)
                    }
                    _ => self.wchans.get(name),
                }),
                None => Wchan::None,
            },
            // Unreadable (not ours to trace) is said; gone or absent is no wait channel.
            Err(e) => match KernelError::from_io(wchan_path, e).access() {
                crate::model::Access::Denied => Wchan::Denied,
                _ => Wchan::None,
            },
        };
        row.set_rates_since(old, self.elapsed_usec);
        Some(row)
    }

    fn usec(&self, ticks: u64) -> u64 {
        ticks.saturating_mul(1_000_000) / self.clk_tck.max(1)
    }
}

impl Default for ThreadReader {
    fn default() -> Self {
        ThreadReader::new()
    }
}

/// The thread is gone (its kept file says so, or it cannot be opened).
struct Gone;

/// The run key of a thread's schedstat, through its kept file or by path (keeping the file
/// when the budget allows); `Ok(None)` where there is no schedstat to read (the kernel was
/// built without it): the thread is then read as if it ran.
fn read_schedstat(
    roots: &Roots,
    pid: i32,
    task: &mut Task,
    buf: &mut Vec<u8>,
) -> Result<Option<(u64, u64)>, Gone> {
    if let Some(f) = task.schedstat.as_ref() {
        return match read_at_start(f.file(), buf) {
            Ok(n) if n > 0 => Ok(parse_schedstat_run(buf)),
            // ESRCH: the thread has exited (a kept file pins the task, never a new one).
            _ => Err(Gone),
        };
    }
    let path = roots.task_file(pid, task.tid, "schedstat");
    match std::fs::File::open(&path) {
        Ok(f) => match read_at_start(&f, buf) {
            Ok(n) if n > 0 => {
                task.schedstat = KeptFile::keep(f);
                Ok(parse_schedstat_run(buf))
            }
            _ => Err(Gone),
        },
        // No such file, but the thread is there: a kernel without schedstats.
        Err(e)
            if e.kind() == std::io::ErrorKind::NotFound
                && roots.task_file(pid, task.tid, "stat").exists() =>
        {
            Ok(None)
        }
        Err(_) => Err(Gone),
    }
}

/// The row thread `tid` had at the last refresh.
fn old_row(last: Option<&Arc<[ThreadRow]>>, tid: i32) -> Option<&ThreadRow> {
    let last = last?;
    let i = last.binary_search_by_key(&tid, |t| t.tid).ok()?;
    last.get(i)
}

/// Makes `groups` hold one group per entry of `wanted`, in its order: groups of processes no
/// longer wanted are dropped, and a pid that now names another process starts afresh.
fn align_groups(groups: &mut Vec<Group>, wanted: &[Wanted]) {
    groups.retain(|g| {
        wanted
            .binary_search_by_key(&g.pid, |w| w.pid)
            .is_ok_and(|i| {
                wanted
                    .get(i)
                    .is_some_and(|w| w.start_time_ticks == g.start_time_ticks)
            })
    });
    for (i, w) in wanted.iter().enumerate() {
        if groups.get(i).map(|g| g.pid) != Some(w.pid) {
            groups.insert(
                i,
                Group {
                    pid: w.pid,
                    start_time_ticks: w.start_time_ticks,
                    tasks: Vec::new(),
                    last: None,
                    run_sum: None,
                    unswept: false,
                },
            );
        }
    }
}

#[cfg(test)]
mod tests;
