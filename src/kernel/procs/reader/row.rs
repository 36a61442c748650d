//! Building a row from stat, with the reads the refresh depth asks for (status, statm,
//! the slow fields), and the shared part of a row (ProcInfo).

use super::{Depth, Entry, NO_PCOUNT, ProcReader};
use crate::kernel::namespaces::read_ns_set;
use crate::kernel::procs::cgroup_file::parse_proc_cgroup;
use crate::kernel::procs::cmdline::{cmdline_unchanged, parse_cmdline};
use crate::kernel::procs::files::read_path;
use crate::kernel::procs::stat::{Stat, parse_statm_resident};
use crate::kernel::procs::status::parse_status;
use crate::kernel::{KernelError, Roots};
use crate::model::{
    Access, CmdLine, CpuPercent, ProcCgroup, ProcInfo, ProcState, ProcessRow, SwitchCount,
};
use crate::text::{display_safe, is_display_safe};
use std::sync::Arc;

impl ProcReader {
    /// A new row from `stat`, plus what `depth` and `ran` say must be read again; the rest
    /// comes from the entry's last row.
    pub(super) fn build_row(
        &mut self,
        roots: &Roots,
        pid: i32,
        stat: &Stat<'_>,
        e: &mut Entry,
        ran: bool,
        depth: Depth,
    ) -> Option<ProcessRow> {
        let old = e.row.as_ref();
        let moved_since_slow = e.pcount == NO_PCOUNT || e.pcount != e.pcount_at_slow;
        // Whether status, cmdline, uid and namespaces are read now.
        let slow = match (old, depth) {
            (None, _) | (_, Depth::Full) => true,
            (Some(r), Depth::Periodic) => moved_since_slow || r.threads > 1,
            (Some(_), Depth::Light) => false,
        };
        // status holds the main thread's context switches (and uid, NSpid): they can only
        // change if that thread ran.
        let mut row = ProcessRow {
            info: match old {
                Some(r) => Arc::clone(&r.info),
                None => Arc::new(new_info(pid, stat, self.comm(stat.comm))),
            },
            ppid: stat.ppid,
            state: ProcState::new(stat.state),
            threads: u32::try_from(stat.num_threads).unwrap_or(u32::MAX),
            rss_bytes: 0,
            vsz_bytes: stat.vsize,
            utime_usec: self.usec(stat.utime),
            stime_usec: self.usec(stat.stime),
            cpu_percent: CpuPercent::UNKNOWN,
            voluntary_ctxt_switches: old
                .map_or(SwitchCount::UNKNOWN, |r| r.voluntary_ctxt_switches),
            nonvoluntary_ctxt_switches: old
                .map_or(SwitchCount::UNKNOWN, |r| r.nonvoluntary_ctxt_switches),
            status_access: old.map_or(Access::Ok, |r| r.status_access),
        };
        let mut info: Option<ProcInfo> = None;
        let mut status_rss_kib = None;
        if ran || slow {
            let path = roots.pid_file(pid, "status");
            match read_path(&path, &mut self.scratch) {
                Ok(_) => {
                    let st = parse_status(&self.scratch);
                    status_rss_kib = st.rss_kib;
                    row.voluntary_ctxt_switches = SwitchCount::new(st.voluntary_ctxt_switches);
                    row.nonvoluntary_ctxt_switches =
                        SwitchCount::new(st.nonvoluntary_ctxt_switches);
                    row.status_access = Access::Ok;
                    if slow {
                        let i = info.get_or_insert_with(|| (*row.info).clone());
                        i.uid = st.uid;
                        i.nspid = st.nspid.into();
                    }
                }
                Err(err) => row.status_access = KernelError::from_io(path, err).access(),
            }
        }
        // RSS from status's VmRSS when status was just read, else from statm; never from
        // stat's `rss` field: since Linux 6.2 that one reads the per-CPU counters without
        // summing them and can be off by hundreds of KiB (seen here: stat said 1456 KiB where
        // statm, status and ps said 1676 KiB). Status and statm give the same summed count,
        // so a read of status saves the open, read and close of statm (a first read of every
        // process, every process that ran).
        row.rss_bytes = match status_rss_kib {
            Some(kib) => kib.saturating_mul(1024),
            None => {
                let rss_pages = match read_path(&roots.pid_file(pid, "statm"), &mut self.scratch) {
                    Ok(_) => parse_statm_resident(&self.scratch).unwrap_or(stat.rss_pages),
                    Err(_) => stat.rss_pages,
                };
                rss_pages.saturating_mul(self.page_size)
            }
        };
        if slow {
            let i = info.get_or_insert_with(|| (*row.info).clone());
            self.read_slow(roots, i);
            e.pcount_at_slow = e.pcount;
        } else if depth == Depth::Periodic {
            let cgroups = self.read_cgroup(roots, pid);
            if cgroups
                .as_ref()
                .is_some_and(|c| !Arc::ptr_eq(c, &row.info.cgroups))
            {
                let i = info.get_or_insert_with(|| (*row.info).clone());
                i.cgroups = cgroups.unwrap_or_default();
            }
        }
        // Fields of stat that live in the shared part: a new comm (prctl), a new session.
        if !comm_matches(stat.comm, &row.info.comm)
            || row.info.session != stat.session
            || row.info.tty_nr != stat.tty_nr
        {
            let i = info.get_or_insert_with(|| (*row.info).clone());
            i.comm = self.comm(stat.comm);
            i.session = stat.session;
            i.tty_nr = stat.tty_nr;
        }
        if let Some(i) = info.filter(|i| *i != *row.info) {
            row.info = Arc::new(i);
        }
        // cpu %: CPU time used since the last refresh over the wall time between them.
        if let (Some(old), Some(elapsed)) = (e.row.as_ref(), self.elapsed_usec.filter(|e| *e > 0)) {
            let used =
                (row.utime_usec + row.stime_usec).saturating_sub(old.utime_usec + old.stime_usec);
            #[allow(
                clippy::cast_possible_truncation,
                reason = "a percentage: f32 precision is plenty"
            )]
            let percent = (used as f64 * 100.0 / elapsed as f64) as f32;
            row.cpu_percent = CpuPercent::new(Some(percent));
        }
        Some(row)
    }

    fn usec(&self, ticks: u64) -> u64 {
        ticks.saturating_mul(1_000_000) / self.clk_tck.max(1)
    }

    /// Command line, user name, cgroup membership and namespaces.
    fn read_slow(&mut self, roots: &Roots, info: &mut ProcInfo) {
        let pid = info.pid;
        if read_path(&roots.pid_file(pid, "cmdline"), &mut self.scratch).is_ok()
            && !cmdline_unchanged(&info.cmdline, &self.scratch)
        {
            info.cmdline = CmdLine::from_args(&parse_cmdline(&self.scratch));
        }
        info.user = info.uid.and_then(|u| self.users.name(u));
        if let Some(c) = self.read_cgroup(roots, pid) {
            info.cgroups = c;
        }
        match read_ns_set(roots, pid) {
            Ok(set) => {
                info.namespaces =
                    Arc::clone(self.ns_sets.entry(set).or_insert_with(|| Arc::new(set)));
                info.namespaces_access = Access::Ok;
            }
            Err(e) => info.namespaces_access = e.access(),
        }
    }

    /// /proc/PID/cgroup, shared with every process whose file reads the same.
    fn read_cgroup(&mut self, roots: &Roots, pid: i32) -> Option<Arc<[ProcCgroup]>> {
        read_path(&roots.pid_file(pid, "cgroup"), &mut self.scratch).ok()?;
        Some(match self.cgroup_sets.get(&self.scratch) {
            Some(set) => Arc::clone(set),
            None => {
                let set: Arc<[ProcCgroup]> = parse_proc_cgroup(&self.scratch).into();
                self.cgroup_sets
                    .insert(self.scratch.clone(), Arc::clone(&set));
                set
            }
        })
    }
}

/// The shared part of a process first seen, before its slow fields are read.
pub(in crate::kernel::procs) fn new_info(pid: i32, stat: &Stat<'_>, comm: Arc<str>) -> ProcInfo {
    ProcInfo {
        pid,
        start_time_ticks: stat.starttime,
        comm,
        cmdline: CmdLine::default(),
        uid: None,
        user: None,
        kernel_thread: stat.is_kernel_thread(),
        nspid: crate::model::NsPids::Unknown,
        cgroups: Arc::from(Vec::new()),
        namespaces: Arc::default(),
        namespaces_access: Access::Ok,
        session: stat.session,
        tty_nr: stat.tty_nr,
    }
}

/// Whether raw comm bytes are what `shown` displays, without allocating in the usual case.
pub(in crate::kernel::procs) fn comm_matches(raw: &[u8], shown: &str) -> bool {
    if is_display_safe(raw) {
        raw == shown.as_bytes()
    } else {
        display_safe(raw) == shown
    }
}
