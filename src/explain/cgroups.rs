//! `i` on the cgroup tree: where each counter comes from, in v1 and in v2.

use crate::model::{CgroupNode, FreezerState, Hierarchy, Limit};
use crate::text::format_bytes;

fn dir_of(hier: &Hierarchy, n: &CgroupNode) -> String {
    if n.path == "/" {
        hier.mount_point.clone()
    } else {
        format!("{}{}", hier.mount_point.trim_end_matches('/'), n.path)
    }
}

pub(super) fn hierarchy(hier: &Hierarchy) -> (String, Vec<String>) {
    (format!("Hierarchy {}", hier.label()), hierarchy_lines(hier))
}

fn hierarchy_lines(hier: &Hierarchy) -> Vec<String> {
    let mut l = vec![
        format!(
            "Mounted at {} (root of the mount inside the hierarchy: {}), from /proc/self/mountinfo.",
            hier.mount_point, hier.mount_root
        ),
        format!(
            "Hierarchy id {}: the first field of each line of /proc/PID/cgroup.",
            hier.id
        ),
    ];
    if hier.version == 2 {
        l.push(
            "cgroup v2 is one unified tree: every controller enabled in it applies to the".into(),
        );
        l.push(
            "same groups. cgroup.controllers lists what is available, cgroup.subtree_control"
                .into(),
        );
        l.push("what the children get. A process lives in exactly one cgroup here.".into());
    } else {
        l.push(
            "cgroup v1 gives every controller (or a few, mounted together) its own tree, so".into(),
        );
        l.push("a process sits in one cgroup per hierarchy, and the trees need not match.".into());
        l.push(
            "A named hierarchy (name=systemd) has no controller: it only groups processes.".into(),
        );
    }
    l.push("On a hybrid host both exist: v1 controller trees plus a cgroup2 mount (often".into());
    // display text, not a path read
    l.push("/sys/fs/cgroup/unified) holding the controllers not bound in v1.".into());
    l
}

pub(super) fn cgroup(hier: &Hierarchy, n: &CgroupNode) -> (String, Vec<String>) {
    (format!("Cgroup {}", n.path), cgroup_lines(hier, n))
}

fn cgroup_lines(hier: &Hierarchy, n: &CgroupNode) -> Vec<String> {
    let v2 = hier.version == 2;
    // This hierarchy's file name, then the other version's.
    let pick = |one: &str, two: &str| {
        if v2 {
            format!("{two} (v1: {one})")
        } else {
            format!("{one} (v2: {two})")
        }
    };
    let dir = dir_of(hier, n);
    let mut l = vec![
        format!("Directory: {dir}"),
        format!(
            "PROCS {}: the lines of cgroup.procs, the processes directly in this cgroup (not its",
            if n.pids_access.is_ok() {
                n.pids.len().to_string()
            } else {
                "? (reading cgroup.procs was denied)".into()
            }
        ),
        "  children). Writing a pid there moves the process.".into(),
    ];
    if let Some(c) = n.cpu {
        l.push(format!(
            "CPU% {}: growth of the group's CPU time between two refreshes; 100% is one CPU.",
            c.cpu_percent
                .map(|p| format!("{p:.1}"))
                .unwrap_or_else(|| "-".into()),
        ));
        l.push(format!(
            "  from {}",
            pick("cpuacct.usage (ns)", "cpu.stat usage_usec")
        ));
        l.push(format!(
            "  Quota {} per period of {} µs: at most quota/period CPUs.",
            limit(c.quota_usec, |q| format!("{q} µs")),
            c.period_usec
                .map(|p| p.to_string())
                .unwrap_or_else(|| "?".into())
        ));
        l.push(format!(
            "  from {}",
            pick(
                "cpu.cfs_quota_us + cpu.cfs_period_us, -1 = none",
                "cpu.max \"QUOTA PERIOD\""
            )
        ));
    }
    if let Some(m) = n.memory {
        l.push(format!(
            "MEMORY {}: the memory charged to the group (page cache included).",
            m.current_bytes
                .map(format_bytes)
                .unwrap_or_else(|| "?".into()),
        ));
        l.push(format!(
            "  from {}",
            pick("memory.usage_in_bytes", "memory.current")
        ));
        l.push(format!(
            "  MAX {}: above it the kernel reclaims, then the OOM killer acts.",
            limit(m.max_bytes, format_bytes),
        ));
        l.push(format!(
            "  from {}",
            pick(
                "memory.limit_in_bytes, huge = none",
                "memory.max, \"max\" = none"
            )
        ));
        if let Some(p) = m.peak_bytes {
            l.push(format!(
                "  Peak {}: {}.",
                format_bytes(p),
                pick("memory.max_usage_in_bytes", "memory.peak")
            ));
        }
        if let Some(k) = m.oom_kill_events {
            l.push(format!(
                "  OOM kills {k}: {}.",
                pick("memory.oom_control oom_kill", "memory.events oom_kill")
            ));
        }
    }
    if let Some(p) = n.pids_limit {
        l.push(format!(
            "PIDS {} of {}: pids.current / pids.max (same names in v1 and v2): tasks (threads",
            p.current
                .map(|c| c.to_string())
                .unwrap_or_else(|| "?".into()),
            limit(p.max, |m| m.to_string())
        ));
        l.push("  included) in the group and below; fork fails with EAGAIN at the limit.".into());
    }
    match &n.freezer {
        Some(FreezerState::V1 { state, .. }) => {
            l.push(format!(
                "FREEZER {state}: freezer.state (v1): THAWED, FREEZING or FROZEN. Writing FROZEN"
            ));
            l.push("  stops every task of the group until THAWED is written.".into());
        }
        Some(FreezerState::V2 { requested, frozen }) => {
            l.push(format!(
                "FREEZER requested {}, frozen {}: cgroup.freeze (what was asked, 1 = freeze) and",
                yes_no(*requested),
                yes_no(*frozen)
            ));
            l.push(
                "  the frozen line of cgroup.events (what the kernel reached; an ancestor's".into(),
            );
            l.push("  freeze also counts). v1 called this freezer.state.".into());
        }
        None => {}
    }
    if let Some(p) = n.pressure {
        l.push(
            "PSI: cpu.pressure, memory.pressure, io.pressure (v2 only). \"some avg10\" is the"
                .into(),
        );
        l.push(
            "  share of the last 10 s in which at least one task waited for that resource.".into(),
        );
        for (name, r) in [("cpu", p.cpu), ("memory", p.memory), ("io", p.io)] {
            if let Some(s) = r.and_then(|r| r.some) {
                l.push(format!(
                    "  {name}: some avg10 {:.2}% avg60 {:.2}% avg300 {:.2}%",
                    s.avg10, s.avg60, s.avg300
                ));
            }
        }
    }
    if !n.denied.is_empty() {
        l.push(format!("Could not read: {}", n.denied.join(", ")));
    }
    l.push(String::new());
    l.push(format!("  cat {dir}/cgroup.procs"));
    l
}

fn limit(v: Option<Limit>, show: impl Fn(u64) -> String) -> String {
    match v {
        Some(Limit::Max) => "max (no limit)".into(),
        Some(Limit::Value(n)) => show(n),
        None => "?".into(),
    }
}

fn yes_no(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "yes",
        Some(false) => "no",
        None => "?",
    }
}
