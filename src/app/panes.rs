//! Per-pane state and key handling. Each pane's view is in `crate::ui`.

pub mod cgroups;
pub mod containers;
pub mod memory_map;
pub mod namespaces;
pub mod processes;
pub mod timeline;

pub use cgroups::CgroupsState;
pub use containers::ContainersState;
pub use memory_map::MemoryMapState;
pub use namespaces::NamespacesState;
pub use processes::ProcessesState;

/// Rebuilds the rows of both tables (a new snapshot, a new filter): the processes first,
/// then the containers, whose pane (while shown) picks the process the others describe.
pub fn refresh_rows(app: &mut crate::app::state::AppState) {
    processes::recompute(app);
    containers::recompute(app);
}

/// The column after (`forward`) or before `current` in `all`, wrapping round: what the sort
/// keys step through.
pub fn step_column<T: Copy + PartialEq>(all: &[T], current: T, forward: bool) -> T {
    let n = all.len().max(1);
    let i = all.iter().position(|c| *c == current).unwrap_or(0);
    let next = if forward {
        (i + 1) % n
    } else {
        (i + n - 1) % n
    };
    all.get(next).copied().unwrap_or(current)
}

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

/// Keeps `cursor` on screen: the first row to draw, given the previous one, for a list of
/// `len` rows. The offset never leaves the page part empty when there are rows above it
/// (a filter can shorten the list under a scrolled pane).
pub fn scroll_to(offset: usize, cursor: usize, page: usize, len: usize) -> usize {
    let page = page.max(1);
    let offset = offset.min(len.saturating_sub(page));
    if cursor < offset {
        cursor
    } else if cursor >= offset + page {
        cursor + 1 - page
    } else {
        offset
    }
}

#[cfg(test)]
mod tests {
    use super::scroll_to;

    #[test]
    fn scrolling_keeps_the_cursor_on_screen_and_the_page_full() {
        assert_eq!(scroll_to(0, 5, 10, 100), 0);
        assert_eq!(scroll_to(0, 12, 10, 100), 3, "down past the page");
        assert_eq!(scroll_to(20, 12, 10, 100), 12, "up past the top");
        // The list shrank under a scrolled pane: no empty page with rows above it.
        assert_eq!(scroll_to(40, 1, 10, 2), 0);
        assert_eq!(scroll_to(40, 14, 10, 15), 5);
        assert_eq!(scroll_to(3, 0, 0, 0), 0);
    }
}
