//! The Cgroups pane: every hierarchy as a collapsible tree with its counters.

mod cells;

use crate::app::panes::cgroups::rows::{
    RowRef, cgroups_of, effective_offset, has_children, is_collapsed, visible_rows,
};
use crate::app::state::{AppState, PaneId};
use crate::model::{CgroupMode, Hierarchy};
use crate::ui::theme;
use cells::{Col, columns_for};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Narrowest the name column gets before counters are left out.
const MIN_NAME: usize = 18;

pub(super) fn render(f: &mut Frame, area: Rect, app: &AppState, focused: bool) {
    let mode = app.snapshot.as_deref().map(|s| s.cgroups.mode);
    let title = match mode {
        Some(CgroupMode::V1) => " 4 Cgroups · v1 ",
        Some(CgroupMode::V2) => " 4 Cgroups · v2 ",
        Some(CgroupMode::Hybrid) => " 4 Cgroups · hybrid (v1 + v2) ",
        _ => " 4 Cgroups ",
    };
    let inner = crate::ui::pane_block(f, area, title, focused);
    let Some(snap) = app.snapshot.as_deref() else {
        crate::ui::waiting(f, inner, "cgroupfs");
        return;
    };
    if snap.cgroups.hierarchies.is_empty() {
        f.render_widget(
            Paragraph::new(Line::styled(
                "no cgroup filesystem is mounted",
                theme::dim(),
            )),
            inner,
        );
        return;
    }
    let w = usize::from(inner.width);
    let cols = columns_for(w.saturating_sub(MIN_NAME));
    let name_w = w.saturating_sub(cols.iter().map(|c| c.width() + 1).sum::<usize>());
    let mut lines = vec![heading(&cols, name_w, w)];
    let rows = visible_rows(&snap.cgroups, &app.cgroups);
    let cursor = app.cgroups.cursor.min(rows.len().saturating_sub(1));
    let mine = app
        .selected_process()
        .map(|p| cgroups_of(&snap.cgroups, p))
        .unwrap_or_default();
    let active = focused && app.focus == PaneId::Cgroups;
    let marked = crate::app::panes::timeline::marks(app).cgroup;
    let page = usize::from(inner.height.saturating_sub(1));
    let offset = effective_offset(app.cgroups.offset, cursor, rows.len(), page);
    for (i, row) in rows.iter().enumerate().skip(offset).take(page) {
        let mut line = match *row {
            RowRef::Heading { h } => match snap.cgroups.hierarchies.get(h) {
                Some(hier) => heading_row(hier, w),
                None => Line::default(),
            },
            RowRef::Cgroup { h, node } => {
                let Some(hier) = snap.cgroups.hierarchies.get(h) else {
                    continue;
                };
                let line = cgroup_row(app, hier, node, mine.contains(&(h, node)), &cols, name_w, w);
                let named = marked.as_ref().is_some_and(|(id, path)| {
                    id.is_none_or(|id| id == hier.id)
                        && hier.cgroups.get(node).is_some_and(|n| n.path == *path)
                });
                if named { theme::mark_line(line) } else { line }
            }
        };
        if i == cursor {
            line = theme::select_line(line, active);
        }
        lines.push(line);
    }
    f.render_widget(Paragraph::new(lines), inner);
}

fn heading(cols: &[Col], name_w: usize, w: usize) -> Line<'static> {
    let mut text = crate::text::fit(" CGROUP", name_w);
    for c in cols {
        text.push(' ');
        text.push_str(&crate::text::fit_right(c.title(), c.width()));
    }
    Line::styled(crate::text::fit(&text, w), theme::heading())
}

fn heading_row(hier: &Hierarchy, w: usize) -> Line<'static> {
    Line::styled(crate::text::fit(&hier.label(), w), theme::hierarchy())
}

fn cgroup_row(
    app: &AppState,
    hier: &Hierarchy,
    node: usize,
    holds_selected: bool,
    cols: &[Col],
    name_w: usize,
    w: usize,
) -> Line<'static> {
    let Some(n) = hier.cgroups.get(node) else {
        return Line::default();
    };
    let fold = if !has_children(hier, node) {
        "  "
    } else if is_collapsed(&app.cgroups, hier.id, &n.path, n.depth) {
        "▸ "
    } else {
        "▾ "
    };
    let gutter = if holds_selected { "●" } else { " " };
    let mut name = format!("{gutter}{}{fold}{}", "  ".repeat(n.depth), n.name);
    if !n.pids_access.is_ok() {
        name.push_str(" (denied)");
    }
    let style = if holds_selected {
        theme::holds_selected()
    } else {
        Style::default()
    };
    let mut spans = vec![Span::styled(crate::text::fit(&name, name_w), style)];
    let mut used = name_w;
    for c in cols {
        let (text, cstyle) = cells::cell(*c, n);
        let t = format!(" {}", crate::text::fit_right(&text, c.width()));
        used += t.chars().count();
        spans.push(Span::styled(t, cstyle));
    }
    spans.push(Span::raw(" ".repeat(w.saturating_sub(used))));
    Line::from(spans)
}
