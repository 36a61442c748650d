//! What the kernel did between two snapshots: an OOM kill, a limit hit, a freeze, a process
//! started or ended, a namespace made or released. Plain data; `collect::events` finds them.

use serde::{Deserialize, Serialize};

/// The kinds of event, named as the kernel's files name them where they have a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// v2 memory.events `oom_kill`, v1 memory.oom_control `oom_kill`: a process was killed.
    OomKill,
    /// v2 memory.events `oom`: the cgroup ran out of memory (a kill may follow).
    Oom,
    /// v2 memory.events `max`, v1 memory.failcnt: usage hit the hard limit.
    MemoryMax,
    /// v2 memory.events `high`: usage went over memory.high and was throttled.
    MemoryHigh,
    /// v2 memory.swap.events `high`: swap usage went over memory.swap.high.
    SwapHigh,
    /// v2 memory.swap.events `max`: a swap allocation was refused at memory.swap.max.
    SwapMax,
    /// v2 memory.swap.events `fail`: a swap allocation failed (the limit, or no swap left).
    SwapFail,
    /// pids.events `max`: a fork was refused for pids.max.
    PidsMax,
    /// v2 cgroup.events `frozen` 1, v1 freezer.state FROZEN.
    Frozen,
    /// The freezer let go.
    Thawed,
    /// v2 cgroup.events `populated` 0 -> 1.
    Populated,
    /// `populated` 1 -> 0: its last process left.
    Emptied,
    /// A process appeared (a new pid and start time).
    Exec,
    /// A known process changed its command line (an execve).
    CommandChanged,
    /// A process ended.
    Exit,
    /// A namespace nobody was in before.
    NamespaceNew,
    /// The last member of a namespace left.
    NamespaceGone,
}

impl EventKind {
    pub const ALL: [EventKind; 17] = [
        EventKind::OomKill,
        EventKind::Oom,
        EventKind::MemoryMax,
        EventKind::MemoryHigh,
        EventKind::SwapHigh,
        EventKind::SwapMax,
        EventKind::SwapFail,
        EventKind::PidsMax,
        EventKind::Frozen,
        EventKind::Thawed,
        EventKind::Populated,
        EventKind::Emptied,
        EventKind::Exec,
        EventKind::CommandChanged,
        EventKind::Exit,
        EventKind::NamespaceNew,
        EventKind::NamespaceGone,
    ];

    /// What the kernel did, in a sentence (docs/events-json.md says the same).
    pub fn meaning(self) -> &'static str {
        match self {
            EventKind::OomKill => "The kernel's OOM killer killed a process of the cgroup.",
            EventKind::Oom => "The cgroup ran out of memory (the OOM killer may follow).",
            EventKind::MemoryMax => "Memory usage hit the cgroup's hard limit.",
            EventKind::MemoryHigh => {
                "Memory usage went over memory.high: the cgroup was throttled and reclaimed."
            }
            EventKind::SwapHigh => "Swap usage went over memory.swap.high.",
            EventKind::SwapMax => "A swap allocation was refused at memory.swap.max.",
            EventKind::SwapFail => {
                "A swap allocation failed (at the limit, or no swap left on the host)."
            }
            EventKind::PidsMax => "A fork or clone was refused: the cgroup is at pids.max.",
            EventKind::Frozen => "The freezer stopped every process of the cgroup.",
            EventKind::Thawed => "The freezer let the cgroup's processes run again.",
            EventKind::Populated => "The cgroup's first process arrived.",
            EventKind::Emptied => "The cgroup's last process left.",
            EventKind::Exec => "A process started (a pid and start time not seen before).",
            EventKind::CommandChanged => "A process's command line changed (an execve).",
            EventKind::Exit => "A process ended.",
            EventKind::NamespaceNew => "A namespace appeared that no process was in before.",
            EventKind::NamespaceGone => "The last member of a namespace left it.",
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            EventKind::OomKill => "oom_kill",
            EventKind::Oom => "oom",
            EventKind::MemoryMax => "memory_max",
            EventKind::MemoryHigh => "memory_high",
            EventKind::SwapHigh => "swap_high",
            EventKind::SwapMax => "swap_max",
            EventKind::SwapFail => "swap_fail",
            EventKind::PidsMax => "pids_max",
            EventKind::Frozen => "frozen",
            EventKind::Thawed => "thawed",
            EventKind::Populated => "populated",
            EventKind::Emptied => "emptied",
            EventKind::Exec => "exec",
            EventKind::CommandChanged => "command_changed",
            EventKind::Exit => "exit",
            EventKind::NamespaceNew => "namespace_new",
            EventKind::NamespaceGone => "namespace_gone",
        }
    }
}

/// One event, with where it was read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KernelEvent {
    /// When the snapshot that saw it was taken (the event happened since the one before).
    pub time_unix_ms: u64,
    pub kind: EventKind,
    /// The cgroup, as `boxtop snapshot` shows it, and its hierarchy (0 is v2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cgroup: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hierarchy_id: Option<u32>,
    /// The container it belongs to, `runtime/name`, where one does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pid: Option<i32>,
    /// In words: the process's command, the counter's old and new value, the namespace.
    pub detail: String,
    /// The file or comparison it was read from (`memory.events oom_kill`, `/proc`).
    pub source: std::borrow::Cow<'static, str>,
}
