//! boxtop: a live terminal dashboard of Linux processes, memory maps, namespaces and cgroups.
//!
//! The modules are the layers, lowest first; each imports only those below it (checked by
//! `tests/layers.rs`; the rules and the data flow are in docs/ARCHITECTURE.md):
//! `text` → `model` → `kernel` → `collect` → `actions`, `explain`, `report` → `app` → `ui`
//! → `tui` → `commands` (with `cli`).

pub mod malloc_tuning;
pub mod text;

pub mod model;

pub mod kernel;

pub mod collect;

pub mod actions;
pub mod explain;
pub mod export;
pub mod report;

pub mod store;

pub mod app;
pub mod ui;

pub mod tui;

pub mod cli;
pub mod commands;
