//! `l`: the limits form, each field empty (left alone) and saying what is set now.

use super::{Field, Form, FormKind};
use crate::actions::Target;
use crate::model::{Limit, Snapshot};

/// `l`: memory, memory high, cpu and pids, each empty (left alone) with what is set now.
pub fn limit_form(target: Target, what: &str, snap: Option<&Snapshot>) -> Form {
    let now = snap.map(|s| current_limits(s, &target)).unwrap_or_default();
    let said = |v: &Option<String>| v.clone().map_or(String::new(), |v| format!("now {v}; "));
    Form {
        kind: FormKind::Limit(target),
        title: format!("Limit {what}"),
        intro: vec![
            "Empty fields are left as they are. `max` removes a limit.".into(),
            "The next window shows every file, old and new value, before anything is written."
                .into(),
        ],
        fields: vec![
            Field::text(
                "memory",
                "",
                format!(
                    "{}hard limit: 64M, 1.5G, 512KiB (v2 memory.max, v1 memory.limit_in_bytes)",
                    said(&now[0])
                ),
            ),
            Field::text(
                "memory high",
                "",
                format!(
                    "{}throttle, never OOM-kills (v2 memory.high)",
                    said(&now[1])
                ),
            ),
            Field::text(
                "cpu",
                "",
                format!(
                    "{}CPUs (0.5) or QUOTA/PERIOD µs (v2 cpu.max, v1 cpu.cfs_quota_us)",
                    said(&now[2])
                ),
            ),
            Field::text(
                "pids",
                "",
                format!("{}most processes and threads (pids.max)", said(&now[3])),
            ),
        ],
        focus: 0,
        error: None,
    }
}

/// What is set now on the target's cgroups, as the form shows it: memory, memory high, cpu,
/// pids (from the snapshot; v2 first).
fn current_limits(snap: &Snapshot, target: &Target) -> [Option<String>; 4] {
    let mut out: [Option<String>; 4] = Default::default();
    let mut hs: Vec<_> = snap.cgroups.hierarchies.iter().collect();
    hs.sort_by_key(|h| std::cmp::Reverse(h.version));
    let limit = |l: Limit| match l {
        Limit::Max => "max".to_string(),
        Limit::Value(v) => crate::text::format_bytes(v),
    };
    for h in hs {
        let path = match target {
            Target::Process { pid, .. } => snap
                .process(*pid)
                .and_then(|p| p.cgroup_in(h.id))
                .map(str::to_string),
            Target::Cgroup(c) => Some(c.as_str().to_string()),
            Target::Container { runtime, id, .. } => snap
                .containers
                .iter()
                .find(|c| c.runtime == *runtime && c.id == *id)
                .and_then(|c| crate::collect::containers::cgroup_in(snap, c, h.id)),
        };
        let Some(node) = path.and_then(|p| h.cgroups.iter().find(|n| n.path == p)) else {
            continue;
        };
        if let Some(m) = &node.memory {
            out[0] = out[0].take().or(m.max_bytes.map(limit));
            out[1] = out[1].take().or(m.high_bytes.map(limit));
        }
        if let Some(c) = &node.cpu {
            let cpus = match (c.quota_usec, c.period_usec) {
                (Some(Limit::Value(q)), Some(p)) if p > 0 => {
                    Some(format!("{:.2} CPUs ({q}/{p})", q as f64 / p as f64))
                }
                (Some(Limit::Max), _) => Some("max".to_string()),
                _ => None,
            };
            out[2] = out[2].take().or(cpus);
        }
        if let Some(p) = &node.pids_limit {
            out[3] = out[3].take().or(p.max.map(|l| match l {
                Limit::Max => "max".to_string(),
                Limit::Value(v) => v.to_string(),
            }));
        }
    }
    out
}
