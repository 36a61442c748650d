//! Requests to change the kernel (freeze, limits, moves), validated by boxtop before anything
//! is written. Parsing lives here; the writes belong to `kernel::cgroupfs`.

pub mod command;
pub mod freeze;
pub mod kill;
pub mod limits;
pub mod migrate;
pub mod plan;
pub mod protect;
pub mod run;
