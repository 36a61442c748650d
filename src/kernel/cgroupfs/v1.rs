//! What each cgroup v1 file gives (<https://docs.kernel.org/admin-guide/cgroup-v1/>).
//!
//! A v1 hierarchy has the files of the controllers bound to it (`cpu,cpuacct` may share
//! one), so each group below is read when its files are in the directory listing.
//!
//! - memory (memory.rst): usage_in_bytes, limit_in_bytes (the "unlimited" value is about
//!   2^63 rounded to a page: shown as `max`), max_usage_in_bytes, failcnt, and `oom_kill`
//!   in memory.oom_control.
//! - cpuacct (cpuacct.rst): cpuacct.usage in ns; usage_user/usage_sys in ns (4.x+), else
//!   cpuacct.stat in USER_HZ ticks.
//! - cpu (CFS bandwidth, scheduler/sched-bwc.rst): cfs_quota_us (-1 = none),
//!   cfs_period_us, cpu.stat (throttled_time in ns), cpu.shares.
//! - freezer (freezer-subsystem.rst): freezer.state, self_freezing, parent_freezing; the
//!   root cgroup has none of them.
//! - pids, cpuset: as in v2, with cpuset.effective_cpus / effective_mems.

use super::files::{CgroupFiles, Ctl};
use super::parse::{
    flat_get, parse_flag, parse_u64, parse_v1_freezer_state, parse_v1_mem_limit, parse_v1_quota,
};
use crate::model::{CgroupNode, CpuStats, FreezerState, MemoryStats};

pub(super) fn fill(node: &mut CgroupNode, f: &mut CgroupFiles<'_>) {
    node.memory = memory(f);
    node.cpu = cpu(f);
    node.pids_limit = super::pids(f);
    node.freezer = freezer(f);
    node.cpuset = super::cpuset(f, Ctl::V1CpusetEffectiveCpus, Ctl::V1CpusetEffectiveMems);
    // v1 has PSI files only when the kernel is booted with cgroup1 PSI support.
    node.pressure = super::pressure(f);
}

fn memory(f: &mut CgroupFiles<'_>) -> Option<MemoryStats> {
    let m = MemoryStats {
        current_bytes: f.get(Ctl::V1MemUsage, parse_u64),
        max_bytes: f.get(Ctl::V1MemLimit, parse_v1_mem_limit),
        peak_bytes: f.get(Ctl::V1MemMaxUsage, parse_u64),
        max_events: f.get(Ctl::V1MemFailcnt, parse_u64),
        oom_kill_events: f.get(Ctl::V1MemOomControl, |b| flat_get(b, "oom_kill")),
        ..MemoryStats::default()
    };
    (m != MemoryStats::default()).then_some(m)
}

/// Nanoseconds to microseconds.
fn ns_to_us(ns: u64) -> u64 {
    ns / 1000
}

/// USER_HZ ticks (cpuacct.stat) to microseconds.
fn ticks_to_us(ticks: u64) -> Option<u64> {
    let hz = crate::kernel::uptime::ticks_per_second();
    ticks.checked_mul(1_000_000).map(|v| v / hz)
}

fn cpu(f: &mut CgroupFiles<'_>) -> Option<CpuStats> {
    let mut c = CpuStats {
        usage_usec: f.get(Ctl::V1CpuacctUsage, parse_u64).map(ns_to_us),
        user_usec: f.get(Ctl::V1CpuacctUsageUser, parse_u64).map(ns_to_us),
        system_usec: f.get(Ctl::V1CpuacctUsageSys, parse_u64).map(ns_to_us),
        quota_usec: f.get(Ctl::V1CfsQuota, parse_v1_quota),
        period_usec: f.get(Ctl::V1CfsPeriod, parse_u64),
        weight: f.get(Ctl::V1CpuShares, parse_u64),
        ..CpuStats::default()
    };
    if c.user_usec.is_none()
        && c.system_usec.is_none()
        && let Some((user, system)) = f.get(Ctl::V1CpuacctStat, |b| {
            Some((flat_get(b, "user"), flat_get(b, "system")))
        })
    {
        c.user_usec = user.and_then(ticks_to_us);
        c.system_usec = system.and_then(ticks_to_us);
    }
    // The v1 cpu.stat of the cpu controller (not the v2 one: different keys).
    if let Some((periods, throttled, time)) = f.get(Ctl::CpuStat, |b| {
        Some((
            flat_get(b, "nr_periods"),
            flat_get(b, "nr_throttled"),
            flat_get(b, "throttled_time"),
        ))
    }) {
        c.nr_periods = periods;
        c.nr_throttled = throttled;
        c.throttled_usec = time.map(ns_to_us);
    }
    (c != CpuStats::default()).then_some(c)
}

fn freezer(f: &mut CgroupFiles<'_>) -> Option<FreezerState> {
    let state = f.get(Ctl::V1FreezerState, parse_v1_freezer_state)?;
    Some(FreezerState::V1 {
        state,
        self_freezing: f.get(Ctl::V1FreezerSelf, parse_flag),
        parent_freezing: f.get(Ctl::V1FreezerParent, parse_flag),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_conversions() {
        assert_eq!(ns_to_us(176_222_333_599), 176_222_333);
        assert_eq!(ns_to_us(999), 0);
        let hz = nix::unistd::sysconf(nix::unistd::SysconfVar::CLK_TCK)
            .unwrap()
            .unwrap();
        let hz = u64::try_from(hz).unwrap();
        assert_eq!(ticks_to_us(hz), Some(1_000_000));
        assert_eq!(ticks_to_us(u64::MAX), None);
    }
}
