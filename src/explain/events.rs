//! `i` on a row of the timeline: what the kernel did, and the file it was read from.

use crate::model::KernelEvent;

pub(super) fn event(e: &KernelEvent) -> (String, Vec<String>) {
    let mut l = vec![e.kind.meaning().to_string(), String::new()];
    if let Some(c) = &e.container {
        l.push(format!("Container: {c}"));
    }
    if let Some(path) = &e.cgroup {
        let hierarchy = match e.hierarchy_id {
            Some(0) => " (cgroup v2)".to_string(),
            Some(id) => format!(" (v1 hierarchy {id})"),
            None => String::new(),
        };
        l.push(format!("Cgroup: {path}{hierarchy}"));
    }
    if let Some(pid) = e.pid {
        l.push(format!("Process: {pid}"));
    }
    l.push(format!("What changed: {}", e.detail));
    l.push(format!("Read from: {}", e.source));
    l.push(String::new());
    l.push(
        "boxtop compares each refresh with the one before: the event happened between the two \
         (v2 cgroup files also wake `boxtop events` through inotify). `boxtop events --json` \
         prints the same stream (docs/events-json.md)."
            .into(),
    );
    (format!("Event: {}", e.kind.word()), l)
}
