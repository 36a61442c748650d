//! The address space of one process: /proc/PID/maps joined with smaps, plus the gaps.

use super::Access;
use serde::{Deserialize, Serialize};

/// What a mapping is, as a teacher would name it on a picture of the address space.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MappingKind {
    /// The executable's own code (file is /proc/PID/exe, executable).
    Text,
    /// The executable's own read-only and read-write data (file is /proc/PID/exe, not x).
    Data,
    /// `[heap]`: the brk area.
    Heap,
    /// Anonymous memory (malloc arenas, thread stacks, mmap(MAP_ANONYMOUS)).
    Anonymous,
    /// A shared library (`*.so*`, or any other executable file mapping).
    Library,
    /// A mapped file that is neither the program nor a library.
    File,
    /// Shared memory: System V (`/SYSV...`), `/dev/shm`, memfd.
    Shared,
    /// `[stack]`: the main thread's stack.
    Stack,
    /// Kernel-provided: `[vdso]`, `[vvar]`, `[vsyscall]` and other bracketed names.
    Special,
}

impl MappingKind {
    /// A short word for a kind, as the map pane's list and legend show it.
    pub fn word(self) -> &'static str {
        match self {
            MappingKind::Text => "text",
            MappingKind::Data => "data",
            MappingKind::Heap => "heap",
            MappingKind::Anonymous => "anon",
            MappingKind::Library => "lib",
            MappingKind::File => "file",
            MappingKind::Shared => "shm",
            MappingKind::Stack => "stack",
            MappingKind::Special => "special",
        }
    }
}

/// One line of /proc/PID/maps (see proc_pid_maps(5)), with its smaps counters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mapping {
    pub start: u64,
    pub end: u64,
    pub size_bytes: u64,
    /// `rwxp` / `r--s` as the kernel prints them.
    pub perms: String,
    pub offset: u64,
    /// `major:minor` in hex, as printed.
    pub dev: String,
    pub inode: u64,
    /// Path or pseudo-name, display-safe, without the ` (deleted)` suffix. None if anonymous.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The kernel appended ` (deleted)`: the file was unlinked after mapping.
    pub deleted: bool,
    pub kind: MappingKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rss_bytes: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pss_bytes: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub swap_bytes: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anonymous_bytes: Option<u64>,
}

/// An unmapped range between two mappings (the talk's "NOT USED" rows).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gap {
    pub start: u64,
    pub end: u64,
    pub size_bytes: u64,
}

/// Totals from /proc/PID/smaps_rollup.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemoryTotals {
    pub rss_bytes: u64,
    pub pss_bytes: u64,
    pub swap_bytes: u64,
    pub anonymous_bytes: u64,
    pub shared_clean_bytes: u64,
    pub shared_dirty_bytes: u64,
    pub private_clean_bytes: u64,
    pub private_dirty_bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemoryMap {
    pub pid: i32,
    pub start_time_ticks: u64,
    /// Ascending by address.
    pub mappings: Vec<Mapping>,
    /// Largest first.
    pub gaps: Vec<Gap>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub totals: Option<MemoryTotals>,
    /// Whether per-mapping counters (smaps) could be read; maps alone may be readable when
    /// smaps is not.
    pub smaps_access: Access,
    /// True once smaps has been read into the per-mapping counters. They are filled in a
    /// second, slower step (`kernel::maps::fill_smaps_counters`); until then they are `None`
    /// with `smaps_access == Ok`, which this flag tells apart from "the kernel gave none".
    pub smaps_read: bool,
    pub totals_access: Access,
}

impl MemoryMap {
    /// A per-mapping smaps counter as text: why it is missing (smaps denied, the process
    /// gone, not read yet, no such line), or its size.
    pub fn counter_text(&self, v: Option<u64>) -> String {
        match (self.smaps_access, self.smaps_read, v) {
            (Access::Denied, _, _) => "denied".into(),
            (Access::Gone, _, _) => "gone".into(),
            (Access::Ok, false, _) | (Access::NotRead, _, _) => "…".into(),
            (Access::Ok, true, Some(v)) => crate::text::format_bytes(v),
            (Access::Ok, true, None) => "—".into(),
        }
    }
}
