//! The readable summary of `boxtop snapshot`: mode, hierarchies, processes, a namespace
//! table like lsns(8) and cgroup trees like systemd-cgls(1). A pure function of a Snapshot.

use crate::model::{CgroupNode, Hierarchy, HostReference, Limit, Snapshot};
use crate::text::format_bytes;
use std::fmt::Write;

pub fn summary(snap: &Snapshot) -> String {
    let mut s = String::new();
    let _ = write_summary(&mut s, snap);
    s
}

fn write_summary(s: &mut String, snap: &Snapshot) -> std::fmt::Result {
    writeln!(s, "cgroup mode: {}", mode_name(snap))?;
    for h in &snap.cgroups.hierarchies {
        writeln!(
            s,
            "  hierarchy {:>2}  v{}  {:<28} {}",
            h.id,
            h.version,
            h.mount_point,
            hierarchy_label(h)
        )?;
    }
    let kthreads = snap.processes.iter().filter(|p| p.kernel_thread).count();
    let zombies = snap.processes.iter().filter(|p| p.state == 'Z').count();
    writeln!(
        s,
        "processes: {} ({} kernel threads, {} zombies)",
        snap.processes.len(),
        kthreads,
        zombies
    )?;
    writeln!(
        s,
        "host namespaces: {}",
        host_reference_text(&snap.host_reference)
    )?;
    if let Some(map) = &snap.memory_map {
        let total: u64 = map.mappings.iter().map(|m| m.size_bytes).sum();
        let end = map.user_space.map_or(String::new(), |u| {
            format!(
                " ({} not used up to the end of user space, {:x}, {})",
                format_bytes(map.not_used_bytes()),
                u.top,
                u.label()
            )
        });
        writeln!(
            s,
            "memory map of pid {}: {} mappings, {} mapped, {} gaps{end}",
            map.pid,
            map.mappings.len(),
            format_bytes(total),
            map.gaps.len()
        )?;
    }
    writeln!(s)?;
    write_namespaces(s, snap)?;
    for h in &snap.cgroups.hierarchies {
        writeln!(s)?;
        write_tree(s, snap, h)?;
    }
    Ok(())
}

fn mode_name(snap: &Snapshot) -> &'static str {
    use crate::model::CgroupMode::*;
    match snap.cgroups.mode {
        V1 => "v1 (legacy)",
        V2 => "v2 (unified)",
        Hybrid => "hybrid (v1 controllers + cgroup2)",
    }
}

fn hierarchy_label(h: &Hierarchy) -> String {
    match (&h.name, h.controllers.is_empty()) {
        (Some(name), _) => format!("name={name}"),
        (None, true) => "(no controllers)".to_string(),
        (None, false) => h.controllers.join(","),
    }
}

pub(super) fn host_reference_text(r: &HostReference) -> String {
    match r {
        HostReference::Pid1 => "those of pid 1".to_string(),
        HostReference::KernelThread { pid } => {
            format!("those of kernel thread {pid} (pid 1's could not be read)")
        }
        HostReference::MostShared => {
            "the most shared of each type (pid 1 and kernel threads unreadable)".to_string()
        }
        HostReference::None => "unknown (no namespaces could be read)".to_string(),
    }
}

fn write_namespaces(s: &mut String, snap: &Snapshot) -> std::fmt::Result {
    writeln!(
        s,
        "{:>10} {:<6} {:>6} {:>7} {:<4} {:<10} COMMAND",
        "NS", "TYPE", "NPROCS", "PID", "HOST", "USER"
    )?;
    for ns in &snap.namespaces {
        writeln!(
            s,
            "{:>10} {:<6} {:>6} {:>7} {:<4} {:<10} {}",
            ns.inode,
            ns.kind.file_name(),
            ns.nprocs,
            ns.lowest_pid,
            if ns.host { "yes" } else { "" },
            ns.user.as_deref().unwrap_or("?"),
            ns.command
        )?;
    }
    Ok(())
}

