//! Literal, hostile and generated inputs for the maps line parser.

use super::*;
use proptest::prelude::*;

fn ok(line: &[u8]) -> MapsLine<'_> {
    match parse_line(line) {
        Ok(l) => l,
        Err(e) => panic!("{:?} refused: {e:?}", String::from_utf8_lossy(line)),
    }
}

#[test]
fn file_mapping_as_the_kernel_prints_it() {
    let l = ok(
        b"55b5ed2fa000-55b5ed2ff000 r-xp 00002000 fe:00 247774                     /usr/bin/sleep",
    );
    assert_eq!(l.start, 0x55b5_ed2f_a000);
    assert_eq!(l.end, 0x55b5_ed2f_f000);
    assert_eq!(&l.perms, b"r-xp");
    assert_eq!(l.offset, 0x2000);
    assert_eq!((l.dev_major, l.dev_minor), (0xfe, 0));
    assert_eq!(l.dev_str(), "fe:00");
    assert_eq!(l.inode, 247_774);
    assert_eq!(l.path, b"/usr/bin/sleep");
    assert!(!l.deleted);
    assert!(l.is_executable());
    assert!(!l.is_shared());
    assert_eq!(l.perms_str(), "r-xp");
}

#[test]
fn anonymous_mapping_has_trailing_space_and_no_path() {
    let l = ok(b"7f2ac1728000-7f2ac172b000 rw-p 00000000 00:00 0 ");
    assert_eq!(l.path, b"");
    assert_eq!(l.inode, 0);
    // Without the trailing space too (hand-edited files).
    assert_eq!(
        ok(b"7f2ac1728000-7f2ac172b000 rw-p 00000000 00:00 0").path,
        b""
    );
}

#[test]
fn path_with_spaces_and_deleted_suffix() {
    let l = ok(b"7f0000000000-7f0000001000 rw-s 00000000 00:05 42      /tmp/my file  x (deleted)");
    assert_eq!(l.path, b"/tmp/my file  x");
    assert!(l.deleted);
}

#[test]
fn deleted_in_the_middle_is_part_of_the_name() {
    let l = ok(b"7f0000000000-7f0000001000 r--p 00000000 fe:00 9   /tmp/a (deleted) b");
    assert_eq!(l.path, b"/tmp/a (deleted) b");
    assert!(!l.deleted);
    // Only the last suffix goes: a file really named "x (deleted)" that was then unlinked.
    let l = ok(b"7f0000000000-7f0000001000 r--p 00000000 fe:00 9   /tmp/x (deleted) (deleted)");
    assert_eq!(l.path, b"/tmp/x (deleted)");
    assert!(l.deleted);
}

#[test]
fn sysv_shm_and_memfd() {
    let l = ok(b"7f5c3a000000-7f5c3a100000 rw-s 00000000 00:01 65538                      /SYSV00000000 (deleted)");
    assert_eq!(l.path, b"/SYSV00000000");
    assert!(l.deleted && l.is_shared());
    let l = ok(b"7f5c3a000000-7f5c3a100000 rw-s 00000000 00:01 1035                       /memfd:wayland-cursor (deleted)");
    assert_eq!(l.path, b"/memfd:wayland-cursor");
    assert!(l.deleted);
}

#[test]
fn non_utf8_and_terminal_escapes_are_kept_as_bytes() {
    let l = ok(b"7f0000000000-7f0000001000 r--p 00000000 fe:00 9   /tmp/\xff\xfe\x1b]0;pwned\x07");
    assert_eq!(l.path, b"/tmp/\xff\xfe\x1b]0;pwned\x07");
    let shown = crate::text::display_safe(l.path);
    assert!(
        !shown.contains('\x1b') && !shown.contains('\x07'),
        "{shown}"
    );
}

#[test]
fn short_32_bit_addresses_and_vsyscall() {
    let l = ok(b"08048000-08049000 r-xp 00000000 03:00 8312       /opt/prog32");
    assert_eq!((l.start, l.end), (0x0804_8000, 0x0804_9000));
    let l =
        ok(b"ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]");
    assert_eq!(l.start, 0xffff_ffff_ff60_0000);
    assert_eq!(l.end - l.start, 4096);
    assert_eq!(l.path, b"[vsyscall]");
}

#[test]
fn special_names() {
    for name in [
        "[heap]",
        "[stack]",
        "[vdso]",
        "[vvar]",
        "[anon:my arena]",
        "[uprobes]",
    ] {
        let line = format!("7f0000000000-7f0000001000 r--p 00000000 00:00 0    {name}");
        assert_eq!(ok(line.as_bytes()).path, name.as_bytes());
    }
}

