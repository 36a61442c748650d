//! `i` on the memory map: what the selected row is, where its values come from, what they
//! mean. The gaps, the end of user space and the kernel's half are in `address_space`.

mod address_space;

pub(super) use address_space::{gap, user_space_end};

use crate::model::{Access, Mapping, MappingKind, MemoryMap};
use crate::text::format_bytes;

/// `map.mappings[index]` (an index past the end says so).
pub(super) fn mapping(map: &MemoryMap, index: usize) -> (String, Vec<String>) {
    match map.mappings.get(index) {
        Some(m) => mapping_lines(map, index, m),
        None => (
            "Memory map".into(),
            vec![format!("Mapping {} is no longer in the map.", index + 1)],
        ),
    }
}

fn mapping_lines(map: &MemoryMap, index: usize, m: &Mapping) -> (String, Vec<String>) {
    let pid = map.pid;
    let title = format!(
        "Memory map · pid {pid} · mapping {} of {}",
        index + 1,
        map.mappings.len()
    );
    let mut l = vec![
        format!(
            "{:x}-{:x}: {} ({} bytes), line {} of /proc/{pid}/maps.",
            m.start,
            m.end,
            format_bytes(m.size_bytes),
            m.size_bytes,
            index + 1
        ),
        "  The kernel prints one line per mapping (a VMA), in address order. man 5 proc_pid_maps."
            .into(),
        String::new(),
        format!("Perms {}:", m.perms),
        "  r read, w write, x execute; '-' means not allowed (touching it that way faults).".into(),
        "  p private: copy-on-write, a write makes this process its own copy of the page;".into(),
        "  s shared: writes go to the shared pages, seen by every process that maps them.".into(),
        format!(
            "Offset {:#x}: where in the file the mapping begins (0 when there is no file).",
            m.offset
        ),
        format!(
            "Device {} and inode {}: the file's filesystem (major:minor, hex) and its inode",
            m.dev, m.inode
        ),
        "  number; 00:00 and 0 mean no file behind it.".into(),
        match &m.path {
            Some(p) => format!("Path: {p}"),
            None => "Path: none, anonymous memory.".into(),
        },
    ];
    if m.deleted {
        l.push("  (deleted): the file was removed or replaced after it was mapped; the".into());
        l.push("  process keeps the old contents until it unmaps them.".into());
    }
    l.push(String::new());
    l.push(format!("Kind {}:", m.kind.word()));
    l.extend(kind_lines(pid, m).iter().map(|s| format!("  {s}")));
    l.push(String::new());
    l.extend(counter_lines(map, m));
    (title, l)
}

fn kind_lines(pid: i32, m: &Mapping) -> Vec<String> {
    let s = |t: &str| t.to_string();
    match m.kind {
        MappingKind::Text => vec![
            format!("the program's own machine code, from the file /proc/{pid}/exe points to."),
            s("Read and execute only; every process running the same program shares these pages."),
        ],
        MappingKind::Data => vec![
            s("the program's own data, from its executable file: read-only constants (r--)"),
            s("and initialised globals (rw-p, copied on the first write). Zeroed globals (.bss)"),
            s("follow as anonymous memory."),
        ],
        MappingKind::Heap => vec![
            s("the brk area: starts above the program's data and grows up with brk(2)."),
            s("malloc takes small allocations from here; large ones get their own mmap."),
        ],
        MappingKind::Anonymous => vec![
            s("memory with no file behind it, from mmap(MAP_ANONYMOUS): large malloc blocks,"),
            s("malloc arenas of other threads, thread stacks, a library's zeroed data."),
            s("[anon:NAME] is a name given with prctl(PR_SET_VMA_ANON_NAME)."),
        ],
        MappingKind::Library => vec![
            s("a shared library (or other executable file) mapped by the dynamic loader."),
            s("Its code (r-x) is shared by every process using it; its data (rw-p) is private."),
        ],
        MappingKind::File => vec![
            s("a file mapped with mmap(2) that is neither the program nor a library"),
            s("(locale data, caches, databases). Its pages are the file's page cache."),
        ],
        MappingKind::Shared => vec![
            s("shared memory other processes can map too: System V (/SYSV<key>, shmget),"),
            s("POSIX (/dev/shm/NAME) or memfd_create (/memfd:NAME)."),
        ],
        MappingKind::Stack => vec![
            s("the main thread's stack, near the top of user space. It grows down on demand"),
            s("as functions call deeper; other threads' stacks are anonymous mappings."),
        ],
        MappingKind::Special => special_lines(m.path.as_deref().unwrap_or("")),
        MappingKind::KernelHalf => {
            address_space::kernel_half_lines(m.path.as_deref().unwrap_or(""))
        }
    }
}

fn special_lines(path: &str) -> Vec<String> {
    let s = |t: &str| t.to_string();
    match path {
        "[vdso]" => vec![
            s("the vDSO: a little kernel code mapped into every process, so that calls like"),
            s("clock_gettime and gettimeofday run without the cost of entering the kernel."),
        ],
        p if p.starts_with("[vvar") => vec![s(
            "read-only kernel data (clocks, time) that the vDSO code reads.",
        )],
        // Placed maps give it the kind of the kernel's half; a map whose end of user space
        // is not known keeps it here.
        "[vsyscall]" => vec![
            s("the legacy vsyscall page at a fixed address, mapped for old binaries. It lies in"),
            s("the kernel's half, above user space; modern kernels emulate it or map it"),
            s("execute-only."),
        ],
        "[uprobes]" => vec![s("a page the kernel adds for user-space probes (uprobes).")],
        _ => vec![s(
            "a mapping the kernel made itself; the name in brackets says which.",
        )],
    }
}

fn counter_lines(map: &MemoryMap, m: &Mapping) -> Vec<String> {
    let pid = map.pid;
    let mut l = vec![
        format!(
            "Rss {}: resident, the bytes of this mapping in RAM now (Rss: in /proc/{pid}/smaps).",
            map.counter_text(m.rss_bytes)
        ),
        format!(
            "Pss {}: proportional: each shared page counts 1/N for the N processes mapping it,",
            map.counter_text(m.pss_bytes)
        ),
        "  so the Pss of all processes adds up to the memory really used.".into(),
        format!(
            "Swap {}: bytes of it swapped out.",
            map.counter_text(m.swap_bytes)
        ),
    ];
    match (map.smaps_access, map.smaps_read) {
        (Access::Denied, _) => l.push(format!(
            "  /proc/{pid}/smaps is denied: it needs the right to ptrace the process."
        )),
        (Access::Gone, _) => l.push("  The process went away before smaps was read.".into()),
        (Access::Ok, false) | (Access::NotRead, _) => {
            l.push("  … : smaps is slower than maps and is still being read.".into());
        }
        (Access::Ok, true) => {}
    }
    l.push(format!(
        "The title's totals are from /proc/{pid}/smaps_rollup: the same counters summed over"
    ));
    l.push("  all mappings by the kernel in one read. man 5 proc_pid_smaps.".into());
    l
}
