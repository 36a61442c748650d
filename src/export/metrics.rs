//! The metrics of one snapshot, named by Prometheus's conventions
//! (<https://prometheus.io/docs/practices/naming/>): one `boxtop_` prefix, base units
//! (seconds, bytes), `_total` on counters, the kernel's raw counters rather than rates, an
//! `_info` gauge for what is only labels, and no pid or command line as a label. docs/metrics.md
//! maps each to its kernel file and to cAdvisor's nearest name. Pure: nothing is read here.

use super::exposition::{Exposition, Kind};
use crate::model::{Access, CgroupNode, Container, Hierarchy, Limit, PsiResource, Snapshot};

type Family = (&'static str, Kind, &'static str);
use Kind::{Counter, Gauge};

/// The families a cgroup's counters give, under one prefix: `boxtop_container_…` or
/// `boxtop_cgroup_…`.
struct Names {
    cpu: Family,
    periods: Family,
    throttled: Family,
    throttled_seconds: Family,
    memory: Family,
    limit: Family,
    oom_kills: Family,
    limit_hits: Family,
    pids: Family,
    pids_limit: Family,
    pressure: Family,
    frozen: Family,
    processes: Family,
}

macro_rules! names {
    ($p:literal, $what:literal) => {
        Names {
            cpu: (
                concat!($p, "_cpu_usage_seconds_total"),
                Counter,
                concat!("CPU time used by ", $what, " (v2 cpu.stat usage_usec, v1 cpuacct.usage)."),
            ),
            periods: (
                concat!($p, "_cpu_periods_total"),
                Counter,
                concat!("CFS enforcement periods of ", $what, " (cpu.stat nr_periods)."),
            ),
            throttled: (
                concat!($p, "_cpu_throttled_periods_total"),
                Counter,
                concat!("Periods in which ", $what, " was throttled (cpu.stat nr_throttled)."),
            ),
            throttled_seconds: (
                concat!($p, "_cpu_throttled_seconds_total"),
                Counter,
                concat!("Time ", $what, " was throttled (v2 cpu.stat throttled_usec, v1 throttled_time)."),
            ),
            memory: (
                concat!($p, "_memory_usage_bytes"),
                Gauge,
                concat!("Memory charged to ", $what, " (v2 memory.current, v1 memory.usage_in_bytes)."),
            ),
            limit: (
                concat!($p, "_memory_limit_bytes"),
                Gauge,
                concat!("The hard memory limit of ", $what, " (v2 memory.max, v1 memory.limit_in_bytes); absent when unlimited."),
            ),
            oom_kills: (
                concat!($p, "_oom_kills_total"),
                Counter,
                concat!("Processes of ", $what, " the OOM killer killed (v2 memory.events oom_kill, v1 memory.oom_control oom_kill)."),
            ),
            limit_hits: (
                concat!($p, "_memory_limit_hits_total"),
                Counter,
                concat!("Times the memory of ", $what, " hit its hard limit (v2 memory.events max, v1 memory.failcnt)."),
            ),
            pids: (
                concat!($p, "_pids"),
                Gauge,
                concat!("Tasks (threads included) in ", $what, " (pids.current)."),
            ),
            pids_limit: (
                concat!($p, "_pids_limit"),
                Gauge,
                concat!("The task limit of ", $what, " (pids.max); absent when unlimited."),
            ),
            pressure: (
                concat!($p, "_pressure_stalled_seconds_total"),
                Counter,
                concat!("Time some (kind=some) or all (kind=full) tasks of ", $what, " were stalled on the resource (cpu.pressure, memory.pressure, io.pressure total)."),
            ),
            frozen: (
                concat!($p, "_frozen"),
                Gauge,
                concat!("1 while the kernel's freezer holds ", $what, " (v2 cgroup.events frozen, v1 freezer.state FROZEN)."),
            ),
            processes: (
                concat!($p, "_processes"),
                Gauge,
                concat!("Processes (not threads) in ", $what, "."),
            ),
        }
    };
}

const CONTAINER: Names = names!("boxtop_container", "the container");
const CGROUP: Names = names!("boxtop_cgroup", "the cgroup");

