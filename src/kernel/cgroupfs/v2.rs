//! What each cgroup v2 file gives (<https://docs.kernel.org/admin-guide/cgroup-v2.html>).
//!
//! - cgroup.events: `populated` and `frozen` (flat-keyed; absent on the root).
//! - cgroup.freeze: the requested freezer state; on every non-root cgroup, as the freezer
//!   is part of the core, not a controller.
//! - memory.*: only where the memory controller is enabled (parent's subtree_control).
//! - cpu.stat: `usage_usec`/`user_usec`/`system_usec` always (core); `nr_periods`,
//!   `nr_throttled`, `throttled_usec` only with the cpu controller.
//! - cpu.max, cpu.weight, pids.*, cpuset.*: with their controller.
//! - *.pressure: PSI, see <https://docs.kernel.org/accounting/psi.html>.

use super::files::{CgroupFiles, Ctl};
use super::parse::{flat_get, parse_cpu_max, parse_flag, parse_limit, parse_u64};
use crate::model::{CgroupNode, CpuStats, FreezerState, MemoryStats};

pub(super) fn fill(node: &mut CgroupNode, f: &mut CgroupFiles<'_>) {
    let mut frozen = None;
    if let Some((populated, fr)) = f.get(Ctl::Events, |b| {
        Some((
            flat_get(b, "populated").map(|v| v != 0),
            flat_get(b, "frozen").map(|v| v != 0),
        ))
    }) {
        node.populated = populated;
        frozen = fr;
    }
    if f.has(Ctl::Freeze) || frozen.is_some() {
        let requested = f.get(Ctl::Freeze, parse_flag);
        node.freezer = Some(FreezerState::V2 { requested, frozen });
    }
    node.memory = memory(f);
    node.cpu = cpu(f);
    node.pids_limit = super::pids(f);
    node.cpuset = super::cpuset(f, Ctl::CpusetCpusEffective, Ctl::CpusetMemsEffective);
    node.pressure = super::pressure(f);
}

fn memory(f: &mut CgroupFiles<'_>) -> Option<MemoryStats> {
    let mut m = MemoryStats {
        current_bytes: f.get(Ctl::MemCurrent, parse_u64),
        max_bytes: f.get(Ctl::MemMax, parse_limit),
        high_bytes: f.get(Ctl::MemHigh, parse_limit),
        peak_bytes: f.get(Ctl::MemPeak, parse_u64),
        swap_current_bytes: f.get(Ctl::MemSwapCurrent, parse_u64),
        ..MemoryStats::default()
    };
    if let Some((oom, oom_kill, max, high)) = f.get(Ctl::MemEvents, memory_event_counts) {
        m.oom_events = oom;
        m.oom_kill_events = oom_kill;
        m.max_events = max;
        m.high_events = high;
    }
    // Documentation/admin-guide/cgroup-v2.rst: "memory.events.local: Similar to memory.events
    // but the fields in the file are local to the cgroup i.e. not hierarchical."
    if let Some((oom, oom_kill, max, high)) = f.get(Ctl::MemEventsLocal, memory_event_counts) {
        m.oom_local = oom;
        m.oom_kill_local = oom_kill;
        m.max_local = max;
        m.high_local = high;
    }
    if let Some((high, max, fail)) = f.get(Ctl::MemSwapEvents, |b| {
        Some((flat_get(b, "high"), flat_get(b, "max"), flat_get(b, "fail")))
    }) {
        m.swap_high_events = high;
        m.swap_max_events = max;
        m.swap_fail_events = fail;
    }
    (m != MemoryStats::default()).then_some(m)
}

fn cpu(f: &mut CgroupFiles<'_>) -> Option<CpuStats> {
    let mut c = f
        .get(Ctl::CpuStat, |b| {
            Some(CpuStats {
                usage_usec: flat_get(b, "usage_usec"),
                user_usec: flat_get(b, "user_usec"),
                system_usec: flat_get(b, "system_usec"),
                nr_periods: flat_get(b, "nr_periods"),
                nr_throttled: flat_get(b, "nr_throttled"),
                throttled_usec: flat_get(b, "throttled_usec"),
                ..CpuStats::default()
            })
        })
        .unwrap_or_default();
    if let Some((quota, period)) = f.get(Ctl::CpuMax, parse_cpu_max) {
        c.quota_usec = Some(quota);
        c.period_usec = period;
    }
    c.weight = f.get(Ctl::CpuWeight, parse_u64);
    (c != CpuStats::default()).then_some(c)
}

/// `oom`, `oom_kill`, `max` and `high` of `memory.events` or `memory.events.local`, which
/// have the same keys (a key the kernel does not have is None).
type EventCounts = (Option<u64>, Option<u64>, Option<u64>, Option<u64>);

fn memory_event_counts(b: &[u8]) -> Option<EventCounts> {
    Some((
        flat_get(b, "oom"),
        flat_get(b, "oom_kill"),
        flat_get(b, "max"),
        flat_get(b, "high"),
    ))
}
