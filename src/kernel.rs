//! The only code that touches /proc and /sys/fs/cgroup (docs/ARCHITECTURE.md, "Layers").
//!
//! Every path comes from [`Roots`], so that every reader can run on a fixture tree. Besides
//! the kernel's files, the layer does the rest of the file I/O but the recordings': the
//! user's config file (`user_file`).

pub mod broken_pipe;
pub mod cgroupfs;
pub mod clock;
mod error;
pub mod kept_file;
pub mod maps;
pub mod namespaces;
pub mod net_dev;
pub mod own_usage;
pub mod pingpong;
pub mod proc_events;
pub mod procs;
pub mod roots;
pub mod runtime_names;
pub mod runtime_tools;
pub mod scratch_root;
pub mod spawn;
pub mod stop_signals;
pub mod taskstats;
pub mod terminal;
pub mod tour_facts;
pub mod uptime;
pub mod user_file;

pub use error::KernelError;
pub use roots::Roots;
