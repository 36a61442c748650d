//! The Memory map pane: a picture of the address space over the list of mappings and the
//! "not used" holes between them.

mod list;
mod picture;

use crate::app::panes::memory_map::cursor_and_offset;
use crate::app::panes::memory_map::rows::RowIndex;
use crate::app::state::AppState;
use crate::model::MemoryMap;
use crate::text::format_bytes;
use crate::ui::theme;
use list::Columns;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

/// The first row of the list: border, the picture, the column headings.
pub(super) const LIST_TOP: u16 = crate::app::geometry::MAP_LIST_TOP;

/// What the pane has to show.
enum View<'a> {
    NoSelection,
    Exited(i32),
    Loading(i32),
    Failed(i32, &'a str),
    Map(&'a MemoryMap),
}

fn view(app: &AppState) -> View<'_> {
    let Some((pid, _)) = app.processes.selected else {
        return View::NoSelection;
    };
    if app.selected_process().is_none() {
        return View::Exited(pid);
    }
    match app.selected_map() {
        None => View::Loading(pid),
        Some(Err(e)) => View::Failed(pid, e),
        Some(Ok(map)) => View::Map(map),
    }
}

/// The title, with as much as fits in `width`: the totals matter more than the count.
fn title(app: &AppState, width: usize) -> String {
    let View::Map(map) = view(app) else {
        return " 2 Memory map ".into();
    };
    let head = format!(" 2 Memory map · pid {}", map.pid);
    let count = format!(" · {} mappings", map.mappings.len());
    let (rss_pss, swap) = match (&map.totals, map.totals_access) {
        (Some(tot), _) => (
            format!(
                " · Rss {} Pss {}",
                format_bytes(tot.rss_bytes),
                format_bytes(tot.pss_bytes)
            ),
            format!(" Swap {}", format_bytes(tot.swap_bytes)),
        ),
        (None, crate::model::Access::Denied) => (" · totals denied".into(), String::new()),
        (None, _) => (String::new(), String::new()),
    };
    [
        format!("{head}{count}{rss_pss}{swap} "),
        format!("{head}{rss_pss}{swap} "),
        format!("{head}{rss_pss} "),
        format!("{head} "),
    ]
    .into_iter()
    .find(|t| t.chars().count() <= width)
    .unwrap_or_else(|| format!("{head} "))
}

pub(super) fn render(f: &mut Frame, area: Rect, app: &AppState, focused: bool) {
    let title = title(app, usize::from(area.width.saturating_sub(2)));
    let inner = crate::ui::pane_block(f, area, title, focused);
    let note = |text: String| Paragraph::new(Line::styled(text, theme::dim()));
    let map = match view(app) {
        View::NoSelection => {
            f.render_widget(
                note("no process selected: pick one in pane 1".into()),
                inner,
            );
            return;
        }
        View::Exited(pid) => {
            f.render_widget(note(format!("pid {pid} has exited")), inner);
            return;
        }
        View::Loading(pid) => {
            f.render_widget(note(format!("pid {pid}: reading its memory map …")), inner);
            return;
        }
        View::Failed(pid, e) => {
            let line = Line::styled(format!("pid {pid}: {e}"), theme::warn());
            f.render_widget(Paragraph::new(line), inner);
            return;
        }
        View::Map(map) if map.mappings.is_empty() => {
            f.render_widget(
                note(format!(
                    "pid {}: no mappings (a kernel thread has no user address space)",
                    map.pid
                )),
                inner,
            );
            return;
        }
        View::Map(map) => map,
    };
    let index = RowIndex::new(map);
    let list_rows = usize::from(inner.height.saturating_sub(LIST_TOP - 1));
    let (cursor, offset) = cursor_and_offset(app, index.len(), list_rows);
    let selected = index.row(map, cursor).map(|r| r.start());
    let w = usize::from(inner.width);
    let cols = Columns::fit(map, w);
    let mut lines = picture::picture(map, inner.width, selected);
    lines.push(cols.heading());
    for (n, row) in index.window(map, offset).take(list_rows) {
        let mut line = cols.line(map, &row);
        if n == cursor {
            line = theme::select_line(line, focused);
        }
        lines.push(line);
    }
    f.render_widget(Paragraph::new(lines), inner);
}
