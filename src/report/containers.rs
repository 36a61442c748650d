//! `boxtop containers`: one line per container, like `podman ps` with stats. Columns are as
//! wide as their widest cell; nothing is cut (the JSON has every field whole).

use crate::model::cells;
use crate::model::{Container, Snapshot};

/// Columns: the header and every row have exactly this many cells.
const COLUMNS: usize = 14;

const HEAD: [&str; COLUMNS] = [
    "NAME",
    "RUNTIME",
    "ID",
    "STATE",
    "PROCS",
    "CPU%",
    "MEMORY",
    "WSET",
    "PIDS",
    "NET RX/TX",
    "DISK R/W",
    "UP",
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
    [
        c.name.clone(),
        c.runtime.name().to_string(),
        c.short_id().to_string(),
        cells::state(c).to_string(),
        c.pids.len().to_string(),
        cells::cpu(m),
        cells::memory(m),
        cells::working_set(m),
        cells::pids(m),
        cells::net(c),
        cells::disk(m),
        cells::uptime(m),
        cells::own_namespaces(c, host),
        c.cgroup.clone().unwrap_or_else(|| "-".into()),
    ]
}
