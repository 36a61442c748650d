//! Safe display of untrusted text, and formatting of bytes, durations and percentages.

use std::fmt::Write;

/// Turns untrusted bytes (process names, command lines, paths, cgroup names) into text that
/// is safe to put on a terminal and lossless:
///
/// - valid, printable UTF-8 stays as it is;
/// - a backslash becomes `\\`;
/// - bytes that are not valid UTF-8, and ASCII control characters (C0 and DEL), become `\xNN`;
/// - C1 controls, bidirectional controls (which could reorder what is shown), zero-width and
///   other invisible format characters become `\u{NNNN}`.
///
/// So `\x1b]0;pwned\x07` can never retitle the terminal, and a name with a right-to-left
/// override shows the override instead of obeying it (docs/ARCHITECTURE.md, "Untrusted text").
pub fn display_safe(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            push_char(&mut out, c);
        }
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02x}");
        }
    }
    out
}

/// [`display_safe`] for text that is already a `str`.
pub fn display_safe_str(s: &str) -> String {
    display_safe(s.as_bytes())
}

/// True when [`display_safe`] would return the input unchanged; lets hot paths skip the copy.
pub fn is_display_safe(bytes: &[u8]) -> bool {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.chars().all(|c| c != '\\' && !needs_escape(c)),
        Err(_) => false,
    }
}

fn push_char(out: &mut String, c: char) {
    if c == '\\' {
        out.push_str("\\\\");
    } else if needs_escape(c) {
        let n = c as u32;
        if n < 0x80 {
            let _ = write!(out, "\\x{n:02x}");
        } else {
            let _ = write!(out, "\\u{{{n:04x}}}");
        }
    } else {
        out.push(c);
    }
}

fn needs_escape(c: char) -> bool {
    let n = c as u32;
    c.is_control() // C0, DEL, C1
        || matches!(n,
            0x00AD            // soft hyphen (invisible)
            | 0x061C          // Arabic letter mark (bidi)
            | 0x180E          // Mongolian vowel separator (invisible)
            | 0x200B..=0x200F // zero-width space/joiners, LRM, RLM
            | 0x2028..=0x202E // line/paragraph separators, bidi embeddings and overrides
            | 0x2060..=0x2069 // word joiner, invisible operators, bidi isolates
            | 0xFEFF          // zero-width no-break space / BOM
            | 0xFFF9..=0xFFFB // interlinear annotation controls
            | 0xE0000..=0xE007F // tag characters
        )
}

/// `s` as one word for sh: as it is when it has only characters sh takes literally, else
/// in single quotes (a `'` inside as `'\''`). For the shell lines the action windows show.
pub fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/._-:=,+@%".contains(&b))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// `s` cut to at most `n` characters, with `…` where it was cut.
pub fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else if n == 0 {
        String::new()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}

/// `s` cut to at most `n` characters keeping its end, where a path's file name is:
/// `…gnu/libc.so.6`.
pub fn truncate_left(s: &str, n: usize) -> String {
    let len = s.chars().count();
    if len <= n {
        s.to_string()
    } else if n == 0 {
        String::new()
    } else {
        let mut t = String::from("…");
        t.extend(s.chars().skip(len - (n - 1)));
        t
    }
}

/// `s` padded with spaces to at least `n` characters.
pub fn pad(mut s: String, n: usize) -> String {
    let len = s.chars().count();
    if len < n {
        s.push_str(&" ".repeat(n - len));
    }
    s
}

/// `s` cut or padded to exactly `n` characters, left-aligned (a table cell).
pub fn fit(s: &str, n: usize) -> String {
    pad(truncate(s, n), n)
}

/// `s` cut or padded to exactly `n` characters, right-aligned (a number cell).
pub fn fit_right(s: &str, n: usize) -> String {
    let t = truncate(s, n);
    let len = t.chars().count();
    format!("{}{t}", " ".repeat(n.saturating_sub(len)))
}

/// Bytes in IEC units with one decimal: `0 B`, `512 B`, `1.5 KiB`, `12.0 MiB`.
pub fn format_bytes(n: u64) -> String {
    const UNITS: [&str; 6] = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut v = n as f64 / 1024.0;
    let mut unit = 0;
    while v >= 1024.0 && unit + 1 < UNITS.len() {
        v /= 1024.0;
        unit += 1;
    }
    format!("{v:.1} {}", UNITS[unit])
}

/// A duration in its two largest units, as ps's ELAPSED and `docker ps` read it at a glance:
/// `45s`, `12m03s`, `3h12m`, `2d04h`.
pub fn format_uptime(secs: u64) -> String {
    let (d, h, m, s) = (secs / 86_400, secs / 3600 % 24, secs / 60 % 60, secs % 60);
    if d > 0 {
        format!("{d}d{h:02}h")
    } else if h > 0 {
        format!("{h}h{m:02}m")
    } else if m > 0 {
        format!("{m}m{s:02}s")
    } else {
        format!("{s}s")
    }
}

/// `line` cut to at most `cols` terminal columns (wide characters count two), with `…`
/// where it was cut.
pub fn cut_to_width(line: &str, cols: usize) -> std::borrow::Cow<'_, str> {
    use unicode_width::UnicodeWidthChar;
    if unicode_width::UnicodeWidthStr::width(line) <= cols {
        return std::borrow::Cow::Borrowed(line);
    }
    let mut out = String::new();
    let mut used = 0;
    for c in line.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > cols {
            break;
        }
        out.push(c);
        used += w;
    }
    if cols > 0 {
        out.push('…');
    }
    std::borrow::Cow::Owned(out)
}

