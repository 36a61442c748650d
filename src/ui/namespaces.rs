//! The Namespaces pane: the selected process's namespaces (host / new / shared, NSpid,
//! members), or every namespace of the host like lsns.

mod host_view;
pub(super) use crate::app::panes::namespaces::{NsView, effective_offset};
use crate::app::state::{AppState, PaneId};
use crate::model::ns_marks::{self as marks, NsMark, reference_text};
use crate::model::{Access, NsKind, ProcessRow, Snapshot};
use crate::text::fit;
use crate::ui::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub(super) fn render(f: &mut Frame, area: Rect, app: &AppState, focused: bool) {
    let title = match app.namespaces.view {
        NsView::Process => " 3 Namespaces · this process (v: all) ",
        NsView::Host => " 3 Namespaces · all of the host (v: this process) ",
    };
    let inner = crate::ui::pane_block(f, area, title, focused);
    let Some(snap) = app.snapshot.as_deref() else {
        crate::ui::waiting(f, inner, "/proc"); // display text, not a path read
        return;
    };
    let w = usize::from(inner.width);
    let h = usize::from(inner.height);
    let active = focused && app.focus == PaneId::Namespaces;
    let lines = match app.namespaces.view {
        NsView::Host => host_view::lines(app, snap, w, h, active),
        NsView::Process => match app.selected_process() {
            Some(p) => process_lines(app, snap, p, w, h, active),
            None => vec![Line::styled("no process selected", theme::dim())],
        },
    };
    f.render_widget(Paragraph::new(lines), inner);
}

pub(crate) fn mark_style(m: NsMark) -> Style {
    match m {
        NsMark::Host => theme::ns_host(),
        NsMark::New | NsMark::Shared => theme::ns_new(),
        NsMark::Unknown => theme::dim(),
    }
}

fn process_lines(
    app: &AppState,
    snap: &Snapshot,
    p: &ProcessRow,
    w: usize,
    h: usize,
    active: bool,
) -> Vec<Line<'static>> {
    let mut lines = vec![Line::raw(fit(
        &format!(
            "{} {} · {} · {}",
            p.pid,
            p.comm,
            p.nspid_text(),
            reference_text(snap.host_reference)
        ),
        w,
    ))];
    lines.push(Line::styled(
        fit(
            &format!(
                "{:<17} {:>10} {:<6} {:>5} {}",
                "TYPE", "INODE", "MARK", "PROCS", "CREATED BY"
            ),
            w,
        ),
        theme::heading(),
    ));
    let problem = match p.namespaces_access {
        Access::Denied => Some(format!(
            // display text, not a path read
            "/proc/{}/ns: permission denied (reading another user's namespaces needs root)",
            p.pid
        )),
        Access::Gone => Some(format!("process {} has exited", p.pid)),
        // display text, not a path read
        Access::NotRead => Some(format!("/proc/{}/ns was not read", p.pid)),
        Access::Ok if p.namespaces.is_empty() => Some(format!(
            // display text, not a path read
            "/proc/{} has no namespace links (a zombie has given them up)",
            p.pid
        )),
        Access::Ok => None,
    };
    if let Some(msg) = problem {
        lines.push(Line::styled(fit(&msg, w), theme::warn()));
        return lines;
    }
    let host = snap.host_namespaces();
    let page = h.saturating_sub(2);
    let cursor = app.namespaces.cursor.min(NsKind::ALL.len() - 1);
    let offset = effective_offset(app.namespaces.offset, cursor, NsKind::ALL.len(), page);
    let rows: Vec<marks::NsRow> = NsKind::ALL
        .into_iter()
        .map(|k| marks::row(snap, &host, p, k))
        .collect();
    for (i, r) in rows.iter().enumerate().skip(offset).take(page) {
        let cells = [
            (format!("{:<17} ", r.kind.file_name()), Style::default()),
            (
                format!(
                    "{:>10} ",
                    r.inode.map(|i| i.to_string()).unwrap_or_else(|| "-".into())
                ),
                Style::default(),
            ),
            (format!("{:<6} ", r.mark.label()), mark_style(r.mark)),
            (
                format!(
                    "{:>5} ",
                    r.entry
                        .map(|e| e.nprocs.to_string())
                        .unwrap_or_else(|| "-".into())
                ),
                Style::default(),
            ),
            (r.kind.clone_flag().to_string(), theme::dim()),
        ];
        let mut line = cut_spans(&cells, w);
        if i == cursor {
            line = theme::select_line(line, active);
        }
        lines.push(line);
    }
    // Below the table: the members of the selected type, or a hint.
    let room = h.saturating_sub(lines.len());
    if room == 0 {
        return lines;
    }
    let Some(sel) = rows.get(cursor) else {
        return lines;
    };
    let mut extra: Vec<String> = Vec::new();
    // Lines there would be with room for all (a host namespace can hold thousands).
    let mut total = 1;
    if app.namespaces.show_members {
        match (sel.inode, sel.entry) {
            (Some(inode), Some(e)) => {
                extra.push(format!(
                    "{} {inode}: {} process{}",
                    sel.kind.file_name(),
                    e.nprocs,
                    if e.nprocs == 1 { "" } else { "es" }
                ));
                total += e.pids.len();
                for pid in e.pids.iter().take(room) {
                    let (user, cmd) = snap
                        .process(*pid)
                        .map(|m| {
                            (
                                m.user.as_deref().unwrap_or("?").to_string(),
                                m.command_line(),
                            )
                        })
                        .unwrap_or_default();
                    extra.push(format!("  {pid:>7} {user:<8} {cmd}"));
                }
            }
            (Some(inode), None) => extra.push(format!(
                "{} {inode}: no process is in it yet (children will be)",
                sel.kind.file_name()
            )),
            (None, _) => extra.push("no link of this type".into()),
        }
    } else if sel.kind == NsKind::User {
        extra.extend(crate::explain::id_map_lines(snap, p.pid));
    } else {
        let differ: Vec<&str> = rows
            .iter()
            .filter(|r| !r.kind.is_for_children())
            .filter(|r| matches!(r.mark, NsMark::New | NsMark::Shared))
            .map(|r| r.kind.file_name())
            .collect();
        let keys = format!(
            "{}: members · {}: explain",
            crate::ui::key_name(app, crate::app::Command::Enter),
            crate::ui::key_name(app, crate::app::Command::Explain)
        );
        extra.push(if differ.is_empty() {
            format!("all in the host's namespaces · {keys}")
        } else {
            format!("not the host's: {} · {keys}", differ.join(" "))
        });
    }
    if total > room {
        let more = total + 1 - room;
        extra.truncate(room.saturating_sub(1));
        extra.push(format!("  … and {more} more (z: zoom)"));
    }
    lines.extend(
        extra
            .into_iter()
            .map(|t| Line::styled(fit(&t, w), theme::dim())),
    );
    lines
}

/// Spans cut at `w` cells in total, padded to `w`.
pub(crate) fn cut_spans(cells: &[(String, Style)], w: usize) -> Line<'static> {
    let mut spans = Vec::new();
    let mut used = 0;
    for (text, style) in cells {
        let left = w.saturating_sub(used);
        if left == 0 {
            break;
        }
        let t: String = text.chars().take(left).collect();
        used += t.chars().count();
        spans.push(Span::styled(t, *style));
    }
    spans.push(Span::raw(" ".repeat(w.saturating_sub(used))));
    Line::from(spans)
}
