//! What each tour step shows live: pure functions of the state (the snapshot, the selected
//! process's map, the facts the poller read for the tour).

use crate::app::state::AppState;
use crate::app::tour::demo;
use crate::app::tour::{Step, TourState};
use crate::model::{MappingKind, NsKind, Snapshot};
use crate::text::format_bytes;
use crate::ui::theme;
use ratatui::text::{Line, Span};

/// At most this many rows of a table in the panel (the pane below has the whole list).
const MOST_ROWS: usize = 8;

/// The process the step is about: its demo's process, else the selection.
pub(super) fn subject_pid(app: &AppState, tour: &TourState) -> Option<i32> {
    let d = &tour.demos;
    let demo = match tour.current() {
        Step::Threads => d.pingpong,
        Step::Cgroups => d.cgroup_child,
        Step::Namespaces => d.sandbox,
        Step::Chroot => d.chroot_sandbox,
        Step::Lxc => d.chroot_sandbox.or(d.sandbox),
        Step::AddressSpace => None,
    };
    demo.map(|s| s.pid)
        .or_else(|| app.selected_process().map(|p| p.pid))
}

pub(super) fn lines(app: &AppState, tour: &TourState) -> Vec<Line<'static>> {
    match tour.current() {
        Step::AddressSpace => address_space(app, tour),
        Step::Threads => threads(app, tour),
        Step::Cgroups => cgroups(app, tour),
        Step::Namespaces => namespaces(app, tour),
        Step::Chroot => chroot(app, tour),
        Step::Lxc => lxc(app, tour),
    }
}

/// What `d` does now (or that the demo runs).
pub(super) fn demo_line(tour: &TourState) -> String {
    let t = tour.text;
    match (demo::next_words(tour), demo::ask(tour)) {
        (Some(words), _) => t.ui("demo_none", &[("demo", &words)]),
        (None, demo::Ask::Say(why)) => t.ui("demo_running", &[("what", &why)]),
        (None, _) => String::new(),
    }
}

fn plain(s: impl Into<String>) -> Line<'static> {
    Line::from(s.into())
}

fn heading(s: impl Into<String>) -> Line<'static> {
    Line::from(Span::styled(s.into(), theme::heading()))
}

fn address_space(app: &AppState, tour: &TourState) -> Vec<Line<'static>> {
    let t = tour.text;
    let Some(map) = app.map_data.as_ref().and_then(|d| d.map.as_ref().ok()) else {
        return vec![plain(t.ui("no_map", &[]))];
    };
    let mut out = Vec::new();
    if tour.show_gaps {
        out.push(heading(t.ui("gaps_title", &[])));
        out.push(plain(format!(
            "{:>16} {:>16} {:>12}",
            t.ui("start", &[]),
            t.ui("end", &[]),
            t.ui("size", &[])
        )));
        for g in map.gaps.iter().take(MOST_ROWS) {
            out.push(plain(format!(
                "{:>16x} {:>16x} {:>12}",
                g.start,
                g.end,
                format_bytes(g.size_bytes)
            )));
        }
        return out;
    }
    out.push(heading(t.ui("segments_title", &[])));
    // One line per run of mappings of one kind, in address order: the layout the talk draws.
    let mut runs: Vec<(MappingKind, u64, u64, u64)> = Vec::new();
    for m in &map.mappings {
        match runs.last_mut() {
            Some(last) if last.0 == m.kind => {
                last.2 = m.end;
                last.3 += m.size_bytes;
            }
            _ => runs.push((m.kind, m.start, m.end, m.size_bytes)),
        }
    }
    let shown = runs.len().min(MOST_ROWS * 2);
    for (kind, start, end, size) in runs.iter().take(shown) {
        out.push(Line::from(vec![
            Span::styled(format!("{:<8}", kind.word()), theme::mapping(*kind)),
            Span::raw(format!(
                " {start:>12x}-{end:<12x} {:>10}",
                format_bytes(*size)
            )),
        ]));
    }
    if runs.len() > shown {
        out.push(plain(format!("… {} more", runs.len() - shown)));
    }
    if let Some(u) = map.user_space {
        out.push(plain(t.ui(
            "user_top",
            &[("top", &format!("{:x} ({})", u.top, u.label()))],
        )));
    }
    out
}

