//! Hand-made memory maps for unit tests of the layers above (the map pane's rows, its
//! picture, its explanations).

use crate::model::{Access, Mapping, MappingKind, MemoryMap};

pub(crate) fn mapping(start: u64, end: u64, kind: MappingKind, path: Option<&str>) -> Mapping {
    Mapping {
        kind,
        path: path.map(str::to_string),
        ..crate::kernel::maps::test_mapping(start, end)
    }
}

/// A map of these mappings, as on an architecture whose layout boxtop does not know: no end
/// of user space, the gaps between mappings only, largest first. [`placed`] places it.
pub(crate) fn map_of(mappings: Vec<Mapping>) -> MemoryMap {
    let gaps = crate::kernel::maps::gaps::gaps(&mappings, None);
    MemoryMap {
        pid: 42,
        start_time_ticks: 1,
        mappings,
        gaps,
        user_space: None,
        totals: None,
        smaps_access: Access::Ok,
        smaps_read: false,
        totals_access: Access::Ok,
    }
}

/// Anonymous pages at these (start, end) pairs.
pub(crate) fn anon(ranges: &[(u64, u64)]) -> MemoryMap {
    map_of(
        ranges
            .iter()
            .map(|&(s, e)| mapping(s, e, MappingKind::Anonymous, None))
            .collect(),
    )
}

/// The map placed in an x86-64 address space, as the reader does on x86-64 (whatever the
/// architecture the tests run on): the end of user space, the kernel's half, the gaps to
/// the top.
pub(crate) fn placed(mut map: MemoryMap) -> MemoryMap {
    crate::kernel::maps::user_space::place_for(
        crate::kernel::maps::user_space::Arch::X86_64,
        &mut map,
    );
    map
}

/// A classic little process on x86-64: text, data, heap, a library, anonymous, stack, vdso
/// and the kernel's `[vsyscall]` page.
pub(crate) fn classic() -> MemoryMap {
    use MappingKind::*;
    placed(map_of(vec![
        mapping(0x1000, 0x3000, Text, Some("/bin/prog")),
        mapping(0x3000, 0x4000, Data, Some("/bin/prog")),
        mapping(0x10000, 0x30000, Heap, Some("[heap]")),
        mapping(
            0x7f00_0000_0000,
            0x7f00_0010_0000,
            Library,
            Some("/lib/libc.so.6"),
        ),
        mapping(0x7f00_0010_0000, 0x7f00_0011_0000, Anonymous, None),
        mapping(0x7ffc_0000_0000, 0x7ffc_0002_1000, Stack, Some("[stack]")),
        mapping(0x7ffc_0010_0000, 0x7ffc_0010_2000, Special, Some("[vdso]")),
        mapping(
            0xffff_ffff_ff60_0000,
            0xffff_ffff_ff60_1000,
            Special,
            Some("[vsyscall]"),
        ),
    ]))
}

/// 60,000 one-page anonymous mappings with a one-page hole after every 100th.
pub(crate) fn huge() -> MemoryMap {
    let mut ranges = Vec::with_capacity(60_000);
    let mut addr: u64 = 0x7f00_0000_0000;
    for i in 0..60_000u64 {
        ranges.push((addr, addr + 4096));
        addr += 4096;
        if i % 100 == 99 {
            addr += 4096;
        }
    }
    anon(&ranges)
}
