//! The host view of the namespace pane: every namespace, like lsns(8).

use super::{cut_spans, mark_style};
use crate::app::panes::namespaces::effective_offset;
use crate::app::state::AppState;
use crate::model::Snapshot;
use crate::model::ns_marks::{NsMark, reference_text};
use crate::text::fit;
use crate::ui::theme;
use ratatui::style::Style;
use ratatui::text::Line;

pub(super) fn lines(
    app: &AppState,
    snap: &Snapshot,
    w: usize,
    h: usize,
    active: bool,
) -> Vec<Line<'static>> {
    let n = snap.namespaces.len();
    let mut lines = vec![
        Line::raw(fit(
            &format!(
                "{n} namespaces · {} · Enter: show its processes",
                reference_text(snap.host_reference)
            ),
            w,
        )),
        Line::styled(
            fit(
                &format!(
                    "{:>10} {:<6} {:<6} {:>6} {:>7} {:<8} {}",
                    "NS", "TYPE", "", "NPROCS", "PID", "USER", "COMMAND"
                ),
                w,
            ),
            theme::heading(),
        ),
    ];
    if n == 0 {
        lines.push(Line::styled("no namespace could be read", theme::dim()));
        return lines;
    }
    let page = h.saturating_sub(2);
    let cursor = app.namespaces.cursor.min(n - 1);
    let offset = effective_offset(app.namespaces.offset, cursor, n, page);
    for (i, e) in snap.namespaces.iter().enumerate().skip(offset).take(page) {
        // In the host view a namespace is either the reference one or not: "not" is what
        // a container adds.
        let mark = if e.host { NsMark::Host } else { NsMark::New };
        let cells = [
            (format!("{:>10} ", e.inode), Style::default()),
            (format!("{:<6} ", e.kind.file_name()), Style::default()),
            (format!("{:<6} ", mark.label()), mark_style(mark)),
            (format!("{:>6} ", e.nprocs), Style::default()),
            (format!("{:>7} ", e.lowest_pid), Style::default()),
            (
                format!("{:<8} ", fit(e.user.as_deref().unwrap_or("?"), 8)),
                Style::default(),
            ),
            (e.command.clone(), Style::default()),
        ];
        let mut line = cut_spans(&cells, w);
        if i == cursor {
            line = theme::select_line(line, active);
        }
        lines.push(line);
    }
    lines
}
