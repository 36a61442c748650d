//! The threads view (Enter on a process): every thread of the selected process, the main one
//! first, as `ps -L` lists them, with the columns `H` adds to the table.

use crate::app::panes::processes::{group_of, wchan_text};
use crate::app::state::{AppState, ProcId};
use crate::model::ThreadRow;
use crate::text::{fit, fit_right};
use crate::ui::theme;
use ratatui::text::Line;

/// The window's title and lines for the threads of process `of`.
pub(super) fn lines(app: &AppState, of: ProcId) -> (String, Vec<Line<'static>>) {
    let (pid, start) = of;
    let process = app
        .snapshot
        .as_deref()
        .and_then(|s| Some((s, s.process(pid)?)))
        .filter(|(_, p)| p.start_time_ticks == start);
    let Some((snap, p)) = process else {
        return (
            format!(" Threads of {pid} "),
            vec![Line::styled(
                format!("process {pid} has exited"),
                theme::dim(),
            )],
        );
    };
    let Some((_, group)) = group_of(snap, p) else {
        return (
            format!(" Threads of {pid} ({}) ", p.comm),
            // display text, not a path read
            vec![Line::styled(
                format!("reading /proc/{pid}/task ..."),
                theme::dim(),
            )],
        );
    };
    let n = group.threads.len();
    let title = format!(
        " Threads of {pid} ({}) · {n} thread{} ",
        p.comm,
        if n == 1 { "" } else { "s" }
    );
    let mut lines = vec![Line::styled(heading(), theme::heading())];
    lines.extend(group.threads.iter().map(|t| Line::from(thread_line(t))));
    (title, lines)
}

const COLUMNS: [(&str, usize, bool); 9] = [
    ("TID", 7, true),
    ("NAME", 16, false),
    ("S", 1, false),
    ("CPU%", 5, true),
    ("CPU", 3, true),
    ("VCS/s", 6, true),
    ("ICS/s", 6, true),
    ("CSW", 8, true),
    ("WCHAN", 0, false),
];

fn heading() -> String {
    row(COLUMNS.map(|(title, _, _)| title.to_string()))
}

/// One thread: the values in the order of [`COLUMNS`].
fn thread_line(t: &ThreadRow) -> String {
    let rate = |r: Option<f32>| r.map_or_else(|| "-".to_string(), |r| format!("{r:.1}"));
    row([
        t.tid.to_string(),
        t.comm.to_string(),
        t.state.to_string(),
        t.cpu_percent
            .get()
            .map_or_else(|| "-".into(), |c| format!("{c:.1}")),
        t.processor.map_or_else(|| "-".into(), |c| c.to_string()),
        rate(t.voluntary_per_sec),
        rate(t.nonvoluntary_per_sec),
        if t.voluntary_ctxt_switches.is_unknown() {
            "-".into()
        } else {
            t.switches().to_string()
        },
        wchan_text(&t.wchan).to_string(),
    ])
}

fn row(values: [String; 9]) -> String {
    let mut text = String::new();
    for ((_, width, right), value) in COLUMNS.iter().zip(values) {
        match (*width, *right) {
            (0, _) => text.push_str(&value),
            (w, true) => text.push_str(&fit_right(&value, w)),
            (w, false) => text.push_str(&fit(&value, w)),
        }
        text.push(' ');
    }
    text.trim_end().to_string()
}
