//! One row of the process table.
//!
//! A row is split in two: [`ProcInfo`], what rarely changes (names, ids, namespaces,
//! cgroups), shared through an `Arc` between the collector's cache and every snapshot, and
//! the per-refresh counters, small enough to copy each refresh. This keeps a 5,000-process
//! snapshot near half a megabyte. The row derefs to its `ProcInfo`, so `row.comm` works.

mod fields;

pub use fields::{CpuPercent, ProcState, SwitchCount};

use super::Access;
use super::namespace::NsSet;
use serde::{Deserialize, Serialize};
use std::ops::Deref;
use std::sync::Arc;

/// A process as read from /proc/PID/{stat,statm,status,cmdline,cgroup,ns/*}.
///
/// Identity is `(pid, start_time_ticks)`: pids are reused, start times are not (docs/ARCHITECTURE.md, "Identity").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProcessRow {
    #[serde(flatten)]
    pub info: Arc<ProcInfo>,
    /// Parent pid (changes when the parent exits and the process is re-parented).
    pub ppid: i32,
    /// State letter from /proc/PID/stat (R, S, D, Z, T, t, X, I, ...).
    pub state: ProcState,
    pub threads: u32,
    pub rss_bytes: u64,
    pub vsz_bytes: u64,
    pub utime_usec: u64,
    pub stime_usec: u64,
    /// Share of one CPU used between the last two samples (100.0 = one full CPU).
    /// Unknown on the first sample of a process. (f32: plenty for a percentage, and it keeps
    /// the row small; see `fields` for why these are not `Option`s.)
    #[serde(default, skip_serializing_if = "CpuPercent::is_unknown")]
    pub cpu_percent: CpuPercent,
    #[serde(default, skip_serializing_if = "SwitchCount::is_unknown")]
    pub voluntary_ctxt_switches: SwitchCount,
    #[serde(default, skip_serializing_if = "SwitchCount::is_unknown")]
    pub nonvoluntary_ctxt_switches: SwitchCount,
    /// Whether /proc/PID/status (uid, NSpid, context switches) could be read.
    pub status_access: Access,
}

impl ProcessRow {
    /// A row whose counters were not read: zero times and sizes, cpu % and context switches
    /// unknown (an outline of `boxtop serve`, a test's row).
    pub fn unmeasured(info: Arc<ProcInfo>, ppid: i32, state: ProcState, threads: u32) -> Self {
        ProcessRow {
            info,
            ppid,
            state,
            threads,
            rss_bytes: 0,
            vsz_bytes: 0,
            utime_usec: 0,
            stime_usec: 0,
            cpu_percent: CpuPercent::UNKNOWN,
            voluntary_ctxt_switches: SwitchCount::UNKNOWN,
            nonvoluntary_ctxt_switches: SwitchCount::UNKNOWN,
            status_access: Access::Ok,
        }
    }
}

impl Deref for ProcessRow {
    type Target = ProcInfo;
    fn deref(&self) -> &ProcInfo {
        &self.info
    }
}

/// What changes rarely: on exec, setsid, setns/unshare, a cgroup move.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProcInfo {
    pub pid: i32,
    /// Field 22 of /proc/PID/stat: clock ticks after boot when the process started.
    pub start_time_ticks: u64,
    /// `comm` (the kernel's 15-byte task name), display-safe.
    pub comm: Arc<str>,
    /// Every argument of /proc/PID/cmdline, display-safe and lossless: bytes that are not
    /// printable UTF-8 are written `\xNN` and a backslash as `\\`. Empty for kernel threads
    /// and zombies.
    pub cmdline: super::CmdLine,
    /// Real uid (first field of `Uid:` in /proc/PID/status).
    pub uid: Option<u32>,
    pub user: Option<Arc<str>>,
    /// PF_KTHREAD in the flags of /proc/PID/stat.
    pub kernel_thread: bool,
    /// `NSpid:` of /proc/PID/status: the pid in each pid namespace, outermost first.
    pub nspid: super::NsPids,
    /// /proc/PID/cgroup, one entry per hierarchy.
    pub cgroups: Arc<[ProcCgroup]>,
    /// Shared between processes with the same set (most of a host's processes).
    pub namespaces: Arc<NsSet>,
    /// Whether the namespace links could be read.
    pub namespaces_access: Access,
    /// `session` and `tty_nr` of /proc/PID/stat (for the protected set of actions).
    pub session: i32,
    pub tty_nr: i32,
}

/// One line of /proc/PID/cgroup: `hierarchy-id:controller-list:path`.
/// See cgroups(7), "/proc/[pid]/cgroup".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcCgroup {
    /// 0 for the cgroup2 (unified) hierarchy.
    pub hierarchy_id: u32,
    /// Controllers bound to that v1 hierarchy (`name=systemd` included); empty for v2.
    pub controllers: Vec<String>,
    /// Path relative to the hierarchy root (as the process's cgroup namespace sees it).
    pub path: String,
}

impl ProcInfo {
    /// The cgroup worth showing in one column: the deepest path over all hierarchies (v2
    /// first on ties); on hybrid hosts most hierarchies leave everything at the root.
    pub fn main_cgroup(&self) -> &str {
        self.cgroups
            .iter()
            .max_by_key(|c| (c.path.matches('/').count(), c.hierarchy_id == 0))
            .map(|c| c.path.as_str())
            .unwrap_or("")
    }

    /// `NSpid 4242 → 1`: the pid in each nested pid namespace, outermost first.
    pub fn nspid_text(&self) -> String {
        if self.nspid.is_empty() {
            return "NSpid ?".into();
        }
        let parts: Vec<String> = self.nspid.iter().map(ToString::to_string).collect();
        format!("NSpid {}", parts.join(" → "))
    }

    /// The command line as lsns prints it: the arguments joined by spaces, or the name.
    pub fn command_line(&self) -> String {
        if self.cmdline.is_empty() {
            self.comm.to_string()
        } else {
            self.cmdline.join(" ")
        }
    }

    /// The cgroup path of this process in the hierarchy with `hierarchy_id`.
    pub fn cgroup_in(&self, hierarchy_id: u32) -> Option<&str> {
        self.cgroups
            .iter()
            .find(|c| c.hierarchy_id == hierarchy_id)
            .map(|c| c.path.as_str())
    }
}

/// A plain sleeping process for unit tests: pid `pid`, host namespaces unset, no cgroups.
#[cfg(test)]
pub(crate) fn test_row(pid: i32) -> ProcessRow {
    ProcessRow::unmeasured(
        Arc::new(ProcInfo {
            pid,
            start_time_ticks: 5,
            comm: "p".into(),
            cmdline: Default::default(),
            uid: Some(0),
            user: None,
            kernel_thread: false,
            nspid: super::NsPids::One(pid),
            cgroups: Arc::new([]),
            namespaces: Arc::default(),
            namespaces_access: Access::Ok,
            session: 0,
            tty_nr: 0,
        }),
        1,
        ProcState::new(b'S'),
        1,
    )
}

// The sizes boxtop's memory was measured with (BENCHMARKS.md): one more field on a row is
// 5,000 more at 5,000 processes, twice while two snapshots live. See `fields` for how.
const _: () = assert!(size_of::<ProcessRow>() <= 72);
const _: () = assert!(size_of::<ProcInfo>() <= 120);
