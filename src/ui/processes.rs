//! The process table pane.

use crate::app::panes::processes::{Column, TableRow, ctxt, main_thread, wchan_text};
use crate::app::state::{AppState, PaneId, proc_id};
use crate::model::host::ns_mark;
use crate::model::{NsSet, ProcessRow, Snapshot, ThreadRow};
use crate::text::{fit, fit_right, format_bytes, pad, truncate};
use crate::ui::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

fn width(col: Column) -> usize {
    match col {
        Column::Pid => 7,
        Column::User => 8,
        Column::State => 1,
        Column::Cpu => 5,
        Column::Rss => 10,
        Column::Threads => 4,
        Column::Ctxt => 8,
        Column::Ns => 7,
        Column::Cgroup => 22,
        Column::Command => 0,
        Column::LastCpu => 3,
        Column::VoluntaryRate | Column::InvoluntaryRate => 5,
        Column::Wchan => 12,
    }
}

fn right_aligned(col: Column) -> bool {
    matches!(
        col,
        Column::Pid
            | Column::Cpu
            | Column::Rss
            | Column::Threads
            | Column::Ctxt
            | Column::LastCpu
            | Column::VoluntaryRate
            | Column::InvoluntaryRate
    )
}

pub(super) fn render(f: &mut Frame, area: Rect, app: &AppState, focused: bool) {
    let thread = selected_thread(app)
        .map(|t| format!("· thread {} ({}) ", t.tid, t.comm))
        .unwrap_or_default();
    let title = match app.selected_process() {
        Some(p) if app.frozen.contains(&p.pid) => {
            format!(
                " 1 Processes · selected {} ({}) {thread}· frozen ",
                p.pid, p.comm
            )
        }
        Some(p) => format!(" 1 Processes · selected {} ({}) {thread}", p.pid, p.comm),
        None => match app.processes.selected {
            Some((pid, _)) => format!(" 1 Processes · {pid} has exited "),
            None => " 1 Processes ".to_string(),
        },
    };
    let inner = crate::ui::pane_block(f, area, title, focused);
    let Some(snap) = app.snapshot.as_deref() else {
        crate::ui::waiting(f, inner, "/proc"); // display text, not a path read
        return;
    };
    let w = usize::from(inner.width);
    let cols = app.processes.shown_columns();
    let mut lines = vec![heading_line(app, &cols, w)];
    let host = snap.host_namespaces();
    let rows = usize::from(inner.height.saturating_sub(1));
    let marked = crate::app::panes::timeline::marks(app).pid;
    for (n, row) in app
        .visible
        .iter()
        .enumerate()
        .skip(app.processes.offset)
        .take(rows)
    {
        let Some(p) = row.process(snap) else {
            continue;
        };
        let shape = (&cols[..], row.depth, app.processes.tree);
        let mut line = if let Some(t) = row.thread(snap) {
            thread_line(t, p, shape, w)
        } else {
            let old = app.previous_row(p);
            let frozen = app.frozen.contains(&p.pid);
            let main = main_thread(snap, p);
            row_line(p, old, main, &host, shape, frozen, w)
        };
        if marked == Some(p.pid) && row.thread.is_none() {
            line = theme::mark_line(line);
        }
        let selected = is_selected(app, snap, row);
        if selected || (n == app.processes.cursor && app.selected_process().is_none()) {
            line = theme::select_line(line, focused && app.focus == PaneId::Processes);
        }
        lines.push(line);
    }
    if app.visible.is_empty() {
        lines.push(Line::styled(
            if app.filter.is_empty() {
                "no processes".to_string()
            } else {
                format!(
                    "no process matches the filter ({} clears it)",
                    crate::ui::key_name(app, crate::app::Command::Back)
                )
            },
            theme::dim(),
        ));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

/// Whether `row` is the selection: the selected process's own row, or with a thread
/// selected that thread's.
fn is_selected(app: &AppState, snap: &Snapshot, row: &TableRow) -> bool {
    let Some(p) = row.process(snap) else {
        return false;
    };
    if app.processes.selected != Some(proc_id(p)) {
        return false;
    }
    let tid = row.thread(snap).map(|t| t.tid);
    tid == app.processes.selected_thread
}

/// The selected thread row's thread, if a thread is selected.
fn selected_thread(app: &AppState) -> Option<&ThreadRow> {
    let tid = app.processes.selected_thread?;
    let snap = app.snapshot.as_deref()?;
    let p = app.selected_process()?;
    let (_, group) = crate::app::panes::processes::group_of(snap, p)?;
    let i = group.threads.binary_search_by_key(&tid, |t| t.tid).ok()?;
    group.threads.get(i)
}

fn heading_line(app: &AppState, cols: &[Column], w: usize) -> Line<'static> {
    let mut text = String::new();
    for &col in cols {
        let mut t = col.title().to_string();
        if col == app.processes.sort {
            t.push(if app.processes.descending {
                '▼'
            } else {
                '▲'
            });
        }
        let left = w.saturating_sub(text.chars().count());
        push_cell(&mut text, &t, col, left, command_width(cols, w));
    }
    Line::styled(pad(text, w), theme::heading())
}

/// The command column's width in a row `total` wide: None when it is last (it takes the
/// rest of the row, cut), else the row less every other column, so that those after it
/// still fit.
fn command_width(cols: &[Column], total: usize) -> Option<usize> {
    if cols.last().is_none_or(|c| *c == Column::Command) {
        return None;
    }
    let others: usize = cols
        .iter()
        .filter(|c| **c != Column::Command)
        .map(|c| width(*c) + 1)
        .sum();
    Some(total.saturating_sub(others + 1))
}

/// Appends a cell of `col` to `text`, with `left` cells still free on the row.
fn push_cell(text: &mut String, value: &str, col: Column, left: usize, command: Option<usize>) {
    let wid = match (width(col), command) {
        (0, None) => {
            text.push_str(&truncate(value, left));
            return;
        }
        (0, Some(w)) => w,
        (w, _) => w,
    };
    text.push_str(&if right_aligned(col) {
        fit_right(value, wid)
    } else {
        fit(value, wid)
    });
    text.push(' ');
}

/// A process's row; `frozen`: its cgroup is frozen (its state letter is the kernel's, S or
/// D, and is shown in the freezer's colour).
/// A process's row; `main`: its main thread, for the threads' columns (`H`), where its
/// threads were read.
fn row_line(
    p: &ProcessRow,
    old: Option<&ProcessRow>,
    main: Option<&ThreadRow>,
    host: &NsSet,
    (cols, depth, tree): (&[Column], u16, bool),
    frozen: bool,
    w: usize,
) -> Line<'static> {
    let mut spans = Vec::new();
    let mut used = 0usize;
    let command = command_width(cols, w);
    for &col in cols {
        let (value, changed) = match thread_cell(main, col) {
            Some(v) => (v, false),
            None => cell(p, old, host, col, depth, tree),
        };
        let mut text = String::new();
        push_cell(&mut text, &value, col, w.saturating_sub(used), command);
        used += text.chars().count();
        let style = if frozen && col == Column::State {
            theme::warn()
        } else if changed {
            theme::changed()
        } else if col == Column::Ns && !value.is_empty() {
            theme::ns_new()
        } else if p.kernel_thread && col == Column::Command {
            theme::dim()
        } else {
            Style::default()
        };
        spans.push(Span::styled(text, style));
    }
    spans.push(Span::raw(" ".repeat(w.saturating_sub(used))));
    Line::from(spans)
}

