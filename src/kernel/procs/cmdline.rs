//! Parser of /proc/PID/cmdline. See proc_pid_cmdline(5).

use crate::model::CmdLine;
use crate::text::{display_safe, is_display_safe};

/// Splits the NUL-separated arguments into display-safe strings.
///
/// The kernel hands back the process's own argv area: a process may overwrite it
/// (setproctitle) with one long string holding spaces and no NULs, so a missing terminator
/// is normal and the text is kept whole. Kernel threads and zombies have an empty file.
pub(super) fn parse_cmdline(buf: &[u8]) -> Vec<String> {
    let body = buf.strip_suffix(b"\0").unwrap_or(buf);
    if body.is_empty() {
        return Vec::new();
    }
    body.split(|b| *b == 0).map(display_safe).collect()
}

/// Whether `buf` (the file as read) is what `old` holds: the slow read then keeps `old`
/// without building any string. Display-safe arguments are held as the kernel's bytes, NUL
/// between them, so the comparison is on bytes.
pub(super) fn cmdline_unchanged(old: &CmdLine, buf: &[u8]) -> bool {
    let body = buf.strip_suffix(b"\0").unwrap_or(buf);
    old.joined().as_bytes() == body && body.split(|b| *b == 0).all(is_display_safe)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn an_unchanged_command_line_is_seen_without_parsing() {
        for raw in [
            &b"sleep\x00300\x00"[..],
            b"",
            b"a\0\0b\0",
            b"nginx: worker",
            b"\xff\x1b[2J\0",
        ] {
            let held = CmdLine::from_args(&parse_cmdline(raw));
            let safe = raw.split(|b| *b == 0).all(is_display_safe);
            assert_eq!(cmdline_unchanged(&held, raw), safe, "{raw:?}");
        }
        let held = CmdLine::from_args(&parse_cmdline(b"sleep\x00300\x00"));
        assert!(!cmdline_unchanged(&held, b"sleep\x00301\x00"));
        assert!(!cmdline_unchanged(&held, b"sleep 300"));
    }

    #[test]
    fn splits_args() {
        assert_eq!(parse_cmdline(b"sleep\x00300\x00"), vec!["sleep", "300"]);
        assert_eq!(parse_cmdline(b""), Vec::<String>::new());
        assert_eq!(
            parse_cmdline(b"nginx: worker process"),
            vec!["nginx: worker process"]
        );
        assert_eq!(parse_cmdline(b"a\0\0b\0"), vec!["a", "", "b"]);
        assert_eq!(parse_cmdline(b"\xff\x1b[2J\0"), vec!["\\xff\\x1b[2J"]);
    }

    proptest! {
        #[test]
        fn keeps_every_argument(args in proptest::collection::vec(proptest::collection::vec(1u8..=255, 0..8), 1..6)) {
            let mut buf = Vec::new();
            for a in &args {
                buf.extend_from_slice(a);
                buf.push(0);
            }
            let parsed = parse_cmdline(&buf);
            // An empty last argument is indistinguishable from the terminator; all others stay.
            let expected: Vec<String> = args.iter().map(|a| display_safe(a)).collect();
            if args.len() == 1 && args[0].is_empty() {
                prop_assert!(parsed.is_empty());
            } else {
                prop_assert_eq!(parsed, expected);
            }
        }
    }
}