/// Every line of `text` cut to `cols` columns, as ps and systemd-cgls fit a terminal; the
/// text whole when `cols` is None (piped, or `--full`).
pub fn fit_lines(text: String, cols: Option<usize>) -> String {
    let Some(cols) = cols else { return text };
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        out.push_str(&cut_to_width(body, cols));
        out.push_str(end);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uptimes_in_two_units() {
        assert_eq!(format_uptime(0), "0s");
        assert_eq!(format_uptime(45), "45s");
        assert_eq!(format_uptime(723), "12m03s");
        assert_eq!(format_uptime(3 * 3600 + 12 * 60 + 59), "3h12m");
        assert_eq!(format_uptime(2 * 86_400 + 4 * 3600), "2d04h");
        assert!(format_uptime(u64::MAX).ends_with('h'));
    }

    #[test]
    fn shell_quoting() {
        assert_eq!(shell_quote("a/b_c"), "a/b_c");
        assert_eq!(shell_quote("--pid=1,2"), "--pid=1,2");
        assert_eq!(shell_quote("50000 100000"), "'50000 100000'");
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
        assert_eq!(shell_quote(""), "''");
    }
    use proptest::prelude::*;

    #[test]
    fn escapes_terminal_controls() {
        assert_eq!(display_safe(b"\x1b]0;pwned\x07"), "\\x1b]0;pwned\\x07");
        assert_eq!(display_safe(b"a b:c)"), "a b:c)");
        assert_eq!(display_safe(b"tab\there"), "tab\\x09here");
        assert_eq!(display_safe(b"back\\slash"), "back\\\\slash");
        assert_eq!(display_safe(b"\xff\xfeok"), "\\xff\\xfeok");
        assert_eq!(
            display_safe("évil\u{202e}txt".as_bytes()),
            "évil\\u{202e}txt"
        );
        assert_eq!(display_safe("a\u{200b}b".as_bytes()), "a\\u{200b}b");
        assert_eq!(display_safe("c1\u{9b}x".as_bytes()), "c1\\u{009b}x");
        assert_eq!(display_safe("日本".as_bytes()), "日本");
    }

    #[test]
    fn cells_are_cut_and_padded() {
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
        assert_eq!(truncate("abc", 0), "");
        assert_eq!(truncate_left("/usr/lib/libc.so.6", 8), "…bc.so.6");
        assert_eq!(fit("ab", 4), "ab  ");
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit_right("ab", 4), "  ab");
        assert_eq!(fit_right("abcdef", 4), "abc…");
        assert_eq!(fit("日本語", 2), "日…");
    }

    #[test]
    fn bytes_are_formatted_in_iec_units() {
        assert_eq!(format_bytes(0), "0 B");
        assert_eq!(format_bytes(1023), "1023 B");
        assert_eq!(format_bytes(1536), "1.5 KiB");
        assert_eq!(format_bytes(8 * 1024 * 1024), "8.0 MiB");
        assert_eq!(format_bytes(u64::MAX), "16.0 EiB");
    }

    /// Inverse of display_safe, to prove it loses nothing.
    fn undo(s: &str) -> Vec<u8> {
        let mut out = Vec::new();
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '\\' {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                continue;
            }
            match chars.next() {
                Some('\\') => out.push(b'\\'),
                Some('x') => {
                    let h: String = chars.by_ref().take(2).collect();
                    out.push(u8::from_str_radix(&h, 16).unwrap());
                }
                Some('u') => {
                    let h: String = chars.by_ref().skip(1).take_while(|c| *c != '}').collect();
                    let c = char::from_u32(u32::from_str_radix(&h, 16).unwrap()).unwrap();
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                other => panic!("bad escape {other:?}"),
            }
        }
        out
    }

    proptest! {
        #[test]
        fn lossless_and_free_of_controls(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let s = display_safe(&bytes);
            prop_assert!(!s.chars().any(|c| c.is_control() || needs_escape(c)));
            prop_assert_eq!(undo(&s), bytes.clone());
            prop_assert_eq!(is_display_safe(&bytes), s.as_bytes() == bytes.as_slice());
        }

        #[test]
        fn lossless_on_unicode(s in "\\PC*|[\u{200b}-\u{202e}\u{80}-\u{9f}]*") {
            prop_assert_eq!(undo(&display_safe(s.as_bytes())), s.as_bytes().to_vec());
        }
    }

    #[test]
    fn lines_fit_columns_wide_characters_count_two() {
        assert_eq!(cut_to_width("short", 10), "short");
        assert_eq!(cut_to_width("exactly10!", 10), "exactly10!");
        assert_eq!(cut_to_width("eleven chars", 10), "eleven ch…");
        // Four CJK characters are eight columns: six columns hold two and the mark.
        assert_eq!(cut_to_width("地址空间", 6), "地址…");
        assert_eq!(cut_to_width("地址空间", 8), "地址空间");
        assert_eq!(cut_to_width("abc", 0), "");
        assert_eq!(
            fit_lines("a long line\nok\nlast without end".into(), Some(6)),
            "a lon…\nok\nlast …"
        );
        assert_eq!(fit_lines("whole\n".into(), None), "whole\n");
    }
}
