//! /proc/PID/maps, smaps and smaps_rollup of one process, with our own byte-level parsers.
//! See proc_pid_maps(5), proc_pid_smaps(5).

use super::{KernelError, Roots};
use crate::model::MemoryMap;

/// Reads the address space of `pid` (whose start time the caller has read from stat).
pub fn read_memory_map(
    _roots: &Roots,
    pid: i32,
    _start_time_ticks: u64,
) -> Result<MemoryMap, KernelError> {
    // Placeholder until the maps reader lands.
    Err(KernelError::NoSuchProcess { pid })
}
