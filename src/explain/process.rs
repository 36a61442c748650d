//! `i` on a process: its stat, status, statm fields, its namespaces and its cgroups.

use crate::model::{NsKind, ProcessRow, Snapshot};
use crate::text::format_bytes;

pub(super) fn explain(snap: &Snapshot, p: &ProcessRow) -> (String, Vec<String>) {
    let pid = p.pid;
    let mut l = vec![
        format!(
            "PID {pid}, started {} clock ticks after boot: /proc/{pid}/stat fields 1 and 22.",
            p.start_time_ticks
        ),
        "  boxtop names a process by both: a pid can be reused, a start time cannot.".into(),
        format!(
            "PPID {}: stat field 4. State {}: stat field 3 (R running, S sleeping, D disk wait,",
            p.ppid, p.state
        ),
        "  Z zombie: exited but not yet reaped by its parent, T stopped, I idle kernel thread)."
            .into(),
        format!(
            "USER {}: the real uid on the Uid: line of /proc/{pid}/status.",
            p.user.as_deref().unwrap_or("?")
        ),
        format!(
            "CPU% {}: (utime + stime) between two refreshes, stat fields 14 and 15, in clock ticks;",
            p.cpu_percent
                .get()
                .map(|c| format!("{c:.1}"))
                .unwrap_or_else(|| "-".into())
        ),
        "  100% is one CPU fully busy.".into(),
        format!(
            "RSS {}: resident pages, field 2 of /proc/{pid}/statm, times the page size.",
            format_bytes(p.rss_bytes)
        ),
        format!(
            "  VSZ {}: the whole address space, stat field 23 (see the memory map pane).",
            format_bytes(p.vsz_bytes)
        ),
        format!(
            "CSW {} voluntary + {} involuntary: status lines voluntary_ctxt_switches and",
            p.voluntary_ctxt_switches
                .get()
                .map(|v| v.to_string())
                .unwrap_or_else(|| "?".into()),
            p.nonvoluntary_ctxt_switches
                .get()
                .map(|v| v.to_string())
                .unwrap_or_else(|| "?".into())
        ),
        "  nonvoluntary_ctxt_switches: it gave up the CPU (waiting), or was preempted.".into(),
        format!(
            "THR {}: stat field 20. Kernel thread: {} (PF_KTHREAD in stat field 9).",
            p.threads, p.kernel_thread
        ),
        format!(
            "NSpid {:?}: its pid in each nested pid namespace, outermost first (status).",
            &*p.nspid
        ),
        String::new(),
        format!(
            "Namespaces (readlink /proc/{pid}/ns/*); NS letters mark the ones that differ from the host:"
        ),
    ];
    {
        let host = snap.host_namespaces();
        for kind in NsKind::ALL.into_iter().filter(|k| !k.is_for_children()) {
            let mine = p.namespaces.get(kind);
            let mark = if mine.is_some() && mine == host.get(kind) {
                "host"
            } else {
                "NEW"
            };
            l.push(format!(
                "  {} {:<7} {:>12}  {mark:<4}  created by {}",
                crate::model::host::ns_letter(kind),
                kind.file_name(),
                mine.map(|i| i.to_string()).unwrap_or_else(|| "?".into()),
                kind.clone_flag()
            ));
        }
    }
    l.push(String::new());
    l.push(format!(
        "Cgroups (/proc/{pid}/cgroup, one line per hierarchy: id:controllers:path):"
    ));
    for c in p.cgroups.iter() {
        let which = if c.hierarchy_id == 0 {
            "v2 (unified)".to_string()
        } else {
            format!("v1 {}", c.controllers.join(","))
        };
        l.push(format!("  {which:<22} {}", c.path));
    }
    (format!("Process {pid} ({})", p.comm), l)
}
