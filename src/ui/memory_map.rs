//! The Memory map pane: a picture of the address space over the list of mappings, the
//! "not used" holes of user space and where user space ends; or (`v`) the holes alone,
//! biggest first.

mod list;
mod picture;

use crate::app::panes::memory_map::rows::{Row, RowIndex};
use crate::app::panes::memory_map::{MapView, by_size, cursor_and_offset};
use crate::app::state::AppState;
use crate::model::{MemoryMap, NoMappings};
use crate::text::format_bytes;
use crate::ui::theme;
use list::Columns;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

/// The first row of the list: border, the picture, the column headings.
pub(super) const LIST_TOP: u16 = crate::app::geometry::MAP_LIST_TOP;

/// What the pane has to show.
enum View<'a> {
    NoSelection,
    Exited(i32),
    Loading(i32),
    Failed(i32, &'a str),
    /// A map with no mappings, and why the process has none (from its row).
    Empty(i32, NoMappings),
    Map(&'a MemoryMap),
}

fn view(app: &AppState) -> View<'_> {
    let Some((pid, _)) = app.processes.selected else {
        return View::NoSelection;
    };
    let Some(row) = app.selected_process() else {
        return View::Exited(pid);
    };
    match app.selected_map() {
        None => View::Loading(pid),
        Some(Err(e)) => View::Failed(pid, e),
        Some(Ok(map)) if map.mappings.is_empty() => {
            View::Empty(map.pid, NoMappings::of(row.kernel_thread, row.state))
        }
        Some(Ok(map)) => View::Map(map),
    }
}

/// The title, with as much as fits in `width`: the totals matter more than the count.
fn title(app: &AppState, width: usize) -> String {
    let map = match view(app) {
        View::Map(map) => map,
        View::Empty(pid, _) => return format!(" 2 Memory map · pid {pid} · 0 mappings "),
        _ => return " 2 Memory map ".into(),
    };
    let head = format!(" 2 Memory map · pid {}", map.pid);
    let count = match app.memory_map.view {
        MapView::Address => format!(" · {} mappings", map.mappings.len()),
        MapView::GapsBySize => format!(
            " · not used, biggest first: {} gaps, {}",
            map.gaps.len(),
            format_bytes(map.not_used_bytes())
        ),
    };
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
    // Wrapped: the sentence of an empty map is longer than the pane is wide.
    let note =
        |text: String| Paragraph::new(Line::styled(text, theme::dim())).wrap(Wrap { trim: true });
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
        View::Empty(pid, why) => {
            f.render_widget(note(why.sentence(pid)), inner);
            return;
        }
        View::Map(map) => map,
    };
    let view = app.memory_map.view;
    let list_rows = usize::from(inner.height.saturating_sub(LIST_TOP - 1));
    let w = usize::from(inner.width);
    let cols = Columns::fit(map, w, view);
    let index = RowIndex::new(map);
    let len = match view {
        MapView::Address => index.len(),
        MapView::GapsBySize => by_size::len(map),
    };
    let (cursor, offset) = cursor_and_offset(app, len, list_rows);
    let window: Box<dyn Iterator<Item = (usize, Row<'_>)>> = match view {
        MapView::Address => Box::new(index.window(map, offset)),
        MapView::GapsBySize => Box::new(by_size::window(map, offset)),
    };
    let selected = match view {
        MapView::Address => index.row(map, cursor),
        MapView::GapsBySize => by_size::row(map, cursor),
    };
    let mut lines = picture::picture(map, inner.width, selected.map(|r| r.start()));
    lines.push(cols.heading());
    for (n, row) in window.take(list_rows) {
        let mut line = cols.line(map, &row);
        if n == cursor {
            line = theme::select_line(line, focused);
        }
        lines.push(line);
    }
    f.render_widget(Paragraph::new(lines), inner);
}
