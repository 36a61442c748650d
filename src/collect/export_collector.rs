//! The reading `boxtop serve` makes for a scrape: a [`Snapshot`] of the same shape as the
//! dashboard's [`super::Collector`] gives, read only where a metric needs it.
//!
//! - The processes come from [`ProcessCensus`] (the kernel's fork and exit events, /proc
//!   listed only now and then). Each has an outline (stat and namespace links, read when the
//!   process is first seen, again after it execs, and every [`OUTLINE_PERIOD`] collections
//!   staggered by pid for one that called setns or unshare without exec): enough to count
//!   processes and namespaces and to find sandboxes.
//! - The cgroup trees are listed in full (container directories are found by their names),
//!   but a cgroup's files are read only if it is a container's, or chosen by the caller
//!   (the depth and path filter), and its member list only where it is a container's or
//!   below one, or chosen (never a root's, which the kernel builds and sorts on each read).
//!   The files stay open between scrapes ([`FileReader::keeping`]).
//! - Processes are read in full only where they are members of a container's cgroup or
//!   in namespaces of their own (a sandbox), through the same [`ProcReader`] as the
//!   dashboard's, so containers are grouped, named and measured by the same code.
//!
//! BENCHMARKS.md, "boxtop serve", has what each part costs.

use super::build_namespace_table;
use super::containers::{self, naming};
use super::process_census::ProcessCensus;
use crate::kernel::cgroupfs::files::{Ctl, FileReader, Present};
use crate::kernel::cgroupfs::{self, CgroupAt, Reading};
use crate::kernel::procs::ProcReader;
use crate::kernel::procs::comm_names::CommNames;
use crate::kernel::procs::outline::{Interner, read_outline};
use crate::kernel::{KernelError, Roots};
use crate::model::{CgroupMode, CgroupSnapshot, NsSet, PathMatch, ProcessRow, Snapshot};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// Collections between two readings of one process's outline (staggered by pid): at 5,000
/// processes, three outlines a collection (each is stat and ten namespace links, 60 µs
/// here). Only a process that changed its own namespaces without exec waits that long.
pub const OUTLINE_PERIOD: u64 = 1800;

/// The control files a metric comes from (docs/metrics.md), v2 and v1: a cgroup's other
/// files (cpuset, weights, memory.high and peak, swap, the freezer's requested state) are
/// not read for the exporter.
const METRIC_FILES: [Ctl; 16] = [
    Ctl::Events,
    Ctl::MemCurrent,
    Ctl::MemMax,
    Ctl::MemEvents,
    Ctl::CpuStat,
    Ctl::PidsCurrent,
    Ctl::PidsMax,
    Ctl::CpuPressure,
    Ctl::MemPressure,
    Ctl::IoPressure,
    Ctl::V1MemUsage,
    Ctl::V1MemLimit,
    Ctl::V1MemFailcnt,
    Ctl::V1MemOomControl,
    Ctl::V1CpuacctUsage,
    Ctl::V1FreezerState,
];

#[derive(Debug)]
pub struct ExportCollector {
    roots: Roots,
    census: ProcessCensus,
    /// One outline per process, ascending by pid.
    outlines: Vec<Arc<ProcessRow>>,
    shared: Shared,
    procs: ProcReader,
    /// The processes read in full last time, each with the container cgroup it was found in
    /// (a hash of its path): one newly read, or moved, is read in full again.
    wanted_before: HashMap<i32, u64>,
    cgroup_files: FileReader,
    containers: containers::Readers,
    collections: u64,
    buf: Vec<u8>,
}

/// The interners of outlines: a host's processes share a handful of names and namespace sets.
#[derive(Debug, Default)]
struct Shared {
    comms: CommNames,
    ns_sets: HashMap<NsSet, Arc<NsSet>>,
}

impl Interner for Shared {
    fn comm(&mut self, raw: &[u8]) -> Arc<str> {
        self.comms.get(raw)
    }

    fn namespaces(&mut self, set: NsSet) -> Arc<NsSet> {
        Arc::clone(self.ns_sets.entry(set).or_insert_with(|| Arc::new(set)))
    }
}

impl ExportCollector {
    /// Checks the roots as [`super::Collector::new`] does; subscribes to process events.
    pub fn new(roots: Roots) -> Result<Self, KernelError> {
        roots.check_proc()?;
        Ok(ExportCollector {
            census: ProcessCensus::new(&roots),
            roots,
            outlines: Vec::new(),
            shared: Shared::default(),
            procs: ProcReader::new(),
            wanted_before: HashMap::new(),
            cgroup_files: FileReader::keeping(),
            containers: containers::Readers::default(),
            collections: 0,
            buf: Vec::with_capacity(1024),
        })
    }

    /// Why the process list is made by listing /proc each time (None when the kernel's
    /// events keep it).
    pub fn without_events(&self) -> Option<&str> {
        self.census.no_events.as_deref()
    }

    /// One collection. `counters_for(path, depth)`: whether a cgroup that is not a
    /// container's gets its files read.
    pub fn collect(
        &mut self,
        counters_for: &dyn Fn(&str, usize) -> bool,
    ) -> Result<Snapshot, KernelError> {
        self.cgroup_files.begin_pass();
        let snap = self.collect_pass(counters_for);
        self.cgroup_files.end_pass();
        snap
    }

