//! Where a process's user space ends, from a table of architectures and the process's own
//! mappings. Nothing is read: the mappings already say which layout the kernel gave it.
//!
//! x86-64 (<https://docs.kernel.org/arch/x86/x86_64/mm.html>, and
//! <https://docs.kernel.org/arch/x86/x86_64/5level-paging.html>):
//!
//! - With 4-level page tables user space is `0` to `0x7fffffffefff`: the kernel's
//!   `TASK_SIZE_MAX` is `(1 << 47) - PAGE_SIZE` (arch/x86/include/asm/page_64_types.h). The
//!   last page below `1 << 47` is a guard hole that nothing may map, because a SYSCALL at the
//!   highest canonical address would return to a non-canonical one, and SYSRET then faults
//!   in the kernel on Intel CPUs. From `0x800000000000` to `0xffff7fffffffffff` lies the
//!   non-canonical hole, and above it the kernel's half.
//! - With 5-level page tables it is 56 bits: `0` to `0xffffffffffefff`, the guard page at
//!   `0xfffffffffff000`. But the kernel maps a process above the 47-bit window only when
//!   the process asks, by passing mmap(2) an address hint above it; its stack and its
//!   default mmap area stay below `0x7ffffffff000`. So a mapping above the 47-bit window that
//!   is not in the kernel's half is what says 5-level. ("la57" in /proc/cpuinfo says the
//!   CPU can; boxtop does not read it, since until the process asks, 47 bits is the end
//!   its layout follows either way.)
//! - A 32-bit (ia32) or x32 process has `TASK_SIZE` = `IA32_PAGE_OFFSET` = `0xffffe000`
//!   (arch/x86/include/asm/processor.h), or `0xc0000000` under the ADDR_LIMIT_3GB
//!   personality, which its maps cannot show (boxtop assumes the usual one): every mapping
//!   lies below 4 GiB, where a 64-bit process always has its stack far above.
//! - `[vsyscall]` at `0xffffffffff600000` is a page of the kernel's half that the kernel
//!   lists in every 64-bit process's maps (the legacy vsyscall ABI, for old binaries). It is
//!   not user space, and no gap runs up to it.
//!
//! aarch64 (<https://docs.kernel.org/arch/arm64/memory.html>): `TASK_SIZE` is
//! `1 << VA_BITS` with no guard page, where VA_BITS is 36, 39, 42, 47, 48 or 52 as the kernel
//! was built (48 on most distributions). There is no vsyscall page. A 52-bit kernel, like
//! x86-64's 5-level one, maps above 48 bits only when asked. So the width is the smallest
//! of those that holds the highest mapping; the stack and the mmap area sit near the top,
//! which makes this right for any process that did not move them. Unsure: a process whose
//! mappings all lie below 4 GiB (32-bit compat tasks) is left without an end rather than
//! given a guess.
//!
//! Every other architecture: no end is said, and the gaps are those between mappings.

use super::gaps;
use crate::model::{MappingKind, MemoryMap, UserSpace, UserSpaceRule};

/// The architectures whose layout boxtop knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arch {
    X86_64,
    Aarch64,
    Other,
}

impl Arch {
    /// The one boxtop was built for, which is the kernel's (a 64-bit build runs only on a
    /// 64-bit kernel of its architecture).
    pub const HOST: Arch = if cfg!(target_arch = "x86_64") {
        Arch::X86_64
    } else if cfg!(target_arch = "aarch64") {
        Arch::Aarch64
    } else {
        Arch::Other
    };
}

/// x86-64 pages are always 4 KiB.
const X86_PAGE: u64 = 4096;
/// `TASK_SIZE_MAX` with 4-level page tables (and the default window with 5-level ones).
pub const X86_64_TOP_47: u64 = (1 << 47) - X86_PAGE;
/// `TASK_SIZE_MAX` with 5-level page tables.
pub const X86_64_TOP_56: u64 = (1 << 56) - X86_PAGE;
/// `IA32_PAGE_OFFSET`: the top of a 32-bit or x32 process's user space on x86-64.
pub const X86_64_TOP_COMPAT: u64 = 0xffff_e000;
/// The sizes aarch64 kernels are built with, smallest first.
const AARCH64_VA_BITS: [u8; 6] = [36, 39, 42, 47, 48, 52];

/// The end of user space for a process with these mappings (ascending), on `arch`. None for
/// an empty map (nothing to place), an architecture not in the table, or a layout the rules
/// above cannot tell.
pub fn detect(arch: Arch, mappings: &[crate::model::Mapping]) -> Option<UserSpace> {
    match arch {
        Arch::X86_64 => x86_64(mappings),
        Arch::Aarch64 => aarch64(mappings),
        Arch::Other => None,
    }
}

fn x86_64(mappings: &[crate::model::Mapping]) -> Option<UserSpace> {
    // Whatever starts at or above the 5-level top is in the kernel's half in either layout
    // (the non-canonical hole of 5-level ends at 0xff00000000000000): [vsyscall].
    let user = mappings
        .get(..mappings.partition_point(|m| m.start < X86_64_TOP_56))
        .unwrap_or_default();
    let highest = user.last()?.end;
    let (top, bits, rule) = if highest > X86_64_TOP_47 {
        (X86_64_TOP_56, 56, UserSpaceRule::X86_64FiveLevel)
    } else if highest <= X86_64_TOP_COMPAT {
        (X86_64_TOP_COMPAT, 32, UserSpaceRule::X86_64Compat)
    } else {
        (X86_64_TOP_47, 47, UserSpaceRule::X86_64)
    };
    Some(UserSpace { top, bits, rule })
}

fn aarch64(mappings: &[crate::model::Mapping]) -> Option<UserSpace> {
    let highest = mappings.last()?.end;
    if highest <= 1 << 32 {
        return None;
    }
    let bits = AARCH64_VA_BITS.into_iter().find(|b| highest <= 1u64 << b)?;
    Some(UserSpace {
        top: 1 << bits,
        bits,
        rule: UserSpaceRule::Aarch64,
    })
}

/// Says where `map`'s user space ends (on this host's architecture), marks what lies above
/// it as the kernel's half, and counts the gaps inside user space. The reader calls it on
/// every map it reads; the replay calls it on maps recorded before boxtop knew the end.
pub fn place_in_address_space(map: &mut MemoryMap) {
    place_for(Arch::HOST, map);
}

/// [`place_in_address_space`] for `arch`, so that the tests can try every table.
pub fn place_for(arch: Arch, map: &mut MemoryMap) {
    map.user_space = detect(arch, &map.mappings);
    if let Some(u) = map.user_space {
        let first_above = map.mappings.partition_point(|m| m.start < u.top);
        for m in map.mappings.iter_mut().skip(first_above) {
            m.kind = MappingKind::KernelHalf;
        }
    }
    map.gaps = gaps::gaps(&map.mappings, map.user_space.map(|u| u.top));
}

#[cfg(test)]
#[path = "user_space/tests.rs"]
mod tests;
