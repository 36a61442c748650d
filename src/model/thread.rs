//! The threads (tasks) of a process, read only while they are shown (`H`, or the threads
//! view of the selected process): /proc/PID/task/TID/{stat,status,wchan}.
//! See proc_pid_task(5), proc_pid_stat(5), proc_pid_status(5), proc_pid_wchan(5).

use super::{CpuPercent, ProcState, SwitchCount};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// One thread of a process. The main thread (tid == pid) is one of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThreadRow {
    pub tid: i32,
    /// The thread's name (`comm`: /proc/PID/task/TID/comm, also field 2 of its stat), set by
    /// prctl(PR_SET_NAME) or pthread_setname_np; display-safe.
    pub comm: Arc<str>,
    /// State letter of the task's stat (field 3).
    pub state: ProcState,
    /// Field 39 of the task's stat (`processor`): the CPU it last ran on.
    pub processor: Option<u32>,
    /// utime + stime of the task (fields 14 and 15), in microseconds.
    pub cpu_usec: u64,
    /// Share of one CPU between the last two refreshes; unknown on a thread's first sample.
    #[serde(default, skip_serializing_if = "CpuPercent::is_unknown")]
    pub cpu_percent: CpuPercent,
    /// `voluntary_ctxt_switches` and `nonvoluntary_ctxt_switches` of the task's status.
    #[serde(default, skip_serializing_if = "SwitchCount::is_unknown")]
    pub voluntary_ctxt_switches: SwitchCount,
    #[serde(default, skip_serializing_if = "SwitchCount::is_unknown")]
    pub nonvoluntary_ctxt_switches: SwitchCount,
    /// Switches per second between the last two refreshes (None on a first sample, or when
    /// status could not be read).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voluntary_per_sec: Option<f32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nonvoluntary_per_sec: Option<f32>,
    pub wchan: Wchan,
}

/// Where a thread sleeps in the kernel: /proc/PID/task/TID/wchan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Wchan {
    /// "0" or empty: running, or asleep where the kernel names no function.
    #[default]
    None,
    /// The kernel function it waits in (`do_nanosleep`, `futex_wait_queue`), display-safe.
    At(Arc<str>),
    /// The file could not be read (it needs ptrace access to the thread: root, or the
    /// thread's owner where the kernel allows).
    Denied,
}

/// The threads of one process, ascending by tid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProcThreads {
    pub pid: i32,
    /// The process's start time: with `pid`, whose threads these are (docs/ARCHITECTURE.md,
    /// "Identity").
    pub start_time_ticks: u64,
    /// Shared with the reader and the snapshot before while none of them ran.
    pub threads: Arc<[ThreadRow]>,
}

impl ProcThreads {
    /// The threads other than the main one: the rows `H` shows under the process (the
    /// process's own row stands for its main thread, as in htop).
    pub fn others(&self) -> impl Iterator<Item = (usize, &ThreadRow)> {
        self.threads
            .iter()
            .enumerate()
            .filter(move |(_, t)| t.tid != self.pid)
    }

    /// The main thread (tid == pid), if it was read.
    pub fn main_thread(&self) -> Option<&ThreadRow> {
        let i = self
            .threads
            .binary_search_by_key(&self.pid, |t| t.tid)
            .ok()?;
        self.threads.get(i)
    }
}

impl ThreadRow {
    /// voluntary + nonvoluntary switches, 0 where unknown.
    pub fn switches(&self) -> u64 {
        self.voluntary_ctxt_switches.get().unwrap_or(0)
            + self.nonvoluntary_ctxt_switches.get().unwrap_or(0)
    }

    /// Fills cpu % and the switch rates from the same thread's row `elapsed_usec` earlier:
    /// none of them is known without an earlier row or a time between the two.
    pub fn set_rates_since(&mut self, old: Option<&ThreadRow>, elapsed_usec: Option<u64>) {
        let (Some(old), Some(elapsed)) = (old, elapsed_usec.filter(|e| *e > 0)) else {
            self.cpu_percent = CpuPercent::UNKNOWN;
            self.voluntary_per_sec = None;
            self.nonvoluntary_per_sec = None;
            return;
        };
        let secs = elapsed as f64 / 1e6;
        let per_sec = |now: SwitchCount, before: SwitchCount| {
            let n = now.get()?.saturating_sub(before.get()?);
            #[allow(
                clippy::cast_possible_truncation,
                reason = "a rate on screen: f32 precision is plenty"
            )]
            Some((n as f64 / secs) as f32)
        };
        let used = self.cpu_usec.saturating_sub(old.cpu_usec);
        #[allow(
            clippy::cast_possible_truncation,
            reason = "a percentage: f32 precision is plenty"
        )]
        let percent = (used as f64 * 100.0 / elapsed as f64) as f32;
        self.cpu_percent = CpuPercent::new(Some(percent));
        self.voluntary_per_sec = per_sec(self.voluntary_ctxt_switches, old.voluntary_ctxt_switches);
        self.nonvoluntary_per_sec = per_sec(
            self.nonvoluntary_ctxt_switches,
            old.nonvoluntary_ctxt_switches,
        );
    }

    /// The same thread a refresh later when it did not run: no CPU used, no switches.
    pub fn idle_since(&mut self, elapsed_usec: Option<u64>) {
        if elapsed_usec.is_some_and(|e| e > 0) {
            self.cpu_percent = CpuPercent::new(Some(0.0));
            let zero = |s: SwitchCount| s.get().map(|_| 0.0);
            self.voluntary_per_sec = zero(self.voluntary_ctxt_switches);
            self.nonvoluntary_per_sec = zero(self.nonvoluntary_ctxt_switches);
        }
    }

    /// Whether [`ThreadRow::idle_since`] would leave the row as it is (it is already idle).
    pub fn is_idle(&self) -> bool {
        let zero = |s: SwitchCount| s.get().map(|_| 0.0);
        self.cpu_percent.get() == Some(0.0)
            && self.voluntary_per_sec == zero(self.voluntary_ctxt_switches)
            && self.nonvoluntary_per_sec == zero(self.nonvoluntary_ctxt_switches)
    }
}

/// A sleeping thread for unit tests: `tid` named `name`, last on CPU 1, cpu % `cpu`.
#[cfg(test)]
pub(crate) fn test_thread(tid: i32, name: &str, cpu: f32) -> ThreadRow {
    ThreadRow {
        tid,
        comm: name.into(),
        state: ProcState::new(b'S'),
        processor: Some(1),
        cpu_usec: 0,
        cpu_percent: CpuPercent::new(Some(cpu)),
        voluntary_ctxt_switches: SwitchCount::new(Some(0)),
        nonvoluntary_ctxt_switches: SwitchCount::new(Some(0)),
        voluntary_per_sec: Some(0.0),
        nonvoluntary_per_sec: Some(0.0),
        wchan: Wchan::None,
    }
}

#[cfg(test)]
mod tests;
