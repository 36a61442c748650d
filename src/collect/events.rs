//! Events: what changed between two snapshots, as the kernel's counters and lists say it.
//! Nothing is read here; the snapshots hold every counter (memory.events, memory.failcnt,
//! memory.oom_control, cgroup.events, freezer.state) and every process and namespace.
//!
//! The kernel counts v2 memory events hierarchically (a cgroup's `memory.events` includes its
//! descendants'; Documentation/admin-guide/cgroup-v2.rst, "memory.events"), and a frozen
//! cgroup's descendants say frozen too: an event is put at the deepest cgroup whose counter
//! moved, and a freeze at the topmost cgroup that froze, rather than at every ancestor.

use crate::model::{
    Access, CgroupNode, Container, EventKind, FreezerState, Hierarchy, KernelEvent, NsKind,
    ProcessRow, Snapshot,
};
use std::collections::{BTreeSet, HashMap};

/// The events between `prev` and `next` (taken later), in a stable order: cgroups first,
/// then processes, then namespaces.
pub fn between(prev: &Snapshot, next: &Snapshot) -> Vec<KernelEvent> {
    let mut out = Vec::new();
    let at = next.taken_at_unix_ms;
    let owner = Owners::of(next, prev);
    for h in &next.cgroups.hierarchies {
        let Some(old) = prev.cgroups.hierarchies.iter().find(|o| o.id == h.id) else {
            continue;
        };
        cgroup_events(prev, old, h, at, &owner, &mut out);
    }
    process_events(prev, next, at, &owner, &mut out);
    namespace_events(prev, next, at, &mut out);
    out
}

/// What this snapshot could not read that events come from, in words: without them some
/// events cannot be seen (not root, a locked-down pid 1). The timeline's title and
/// `boxtop events` (on stderr) say it.
pub fn unreadable(snap: &Snapshot) -> Vec<String> {
    let mut out = Vec::new();
    let ns = snap
        .processes
        .iter()
        .filter(|p| !p.kernel_thread && p.namespaces_access == Access::Denied)
        .count();
    if ns > 0 {
        out.push(format!(
            "the namespaces of {ns} process{} (namespace events)",
            if ns == 1 { "" } else { "es" }
        ));
    }
    let cg = snap
        .cgroups
        .hierarchies
        .iter()
        .flat_map(|h| &h.cgroups)
        .filter(|n| n.pids_access == Access::Denied)
        .count();
    if cg > 0 {
        out.push(format!(
            "the members of {cg} cgroup{} (who an OOM kill took)",
            if cg == 1 { "" } else { "s" }
        ));
    }
    out
}

/// The container of a pid, in either snapshot (an exited process is in the older one), and of
/// a cgroup.
struct Owners<'a> {
    of: HashMap<i32, &'a Container>,
    all: Vec<&'a Container>,
}

impl<'a> Owners<'a> {
    fn of(next: &'a Snapshot, prev: &'a Snapshot) -> Owners<'a> {
        let mut of = HashMap::new();
        for c in prev.containers.iter().chain(&next.containers) {
            for pid in &c.pids {
                of.insert(*pid, c);
            }
        }
        let all = next.containers.iter().chain(&prev.containers).collect();
        Owners { of, all }
    }

    fn name(&self, pid: i32) -> Option<String> {
        self.of.get(&pid).map(|c| c.label())
    }

    /// The container whose own cgroup this is, or is below (its payload's child cgroups);
    /// else the container of its first process.
    fn of_cgroup(&self, node: &CgroupNode) -> Option<String> {
        self.all
            .iter()
            .find(|c| {
                c.cgroup
                    .as_deref()
                    .is_some_and(|own| own == node.path || below(&node.path, own))
            })
            .map(|c| c.label())
            .or_else(|| node.pids.first().and_then(|pid| self.name(*pid)))
    }
}

/// `runtime/name`, as an event names its container.
/// A counter of a cgroup's memory stats that an event is read from.
struct Counter {
    kind: EventKind,
    read: fn(&CgroupNode) -> Option<u64>,
    /// The same counted in this cgroup only, where the kernel has such a file.
    local: fn(&CgroupNode) -> Option<u64>,
    v2: &'static str,
    v1: &'static str,
}

