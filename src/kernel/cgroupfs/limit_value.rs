//! Limit values in the kernel's canonical text: what a control file is given.
//!
//! The values arrive parsed and validated (`actions::limits` turns `1.5G` or `0.5` into
//! these); here they become the exact text each file expects, v1 or v2
//! (Documentation/admin-guide/cgroup-v2.rst, "Memory Interface Files" and "CPU").

use crate::model::Limit;

/// The kernel's default CFS period (kernel/sched/core.c).
pub const DEFAULT_PERIOD_USEC: u64 = 100_000;

/// A CPU limit: quota per period, in microseconds (None = no limit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CpuLimit {
    pub quota_usec: Option<u64>,
    pub period_usec: u64,
}

/// The text for v2 `memory.max` / `memory.high`, or v1 `memory.limit_in_bytes` (where "no
/// limit" is written as -1).
pub fn size_text(limit: Limit, v1: bool) -> String {
    match (limit, v1) {
        (Limit::Max, false) => "max".to_string(),
        (Limit::Max, true) => "-1".to_string(),
        (Limit::Value(b), _) => b.to_string(),
    }
}

/// The text for v2 `cpu.max`: `QUOTA PERIOD` or `max PERIOD`.
pub fn cpu_max_text(c: CpuLimit) -> String {
    match c.quota_usec {
        Some(q) => format!("{q} {}", c.period_usec),
        None => format!("max {}", c.period_usec),
    }
}
