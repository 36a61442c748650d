//! The memory map pane: scrolling through mappings and "not used" gaps.

use crate::app::keymap::Command;
use crate::app::state::AppState;
use crate::app::update::Effect;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MapPaneState {
    /// Selected row (mappings and gaps interleaved, in address order).
    pub cursor: usize,
    pub offset: usize,
    /// Rows that fit on screen (set by the run loop from the layout).
    pub page: usize,
}

/// Keys for the focused memory map pane.
pub fn handle(app: &mut AppState, cmd: &Command) -> Vec<Effect> {
    let len = app
        .selected_map()
        .and_then(|m| m.as_ref().ok())
        .map(|m| m.mappings.len() + m.gaps.len())
        .unwrap_or(0);
    if let Some(c) = crate::app::panes::move_cursor(app.map.cursor, len, app.map.page, cmd) {
        app.map.cursor = c;
        app.map.offset = crate::app::panes::scroll_to(app.map.offset, c, app.map.page);
    }
    Vec::new()
}
