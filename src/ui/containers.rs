//! The containers pane: one row per container, a pod's containers under its heading. The
//! columns that do not fit are left out, least needed first (a zoomed pane shows them all).

use crate::app::panes::containers::{Column, Row, container_of};
use crate::app::state::{AppState, PaneId};
use crate::model::{Container, NsSet, Snapshot, cells};
use crate::text::{fit, fit_right, format_bytes};
use crate::ui::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Widths of the columns (the name takes what is left, within bounds).
fn width(col: Column) -> usize {
    match col {
        Column::Name => NAME_MIN,
        Column::Runtime => 10,
        Column::Id => 12,
        Column::State => 7,
        Column::Procs => 5,
        Column::Cpu => 8,
        Column::Memory => 20,
        Column::WorkingSet => 10,
        Column::Pids => 11,
        Column::Net => 19,
        Column::Disk => 19,
        Column::Uptime => 7,
        Column::Ns => 7,
    }
}

const NAME_MIN: usize = 16;
const NAME_MAX: usize = 32;

/// The order columns are given room in: what a glance needs first.
const PRIORITY: [Column; 13] = [
    Column::Name,
    Column::State,
    Column::Runtime,
    Column::Cpu,
    Column::Memory,
    Column::Net,
    Column::Procs,
    Column::Pids,
    Column::Disk,
    Column::Uptime,
    Column::WorkingSet,
    Column::Ns,
    Column::Id,
];

fn right_aligned(col: Column) -> bool {
    matches!(
        col,
        Column::Procs | Column::Cpu | Column::Memory | Column::WorkingSet | Column::Pids
    )
}

/// The columns that fit in `w` cells, in display order, and the name's width.
fn columns(w: usize) -> (Vec<Column>, usize) {
    let mut used = NAME_MIN + 1;
    let mut shown = vec![Column::Name];
    for col in PRIORITY.into_iter().skip(1) {
        if used + width(col) < w {
            used += width(col) + 1;
            shown.push(col);
        }
    }
    let name = (NAME_MIN + w.saturating_sub(used)).min(NAME_MAX);
    let ordered = Column::ALL
        .into_iter()
        .filter(|c| shown.contains(c))
        .collect();
    (ordered, name)
}