    fn collect_pass(
        &mut self,
        counters_for: &dyn Fn(&str, usize) -> bool,
    ) -> Result<Snapshot, KernelError> {
        self.collections += 1;
        self.update_outlines()?;
        let (host_reference, namespaces) = build_namespace_table(&self.outlines);
        let metric_files = Present::of(&METRIC_FILES);
        let choose = |at: &CgroupAt<'_>| {
            let hit = naming::identify(at.path);
            let own_dir = matches!(&hit, Some(PathMatch::Container(c)) if c.cgroup == at.path);
            let counters = own_dir || counters_for(at.path, at.depth);
            Reading {
                members: at.depth > 0 && (hit.is_some() || (counters && counts_members(at))),
                files: if counters {
                    metric_files
                } else {
                    Present::NONE
                },
            }
        };
        let cgroups =
            cgroupfs::read_cgroups_with(&self.roots, None, &mut self.cgroup_files, &choose)?;
        let mut snap = Snapshot {
            taken_at_unix_ms: super::now_unix_ms(),
            host_reference,
            processes: Vec::new(),
            namespaces,
            cgroups,
            id_maps: None,
            memory_map: None,
            containers: Vec::new(),
            threads: Vec::new(),
        };
        let wanted = self.wanted(&snap);
        let fresh: Vec<i32> = wanted
            .iter()
            .filter(|(pid, at)| self.wanted_before.get(pid) != Some(at))
            .map(|(pid, _)| *pid)
            .collect();
        let mut pids: Vec<i32> = wanted.keys().copied().collect();
        pids.sort_unstable();
        let rows = self.procs.refresh_only(&self.roots, &pids, &fresh);
        self.wanted_before = wanted;
        snap.processes = merge(&self.outlines, rows);
        snap.containers = self
            .containers
            .find(&self.roots, &mut self.cgroup_files, &snap);
        Ok(snap)
    }

    /// Outlines for the census's processes: new ones and those that exec'd read, a
    /// staggered few read again, those gone dropped.
    fn update_outlines(&mut self) -> Result<(), KernelError> {
        let (pids, execs) = self.census.refresh(&self.roots)?;
        let tick = self.collections;
        // In place: between two readings a host's list changes by a few processes, and
        // copying 5,000 shared rows costs as many reference-count updates.
        self.outlines.retain(|r| pids.binary_search(&r.pid).is_ok());
        let mut i = 0;
        for &pid in pids {
            let known = self.outlines.get(i).is_some_and(|r| r.pid == pid);
            let due = (u64::from(pid.unsigned_abs()) + tick).is_multiple_of(OUTLINE_PERIOD);
            if known && !due && execs.binary_search(&pid).is_err() {
                i += 1;
                continue;
            }
            let read = read_outline(&self.roots, pid, &mut self.buf, &mut self.shared);
            match (read, known) {
                (Some(row), true) => {
                    if let Some(slot) = self.outlines.get_mut(i) {
                        *slot = Arc::new(row);
                    }
                    i += 1;
                }
                (Some(row), false) => {
                    self.outlines.insert(i, Arc::new(row));
                    i += 1;
                }
                (None, true) => {
                    self.outlines.remove(i); // gone meanwhile
                }
                (None, false) => {}
            }
        }
        // Bound the interners on hosts where names and namespaces churn.
        if self.shared.ns_sets.len() > 4 * self.outlines.len().max(64) {
            self.shared.ns_sets.clear();
        }
        self.shared.comms.bound(self.outlines.len());
        Ok(())
    }

    /// The processes to read in full, each with the container cgroup it is in (hashed; 0
    /// for a sandbox candidate): members of a container's cgroup (or a runtime's monitor's),
    /// and processes in namespaces other than the host's.
    fn wanted(&self, snap: &Snapshot) -> HashMap<i32, u64> {
        let mut wanted = HashMap::new();
        members_of_containers(&snap.cgroups, &mut wanted);
        let host = snap.host_namespaces();
        if !host.is_empty() {
            for p in self.outlines.iter().filter(|p| !p.kernel_thread) {
                if containers::in_own_namespaces(&p.namespaces, &host) {
                    wanted.entry(p.pid).or_insert(0);
                }
            }
        }
        wanted
    }
}

/// Whether a cgroup that is no container's has its members counted in this hierarchy: in
/// the v2 one where there is one (on a hybrid host it holds every process, as each v1
/// hierarchy does, mostly in the same layout), else in each. A member list is the costliest
/// file of all: the kernel builds and sorts it on every read, and the ten of one cgroup of
/// 5,000 processes on this machine were a tenth of a scrape.
fn counts_members(at: &CgroupAt<'_>) -> bool {
    at.mode == CgroupMode::V1 || at.version == 2
}

/// Every pid in a cgroup that a runtime's naming rule claims, keyed by a hash of the path.
fn members_of_containers(cgroups: &CgroupSnapshot, out: &mut HashMap<i32, u64>) {
    for h in &cgroups.hierarchies {
        for n in h.cgroups.iter().filter(|n| !n.pids.is_empty()) {
            if naming::identify(&n.path).is_none() {
                continue;
            }
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            n.path.hash(&mut hasher);
            let at = hasher.finish().max(1);
            for pid in n.pids.iter() {
                out.insert(*pid, at);
            }
        }
    }
}

/// The outlines with the rows read in full in their place (both ascending by pid). A row
/// read of a process the census does not list yet (a fork not yet reported) is kept too.
fn merge(outlines: &[Arc<ProcessRow>], rows: Vec<Arc<ProcessRow>>) -> Vec<Arc<ProcessRow>> {
    let mut out = Vec::with_capacity(outlines.len() + rows.len());
    let mut rows = rows.into_iter().peekable();
    for o in outlines {
        while let Some(r) = rows.next_if(|r| r.pid < o.pid) {
            out.push(r);
        }
        match rows.next_if(|r| r.pid == o.pid) {
            Some(r) => out.push(r),
            None => out.push(Arc::clone(o)),
        }
    }
    out.extend(rows);
    out
}