/// A cell's text and whether it changed since the previous refresh.
fn cell(
    p: &ProcessRow,
    old: Option<&ProcessRow>,
    host: &NsSet,
    col: Column,
    depth: u16,
    tree: bool,
) -> (String, bool) {
    match col {
        Column::Pid => (p.pid.to_string(), false),
        Column::User => (
            p.user
                .as_deref()
                .map(str::to_string)
                .or(p.uid.map(|u| u.to_string()))
                .unwrap_or_else(|| "?".into()),
            false,
        ),
        Column::State => (p.state.to_string(), old.is_some_and(|o| o.state != p.state)),
        Column::Cpu => (
            p.cpu_percent
                .get()
                .map(|c| format!("{c:.1}"))
                .unwrap_or_else(|| "-".into()),
            old.is_some_and(|o| {
                o.cpu_percent.get().map(|c| (c * 10.0).round())
                    != p.cpu_percent.get().map(|c| (c * 10.0).round())
            }),
        ),
        Column::Rss => (
            format_bytes(p.rss_bytes),
            old.is_some_and(|o| o.rss_bytes != p.rss_bytes),
        ),
        Column::Threads => (
            p.threads.to_string(),
            old.is_some_and(|o| o.threads != p.threads),
        ),
        Column::Ctxt => (
            if p.voluntary_ctxt_switches.is_unknown() {
                "-".into()
            } else {
                short_count(ctxt(p))
            },
            old.is_some_and(|o| ctxt(o) != ctxt(p)),
        ),
        Column::Ns => (
            if p.namespaces_access.is_ok() {
                ns_mark(&p.namespaces, host)
            } else {
                "?".into()
            },
            false,
        ),
        Column::Cgroup => (p.main_cgroup().to_string(), false),
        // Filled from the main thread by `thread_cell` where it was read.
        Column::LastCpu | Column::VoluntaryRate | Column::InvoluntaryRate | Column::Wchan => {
            (String::new(), false)
        }
        Column::Command => {
            let cmd = if p.kernel_thread || p.cmdline.is_empty() {
                format!("[{}]", p.comm)
            } else {
                p.cmdline.join(" ")
            };
            let prefix = if tree && depth > 0 {
                format!("{}└─", "  ".repeat(usize::from(depth - 1)))
            } else {
                String::new()
            };
            (format!("{prefix}{cmd}"), false)
        }
    }
}

