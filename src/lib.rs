//! boxtop: a live terminal dashboard of Linux processes, memory maps, namespaces and cgroups.
//!
//! Data flows `kernel` (readers, behind `Roots`) -> `model` (plain data, the collector)
//! -> `report` (headless text and JSON). See DESIGN.md.

pub mod actions;
pub mod app;
pub mod cli;
pub mod kernel;
pub mod malloc_tuning;
pub mod model;
pub mod report;
pub mod text;
pub mod ui;