fn write_tree(s: &mut String, snap: &Snapshot, h: &Hierarchy) -> std::fmt::Result {
    writeln!(
        s,
        "Control group hierarchy {} (v{}, {}, at {}):",
        h.id,
        h.version,
        hierarchy_label(h),
        h.mount_point
    )?;
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); h.cgroups.len()];
    for (i, n) in h.cgroups.iter().enumerate() {
        if let Some(p) = n.parent.and_then(|p| children.get_mut(p)) {
            p.push(i);
        }
    }
    if let Some(root) = h.cgroups.first() {
        writeln!(s, "{}{}", root.path, node_stats(root))?;
        write_children(s, snap, h, &children, 0, "")?;
    }
    Ok(())
}

/// Processes first, then child cgroups, as systemd-cgls draws them.
fn write_children(
    s: &mut String,
    snap: &Snapshot,
    h: &Hierarchy,
    children: &[Vec<usize>],
    idx: usize,
    prefix: &str,
) -> std::fmt::Result {
    let (Some(node), Some(kids)) = (h.cgroups.get(idx), children.get(idx)) else {
        return Ok(());
    };
    // Kernel threads are left out, as systemd-cgls does without -k.
    let pids: Vec<i32> = node
        .pids
        .iter()
        .copied()
        .filter(|p| snap.process(*p).is_none_or(|r| !r.kernel_thread))
        .collect();
    let total = pids.len() + kids.len();
    for (n, pid) in pids.iter().enumerate() {
        let branch = if n + 1 == total { "└─" } else { "├─" };
        match snap.process(*pid) {
            Some(p) => writeln!(s, "{prefix}{branch}{pid} {}", p.command_line())?,
            None => writeln!(s, "{prefix}{branch}{pid}")?,
        }
    }
    for (n, &kid) in kids.iter().enumerate() {
        let last = pids.len() + n + 1 == total;
        let (branch, more) = if last {
            ("└─", "  ")
        } else {
            ("├─", "│ ")
        };
        if let Some(k) = h.cgroups.get(kid) {
            writeln!(s, "{prefix}{branch}{}{}", k.name, node_stats(k))?;
            write_children(s, snap, h, children, kid, &format!("{prefix}{more}"))?;
        }
    }
    Ok(())
}

/// The counters worth a glance, in brackets after the name.
fn node_stats(n: &CgroupNode) -> String {
    let mut parts = Vec::new();
    if let Some(cur) = n.memory.and_then(|m| m.current_bytes) {
        let max = n.memory.and_then(|m| m.max_bytes);
        parts.push(format!(
            "mem {}/{}",
            format_bytes(cur),
            limit_text(max, true)
        ));
    }
    if let Some((Limit::Value(q), Some(p))) =
        n.cpu.and_then(|c| Some((c.quota_usec?, c.period_usec)))
    {
        parts.push(format!("cpu max {:.2} CPUs", q as f64 / p.max(1) as f64));
    }
    if let Some(cur) = n.pids_limit.and_then(|p| p.current) {
        let max = n.pids_limit.and_then(|p| p.max);
        parts.push(format!("pids {cur}/{}", limit_text(max, false)));
    }
    match &n.freezer {
        Some(crate::model::FreezerState::V1 { state, .. }) if state != "THAWED" => {
            parts.push(state.to_lowercase());
        }
        Some(crate::model::FreezerState::V2 {
            frozen: Some(true), ..
        }) => parts.push("frozen".into()),
        _ => {}
    }
    if !n.denied.is_empty() {
        parts.push(format!("denied: {}", n.denied.join(",")));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("  [{}]", parts.join(", "))
    }
}

fn limit_text(l: Option<Limit>, bytes: bool) -> String {
    match l {
        None => "-".into(),
        Some(Limit::Max) => "max".into(),
        Some(Limit::Value(v)) if bytes => format_bytes(v),
        Some(Limit::Value(v)) => v.to_string(),
    }
}
