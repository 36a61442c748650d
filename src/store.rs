//! Record and replay: samples of what boxtop saw, written to a directory of per-day parts
//! and read back by time. The format is documented in docs/recording-format.md; this layer
//! holds the bytes (`format`), the files (`parts`, `writer`, `reader`) and what a sample is
//! (`sample`). It is the only layer besides `kernel` that touches files, and it never reads
//! the kernel.

pub mod format;
pub mod parts;
pub mod reader;
pub mod sample;
pub mod writer;

pub use reader::Recording;
pub use writer::{WriteOptions, Writer};

#[cfg(test)]
mod tests;
