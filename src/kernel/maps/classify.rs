//! What a mapping is (text, data, heap, library, ...), from its name and permissions.
//!
//! The names are those of proc_pid_maps(5) and <https://docs.kernel.org/filesystems/proc.html>:
//! `[heap]`, `[stack]`, `[vdso]`, `[vvar]`, `[vsyscall]`, `[anon:NAME]` (named with
//! `prctl(PR_SET_VMA_ANON_NAME)`), `[anon_shmem:NAME]`, `[uprobes]`; `/SYSV<key>` for System V
//! shared memory, `/memfd:NAME` for memfd_create(2), `/dev/zero (deleted)` for a shared
//! anonymous mapping.

use super::line::MapsLine;
use crate::model::MappingKind;

/// Which file is the program, compared as raw bytes with each mapping's path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Program {
    pub path: Vec<u8>,
}

impl Program {
    /// From the target of /proc/PID/exe. The kernel appends ` (deleted)` to that link too
    /// when the binary was replaced or removed (as after a package upgrade); maps prints the
    /// same suffix, which the line parser strips, so strip it here as well.
    pub(super) fn from_exe_link(target: &[u8]) -> Option<Program> {
        let path = target.strip_suffix(b" (deleted)").unwrap_or(target);
        (!path.is_empty()).then(|| Program {
            path: path.to_vec(),
        })
    }

    /// When exe cannot be read (a kernel thread has none; a hardened system may deny it),
    /// the program is the first file mapping: the kernel maps the executable before the
    /// interpreter and libraries, at the lowest file-backed addresses (unless ASLR puts
    /// libraries below it, which is rare on 64-bit and the best guess we have).
    pub(super) fn guess_from_first_file<'a>(
        lines: impl IntoIterator<Item = MapsLine<'a>>,
    ) -> Option<Program> {
        lines
            .into_iter()
            .find(|l| l.path.first() == Some(&b'/') && l.inode != 0 && !is_shared_memory(l))
            .map(|l| Program {
                path: l.path.to_vec(),
            })
    }
}

pub(super) fn classify(line: &MapsLine<'_>, program: Option<&Program>) -> MappingKind {
    let path = line.path;
    if path.is_empty() {
        return MappingKind::Anonymous;
    }
    if let Some(inner) = path.strip_prefix(b"[").and_then(|p| p.strip_suffix(b"]")) {
        return bracketed(inner);
    }
    if is_shared_memory(line) {
        return MappingKind::Shared;
    }
    if program.is_some_and(|p| p.path == path) {
        return if line.is_executable() {
            MappingKind::Text
        } else {
            MappingKind::Data
        };
    }
    if is_shared_object(path) || line.is_executable() {
        return MappingKind::Library;
    }
    MappingKind::File
}

fn bracketed(inner: &[u8]) -> MappingKind {
    match inner {
        b"heap" => MappingKind::Heap,
        // Kernels before 4.5 also printed `[stack:TID]` for thread stacks.
        b"stack" => MappingKind::Stack,
        _ if inner.starts_with(b"stack:") => MappingKind::Stack,
        _ if inner.starts_with(b"anon:") => MappingKind::Anonymous,
        // A MAP_SHARED|MAP_ANONYMOUS region given a name: shared memory, not private anon.
        _ if inner.starts_with(b"anon_shmem:") => MappingKind::Shared,
        _ => MappingKind::Special,
    }
}

fn is_shared_memory(line: &MapsLine<'_>) -> bool {
    let path = line.path;
    path.starts_with(b"/SYSV")
        || path.starts_with(b"/dev/shm/")
        || path.starts_with(b"/memfd:")
        // Shared anonymous memory is backed by an unlinked shmem file named /dev/zero.
        || (path == b"/dev/zero" && line.deleted && line.is_shared())
}

