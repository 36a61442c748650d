//! `boxtop containers`: one line per container, like `podman ps` with stats. Columns are as
//! wide as their widest cell; nothing is cut (the JSON has every field whole).

use crate::model::host::ns_letter;
use crate::model::{Container, Limit, NsKind, Snapshot};
use crate::text::format_bytes;

const HEAD: [&str; 10] = [
    "NAME", "RUNTIME", "ID", "STATE", "PROCS", "CPU%", "MEMORY", "PIDS", "NS", "CGROUP",
];

/// The table, or a sentence when there is no container.
pub fn containers_table(snap: &Snapshot) -> String {
    if snap.containers.is_empty() {
        return "no containers: no process is in a runtime's cgroup or in namespaces of its \
                own\n"
            .to_string();
    }
    let host = snap.host_namespaces();
    let rows: Vec<[String; 10]> = snap.containers.iter().map(|c| row(c, &host)).collect();
    let widths: Vec<usize> = (0..HEAD.len())
        .map(|i| {
            rows.iter()
                .map(|r| r[i].chars().count())
                .chain([HEAD[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[String]| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        padded.join("  ").trim_end().to_string() + "\n"
    };
    let head: Vec<String> = HEAD.iter().map(|h| (*h).to_string()).collect();
    std::iter::once(line(&head))
        .chain(rows.iter().map(|r| line(r)))
        .collect()
}

fn row(c: &Container, host: &crate::model::NsSet) -> [String; 10] {
    let m = &c.measures;
    let state = match m.frozen {
        Some(true) => "frozen",
        Some(false) => "running",
        None => "-",
    };
    let limit = |l: Option<Limit>, show: &dyn Fn(u64) -> String| match l {
        Some(Limit::Value(v)) => format!(" / {}", show(v)),
        Some(Limit::Max) => " / max".to_string(),
        None => String::new(),
    };
    let memory = m.memory_current_bytes.map_or_else(
        || "-".to_string(),
        |b| format!("{}{}", format_bytes(b), limit(m.memory_max, &format_bytes)),
    );
    let pids = m.pids_current.map_or_else(
        || "-".to_string(),
        |n| format!("{n}{}", limit(m.pids_max, &|v| v.to_string())),
    );
    let cpu = m
        .cpu_percent
        .map_or_else(|| "-".to_string(), |p| format!("{p:.1}"));
    // The namespaces its main process does not share with the host, as the process table
    // marks them.
    let ns: String = NsKind::ALL
        .into_iter()
        .filter(|k| !k.is_for_children())
        .filter(|k| {
            let mine = c.namespaces.get(k.file_name()).copied();
            mine.is_some() && mine != host.get(*k)
        })
        .map(ns_letter)
        .collect();
    [
        c.name.clone(),
        c.runtime.name().to_string(),
        c.short_id().to_string(),
        state.to_string(),
        c.pids.len().to_string(),
        cpu,
        memory,
        pids,
        if ns.is_empty() { "-".into() } else { ns },
        c.cgroup.clone().unwrap_or_else(|| "-".into()),
    ]
}
