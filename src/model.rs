//! The model layer: plain data (serde) that the kernel readers produce and the views
//! consume, with small pure functions of it. It reads nothing.
//!
//! Every string in here has already been through [`crate::text::display_safe`]: the model is
//! the boundary where untrusted kernel text becomes safe to print (docs/ARCHITECTURE.md,
//! "Untrusted text").

mod cgroup;
mod cmdline;
mod container;
mod event;
pub mod host;
mod memory_map;
mod namespace;
pub mod ns_marks;
mod nspid;
pub mod process;
mod snapshot;
pub mod thread;
pub mod when;

pub use cgroup::*;
pub use cmdline::CmdLine;
pub use container::*;
pub use event::{EventKind, KernelEvent};
pub use memory_map::*;
pub use namespace::*;
pub use nspid::NsPids;
pub use process::*;
pub use snapshot::*;
pub use thread::{ProcThreads, ThreadRow, Wchan};

use serde::{Deserialize, Serialize};

/// How a piece of kernel data could be read. Absent data is never shown as zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Access {
    #[default]
    Ok,
    /// EACCES/EPERM: the file exists but we may not read it (not root, or a locked-down pid 1).
    Denied,
    /// ENOENT/ESRCH: the process or cgroup went away while we read it.
    Gone,
    /// Not read, by choice: `boxtop serve` reads a cgroup's member list only where a
    /// metric needs it.
    NotRead,
}

impl Access {
    pub fn is_ok(&self) -> bool {
        *self == Access::Ok
    }
}