fn threads(app: &AppState, tour: &TourState) -> Vec<Line<'static>> {
    let t = tour.text;
    let Some(p) = tour.demos.pingpong else {
        return vec![plain(t.ui("threads_none", &[]))];
    };
    // The threads the poller read for the table (the tour turns H on for this step).
    let Some((_, group)) = app.snapshot.as_ref().and_then(|s| s.threads_of(p.pid)) else {
        return vec![plain(format!("pid {} …", p.pid))];
    };
    let rate = |r: Option<f32>| r.map_or("-".to_string(), |r| format!("{r:.0}"));
    group
        .threads
        .iter()
        .map(|th| {
            plain(t.ui(
                "thread_rows",
                &[
                    ("tid", &th.tid.to_string()),
                    ("name", &th.comm),
                    ("state", &th.state.to_string()),
                    ("vol", &rate(th.voluntary_per_sec)),
                    ("invol", &rate(th.nonvoluntary_per_sec)),
                    (
                        "cpu",
                        &th.processor.map_or("-".to_string(), |c| c.to_string()),
                    ),
                ],
            ))
        })
        .collect()
}

fn cgroups(app: &AppState, tour: &TourState) -> Vec<Line<'static>> {
    let t = tour.text;
    let Some(snap) = app.snapshot.as_deref() else {
        return Vec::new();
    };
    let mut out = vec![heading(t.ui("hierarchies_title", &[]))];
    for h in &snap.cgroups.hierarchies {
        let what: Vec<&str> = if h.controllers.is_empty() {
            vec![t.subsystem("named")]
        } else {
            h.controllers.iter().map(|c| t.subsystem(c)).collect()
        };
        out.push(Line::from(vec![
            Span::styled(h.label(), theme::hierarchy()),
            Span::raw(format!("  {}  {}", h.mount_point, what.join("; "))),
        ]));
    }
    if let Some(pid) = subject_pid(app, tour)
        && let Some(p) = snap.process(pid)
    {
        out.push(heading(t.ui(
            "task_title",
            &[("pid", &pid.to_string()), ("comm", &p.comm)],
        )));
        for c in p.cgroups.iter() {
            out.push(plain(format!(
                "{}:{}:{}",
                c.hierarchy_id,
                c.controllers.join(","),
                c.path
            )));
        }
    }
    if let Some((dir, entries)) = &tour.facts.layout {
        out.push(heading(t.ui("layout_title", &[("dir", dir)])));
        for e in entries.iter().take(MOST_ROWS * 3) {
            out.push(plain(format!("{} {}", e.mode, e.name)));
        }
        if entries.len() > MOST_ROWS * 3 {
            out.push(plain(format!("… {} more", entries.len() - MOST_ROWS * 3)));
        }
    }
    out
}

fn namespaces(app: &AppState, tour: &TourState) -> Vec<Line<'static>> {
    let t = tour.text;
    let mut out = vec![heading(t.ui("kinds_title", &[]))];
    for k in NsKind::ALL {
        if matches!(k, NsKind::PidForChildren | NsKind::TimeForChildren) {
            continue;
        }
        out.push(plain(format!(
            "{:<12} --{:<17} {:<17} {}",
            k.file_name(),
            k.util_linux_option(),
            k.clone_flag(),
            t.namespace(k.file_name())
        )));
    }
    out.extend(side_by_side(app, tour, tour.demos.sandbox.map(|s| s.pid)));
    out
}

/// /proc/PID/ns of boxtop and of the sandbox, kind by kind, and what the sandbox sees.
fn side_by_side(app: &AppState, tour: &TourState, sandbox: Option<i32>) -> Vec<Line<'static>> {
    let t = tour.text;
    let Some(snap) = app.snapshot.as_deref() else {
        return Vec::new();
    };
    let me = app.preferred_pid.and_then(|p| snap.process(p));
    let other = sandbox.and_then(|p| snap.process(p));
    let mut out = vec![heading(t.ui("side_title", &[]))];
    out.push(plain(format!(
        "{:<18} {:>12} {:>12}",
        "",
        t.ui("host", &[]),
        t.ui("sandbox", &[])
    )));
    for k in NsKind::ALL {
        let a = me.and_then(|p| p.namespaces.get(k));
        let b = other.and_then(|p| p.namespaces.get(k));
        let mark = match (a, b) {
            (Some(x), Some(y)) if x == y => t.ui("same", &[]),
            (Some(_), Some(_)) => t.ui("new", &[]),
            _ => String::new(),
        };
        let show = |v: Option<u64>| v.map_or("-".to_string(), |v| v.to_string());
        out.push(plain(format!(
            "{:<18} {:>12} {:>12} {mark}",
            k.file_name(),
            show(a),
            show(b)
        )));
    }
    if let Some(pid) = sandbox {
        out.extend(inside(snap, tour, pid));
    }
    out
}