pub(super) fn render(f: &mut Frame, area: Rect, app: &AppState, focused: bool) {
    let count = app.snapshot.as_ref().map_or(0, |s| s.containers.len());
    let title = match app.snapshot.as_deref().and_then(|s| {
        app.containers
            .rows
            .get(app.containers.cursor)
            .and_then(|r| container_of(s, r))
    }) {
        Some(c) => format!(
            " 5 Containers ({count}) · {} {} · main process {} ",
            c.runtime.name(),
            c.name,
            c.main_pid
        ),
        None => format!(" 5 Containers ({count}) "),
    };
    let inner = crate::ui::pane_block(f, area, title, focused);
    let Some(snap) = app.snapshot.as_deref() else {
        crate::ui::waiting(f, inner, "cgroups and namespaces");
        return;
    };
    let w = usize::from(inner.width);
    let (cols, name_w) = columns(w);
    let mut lines = vec![heading(app, &cols, name_w, w)];
    let host = snap.host_namespaces();
    let rows = usize::from(inner.height.saturating_sub(1));
    let st = &app.containers;
    let marked = crate::app::panes::timeline::marks(app).container;
    for (n, row) in st.rows.iter().enumerate().skip(st.offset).take(rows) {
        let mut line = match row {
            Row::Pod { label, members, .. } => pod_line(snap, label, members, &cols, name_w, w),
            Row::Container { index, in_pod } => match snap.containers.get(*index) {
                Some(c) if marked.as_deref() == Some(c.label().as_str()) => {
                    theme::mark_line(container_line(c, *in_pod, &host, &cols, name_w, w))
                }
                Some(c) => container_line(c, *in_pod, &host, &cols, name_w, w),
                None => continue,
            },
        };
        if n == st.cursor {
            line = theme::select_line(line, focused && app.focus == PaneId::Containers);
        }
        lines.push(line);
    }
    if st.rows.is_empty() {
        lines.push(Line::styled(
            if !app.filter.is_empty() {
                format!(
                    "no container matches the filter ({} clears it)",
                    crate::ui::key_name(app, crate::app::Command::Back)
                )
            } else {
                "no containers: no process is in a runtime's cgroup or in namespaces of its own"
                    .to_string()
            },
            theme::dim(),
        ));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

fn heading(app: &AppState, cols: &[Column], name_w: usize, w: usize) -> Line<'static> {
    let mut text = String::new();
    for col in cols {
        let mut t = col.title().to_string();
        if *col == app.containers.sort {
            t.push(if app.containers.descending {
                '▼'
            } else {
                '▲'
            });
        }
        push_cell(&mut text, &t, *col, name_w);
    }
    Line::styled(crate::text::pad(text, w), theme::heading())
}

fn push_cell(text: &mut String, value: &str, col: Column, name_w: usize) {
    let wid = if col == Column::Name {
        name_w
    } else {
        width(col)
    };
    text.push_str(&if right_aligned(col) {
        fit_right(value, wid)
    } else {
        fit(value, wid)
    });
    text.push(' ');
}

fn container_line(
    c: &Container,
    in_pod: bool,
    host: &NsSet,
    cols: &[Column],
    name_w: usize,
    w: usize,
) -> Line<'static> {
    let m = &c.measures;
    let frozen = m.frozen == Some(true);
    let mut spans = Vec::new();
    let mut used = 0;
    for col in cols {
        let value = match col {
            Column::Name if in_pod => format!("└─{}", c.name.rsplit('/').next().unwrap_or("")),
            Column::Name => c.name.clone(),
            Column::Runtime => c.runtime.name().to_string(),
            Column::Id => c.short_id().to_string(),
            Column::State => cells::state(c).to_string(),
            Column::Procs => c.pids.len().to_string(),
            Column::Cpu => cells::cpu(m),
            Column::Memory => cells::memory(m),
            Column::WorkingSet => cells::working_set(m),
            Column::Pids => cells::pids(m),
            Column::Net => cells::net(c),
            Column::Disk => cells::disk(m),
            Column::Uptime => cells::uptime(m),
            Column::Ns => cells::own_namespaces(c, host),
        };
        let mut text = String::new();
        push_cell(&mut text, &value, *col, name_w);
        used += text.chars().count();
        let style = match col {
            Column::State if frozen => theme::warn(),
            Column::Ns if value != "-" => theme::ns_new(),
            _ if frozen => theme::dim(),
            _ => Style::default(),
        };
        spans.push(Span::styled(text, style));
    }
    spans.push(Span::raw(" ".repeat(w.saturating_sub(used))));
    Line::from(spans)
}

/// A pod's heading: its name, and its containers' processes, CPU and memory summed.
fn pod_line(
    snap: &Snapshot,
    label: &str,
    members: &[usize],
    cols: &[Column],
    name_w: usize,
    w: usize,
) -> Line<'static> {
    let cs: Vec<&Container> = members
        .iter()
        .filter_map(|i| snap.containers.get(*i))
        .collect();
    let cpu: Option<f64> = cs
        .iter()
        .map(|c| c.measures.cpu_percent)
        .sum::<Option<f64>>();
    let memory: Option<u64> = cs
        .iter()
        .map(|c| c.measures.memory_current_bytes)
        .sum::<Option<u64>>();
    let mut text = String::new();
    for col in cols {
        let value = match col {
            Column::Name => format!("pod {label}"),
            Column::Runtime => "pod".to_string(),
            Column::Procs => cs.iter().map(|c| c.pids.len()).sum::<usize>().to_string(),
            Column::Cpu => cpu.map_or_else(|| "-".into(), |p| format!("{p:.1}")),
            Column::Memory => memory.map_or_else(|| "-".into(), format_bytes),
            Column::Net => cs.first().map_or_else(String::new, |c| cells::net(c)),
            _ => String::new(),
        };
        push_cell(&mut text, &value, *col, name_w);
    }
    Line::styled(crate::text::pad(text, w), theme::heading())
}

#[cfg(test)]
mod tests {
    use super::{Column, NAME_MIN, columns};

    #[test]
    fn a_narrow_pane_keeps_what_a_glance_needs() {
        let (cols, name) = columns(60);
        assert!(cols.starts_with(&[Column::Name]));
        assert!(cols.contains(&Column::Cpu) && cols.contains(&Column::State));
        assert!(cols.contains(&Column::Runtime));
        assert!(!cols.contains(&Column::Id));
        assert!(name >= NAME_MIN);
        let (all, _) = columns(300);
        assert_eq!(all, Column::ALL.to_vec());
    }
}