const CONTAINER_INFO: Family = (
    "boxtop_container_info",
    Gauge,
    "A container named from the kernel alone: its runtime, id, name, and where the name came from; always 1.",
);
const WORKING_SET: Family = (
    "boxtop_container_memory_working_set_bytes",
    Gauge,
    "Memory usage less inactive page cache (memory.stat inactive_file), as the kubelet counts it.",
);
const NET: [Family; 4] = [
    (
        "boxtop_container_network_receive_bytes_total",
        Counter,
        "Bytes received on an interface of the container's network namespace (its /proc/PID/net/dev).",
    ),
    (
        "boxtop_container_network_receive_packets_total",
        Counter,
        "Packets received on an interface of the container's network namespace.",
    ),
    (
        "boxtop_container_network_transmit_bytes_total",
        Counter,
        "Bytes sent on an interface of the container's network namespace.",
    ),
    (
        "boxtop_container_network_transmit_packets_total",
        Counter,
        "Packets sent on an interface of the container's network namespace.",
    ),
];
const DISK_READ: Family = (
    "boxtop_container_disk_read_bytes_total",
    Counter,
    "Bytes the container's processes read from block devices (v2 io.stat rbytes, v1 blkio io_service_bytes Read).",
);
const DISK_WRITE: Family = (
    "boxtop_container_disk_written_bytes_total",
    Counter,
    "Bytes the container's processes wrote to block devices (v2 io.stat wbytes, v1 blkio io_service_bytes Write).",
);
const NAMESPACES: Family = (
    "boxtop_namespaces",
    Gauge,
    "Namespaces of each type on the host that at least one process is in (as lsns counts them).",
);
const PROCESSES: Family = (
    "boxtop_processes",
    Gauge,
    "Processes on the host (kernel threads included).",
);

/// Which cgroups get metrics of their own: a v1 host has thousands, one per hierarchy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CgroupSelection {
    /// Cgroups at most this deep (the root is 0).
    pub max_depth: usize,
    /// And every cgroup whose path starts with one of these.
    pub prefixes: Vec<String>,
}

impl CgroupSelection {
    /// Whether the cgroup at `path`, `depth` levels down, gets metrics of its own (a
    /// container's always does).
    pub fn counts(&self, path: &str, depth: usize) -> bool {
        depth <= self.max_depth || self.prefixes.iter().any(|p| path.starts_with(p.as_str()))
    }
}

impl Default for CgroupSelection {
    /// The containers' cgroups and the top two levels.
    fn default() -> Self {
        CgroupSelection {
            max_depth: 2,
            prefixes: Vec::new(),
        }
    }
}

/// The metrics of `snap`: every container, the selected cgroups, the host's counts.
pub fn snapshot_metrics(snap: &Snapshot, sel: &CgroupSelection, e: &mut Exposition) {
    for c in &snap.containers {
        container(snap, c, e);
    }
    let containers: Vec<&str> = snap
        .containers
        .iter()
        .filter_map(|c| c.cgroup.as_deref())
        .collect();
    for h in &snap.cgroups.hierarchies {
        let hierarchy = hierarchy_label(h);
        for n in &h.cgroups {
            if sel.counts(&n.path, n.depth) || containers.contains(&n.path.as_str()) {
                let labels = [("hierarchy", hierarchy.as_str()), ("path", n.path.as_str())];
                counters(e, &CGROUP, &labels, &[n]);
                if n.pids_access != Access::NotRead {
                    e.add(CGROUP.processes, &labels, count(n.pids.len()));
                }
                e.add_some(
                    CGROUP.frozen,
                    &labels,
                    n.freezer
                        .as_ref()
                        .and_then(crate::model::FreezerState::is_frozen)
                        .map(flag),
                );
            }
        }
    }
    let mut kinds: Vec<(&str, usize)> = Vec::new();
    for ns in &snap.namespaces {
        let kind = ns.kind.file_name();
        match kinds.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, n)) => *n += 1,
            None => kinds.push((kind, 1)),
        }
    }
    for (kind, n) in kinds {
        e.add(NAMESPACES, &[("type", kind)], count(n));
    }
    e.add(PROCESSES, &[], count(snap.processes.len()));
}

/// `v2`, or a v1 hierarchy's controllers (`cpu,cpuacct`), or its name (`name=systemd`).
fn hierarchy_label(h: &Hierarchy) -> String {
    if h.version == 2 {
        "v2".into()
    } else if let Some(name) = &h.name {
        format!("name={name}")
    } else {
        h.controllers.join(",")
    }
}

