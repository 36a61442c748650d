//! The cgroup pane: a collapsible tree per hierarchy.

use crate::app::keymap::Command;
use crate::app::state::AppState;
use crate::app::update::Effect;
use std::collections::BTreeSet;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CgroupPaneState {
    pub cursor: usize,
    pub offset: usize,
    /// Collapsed cgroups, by (hierarchy id, path).
    pub collapsed: BTreeSet<(u32, String)>,
    pub page: usize,
}

/// Keys for the focused cgroup pane.
pub fn handle(app: &mut AppState, cmd: &Command) -> Vec<Effect> {
    let _ = (app, cmd);
    Vec::new()
}

/// Opens the tree to the selected process's cgroups (its ancestors are expanded).
pub fn reveal_selected(app: &mut AppState) {
    let _ = app;
}