/// `libc.so.6`, `ld-linux-x86-64.so.2`, `libfoo.so`: the file name has `.so` followed by
/// the end or by a version (`.`). `/usr/lib/x.sound` is not one.
fn is_shared_object(path: &[u8]) -> bool {
    let name = match path.iter().rposition(|&b| b == b'/') {
        Some(i) => path.get(i + 1..).unwrap_or_default(),
        None => path,
    };
    name.windows(3)
        .enumerate()
        .any(|(i, w)| w == b".so" && matches!(name.get(i + 3), None | Some(b'.')))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::maps::line::parse_line;

    fn kind(line: &str, program: Option<&str>) -> MappingKind {
        let program = program.and_then(|p| Program::from_exe_link(p.as_bytes()));
        match parse_line(line.as_bytes()) {
            Ok(l) => classify(&l, program.as_ref()),
            Err(e) => panic!("{line}: {e:?}"),
        }
    }

    const H: &str = "7f0000000000-7f0000001000";

    #[test]
    fn kinds() {
        let exe = Some("/usr/bin/sleep");
        let cases = [
            (
                format!("{H} r-xp 00002000 fe:00 7 /usr/bin/sleep"),
                MappingKind::Text,
            ),
            (
                format!("{H} r--p 00000000 fe:00 7 /usr/bin/sleep"),
                MappingKind::Data,
            ),
            (
                format!("{H} rw-p 00009000 fe:00 7 /usr/bin/sleep"),
                MappingKind::Data,
            ),
            (
                format!("{H} rw-p 00000000 00:00 0 [heap]"),
                MappingKind::Heap,
            ),
            (
                format!("{H} rw-p 00000000 00:00 0 [stack]"),
                MappingKind::Stack,
            ),
            (
                format!("{H} rw-p 00000000 00:00 0 [stack:1234]"),
                MappingKind::Stack,
            ),
            (
                format!("{H} r-xp 00000000 00:00 0 [vdso]"),
                MappingKind::Special,
            ),
            (
                format!("{H} r--p 00000000 00:00 0 [vvar]"),
                MappingKind::Special,
            ),
            (
                format!("{H} --xp 00000000 00:00 0 [vsyscall]"),
                MappingKind::Special,
            ),
            (
                format!("{H} r-xp 00000000 00:00 0 [uprobes]"),
                MappingKind::Special,
            ),
            (
                format!("{H} rw-p 00000000 00:00 0 [anon:arena 1]"),
                MappingKind::Anonymous,
            ),
            (
                format!("{H} rw-s 00000000 00:01 5 [anon_shmem:ring]"),
                MappingKind::Shared,
            ),
            (
                format!("{H} rw-p 00000000 00:00 0 "),
                MappingKind::Anonymous,
            ),
            (
                format!("{H} r--p 00000000 fe:00 8 /usr/lib/x86_64-linux-gnu/libc.so.6"),
                MappingKind::Library,
            ),
            (
                format!("{H} r--p 00000000 fe:00 8 /usr/lib/libfoo.so"),
                MappingKind::Library,
            ),
            (
                format!("{H} r-xp 00000000 fe:00 8 /opt/plugin.bin"),
                MappingKind::Library,
            ),
            (
                format!("{H} r--p 00000000 fe:00 8 /usr/share/x.sound"),
                MappingKind::File,
            ),
            (
                format!("{H} r--p 00000000 fe:00 8 /my.so.dir/data"),
                MappingKind::File,
            ),
            (
                format!("{H} r--s 00000000 fe:00 8 /usr/lib/locale/C.utf8/LC_CTYPE"),
                MappingKind::File,
            ),
            (
                format!("{H} rw-s 00000000 00:01 65538 /SYSV00000000 (deleted)"),
                MappingKind::Shared,
            ),
            (
                format!("{H} rw-s 00000000 00:19 3 /dev/shm/pulse-shm-1"),
                MappingKind::Shared,
            ),
            (
                format!("{H} r-xs 00000000 00:01 9 /memfd:jit (deleted)"),
                MappingKind::Shared,
            ),
            (
                format!("{H} rw-s 00000000 00:01 9 /dev/zero (deleted)"),
                MappingKind::Shared,
            ),
            (
                format!("{H} r-xp 00000000 fe:00 7 /usr/bin/other"),
                MappingKind::Library,
            ),
        ];
        for (line, want) in cases {
            assert_eq!(kind(&line, exe), want, "{line}");
        }
    }

    #[test]
    fn deleted_program_is_still_the_program() {
        let line = format!("{H} r-xp 00002000 fe:00 7 /usr/bin/app (deleted)");
        assert_eq!(
            kind(&line, Some("/usr/bin/app (deleted)")),
            MappingKind::Text
        );
    }

    #[test]
    fn guess_skips_anonymous_special_and_shared() {
        let text = format!(
            "{H} rw-s 00000000 00:01 65538 /SYSV00000000 (deleted)\n\
             {H} rw-p 00000000 00:00 0 [heap]\n\
             {H} r-xp 00000000 fe:00 7 /usr/bin/app\n\
             {H} r-xp 00000000 fe:00 8 /usr/lib/libc.so.6"
        );
        let lines = text.lines().filter_map(|l| parse_line(l.as_bytes()).ok());
        let p = Program::guess_from_first_file(lines);
        assert_eq!(p.map(|p| p.path), Some(b"/usr/bin/app".to_vec()));
    }
}
