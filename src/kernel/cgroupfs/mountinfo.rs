//! Parser for /proc/self/mountinfo lines; see proc_pid_mountinfo(5):
//!
//! ```text
//! 36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
//! (1)(2)(3)   (4)   (5)      (6)      (7)   (8) (9)   (10)         (11)
//! ```
//!
//! Paths (4, 5) and the source (10) escape space, tab, newline and backslash as the octal
//! `\040`, `\011`, `\012`, `\134`; we undo any `\NNN` octal escape.

/// One mount, with paths unescaped to their raw bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct MountEntry {
    pub mount_id: u32,
    pub parent_id: u32,
    /// `major:minor` of the filesystem: one cgroup hierarchy has one superblock, so two
    /// mounts with the same device show the same hierarchy.
    pub device: (u32, u32),
    /// Field 4: the root of the mount inside its filesystem (a cgroup path for cgroupfs).
    pub root: Vec<u8>,
    /// Field 5: where it is mounted.
    pub mount_point: Vec<u8>,
    pub fstype: String,
    pub source: Vec<u8>,
    /// The last field, e.g. `rw,cpu,cpuacct` or `rw,name=systemd`.
    pub super_options: String,
}

/// Parses every line it can; a malformed line is skipped, never fatal.
pub(super) fn parse_mountinfo(text: &[u8]) -> Vec<MountEntry> {
    text.split(|&c| c == b'\n').filter_map(parse_line).collect()
}

/// Parses one line (without its newline).
pub(super) fn parse_line(line: &[u8]) -> Option<MountEntry> {
    let mut fields = line.split(|&c| c == b' ');
    let mount_id = num(fields.next()?)?;
    let parent_id = num(fields.next()?)?;
    let dev = fields.next()?;
    let colon = dev.iter().position(|&c| c == b':')?;
    let device = (num(dev.get(..colon)?)?, num(dev.get(colon + 1..)?)?);
    let root = unescape(fields.next()?);
    let mount_point = unescape(fields.next()?);
    let _mount_options = fields.next()?;
    // Optional fields (shared:N, master:N, ...) end with a lone "-".
    loop {
        if fields.next()? == b"-" {
            break;
        }
    }
    let fstype = String::from_utf8_lossy(fields.next()?).into_owned();
    let source = unescape(fields.next()?);
    let super_options = String::from_utf8_lossy(fields.next()?).into_owned();
    if root.is_empty() || mount_point.is_empty() {
        return None;
    }
    Some(MountEntry {
        mount_id,
        parent_id,
        device,
        root,
        mount_point,
        fstype,
        source,
        super_options,
    })
}

fn num(b: &[u8]) -> Option<u32> {
    super::parse::parse_u64(b).and_then(|v| u32::try_from(v).ok())
}

/// Undoes the kernel's `\NNN` octal escapes (mangle() in fs/proc_namespace.c). A backslash
/// not followed by three octal digits is kept as it is.
pub(super) fn unescape(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'\\'
            && let Some(&[d0, d1, d2]) = b.get(i + 1..i + 4)
            && [d0, d1, d2].iter().all(|d| (b'0'..=b'7').contains(d))
            && d0 <= b'3'
        {
            out.push((d0 - b'0') * 64 + (d1 - b'0') * 8 + (d2 - b'0'));
            i += 4;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn cgroup_lines() {
        let m = parse_line(b"32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu")
            .unwrap();
        assert_eq!((m.mount_id, m.parent_id, m.device), (32, 31, (0, 29)));
        assert_eq!(m.root, b"/");
        assert_eq!(m.mount_point, b"/sys/fs/cgroup/cpu");
        assert_eq!(m.fstype, "cgroup");
        assert_eq!(m.super_options, "rw,cpu");
        let m = parse_line(
            b"41 31 0:38 / /sys/fs/cgroup/unified rw,nosuid shared:9 master:3 - cgroup2 cgroup2 rw,nsdelegate",
        )
        .unwrap();
        assert_eq!(m.fstype, "cgroup2");
        assert_eq!(m.super_options, "rw,nsdelegate");
    }

    #[test]
    fn escapes() {
        assert_eq!(unescape(br"/a\040b\011c\012d\134e"), b"/a b\tc\nd\\e");
        assert_eq!(unescape(br"\04"), br"\04");
        assert_eq!(unescape(br"\999"), br"\999");
        assert_eq!(unescape(br"\477"), br"\477"); // would overflow a byte
        assert_eq!(unescape(b"\\"), b"\\");
        let m = parse_line(br"50 31 0:40 /my\040group /mnt/cg\040x rw - cgroup2 none rw").unwrap();
        assert_eq!(m.root, b"/my group");
        assert_eq!(m.mount_point, b"/mnt/cg x");
    }

    #[test]
    fn hostile_lines() {
        assert_eq!(parse_line(b""), None);
        assert_eq!(parse_line(b"garbage"), None);
        assert_eq!(parse_line(b"1 2 0:3 / /x rw"), None); // no separator
        assert_eq!(parse_line(b"1 2 0:3 / /x rw -"), None);
        assert_eq!(parse_line(b"-1 2 0:3 / /x rw - a b c"), None);
        assert_eq!(parse_line(b"1 2 03 / /x rw - a b c"), None);
        assert_eq!(parse_line(b"99999999999 2 0:3 / /x rw - a b c"), None);
        let all = parse_mountinfo(b"junk\n1 2 0:3 / /x rw - tmpfs t rw\n\n");
        assert_eq!(all.len(), 1);
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(b in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = parse_mountinfo(&b);
            prop_assert!(unescape(&b).len() <= b.len());
        }

        #[test]
        fn escaped_paths_round_trip(p in proptest::collection::vec(any::<u8>(), 1..40)) {
            let mut esc = Vec::new();
            for c in &p {
                match c {
                    b' ' | b'\t' | b'\n' | b'\\' => esc.extend(format!("\\{c:03o}").bytes()),
                    c => esc.push(*c),
                }
            }
            prop_assert_eq!(unescape(&esc), p);
        }
    }
}
