//! `boxtop containers`: one line per container, like `podman ps` with stats. Columns are as
//! wide as their widest cell; nothing is cut (the JSON has every field whole).

use crate::model::host::ns_letter;
use crate::model::{Container, Limit, NsKind, Snapshot};
use crate::text::format_bytes;

/// Columns: the header and every row have exactly this many cells.
const COLUMNS: usize = 12;

const HEAD: [&str; COLUMNS] = [
    "NAME",
    "RUNTIME",
    "ID",
    "STATE",
    "PROCS",
    "CPU%",
    "MEMORY",
    "PIDS",
    "NET RX/TX",
    "DISK R/W",
    "NS",
    "CGROUP",
];

/// The table, or a sentence when there is no container.
pub fn containers_table(snap: &Snapshot) -> String {
    if snap.containers.is_empty() {
        return "no containers: no process is in a runtime's cgroup or in namespaces of its \
                own\n"
            .to_string();
    }
    let host = snap.host_namespaces();
    let rows: Vec<[String; COLUMNS]> = snap.containers.iter().map(|c| row(c, &host)).collect();
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

fn row(c: &Container, host: &crate::model::NsSet) -> [String; COLUMNS] {
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
    // Rates over the two samples; `host` where it shares the host's network namespace.
    let net = match &c.network {
        Some(n) if n.shared_with_host => "host".to_string(),
        Some(n) => match (n.rx_bytes_per_sec, n.tx_bytes_per_sec) {
            (Some(rx), Some(tx)) => format!("{}/s {}/s", per_sec(rx), per_sec(tx)),
            _ => "-".to_string(),
        },
        None => "-".to_string(),
    };
    let disk = match (m.disk_read_bytes_per_sec, m.disk_write_bytes_per_sec) {
        (Some(r), Some(w)) => format!("{}/s {}/s", per_sec(r), per_sec(w)),
        _ => "-".to_string(),
    };
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
        net,
        disk,
        if ns.is_empty() { "-".into() } else { ns },
        c.cgroup.clone().unwrap_or_else(|| "-".into()),
    ]
}

/// A rate in bytes per second, as a size (rounded down to whole bytes).
fn per_sec(rate: f64) -> String {
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "a rate, clamped at 0, shown in whole bytes"
    )]
    let whole = rate.max(0.0) as u64;
    format_bytes(whole)
}
