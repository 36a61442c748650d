//! `i` on the rows that are about the address space rather than a mapping: a gap of user
//! space, the end of user space, and a page of the kernel's half. What boxtop knows of the
//! layouts, and from where, is in `kernel::maps::user_space`.

use crate::model::{MemoryMap, UserSpace, UserSpaceRule};
use crate::text::format_bytes;

const MM_DOC: &str = "https://docs.kernel.org/arch/x86/x86_64/mm.html";

pub(in crate::explain) fn gap(map: &MemoryMap, start: u64, end: u64) -> (String, Vec<String>) {
    let pid = map.pid;
    let title = format!("Memory map · pid {pid} · not used");
    let to_the_top = map.user_space.filter(|u| u.top == end);
    let mut l = vec![
        format!(
            "{start:x}-{end:x}: {} not used ({} bytes).",
            format_bytes(end - start),
            end - start
        ),
        String::new(),
    ];
    match to_the_top {
        Some(u) => {
            l.push(
                "No mapping covers this range: it runs from the last mapping of user space, which"
                    .into(),
            );
            l.push(format!(
                "ends at {start:x}, up to the end of user space at {end:x} ({}). boxtop",
                u.label()
            ));
            l.push("computes it from /proc/PID/maps and the layout of the architecture.".into());
        }
        None => {
            l.push(format!(
                "No mapping covers this range: it is the space between two lines of /proc/{pid}/maps,"
            ));
            l.push(format!(
                "one ending at {start:x} and the next starting at {end:x}. boxtop computes it."
            ));
        }
    }
    l.extend([
        "It costs no memory. Touching an address here faults: the kernel finds no mapping".into(),
        "and sends the process SIGSEGV (segmentation fault).".into(),
        String::new(),
        "Holes are normal: address space layout randomisation places the program, heap,".into(),
        "libraries and stack far apart; the heap and stack grow into the space beside them,".into(),
        "and mmap(2) puts new mappings into these holes.".into(),
    ]);
    if let Some(rank) = map.gaps.iter().position(|g| g.start == start) {
        l.push(String::new());
        l.push(format!(
            "Gap {} of {} by size (v lists them biggest first, as the talk's \"NOT USED\" table).",
            rank + 1,
            map.gaps.len()
        ));
    }
    l.extend(sums(map));
    if map.user_space.is_none() && end.saturating_sub(start) >= 1 << 46 {
        l.push(
            "boxtop does not know where user space ends on this architecture: a hole this".into(),
        );
        l.push("vast may hold the kernel's half, which user code can never touch.".into());
    }
    (title, l)
}

/// The identity of the gaps, in words and figures.
fn sums(map: &MemoryMap) -> Vec<String> {
    let Some((low, high)) = map.user_span() else {
        return Vec::new();
    };
    let (mapped, unused) = (map.mapped_user_bytes(), map.not_used_bytes());
    let upto = if map.user_space.is_some() {
        "the end of user space"
    } else {
        "the end of the last mapping"
    };
    vec![
        format!(
            "The {} mappings of user space hold {}, its {} gaps {}: together {},",
            map.user_mapping_count(),
            format_bytes(mapped),
            map.gaps.len(),
            format_bytes(unused),
            format_bytes(mapped.saturating_add(unused))
        ),
        format!("{high:x} - {low:x}, from the lowest mapping to {upto}. Below the lowest"),
        "mapping nothing is counted: the first pages are never mappable (vm.mmap_min_addr).".into(),
    ]
}

pub(in crate::explain) fn user_space_end(map: &MemoryMap) -> (String, Vec<String>) {
    let title = format!("Memory map · pid {} · end of user space", map.pid);
    let Some(u) = map.user_space else {
        return (
            title,
            vec!["boxtop does not know where user space ends on this architecture.".into()],
        );
    };
    let mut l = vec![
        format!(
            "{:x}: the end of user space ({}). The process can map nothing at or above it.",
            u.top,
            u.label()
        ),
        String::new(),
    ];
    l.extend(layout_lines(&u));
    l.push(String::new());
    l.extend(sums(map));
    (title, l)
}