const COUNTERS: [Counter; 8] = [
    Counter {
        kind: EventKind::OomKill,
        read: |n| n.memory.as_ref()?.oom_kill_events,
        local: |n| n.memory.as_ref()?.oom_kill_local,
        v2: "memory.events oom_kill",
        v1: "memory.oom_control oom_kill",
    },
    Counter {
        kind: EventKind::Oom,
        read: |n| n.memory.as_ref()?.oom_events,
        local: |n| n.memory.as_ref()?.oom_local,
        v2: "memory.events oom",
        v1: "memory.events oom",
    },
    Counter {
        kind: EventKind::MemoryMax,
        read: |n| n.memory.as_ref()?.max_events,
        local: |n| n.memory.as_ref()?.max_local,
        v2: "memory.events max",
        v1: "memory.failcnt",
    },
    Counter {
        kind: EventKind::MemoryHigh,
        read: |n| n.memory.as_ref()?.high_events,
        local: |n| n.memory.as_ref()?.high_local,
        v2: "memory.events high",
        v1: "memory.events high",
    },
    Counter {
        kind: EventKind::SwapHigh,
        read: |n| n.memory.as_ref()?.swap_high_events,
        local: |_| None,
        v2: "memory.swap.events high",
        v1: "memory.swap.events high",
    },
    Counter {
        kind: EventKind::SwapMax,
        read: |n| n.memory.as_ref()?.swap_max_events,
        local: |_| None,
        v2: "memory.swap.events max",
        v1: "memory.swap.events max",
    },
    Counter {
        kind: EventKind::SwapFail,
        read: |n| n.memory.as_ref()?.swap_fail_events,
        local: |_| None,
        v2: "memory.swap.events fail",
        v1: "memory.swap.events fail",
    },
    Counter {
        kind: EventKind::PidsMax,
        read: |n| n.pids_limit.as_ref()?.max_events,
        local: |_| None,
        v2: "pids.events max",
        v1: "pids.events max",
    },
];

fn frozen(n: &CgroupNode) -> Option<bool> {
    n.freezer.as_ref().and_then(FreezerState::is_frozen)
}

/// Whether `path` is below `ancestor` (never itself).
fn below(path: &str, ancestor: &str) -> bool {
    ancestor == "/" && path != "/"
        || path
            .strip_prefix(ancestor)
            .is_some_and(|rest| rest.starts_with('/'))
}

fn cgroup_events(
    prev: &Snapshot,
    old_h: &Hierarchy,
    h: &Hierarchy,
    at: u64,
    owner: &Owners<'_>,
    out: &mut Vec<KernelEvent>,
) {
    let old: HashMap<&str, &CgroupNode> =
        old_h.cgroups.iter().map(|n| (n.path.as_str(), n)).collect();
    let pairs: Vec<(&CgroupNode, &CgroupNode)> = h
        .cgroups
        .iter()
        .filter_map(|n| Some((*old.get(n.path.as_str())?, n)))
        .collect();
    let event = |kind, n: &CgroupNode, pid: Option<i32>, detail: String, source: &'static str| {
        KernelEvent {
            time_unix_ms: at,
            kind,
            cgroup: Some(n.path.clone()),
            hierarchy_id: Some(h.id),
            container: pid
                .and_then(|p| owner.name(p))
                .or_else(|| owner.of_cgroup(n)),
            pid,
            detail,
            source: source.into(),
        }
    };
    for counter in &COUNTERS {
        let moved: Vec<(&CgroupNode, u64, u64)> = pairs
            .iter()
            .filter_map(|(o, n)| {
                let (a, b) = ((counter.read)(o)?, (counter.read)(n)?);
                (b > a).then_some((*n, a, b))
            })
            .collect();
        // Where the kernel counts locally too, the cgroup whose own counter moved; else the
        // deepest that moved (a cgroup whose descendant's counter moved too is only counting
        // it, as far as two snapshots can tell).
        let here = |n: &CgroupNode| {
            let o = old.get(n.path.as_str())?;
            Some((counter.local)(n)? > (counter.local)(o)?)
        };
        for (n, a, b) in moved.iter().filter(|(n, ..)| match here(n) {
            Some(moved_here) => moved_here,
            None => !moved.iter().any(|(d, ..)| below(&d.path, &n.path)),
        }) {
            let source = if h.version == 2 {
                counter.v2
            } else {
                counter.v1
            };
            let victims = if counter.kind == EventKind::OomKill {
                killed(prev, old.get(n.path.as_str()).copied(), n)
            } else {
                Vec::new()
            };
            let detail = format!("{} {a} -> {b}", counter.kind.word());
            if victims.is_empty() {
                out.push(event(counter.kind, n, None, detail.clone(), source));
            }
            for (pid, command) in victims {
                out.push(event(
                    counter.kind,
                    n,
                    Some(pid),
                    format!("{detail}: process {pid} ({command})"),
                    source,
                ));
            }
        }
    }
    // Freezes at the topmost cgroup that changed: its descendants follow it.
    let changed: Vec<(&CgroupNode, bool)> = pairs
        .iter()
        .filter_map(|(o, n)| {
            let (a, b) = (frozen(o)?, frozen(n)?);
            (a != b).then_some((*n, b))
        })
        .collect();
    for (n, now) in changed.iter().filter(|(n, now)| {
        !changed
            .iter()
            .any(|(up, was)| was == now && below(&n.path, &up.path))
    }) {
        let (kind, word) = if *now {
            (EventKind::Frozen, "frozen")
        } else {
            (EventKind::Thawed, "thawed")
        };
        let source = if h.version == 2 {
            "cgroup.events frozen"
        } else {
            "freezer.state"
        };
        out.push(event(kind, n, None, word.into(), source));
    }
    // Populated at the deepest cgroup that changed: its ancestors change with it.
    let emptied: Vec<(&CgroupNode, bool)> = pairs
        .iter()
        .filter_map(|(o, n)| {
            let (a, b) = (o.populated?, n.populated?);
            (a != b).then_some((*n, b))
        })
        .collect();
    for (n, now) in emptied.iter().filter(|(n, now)| {
        !emptied
            .iter()
            .any(|(d, was)| was == now && below(&d.path, &n.path))
    }) {
        let kind = if *now {
            EventKind::Populated
        } else {
            EventKind::Emptied
        };
        let detail = if *now {
            "its first process arrived"
        } else {
            "its last process left"
        };
        out.push(event(
            kind,
            n,
            None,
            detail.into(),
            "cgroup.events populated",
        ));
    }
}