/// A thread's row under its process (`H`): its own values in the columns a thread has, its
/// process's user, blanks where the value is the process's (RSS, namespaces, cgroup), and
/// its name in the command's place, one step deeper than the process.
fn thread_line(
    t: &ThreadRow,
    p: &ProcessRow,
    (cols, depth, _): (&[Column], u16, bool),
    w: usize,
) -> Line<'static> {
    let mut spans = Vec::new();
    let mut used = 0usize;
    let command = command_width(cols, w);
    for &col in cols {
        let value = match col {
            Column::Pid => t.tid.to_string(),
            Column::User => p
                .user
                .as_deref()
                .map(str::to_string)
                .or(p.uid.map(|u| u.to_string()))
                .unwrap_or_else(|| "?".into()),
            Column::State => t.state.to_string(),
            Column::Cpu => t
                .cpu_percent
                .get()
                .map(|c| format!("{c:.1}"))
                .unwrap_or_else(|| "-".into()),
            Column::Ctxt => {
                if t.voluntary_ctxt_switches.is_unknown() {
                    "-".into()
                } else {
                    short_count(t.switches())
                }
            }
            Column::Command => format!(
                "{}└─{}",
                "  ".repeat(usize::from(depth.saturating_sub(1))),
                t.comm
            ),
            _ => thread_cell(Some(t), col).unwrap_or_default(),
        };
        let mut text = String::new();
        push_cell(&mut text, &value, col, w.saturating_sub(used), command);
        used += text.chars().count();
        let style = if col == Column::Command {
            theme::thread()
        } else {
            Style::default()
        };
        spans.push(Span::styled(text, style));
    }
    spans.push(Span::raw(" ".repeat(w.saturating_sub(used))));
    Line::from(spans)
}

/// A thread's value in one of the threads' columns (None for the other columns).
fn thread_cell(t: Option<&ThreadRow>, col: Column) -> Option<String> {
    let rate = |r: Option<f32>| r.map_or_else(|| "-".to_string(), per_second);
    Some(match (col, t) {
        (Column::LastCpu, Some(t)) => t.processor.map_or_else(|| "-".into(), |c| c.to_string()),
        (Column::VoluntaryRate, Some(t)) => rate(t.voluntary_per_sec),
        (Column::InvoluntaryRate, Some(t)) => rate(t.nonvoluntary_per_sec),
        (Column::Wchan, Some(t)) => wchan_text(&t.wchan).to_string(),
        (
            Column::LastCpu | Column::VoluntaryRate | Column::InvoluntaryRate | Column::Wchan,
            None,
        ) => String::new(),
        _ => return None,
    })
}

/// Switches a second: 0, 0.5, 12, 3.4k.
fn per_second(r: f32) -> String {
    match r {
        0.0 => "0".into(),
        r if r < 10.0 => format!("{r:.1}"),
        r if r < 10_000.0 => format!("{r:.0}"),
        r => format!("{:.1}k", r / 1e3),
    }
}

/// 1234, 12.3k, 4.5M: context switches grow without bound.
fn short_count(n: u64) -> String {
    match n {
        0..=99_999 => n.to_string(),
        100_000..=99_999_999 => format!("{:.1}k", n as f64 / 1e3),
        _ => format!("{:.1}M", n as f64 / 1e6),
    }
}
