//! The collect layer: reads the kernel through [`Roots`] and turns two raw samples into a
//! [`Snapshot`] with rates (cpu % of processes and cgroups) and the namespace table.
//!
//! It sits between `kernel` (the readers) and everything that wants a whole picture (the
//! dashboard's poller, the actions, the headless reports); `model` stays plain data. See
//! docs/ARCHITECTURE.md, "Layers".

pub mod containers;
pub mod events;
pub mod export_collector;
mod ns_table;
pub mod process_census;
mod rates;
pub mod threads;

pub use ns_table::build_namespace_table;
use rates::Rates;
pub use threads::ThreadScope;

use crate::kernel::procs::{ProcReader, ThreadReader};
use crate::kernel::{KernelError, Roots, cgroupfs, maps, namespaces};
use crate::model::Snapshot;
use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Debug)]
pub struct Collector {
    roots: Roots,
    procs: ProcReader,
    rates: Rates,
    /// What is read for the containers found (names, network, disk).
    containers: containers::Readers,
    /// The cgroups' control files, kept open between polls.
    cgroup_files: cgroupfs::files::FileReader,
    /// Whose threads are read (none unless the dashboard shows them), and their reader:
    /// dropped, with its kept files, when they are hidden again.
    thread_scope: ThreadScope,
    threads: Option<ThreadReader>,
}

impl Collector {
    /// Checks that the roots are a proc tree and a cgroup tree, so that a wrong
    /// `--proc-root`/`--cgroup-root` fails at once with a clear message.
    pub fn new(roots: Roots) -> Result<Self, KernelError> {
        roots.check_proc()?;
        crate::kernel::procs::reserve_descriptors(&roots);
        Ok(Collector {
            roots,
            procs: ProcReader::new(),
            rates: Rates::default(),
            containers: containers::Readers::default(),
            cgroup_files: cgroupfs::files::FileReader::keeping(),
            thread_scope: ThreadScope::default(),
            threads: None,
        })
    }

    pub fn roots(&self) -> &Roots {
        &self.roots
    }

    /// Refreshes between two reads of what rarely changes (see [`ProcReader`]).
    pub fn set_slow_period(&mut self, refreshes: u64) {
        self.procs.slow_period = refreshes.max(1);
        if let Some(t) = self.threads.as_mut() {
            t.slow_period = refreshes.max(1);
        }
    }

    /// Which threads the next polls read (`H`, the threads view); none forgets what the
    /// thread reader kept.
    pub fn set_threads(&mut self, scope: ThreadScope) {
        self.thread_scope = scope;
        if scope.is_none() {
            self.threads = None;
        }
    }

    /// One poll. `focus` is the selected process: its slow fields are read fresh and its
    /// memory map is read (an error there, such as the process having exited, leaves the
    /// map out rather than failing the poll).
    pub fn collect(&mut self, focus: Option<i32>) -> Result<Snapshot, KernelError> {
        self.cgroup_files.begin_pass();
        let snap = self.collect_pass(focus);
        self.cgroup_files.end_pass();
        snap
    }

    fn collect_pass(&mut self, focus: Option<i32>) -> Result<Snapshot, KernelError> {
        let fresh: Vec<i32> = focus.into_iter().collect();
        let processes = self.procs.refresh(&self.roots, &fresh)?;
        // A root cgroup's members are worked out as "every process in no other cgroup". A
        // zombie is in none: the kernel takes an exiting task out of its cgroup (its
        // cgroup.procs no longer lists it), so it is left out here too.
        let pids: Vec<i32> = processes
            .iter()
            .filter(|p| p.state != 'Z')
            .map(|p| p.pid)
            .collect();
        let mut cgroups =
            cgroupfs::read_cgroups_with(&self.roots, Some(&pids), &mut self.cgroup_files, &|_| {
                cgroupfs::Reading::ALL
            })?;
        self.rates.apply(&mut cgroups);
        let (host_reference, namespaces) = build_namespace_table(&processes);
        let id_maps = focus.and_then(|pid| namespaces::read_id_maps(&self.roots, pid).ok());
        let memory_map = focus.and_then(|pid| {
            let row = processes.binary_search_by_key(&pid, |p| p.pid).ok()?;
            let start = processes.get(row)?.start_time_ticks;
            maps::read_memory_map(&self.roots, pid, start).ok()
        });
        let mut snap = Snapshot {
            taken_at_unix_ms: now_unix_ms(),
            host_reference,
            processes,
            namespaces,
            cgroups,
            id_maps,
            memory_map,
            containers: Vec::new(),
            threads: Vec::new(),
        };
        snap.containers = self
            .containers
            .find(&self.roots, &mut self.cgroup_files, &snap);
        snap.threads = self.read_threads(&snap.processes, focus);
        Ok(snap)
    }

    /// The threads the scope asks for (nothing at all is read when it asks for none).
    fn read_threads(
        &mut self,
        processes: &[std::sync::Arc<crate::model::ProcessRow>],
        focus: Option<i32>,
    ) -> Vec<crate::model::ProcThreads> {
        let wanted = threads::wanted(processes, self.thread_scope, focus);
        if wanted.is_empty() {
            return Vec::new();
        }
        let slow_period = self.procs.slow_period;
        let reader = self.threads.get_or_insert_with(|| {
            // The first read keeps a file per thread: grow the descriptor table once for
            // them rather than by doublings (see `kept_file::reserve_descriptors`).
            let tasks: u64 = wanted.iter().map(|w| u64::from(w.threads)).sum();
            let procs = u64::try_from(processes.len()).unwrap_or(0);
            crate::kernel::kept_file::reserve_descriptors(procs * 2 + tasks + 512);
            let mut r = ThreadReader::new();
            r.slow_period = slow_period;
            r
        });
        reader.refresh(&self.roots, &wanted)
    }
}

/// The wall clock in milliseconds since the epoch, a snapshot's time (0 before 1970).
fn now_unix_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}
