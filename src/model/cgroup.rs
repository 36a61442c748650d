//! Cgroup hierarchies and their trees, with the counters each controller provides.
//!
//! Everything a controller does not provide is `None` and left out of the JSON: an absent
//! file is never reported as zero.

use super::Access;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CgroupMode {
    /// Only cgroup v1 hierarchies are mounted.
    V1,
    /// Only the cgroup2 unified hierarchy.
    V2,
    /// v1 controller hierarchies plus a cgroup2 mount (often /sys/fs/cgroup/unified).
    Hybrid,
}

/// A limit that can be "max" (no limit) or a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Limit {
    #[serde(serialize_with = "ser_max")]
    Max,
    Value(u64),
}

fn ser_max<S: serde::Serializer>(s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str("max")
}

/// `"max"` or a number, as written (and as the cgroup files say it).
impl<'de> Deserialize<'de> for Limit {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Written {
            Value(u64),
            Word(String),
        }
        match Written::deserialize(d)? {
            Written::Value(v) => Ok(Limit::Value(v)),
            Written::Word(w) if w == "max" => Ok(Limit::Max),
            Written::Word(w) => Err(serde::de::Error::custom(format!(
                "{w:?} is not a limit (\"max\" or a number)"
            ))),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CgroupSnapshot {
    pub mode: CgroupMode,
    pub hierarchies: Vec<Hierarchy>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hierarchy {
    /// The hierarchy ID of /proc/PID/cgroup: 0 for cgroup2, the v1 number otherwise.
    pub id: u32,
    /// 1 or 2.
    pub version: u8,
    /// v1: the controllers bound to it (from the mount options); v2: cgroup.controllers of
    /// the root.
    pub controllers: Vec<String>,
    /// The `name=` of a named v1 hierarchy (e.g. `systemd`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Where it is mounted, as mountinfo says.
    pub mount_point: String,
    /// The root of the mount inside the hierarchy (mountinfo field 4; `/` unless the mount
    /// shows a sub-tree, as in containers).
    pub mount_root: String,
    /// Every cgroup, parents before children, siblings sorted by name; the first is the root.
    pub cgroups: Vec<CgroupNode>,
}

impl Hierarchy {
    /// `v2 /sys/fs/cgroup/unified — cpu memory`, `v1 cpu,cpuacct`, `v1 name=systemd`: the
    /// hierarchy as the cgroup pane and its explanation name it.
    pub fn label(&self) -> String {
        if self.version == 2 {
            let ctl = if self.controllers.is_empty() {
                "no controllers".to_string()
            } else {
                self.controllers.join(" ")
            };
            format!("v2 {} — {ctl}", self.mount_point)
        } else {
            let mut parts = self.controllers.clone();
            if let Some(n) = &self.name {
                parts.push(format!("name={n}"));
            }
            format!("v1 {}", parts.join(","))
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct CgroupNode {
    /// Path from the hierarchy's mount root, starting with `/`; display-safe.
    pub path: String,
    /// Last component (the root is `/`); display-safe.
    pub name: String,
    pub depth: usize,
    /// Index of the parent in [`Hierarchy::cgroups`]; None for the root.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<usize>,
    /// cgroup.procs: the processes (thread-group ids) directly in this cgroup.
    /// Shared: the roots of hierarchies whose members are worked out from the process list
    /// often hold the same list, kept once.
    pub pids: std::sync::Arc<[i32]>,
    pub pids_access: Access,
    /// v2 cgroup.events `populated`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub populated: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<MemoryStats>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<CpuStats>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pids_limit: Option<PidsStats>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub freezer: Option<FreezerState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpuset: Option<CpusetState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pressure: Option<Pressure>,
    /// Control files that exist but could not be read (file name only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub denied: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct MemoryStats {
    /// v2 memory.current; v1 memory.usage_in_bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_bytes: Option<u64>,
    /// v2 memory.max; v1 memory.limit_in_bytes (the v1 "unlimited" value becomes `max`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_bytes: Option<Limit>,
    /// v2 memory.high (throttle point).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high_bytes: Option<Limit>,
    /// v2 memory.peak; v1 memory.max_usage_in_bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub peak_bytes: Option<u64>,
    /// v2 memory.swap.current.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub swap_current_bytes: Option<u64>,
    /// v2 memory.events `oom`; v1 has no equivalent (left out).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oom_events: Option<u64>,
    /// v2 memory.events `oom_kill`; v1 memory.oom_control `oom_kill`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oom_kill_events: Option<u64>,
    /// v2 memory.events `max` (times usage hit the limit); v1 memory.failcnt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_events: Option<u64>,
    /// v2 memory.events `high`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high_events: Option<u64>,
    /// The same four counted in this cgroup only (v2 memory.events.local, kernel 5.2 on):
    /// where present, an event is put where its local counter moved, not guessed from the
    /// hierarchical ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oom_local: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oom_kill_local: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_local: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high_local: Option<u64>,
    /// v2 memory.swap.events `high` (swap usage went over memory.swap.high), `max` (a swap
    /// allocation was refused at memory.swap.max) and `fail` (a swap allocation failed, at
    /// the limit or because swap ran out system-wide).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub swap_high_events: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub swap_max_events: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub swap_fail_events: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct CpuStats {
    /// v2 cpu.stat `usage_usec`; v1 cpuacct.usage (ns / 1000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage_usec: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_usec: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_usec: Option<u64>,
    /// Share of one CPU between the last two samples (from usage_usec).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_percent: Option<f64>,
    /// v2 cpu.max quota; v1 cpu.cfs_quota_us (-1 becomes `max`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quota_usec: Option<Limit>,
    /// v2 cpu.max period; v1 cpu.cfs_period_us.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_usec: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nr_periods: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nr_throttled: Option<u64>,
    /// v2 `throttled_usec`; v1 `throttled_time` (ns / 1000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub throttled_usec: Option<u64>,
    /// v2 cpu.weight; v1 cpu.shares.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct PidsStats {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<Limit>,
    /// pids.events `max`: how many forks the limit refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_events: Option<u64>,
}

/// Freezer state as the kernel reports it (never inferred from process states).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "version")]
pub enum FreezerState {
    /// cgroup v1 freezer.state (THAWED, FREEZING, FROZEN) and the self/parent flags.
    #[serde(rename = "v1")]
    V1 {
        state: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        self_freezing: Option<bool>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        parent_freezing: Option<bool>,
    },
    /// cgroup v2: `requested` is cgroup.freeze; `frozen` is the effective state from
    /// cgroup.events (it can lag, or be true because an ancestor is frozen).
    #[serde(rename = "v2")]
    V2 {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        requested: Option<bool>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        frozen: Option<bool>,
    },
}

impl FreezerState {
    /// Frozen as the kernel says it now: v2 cgroup.events `frozen`, v1 freezer.state
    /// FROZEN (FREEZING is not yet). None where v2 did not say.
    pub fn is_frozen(&self) -> Option<bool> {
        match self {
            FreezerState::V2 { frozen, .. } => *frozen,
            FreezerState::V1 { state, .. } => Some(state == "FROZEN"),
        }
    }
}

impl CgroupSnapshot {
    /// The cgroup at `path` in every hierarchy that has it, v2 first: runtimes make the
    /// same path in each, and a container's counter is taken from the first copy that has
    /// it (on a hybrid host, memory from v1's memory hierarchy, cpu from v2).
    pub fn copies_of(&self, path: &str) -> Vec<&CgroupNode> {
        let mut hierarchies: Vec<&Hierarchy> = self.hierarchies.iter().collect();
        hierarchies.sort_by_key(|h| std::cmp::Reverse(h.version));
        hierarchies
            .iter()
            .filter_map(|h| h.cgroups.iter().find(|n| n.path == path))
            .collect()
    }

    /// The processes of every frozen cgroup, in any hierarchy. A frozen cgroup's
    /// descendants say frozen too (v2 cgroup.events, v1 freezer.state), so direct
    /// membership is enough.
    pub fn frozen_pids(&self) -> std::collections::HashSet<i32> {
        self.hierarchies
            .iter()
            .flat_map(|h| &h.cgroups)
            .filter(|n| n.freezer.as_ref().and_then(FreezerState::is_frozen) == Some(true))
            .flat_map(|n| n.pids.iter().copied())
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CpusetState {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpus: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mems: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_cpus: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_mems: Option<String>,
}

/// Pressure stall information (cpu.pressure, memory.pressure, io.pressure).
/// See Documentation/accounting/psi.rst.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct Pressure {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<PsiResource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<PsiResource>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub io: Option<PsiResource>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct PsiResource {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub some: Option<PsiLine>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full: Option<PsiLine>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct PsiLine {
    pub avg10: f64,
    pub avg60: f64,
    pub avg300: f64,
    pub total_usec: u64,
}