/// What a sandbox sees from inside (pid 1, its host name, its own /proc), from the facts.
fn inside(snap: &Snapshot, tour: &TourState, pid: i32) -> Vec<Line<'static>> {
    let t = tour.text;
    let Some(f) = tour.facts.sandboxes.iter().find(|f| f.pid == pid) else {
        return Vec::new();
    };
    let nspid = snap
        .process(pid)
        .and_then(|p| p.nspid.last().copied())
        .map_or("?".to_string(), |n| n.to_string());
    let procs = f.proc_pids.as_ref().map_or("?".to_string(), |p| {
        let shown: Vec<String> = p.iter().take(MOST_ROWS).map(i32::to_string).collect();
        format!("{} ({})", shown.join(" "), p.len())
    });
    let mut out = vec![plain(t.ui(
        "sandbox_facts",
        &[
            ("nspid", &nspid),
            ("host", f.hostname.as_deref().unwrap_or("?")),
            ("procs", &procs),
        ],
    ))];
    if let Some(root) = &f.root {
        out.push(plain(
            t.ui("root_fact", &[("pid", &pid.to_string()), ("root", root)]),
        ));
    }
    out
}

fn chroot(app: &AppState, tour: &TourState) -> Vec<Line<'static>> {
    match tour.demos.chroot_sandbox {
        Some(s) => side_by_side(app, tour, Some(s.pid)),
        None => Vec::new(),
    }
}

fn lxc(app: &AppState, tour: &TourState) -> Vec<Line<'static>> {
    let t = tour.text;
    let Some(snap) = app.snapshot.as_deref() else {
        return Vec::new();
    };
    let container = snap
        .containers
        .iter()
        .find(|c| c.runtime == crate::model::Runtime::Lxc)
        .or_else(|| snap.containers.iter().find(|c| c.cgroup.is_some()));
    let Some(c) = container else {
        let mut out = vec![plain(t.ui("container_none", &[]))];
        let sandbox = tour.demos.chroot_sandbox.or(tour.demos.sandbox);
        if let Some(s) = sandbox {
            out.extend(side_by_side(app, tour, Some(s.pid)));
            if let Some(p) = snap.process(s.pid) {
                out.push(plain(format!("cgroup: {}", p.main_cgroup())));
            }
        }
        return out;
    };
    let mut out = vec![heading(t.ui(
        "container_title",
        &[
            ("kind", c.runtime.name()),
            ("name", &c.name),
            ("pid", &c.main_pid.to_string()),
        ],
    ))];
    let me = app.preferred_pid.and_then(|p| snap.process(p));
    let new: Vec<String> = c
        .namespaces
        .iter()
        .filter(|(kind, ino)| {
            me.and_then(|m| {
                NsKind::ALL
                    .iter()
                    .find(|k| k.file_name() == kind.as_ref())
                    .and_then(|k| m.namespaces.get(*k))
            }) != Some(**ino)
        })
        .map(|(kind, _)| kind.to_string())
        .collect();
    out.push(plain(format!("namespaces: {}", new.join(" "))));
    let m = &c.measures;
    out.push(plain(format!(
        "cgroup: {}  memory {} / {}  cpu limit {}",
        c.cgroup.as_deref().unwrap_or("-"),
        m.memory_current_bytes.map_or("-".into(), format_bytes),
        m.memory_max.map_or("-".into(), |l| match l {
            crate::model::Limit::Max => "max".into(),
            crate::model::Limit::Value(v) => format_bytes(v),
        }),
        m.cpu_limit_cpus
            .map_or("-".into(), |c| format!("{c:.2} CPUs")),
    )));
    out
}
