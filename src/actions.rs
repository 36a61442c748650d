//! The actions layer: requests to change the kernel (freeze, limits, moves, signals, a
//! command in new namespaces), aimed at a domain [`Target`], validated by boxtop, and turned
//! into a [`plan::Plan`] that shows every write before it is made. Parsing and validation
//! live here; the writes themselves belong to `kernel` (docs/ARCHITECTURE.md, "Actions").

pub mod freeze;
pub mod kill;
pub mod limits;
pub mod migrate;
pub mod plan;
mod protect;
mod runtime_commands;
pub mod scratch_root;
pub mod set_limits;
mod target;
pub mod tour_cleanup;
pub mod unshare;

pub use target::{CgroupPath, Target};
