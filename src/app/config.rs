//! The config file's pure part: its text parsed into a [`Config`] (every error with its line
//! and key: `parse`), the defaults, the file written back (`render`: the commented default
//! file, or the settings in force), and a config put into the dashboard's state (`apply`).
//! No file is read or written here: where the file is and reading it are the commands
//! layer's (docs/ARCHITECTURE.md, "The config file").

mod commands;
mod error;
mod parse;
mod render;
mod schema;

pub use commands::{COMMANDS, command_by_name};
pub use error::ConfigError;
pub use parse::parse;

use super::geometry::PaneSizes;
use super::keys::KeyTable;
use super::panes::processes::Column;
use super::state::{AppState, PaneId};
use super::theme::{Slot, Theme, ThemeName};
use ratatui::style::Color;

/// Everything the file sets, defaults filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Between two refreshes (0.1 s to an hour, as `--interval` takes it).
    pub interval_ms: u64,
    /// Every action refused (`--readonly`).
    pub readonly: bool,
    pub layout: StartLayout,
    pub processes: ProcessTable,
    pub theme: ThemeConfig,
    /// The table's keys with the file's rebindings.
    pub keys: KeyTable,
}

/// The screen at start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StartLayout {
    /// The pane focused: the table below, or one of the others.
    pub focus: PaneId,
    /// Which table is in the top left: the process table or the containers pane.
    pub table: PaneId,
    /// The timeline shown from the start.
    pub timeline: bool,
    pub zoom: bool,
    pub sizes: PaneSizes,
}

/// The process table at start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessTable {
    pub columns: Vec<Column>,
    pub sort: Column,
    pub descending: bool,
    pub tree: bool,
    pub show_kernel_threads: bool,
}

/// The theme the file names, and the colours it overrides (in [`Slot::ALL`] order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThemeConfig {
    pub name: ThemeName,
    pub colors: Vec<(Slot, Color)>,
}

impl ThemeConfig {
    /// The theme in force: the named one with the overrides.
    pub fn theme(&self) -> Theme {
        let mut theme = Theme::named(self.name);
        for (slot, color) in &self.colors {
            theme.set(*slot, *color);
        }
        theme
    }
}

impl Default for Config {
    /// The dashboard as it is without a file: what `AppState::new` starts with.
    fn default() -> Self {
        let table = super::panes::ProcessesState::default();
        Config {
            interval_ms: 1000,
            readonly: false,
            layout: StartLayout {
                focus: PaneId::Processes,
                table: PaneId::Processes,
                timeline: false,
                zoom: false,
                sizes: PaneSizes::default(),
            },
            processes: ProcessTable {
                columns: table.columns,
                sort: table.sort,
                descending: table.descending,
                tree: table.tree,
                show_kernel_threads: table.show_kernel_threads,
            },
            theme: ThemeConfig {
                name: ThemeName::Default,
                colors: Vec::new(),
            },
            keys: KeyTable::default(),
        }
    }
}

/// The columns by the names the file gives them, in the table's order.
pub const COLUMN_NAMES: [(&str, Column); 10] = [
    ("pid", Column::Pid),
    ("user", Column::User),
    ("state", Column::State),
    ("cpu", Column::Cpu),
    ("rss", Column::Rss),
    ("threads", Column::Threads),
    ("ctxt", Column::Ctxt),
    ("ns", Column::Ns),
    ("cgroup", Column::Cgroup),
    ("command", Column::Command),
];

/// The panes `layout.focus` names besides `table` (the table shown).
pub const FOCUS_NAMES: [(&str, PaneId); 4] = [
    ("memory_map", PaneId::MemoryMap),
    ("namespaces", PaneId::Namespaces),
    ("cgroups", PaneId::Cgroups),
    ("timeline", PaneId::Events),
];

/// The tables `layout.table` names.
pub const TABLE_NAMES: [(&str, PaneId); 2] = [
    ("processes", PaneId::Processes),
    ("containers", PaneId::Containers),
];

pub fn column_name(col: Column) -> &'static str {
    COLUMN_NAMES
        .iter()
        .find(|(_, c)| *c == col)
        .map_or("?", |(name, _)| name)
}

impl Config {
    /// Puts the settings into a dashboard's fresh state (before its first snapshot). The
    /// interval is the poller's, which the caller starts with [`Config::interval_ms`].
    pub fn apply(&self, app: &mut AppState) {
        app.readonly = self.readonly;
        app.keys = self.keys.clone();
        app.theme = self.theme.theme();
        app.sizes = self.layout.sizes;
        app.zoomed = self.layout.zoom;
        app.timeline.shown = app.timeline.shown || self.layout.timeline;
        super::update::focus(app, self.layout.table);
        super::update::focus(app, self.layout.focus);
        let p = &self.processes;
        app.processes.columns = p.columns.clone();
        app.processes.sort = p.sort;
        app.processes.descending = p.descending;
        app.processes.tree = p.tree;
        app.processes.show_kernel_threads = p.show_kernel_threads;
    }

    /// The commented file of these settings: every key with its value and one line
    /// saying what it does. Of the defaults, the default file; parsed, it gives these
    /// settings back.
    pub fn render(&self) -> String {
        render::render(self)
    }
}

/// The default file (`boxtop config --default`).
pub fn default_file() -> String {
    Config::default().render()
}

#[cfg(test)]
mod tests;
