//! The namespace pane: the selected process's namespaces, or all of the host's.

use crate::app::keymap::Command;
use crate::app::state::AppState;
use crate::app::update::Effect;
use crate::model::NsKind;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum NsView {
    /// The selected process's namespaces, one row per type.
    #[default]
    Process,
    /// Every namespace of the host, like lsns.
    Host,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NamespacesState {
    pub view: NsView,
    pub cursor: usize,
    pub offset: usize,
    /// Enter on a row of the process view: list the processes sharing it.
    pub show_members: bool,
    pub page: usize,
}

/// Rows of the current view.
pub fn row_count(app: &AppState) -> usize {
    match app.namespaces.view {
        NsView::Process => NsKind::ALL.len(),
        NsView::Host => app.snapshot.as_ref().map_or(0, |s| s.namespaces.len()),
    }
}

/// The first row to draw: the stored offset, pulled up so that a short list does not leave
/// the pane half empty, and moved so that the cursor shows.
pub fn effective_offset(offset: usize, cursor: usize, len: usize, page: usize) -> usize {
    crate::app::panes::scroll_to(offset, cursor, page, len)
}

/// Keys for the focused namespace pane.
pub fn handle(app: &mut AppState, cmd: &Command) -> Vec<Effect> {
    let len = row_count(app);
    app.namespaces.cursor = app.namespaces.cursor.min(len.saturating_sub(1));
    match (cmd, app.namespaces.view) {
        (Command::ToggleView, view) => {
            app.namespaces.view = match view {
                NsView::Process => NsView::Host,
                NsView::Host => NsView::Process,
            };
            app.namespaces.cursor = 0;
            app.namespaces.offset = 0;
            app.namespaces.show_members = false;
            return Vec::new();
        }
        (Command::Enter, NsView::Process) => {
            app.namespaces.show_members = !app.namespaces.show_members;
        }
        (Command::Back, NsView::Process) => app.namespaces.show_members = false,
        (Command::Enter, NsView::Host) => {
            let target = app
                .snapshot
                .as_ref()
                .and_then(|s| s.namespaces.get(app.namespaces.cursor))
                .map(|e| format!("ns:{}:{}", e.kind.file_name(), e.inode));
            if let Some(f) = target {
                crate::app::panes::processes::apply_filter(app, &f);
            }
            return Vec::new();
        }
        _ => {
            if let Some(c) =
                crate::app::panes::move_cursor(app.namespaces.cursor, len, app.namespaces.page, cmd)
            {
                app.namespaces.cursor = c;
            }
        }
    }
    app.namespaces.offset = effective_offset(
        app.namespaces.offset,
        app.namespaces.cursor,
        len,
        app.namespaces.page,
    );
    Vec::new()
}
