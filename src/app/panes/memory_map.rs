//! The memory map pane: scrolling through mappings and "not used" gaps in address order, or
//! through the gaps alone, biggest first (`v`).

pub mod by_size;
pub mod rows;

use crate::app::keymap::Command;
use crate::app::state::AppState;
use crate::app::update::Effect;
use crate::model::MemoryMap;
use rows::{Row, RowIndex};

/// Which list the pane shows under its picture.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum MapView {
    /// Mappings and gaps in address order, the end of user space, the kernel's half.
    #[default]
    Address,
    /// The gaps of user space alone, biggest first: the talk's "NOT USED" table.
    GapsBySize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemoryMapState {
    pub view: MapView,
    /// Selected row of the view shown.
    pub cursor: usize,
    pub offset: usize,
    /// Rows that fit on screen (set by the run loop from the layout).
    pub page: usize,
}

/// Rows of `map` in `view`.
pub fn rows_in(map: &MemoryMap, view: MapView) -> usize {
    match view {
        MapView::Address => RowIndex::new(map).len(),
        MapView::GapsBySize => by_size::len(map),
    }
}

/// Row `n` of `map` in `view`.
pub fn row_in(map: &MemoryMap, view: MapView, n: usize) -> Option<Row<'_>> {
    match view {
        MapView::Address => RowIndex::new(map).row(map, n),
        MapView::GapsBySize => by_size::row(map, n),
    }
}

/// Rows of the selected process's map in the view shown: in address order every mapping,
/// one per hole and the end of user space; by size one per hole.
pub fn row_count(app: &AppState) -> usize {
    app.selected_map()
        .and_then(|m| m.as_ref().ok())
        .map(|m| rows_in(m, app.memory_map.view))
        .unwrap_or(0)
}

/// The selected row and the first row on screen, kept consistent with the map as it is
/// now (the state's cursor may be from a longer map, or a click below the last row).
pub fn cursor_and_offset(app: &AppState, len: usize, rows: usize) -> (usize, usize) {
    let cursor = app.memory_map.cursor.min(len.saturating_sub(1));
    let offset = crate::app::panes::scroll_to(app.memory_map.offset, cursor, rows, len);
    (cursor, offset)
}

/// The selected row of the selected process's map, if there is one.
pub fn selected_row(app: &AppState) -> Option<(&MemoryMap, Row<'_>)> {
    // A process that has exited has no rows to explain, even while its last map is kept.
    app.selected_process()?;
    let map: &MemoryMap = app.selected_map()?.as_ref().ok()?;
    let view = app.memory_map.view;
    let (cursor, _) = cursor_and_offset(app, rows_in(map, view), app.memory_map.page);
    Some((map, row_in(map, view, cursor)?))
}

/// `v`: the other view, on the same gap when a gap is selected (else at the top).
fn toggle_view(app: &mut AppState) {
    let selected = selected_row(app).and_then(|(map, row)| match row {
        Row::Gap { start, .. } => Some((map, start)),
        _ => None,
    });
    let view = match app.memory_map.view {
        MapView::Address => MapView::GapsBySize,
        MapView::GapsBySize => MapView::Address,
    };
    let cursor = selected
        .and_then(|(map, start)| match view {
            MapView::Address => RowIndex::new(map).row_of_gap(map, start),
            MapView::GapsBySize => by_size::row_of_gap(map, start),
        })
        .unwrap_or(0);
    app.memory_map.view = view;
    app.memory_map.cursor = cursor;
    app.memory_map.offset = 0;
    let len = row_count(app);
    app.memory_map.offset = crate::app::panes::scroll_to(0, cursor, app.memory_map.page, len);
}

/// Keys (and the wheel) for the memory map pane.
pub fn handle(app: &mut AppState, cmd: &Command) -> Vec<Effect> {
    if *cmd == Command::ToggleView {
        toggle_view(app);
        return Vec::new();
    }
    let len = row_count(app);
    let cursor = app.memory_map.cursor.min(len.saturating_sub(1));
    if let Some(c) = crate::app::panes::move_cursor(cursor, len, app.memory_map.page, cmd) {
        app.memory_map.cursor = c;
        app.memory_map.offset =
            crate::app::panes::scroll_to(app.memory_map.offset, c, app.memory_map.page, len);
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::state::MapData;
    use crate::kernel::maps::test_map::{map_of, mapping};
    use crate::model::MappingKind;
    use std::sync::Arc;

    /// An app whose selection is a made-up pid with `n` one-page mappings, a hole after each
    /// 10th. No snapshot is needed: `selected_map` only compares the selection.
    fn app_with(n: u64) -> AppState {
        let mut app = AppState::new(1000);
        let id = (7, 1);
        app.processes.selected = Some(id);
        let mut mappings = Vec::new();
        let mut addr = 0x1000u64;
        for i in 0..n {
            mappings.push(mapping(addr, addr + 0x1000, MappingKind::Anonymous, None));
            addr += 0x1000;
            if i % 10 == 9 {
                addr += 0x1000; // a one-page hole
            }
        }
        let mut map = map_of(mappings);
        map.pid = 7;
        app.map_data = Some(MapData {
            for_proc: id,
            map: Ok(Arc::new(map)),
        });
        app.memory_map.page = 5;

        app
    }

    #[test]
    fn len_counts_mappings_and_interior_gaps() {
        assert_eq!(row_count(&app_with(30)), 32);
        assert_eq!(row_count(&app_with(10)), 10);
        assert_eq!(row_count(&AppState::new(1000)), 0);
    }

    #[test]
    fn keys_and_wheel_scroll_within_the_rows() {
        let mut app = app_with(30);
        handle(&mut app, &Command::End);
        assert_eq!((app.memory_map.cursor, app.memory_map.offset), (31, 27));
        handle(&mut app, &Command::Down);
        assert_eq!(app.memory_map.cursor, 31, "stays on the last row");
        handle(&mut app, &Command::PageUp);
        assert_eq!((app.memory_map.cursor, app.memory_map.offset), (26, 26));
        handle(&mut app, &Command::ScrollUp { col: 0, row: 0 });
        assert_eq!((app.memory_map.cursor, app.memory_map.offset), (25, 25));
        handle(&mut app, &Command::Home);
        assert_eq!((app.memory_map.cursor, app.memory_map.offset), (0, 0));
        handle(&mut app, &Command::PageDown);
        handle(&mut app, &Command::ScrollDown { col: 0, row: 0 });
        assert_eq!((app.memory_map.cursor, app.memory_map.offset), (6, 2));
    }

    #[test]
    fn a_cursor_left_from_a_longer_map_comes_back_in_range() {
        let mut app = app_with(3);
        app.memory_map.cursor = 500;
        app.memory_map.offset = 490;
        handle(&mut app, &Command::Up);
        // The three rows fit on the page: all of them show.
        assert_eq!((app.memory_map.cursor, app.memory_map.offset), (1, 0));
    }
}
