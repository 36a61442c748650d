//! Where a process's user space ends. How boxtop finds it (the table of architectures and
//! the rule that reads it from the mappings) is `kernel::maps::user_space`.

use serde::{Deserialize, Serialize};

/// The top of one process's user space: the kernel's `TASK_SIZE` for it, the first address
/// above the range a process may map. Above it lie the non-canonical hole and the kernel's
/// half of the address space (on x86-64:
/// <https://docs.kernel.org/arch/x86/x86_64/mm.html>).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSpace {
    /// The first address above user space: `0x7ffffffff000` on x86-64 with 47-bit addresses.
    pub top: u64,
    /// The width of user space in bits of address (47 on most x86-64 hosts; the top may be a
    /// page short of `1 << bits`, as on x86-64).
    pub bits: u8,
    pub rule: UserSpaceRule,
}

/// Which line of the table gave the top.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserSpaceRule {
    /// x86-64 with 4-level page tables, or a 5-level kernel's default window: 47 bits, less
    /// the guard page below `1 << 47`.
    X86_64,
    /// x86-64 with 5-level page tables, seen from a mapping above the 47-bit window: 56 bits,
    /// less the guard page.
    X86_64FiveLevel,
    /// A 32-bit (or x32) process on an x86-64 kernel: everything lies below 4 GiB.
    X86_64Compat,
    /// aarch64: the smallest virtual address size that holds the highest mapping.
    Aarch64,
}

impl UserSpace {
    /// How the list and the picture name the width: `47-bit`, `56-bit, 5-level paging`,
    /// `32-bit process`.
    pub fn label(&self) -> String {
        match self.rule {
            UserSpaceRule::X86_64 | UserSpaceRule::Aarch64 => format!("{}-bit", self.bits),
            UserSpaceRule::X86_64FiveLevel => format!("{}-bit, 5-level paging", self.bits),
            UserSpaceRule::X86_64Compat => format!("{}-bit process", self.bits),
        }
    }

    /// Whether a mapping starting at `addr` is in the kernel's half, above user space.
    pub fn above(&self, addr: u64) -> bool {
        addr >= self.top
    }
}
