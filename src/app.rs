//! The app layer, the dashboard's model: state (pure data), keys (the one table of key
//! bindings) and keymap (key -> Command), update (pure state changes that may ask for an
//! Effect), the geometry of the screen, and the poller thread (the only part of the
//! dashboard that reads the kernel). The terminal and its run loop are in `crate::tui`, the
//! views in `crate::ui` (docs/ARCHITECTURE.md).

pub mod action_keys;
pub mod config;
pub mod dialogs;
mod filter;
pub mod geometry;
mod keymap;
pub mod keys;
mod line_input;
pub mod panes;
pub mod poller;
pub mod replay;
pub mod replay_keys;
pub mod selection;
pub mod state;
pub mod theme;
pub mod timeline;
pub mod tour;
pub mod update;

pub use keymap::Command;
pub use state::AppState;