fn container(snap: &Snapshot, c: &Container, e: &mut Exposition) {
    let labels = [
        ("runtime", c.runtime.name()),
        ("id", c.id.as_str()),
        ("name", c.name.as_str()),
    ];
    e.add(
        CONTAINER_INFO,
        &[
            ("runtime", c.runtime.name()),
            ("id", c.id.as_str()),
            ("name", c.name.as_str()),
            ("name_source", c.name_source.word()),
            ("image", c.image.as_deref().unwrap_or("")),
        ],
        1.0,
    );
    e.add(CONTAINER.processes, &labels, count(c.pids.len()));
    let m = &c.measures;
    e.add_some(CONTAINER.frozen, &labels, m.frozen.map(flag));
    e.add_some(WORKING_SET, &labels, m.memory_working_set_bytes.map(bytes));
    e.add_some(DISK_READ, &labels, m.disk_read_bytes.map(bytes));
    e.add_some(DISK_WRITE, &labels, m.disk_write_bytes.map(bytes));
    if let Some(path) = &c.cgroup {
        counters(e, &CONTAINER, &labels, &snap.cgroups.copies_of(path));
    }
    if let Some(net) = c.network.as_ref().filter(|n| !n.shared_with_host) {
        for i in &net.interfaces {
            let l = [
                labels[0],
                labels[1],
                labels[2],
                ("interface", i.name.as_str()),
            ];
            let [rx, rxp, tx, txp] = NET;
            e.add(rx, &l, bytes(i.rx_bytes));
            e.add(rxp, &l, bytes(i.rx_packets));
            e.add(tx, &l, bytes(i.tx_bytes));
            e.add(txp, &l, bytes(i.tx_packets));
        }
    }
}

/// The counters of a cgroup, each from the first of `nodes` that has it.
fn counters(e: &mut Exposition, names: &Names, labels: &[(&str, &str)], nodes: &[&CgroupNode]) {
    let first = |f: &dyn Fn(&CgroupNode) -> Option<u64>| nodes.iter().find_map(|n| f(n));
    let cpu = |f: fn(&crate::model::CpuStats) -> Option<u64>| first(&|n| f(n.cpu.as_ref()?));
    let mem =
        |f: fn(&crate::model::MemoryStats) -> Option<u64>| first(&|n| f(n.memory.as_ref()?));
    e.add_some(names.cpu, labels, cpu(|c| c.usage_usec).map(usec));
    e.add_some(names.periods, labels, cpu(|c| c.nr_periods).map(bytes));
    e.add_some(names.throttled, labels, cpu(|c| c.nr_throttled).map(bytes));
    e.add_some(
        names.throttled_seconds,
        labels,
        cpu(|c| c.throttled_usec).map(usec),
    );
    e.add_some(names.memory, labels, mem(|m| m.current_bytes).map(bytes));
    let limit = nodes
        .iter()
        .find_map(|n| match n.memory.as_ref()?.max_bytes? {
            Limit::Value(v) => Some(v),
            Limit::Max => None,
        });
    e.add_some(names.limit, labels, limit.map(bytes));
    e.add_some(
        names.oom_kills,
        labels,
        mem(|m| m.oom_kill_events).map(bytes),
    );
    e.add_some(names.limit_hits, labels, mem(|m| m.max_events).map(bytes));
    e.add_some(
        names.pids,
        labels,
        first(&|n| n.pids_limit.as_ref()?.current).map(bytes),
    );
    let pids_max = nodes
        .iter()
        .find_map(|n| match n.pids_limit.as_ref()?.max? {
            Limit::Value(v) => Some(v),
            Limit::Max => None,
        });
    e.add_some(names.pids_limit, labels, pids_max.map(bytes));
    if let Some(p) = nodes.iter().find_map(|n| n.pressure.as_ref()) {
        for (resource, r) in [("cpu", &p.cpu), ("memory", &p.memory), ("io", &p.io)] {
            pressure(e, names.pressure, labels, resource, r.as_ref());
        }
    }
}

fn pressure(
    e: &mut Exposition,
    family: Family,
    labels: &[(&str, &str)],
    resource: &str,
    r: Option<&PsiResource>,
) {
    let Some(r) = r else { return };
    for (kind, line) in [("some", &r.some), ("full", &r.full)] {
        if let Some(line) = line {
            let mut l: Vec<(&str, &str)> = labels.to_vec();
            l.push(("resource", resource));
            l.push(("kind", kind));
            e.add(family, &l, usec(line.total_usec));
        }
    }
}

// Counters and sizes as the format's float. Above 2^53 a u64 loses its last digits in an
// f64, as it does in Prometheus itself, whose samples are float64.
#[allow(clippy::cast_precision_loss, reason = "Prometheus samples are f64")]
fn bytes(v: u64) -> f64 {
    v as f64
}

#[allow(clippy::cast_precision_loss, reason = "Prometheus samples are f64")]
fn count(v: usize) -> f64 {
    v as f64
}

fn usec(v: u64) -> f64 {
    bytes(v) / 1e6
}

fn flag(b: bool) -> f64 {
    if b { 1.0 } else { 0.0 }
}

#[cfg(test)]
mod tests;
