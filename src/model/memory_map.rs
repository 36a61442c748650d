//! The address space of one process: /proc/PID/maps joined with smaps, plus the gaps, and
//! where its user space ends.

mod no_mappings;
mod user_space;

pub use no_mappings::NoMappings;
pub use user_space::{UserSpace, UserSpaceRule};

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
    /// Kernel-provided inside user space: `[vdso]`, `[vvar]`, `[uprobes]` and other
    /// bracketed names.
    Special,
    /// A page the kernel maps in its own half, above the end of user space, and lists in
    /// the process's maps: x86-64's `[vsyscall]`, kept for old binaries. Not a user mapping:
    /// no gap is counted up to it.
    KernelHalf,
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
            MappingKind::KernelHalf => "kernel",
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

/// An unmapped range of user space: between two mappings, or from the last one up to the end
/// of user space (the talk's "NOT USED" rows).
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
    /// Inside user space only, largest first (then by address): see `kernel::maps::gaps`.
    pub gaps: Vec<Gap>,
    /// Where user space ends; None where boxtop does not know the architecture's layout
    /// (then the gaps are those between mappings, and nothing is said of an end), and in
    /// recordings made before it was known (`kernel::maps::place_in_address_space` works it
    /// out again for them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_space: Option<UserSpace>,
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
    /// How many of the mappings lie in user space (they come first: the list is ascending).
    /// All of them when the end of user space is not known.
    pub fn user_mapping_count(&self) -> usize {
        match self.user_space {
            Some(u) => self.mappings.partition_point(|m| m.start < u.top),
            None => self.mappings.len(),
        }
    }

    /// The mappings in user space, lowest first.
    pub fn user_mappings(&self) -> &[Mapping] {
        self.mappings
            .get(..self.user_mapping_count())
            .unwrap_or_default()
    }

    /// Bytes mapped in user space (the kernel's half left out).
    pub fn mapped_user_bytes(&self) -> u64 {
        self.user_mappings().iter().map(|m| m.size_bytes).sum()
    }

    /// Bytes of user space in no mapping: the sum of the gaps.
    pub fn not_used_bytes(&self) -> u64 {
        self.gaps.iter().map(|g| g.size_bytes).sum()
    }

    /// The range the gaps and the user mappings cover together: from the lowest mapping to
    /// the end of user space (to the last mapping's end where that is not known). So
    /// `mapped_user_bytes() + not_used_bytes() == end - start` (see `kernel::maps::gaps`).
    /// Below the lowest mapping nothing is counted: the first pages are never mappable
    /// (vm.mmap_min_addr), and the rest is where the program was not loaded.
    pub fn user_span(&self) -> Option<(u64, u64)> {
        let user = self.user_mappings();
        let start = user.first()?.start;
        let end = match self.user_space {
            Some(u) => u.top,
            None => user.last()?.end,
        };
        Some((start, end))
    }

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