fn layout_lines(u: &UserSpace) -> Vec<String> {
    let s = |t: &str| t.to_string();
    let guard = [
        s("The last page below it is a guard that nothing may map: a system call made from"),
        s("there would return to a non-canonical address, which SYSRET does not survive on"),
        s("Intel CPUs. Above lies the non-canonical hole (addresses the CPU refuses), then the"),
        s("kernel's half, shared by every process and touched by none. The kernel lists one"),
        s("page of it in the maps of a 64-bit process, [vsyscall], for old binaries."),
    ];
    match u.rule {
        UserSpaceRule::X86_64 => {
            let mut l = vec![
                s("x86-64 with 4-level page tables: user space is 0 to 7fffffffefff, 128 TiB less"),
                s("a page (the kernel's TASK_SIZE_MAX is (1 << 47) - 4096)."),
            ];
            l.extend(guard);
            l.extend([
                s("With 5-level page tables (CPUs with la57 in /proc/cpuinfo) user space is 56 bits, up"),
                s("to fffffffffff000, but the kernel maps above 7ffffffff000 only for a process that"),
                s("asks with an mmap address hint; no mapping of this one is there, so its layout"),
                s("ends here."),
                format!("See {MM_DOC} and 5level-paging.html beside it."),
            ]);
            l
        }
        UserSpaceRule::X86_64FiveLevel => {
            let mut l = vec![
                s(
                    "x86-64 with 5-level page tables: a mapping of this process lies above the 47-bit",
                ),
                s("window, which the kernel allows only on 5-level paging and only when asked (an"),
                s(
                    "mmap address hint). User space is then 0 to ffffffffffefff, 64 PiB less a page.",
                ),
            ];
            l.extend(guard);
            l.push(format!("See {MM_DOC}, \"5-level page tables\"."));
            l
        }
        UserSpaceRule::X86_64Compat => vec![
            s("A 32-bit (or x32) process on an x86-64 kernel: every mapping lies below 4 GiB, and"),
            s("its TASK_SIZE is IA32_PAGE_OFFSET, ffffe000 (c0000000 under the ADDR_LIMIT_3GB"),
            s("personality, which its maps cannot show). Above lies the rest of the 64-bit space,"),
            s("which such a process cannot address; no vsyscall page is listed for it."),
        ],
        UserSpaceRule::Aarch64 => vec![
            s("aarch64: user space is 1 << VA_BITS bytes, VA_BITS being 36, 39, 42, 47, 48 or 52"),
            s("as the kernel was built; boxtop takes the smallest that holds the highest mapping,"),
            s("since the stack and the mmap area sit near the top. A 52-bit kernel maps above 48"),
            s("bits only when asked. See https://docs.kernel.org/arch/arm64/memory.html."),
        ],
    }
}

/// A page above the end of user space that the kernel lists anyway.
pub(in crate::explain) fn kernel_half_lines(path: &str) -> Vec<String> {
    let s = |t: &str| t.to_string();
    let mut l = vec![
        s("not user space: a page in the kernel's own half of the address space, above the end"),
        s("of user space and the non-canonical hole. The kernel lists it in the process's maps,"),
        s("but the process can map nothing there, and no gap is counted up to it."),
    ];
    if path == "[vsyscall]" {
        l.extend([
            s("[vsyscall] is the legacy vsyscall page at a fixed address, mapped for old binaries"),
            s("that call gettimeofday, time and getcpu there instead of through the vDSO. Modern"),
            s("kernels emulate it or map it execute-only (--xp), and vsyscall=none removes it."),
            format!("See {MM_DOC} (\"legacy vsyscall ABI\")."),
        ]);
    }
    l
}
