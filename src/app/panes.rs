//! Per-pane state and key handling. Each pane's view is in `crate::ui`.

pub mod cgroups;
pub mod map;
pub mod namespaces;
pub mod procs;

pub use cgroups::CgroupPaneState;
pub use map::MapPaneState;
pub use namespaces::NsPaneState;
pub use procs::ProcTableState;

/// Moves a cursor within `len` rows by a navigation command; `page` is the rows on screen.
/// Returns the new cursor, or None if the command is not a movement.
pub fn move_cursor(
    cursor: usize,
    len: usize,
    page: usize,
    cmd: &crate::app::keymap::Command,
) -> Option<usize> {
    use crate::app::keymap::Command::*;
    let last = len.saturating_sub(1);
    let page = page.max(1);
    let c = match cmd {
        Up | ScrollUp { .. } => cursor.saturating_sub(1),
        Down | ScrollDown { .. } => (cursor + 1).min(last),
        PageUp => cursor.saturating_sub(page),
        PageDown => (cursor + page).min(last),
        Home => 0,
        End => last,
        _ => return None,
    };
    Some(c.min(last))
}

/// Keeps `cursor` on screen: the first row to draw, given the previous one.
pub fn scroll_to(offset: usize, cursor: usize, page: usize) -> usize {
    let page = page.max(1);
    if cursor < offset {
        cursor
    } else if cursor >= offset + page {
        cursor + 1 - page
    } else {
        offset
    }
}
