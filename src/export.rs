//! The export layer: `boxtop serve`, the metrics of containers, cgroups and namespaces in
//! Prometheus's text format over a small HTTP server (docs/metrics.md). It reads the kernel
//! only through `collect`, in one thread of its own.

pub mod exposition;
pub mod http;
pub mod metrics;
pub mod serve;

pub use serve::{ServeRequest, run_serve};
