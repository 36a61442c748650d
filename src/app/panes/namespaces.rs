//! The namespace pane: the selected process's namespaces, or all of the host's.

use crate::app::keymap::Command;
use crate::app::state::AppState;
use crate::app::update::Effect;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum NsView {
    /// The selected process's namespaces, one row per type.
    #[default]
    Process,
    /// Every namespace of the host, like lsns.
    Host,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NsPaneState {
    pub view: NsView,
    pub cursor: usize,
    pub offset: usize,
    /// Enter on a row of the process view: list the processes sharing it.
    pub show_members: bool,
    pub page: usize,
}

/// Keys for the focused namespace pane.
pub fn handle(app: &mut AppState, cmd: &Command) -> Vec<Effect> {
    match cmd {
        Command::ToggleView => {
            app.ns.view = match app.ns.view {
                NsView::Process => NsView::Host,
                NsView::Host => NsView::Process,
            };
            app.ns.cursor = 0;
            app.ns.offset = 0;
        }
        _ => {
            let len = 10;
            if let Some(c) = crate::app::panes::move_cursor(app.ns.cursor, len, app.ns.page, cmd) {
                app.ns.cursor = c;
            }
        }
    }
    Vec::new()
}