/// The members of the cgroup before that are not alive now: who an OOM kill took (a member
/// that exited for another reason in the same interval is named too; the counter says how
/// many were killed).
fn killed(prev: &Snapshot, old: Option<&CgroupNode>, now: &CgroupNode) -> Vec<(i32, String)> {
    let Some(old) = old else {
        return Vec::new();
    };
    old.pids
        .iter()
        .filter(|pid| !now.pids.contains(pid))
        .filter_map(|pid| prev.process(*pid).map(|p| (*pid, p.command_line())))
        .collect()
}

fn process_events(
    prev: &Snapshot,
    next: &Snapshot,
    at: u64,
    owner: &Owners<'_>,
    out: &mut Vec<KernelEvent>,
) {
    let same = |a: &ProcessRow, b: &ProcessRow| a.start_time_ticks == b.start_time_ticks;
    let event = |kind, p: &ProcessRow, detail: String| KernelEvent {
        time_unix_ms: at,
        kind,
        cgroup: Some(p.main_cgroup().to_string()),
        hierarchy_id: None,
        container: owner.name(p.pid),
        pid: Some(p.pid),
        detail,
        source: "/proc".into(), // display text, not a path read
    };
    for p in next.processes.iter().filter(|p| !p.kernel_thread) {
        match prev.process(p.pid).filter(|o| same(o, p)) {
            None => out.push(event(EventKind::Exec, p, p.command_line())),
            Some(o) if !o.cmdline.is_empty() && o.cmdline != p.cmdline => out.push(event(
                EventKind::CommandChanged,
                p,
                format!("{} -> {}", o.command_line(), p.command_line()),
            )),
            Some(_) => {}
        }
    }
    for o in prev.processes.iter().filter(|p| !p.kernel_thread) {
        if next.process(o.pid).filter(|p| same(o, p)).is_none() {
            out.push(event(EventKind::Exit, o, o.command_line()));
        }
    }
}

fn namespace_events(prev: &Snapshot, next: &Snapshot, at: u64, out: &mut Vec<KernelEvent>) {
    let keys = |s: &Snapshot| -> BTreeSet<(NsKind, u64)> {
        s.namespaces.iter().map(|e| (e.kind, e.inode)).collect()
    };
    let (before, after) = (keys(prev), keys(next));
    let event = |kind, (k, inode): (NsKind, u64), who: String| KernelEvent {
        time_unix_ms: at,
        kind,
        cgroup: None,
        hierarchy_id: None,
        container: None,
        pid: None,
        detail: format!("{} {inode}{who}", k.file_name()),
        source: "/proc/PID/ns".into(), // display text, not a path read
    };
    for key in after.difference(&before) {
        let who = next
            .namespaces
            .iter()
            .find(|e| (e.kind, e.inode) == *key)
            .map(|e| format!(": process {} ({})", e.lowest_pid, e.command))
            .unwrap_or_default();
        out.push(event(EventKind::NamespaceNew, *key, who));
    }
    for key in before.difference(&after) {
        out.push(event(EventKind::NamespaceGone, *key, String::new()));
    }
}

#[cfg(test)]
mod tests;
