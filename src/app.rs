//! The dashboard: state (pure data), keys (the one table of key bindings) and keymap
//! (key -> Command), update (pure state changes that may ask for an Effect), the poller
//! thread, and the run loop that owns the terminal.

pub mod act;
pub mod dialogs;
pub mod filter;
pub mod keymap;
pub mod keys;
pub mod panes;
pub mod poller;
pub mod run;
pub mod state;
pub mod update;

pub use state::AppState;