#[test]
fn refuses_truncated_and_garbage_lines() {
    let bad: &[(&[u8], LineError)] = &[
        (b"", LineError::Empty),
        (b"7f0000000000", LineError::Address),
        (b"7f0000000000-", LineError::Address),
        (b"7f0000000000-7f0000001000", LineError::Address),
        (b"7f0000000000-7f0000001000 ", LineError::Perms),
        (b"7f0000000000-7f0000001000 r-", LineError::Perms),
        (b"7f0000000000-7f0000001000 r--p", LineError::Perms),
        (b"7f0000000000-7f0000001000 r--p ", LineError::Offset),
        (
            b"7f0000000000-7f0000001000 r--p 00000000",
            LineError::Offset,
        ),
        (
            b"7f0000000000-7f0000001000 r--p 00000000 fe",
            LineError::Device,
        ),
        (
            b"7f0000000000-7f0000001000 r--p 00000000 fe:00",
            LineError::Device,
        ),
        (
            b"7f0000000000-7f0000001000 r--p 00000000 fe:00 ",
            LineError::Inode,
        ),
        (
            b"7f0000000000-7f0000001000 r--p 00000000 fe:00 12a /x",
            LineError::Inode,
        ),
        (
            b"7f0000000000-7f0000001000 rwzp 00000000 fe:00 1 /x",
            LineError::Perms,
        ),
        (
            b"7f0000001000-7f0000000000 r--p 00000000 fe:00 1 /x",
            LineError::Address,
        ),
        (
            b"7f0000001000-7f0000001000 r--p 00000000 fe:00 1 /x",
            LineError::Address,
        ),
        (
            b"g0000000-7f0000001000 r--p 00000000 fe:00 1 /x",
            LineError::Address,
        ),
        (
            b"10000000000000000-20000000000000000 r--p 0 0:0 1",
            LineError::Address,
        ),
        (
            b"00001000-00002000 r--p 0 fe:00 99999999999999999999999",
            LineError::Inode,
        ),
        (b"00001000-00002000 r--p 0 123456789:0 1", LineError::Device),
        (b"Rss:                   8 kB", LineError::Address),
        (b"\xff\xfe garbage", LineError::Address),
    ];
    for (line, want) in bad {
        assert_eq!(
            parse_line(line),
            Err(*want),
            "{:?}",
            String::from_utf8_lossy(line)
        );
    }
}

fn arb_path() -> impl Strategy<Value = Vec<u8>> {
    // Any bytes except newline; a name never starts with a space (the kernel prints the
    // padding before it) and never ends in " (deleted)" unless the file was deleted.
    proptest::collection::vec(
        any::<u8>().prop_filter("no newline", |b| *b != b'\n'),
        0..40,
    )
    .prop_filter("no leading space, no suffix", |p| {
        p.first() != Some(&b' ') && !p.ends_with(DELETED)
    })
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = parse_line(&bytes);
    }

    #[test]
    fn mutated_real_lines_never_panic(cut in 0usize..90, byte in any::<u8>(), at in 0usize..90) {
        let mut line = b"55b5ed2fa000-55b5ed2ff000 r-xp 00002000 fe:00 247774                     /usr/bin/sleep".to_vec();
        if let Some(b) = line.get_mut(at) { *b = byte; }
        line.truncate(cut);
        let _ = parse_line(&line);
    }

    #[test]
    fn generated_lines_parse_back(
        start in 0u64..u64::MAX - 1,
        len in 1u64..1 << 40,
        r in any::<bool>(), w in any::<bool>(), x in any::<bool>(), s in any::<bool>(),
        offset in any::<u64>(),
        major in 0u32..4096, minor in 0u32..1 << 20,
        inode in any::<u64>(),
        pad in 1usize..30,
        path in arb_path(),
        deleted in any::<bool>(),
    ) {
        let end = start.saturating_add(len);
        prop_assume!(end > start);
        let perms = [
            if r { b'r' } else { b'-' },
            if w { b'w' } else { b'-' },
            if x { b'x' } else { b'-' },
            if s { b's' } else { b'p' },
        ];
        let deleted = deleted && !path.is_empty();
        let mut line = format!(
            "{start:08x}-{end:08x} {} {offset:08x} {major:02x}:{minor:02x} {inode}",
            String::from_utf8_lossy(&perms)
        ).into_bytes();
        line.extend(std::iter::repeat_n(b' ', pad));
        line.extend_from_slice(&path);
        if deleted { line.extend_from_slice(DELETED); }
        let l = parse_line(&line).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        prop_assert_eq!((l.start, l.end, l.perms, l.offset), (start, end, perms, offset));
        prop_assert_eq!((l.dev_major, l.dev_minor, l.inode), (major, minor, inode));
        prop_assert_eq!(l.path, &path[..]);
        prop_assert_eq!(l.deleted, deleted);
    }
}
