//! Parser of /proc/PID/stat. See proc_pid_stat(5).
//!
//! The second field is `(comm)`, and comm is chosen by the process: it may contain spaces,
//! `)` and any byte but NUL. So the fields after it are found from the LAST `)`, never by
//! splitting the whole line on spaces.

/// PF_KTHREAD in the `flags` field (include/linux/sched.h): a kernel thread.
pub const PF_KTHREAD: u32 = 0x0020_0000;

/// The fields boxtop uses. `comm` borrows from the buffer that was parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stat<'a> {
    pub pid: i32,
    pub comm: &'a [u8],
    pub state: u8,
    pub ppid: i32,
    pub pgrp: i32,
    pub session: i32,
    pub tty_nr: i32,
    pub flags: u32,
    /// Clock ticks in user and kernel mode.
    pub utime: u64,
    pub stime: u64,
    pub num_threads: u64,
    /// Clock ticks after boot.
    pub starttime: u64,
    pub vsize: u64,
    /// Pages resident (can be read as negative by odd kernels; clamped to 0).
    pub rss_pages: u64,
}

impl Stat<'_> {
    pub fn is_kernel_thread(&self) -> bool {
        self.flags & PF_KTHREAD != 0
    }
}

/// Parses one stat line; None if it is malformed or truncated.
pub fn parse_stat(buf: &[u8]) -> Option<Stat<'_>> {
    let (pid, comm, mut rest) = split_stat(buf)?;
    let mut fields = [&b""[..]; 22];
    for slot in &mut fields {
        *slot = rest.next()?;
    }
    let [
        state,
        ppid,
        pgrp,
        session,
        tty_nr,
        _tpgid,
        flags,
        _minflt,
        _cminflt,
        _majflt,
        _cmajflt,
        utime,
        stime,
        _cutime,
        _cstime,
        _prio,
        _nice,
        num_threads,
        _itreal,
        starttime,
        vsize,
        rss,
    ] = fields;
    let state = match state {
        [c] => *c,
        _ => return None,
    };
    Some(Stat {
        pid,
        comm,
        state,
        ppid: parse_int(ppid)?,
        pgrp: parse_int(pgrp)?,
        session: parse_int(session)?,
        tty_nr: parse_int(tty_nr)?,
        flags: u32::try_from(parse_uint(flags)?).ok()?,
        utime: parse_uint(utime)?,
        stime: parse_uint(stime)?,
        num_threads: parse_uint(num_threads)?,
        starttime: parse_uint(starttime)?,
        vsize: parse_uint(vsize)?,
        rss_pages: u64::try_from(parse_int_i64(rss)?).unwrap_or(0),
    })
}

/// A stat line's pid, its comm (between the first `(` and the LAST `)`), and the fields after
/// it, from field 3 (state) on. Shared by the process's stat and a thread's
/// (/proc/PID/task/TID/stat has the same fields).
pub(super) fn split_stat(buf: &[u8]) -> Option<(i32, &[u8], impl Iterator<Item = &[u8]>)> {
    let open = buf.iter().position(|&b| b == b'(')?;
    let close = buf.iter().rposition(|&b| b == b')')?;
    if close < open {
        return None;
    }
    let pid = parse_int(buf.get(..open)?.trim_ascii())?;
    let comm = buf.get(open + 1..close)?;
    let rest = buf
        .get(close + 1..)?
        .split(|b| *b == b' ')
        .filter(|f| !f.is_empty())
        .map(<[u8]>::trim_ascii);
    Some((pid, comm, rest))
}

/// The second field of /proc/PID/statm: resident pages (exact, unlike stat's `rss`).
pub fn parse_statm_resident(buf: &[u8]) -> Option<u64> {
    let field = buf.split(|b| *b == b' ').nth(1)?;
    parse_uint(field.trim_ascii())
}

/// Decimal u64 without sign; None on anything else (including overflow).
pub fn parse_uint(s: &[u8]) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    let mut n: u64 = 0;
    for &b in s {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        n = n.checked_mul(10)?.checked_add(u64::from(d))?;
    }
    Some(n)
}

fn parse_int_i64(s: &[u8]) -> Option<i64> {
    match s.split_first() {
        Some((b'-', digits)) => i64::try_from(parse_uint(digits)?).ok().map(|n| -n),
        _ => i64::try_from(parse_uint(s)?).ok(),
    }
}

/// Decimal i32, possibly negative (tty_nr and pgrp can be -1 / 0).
pub fn parse_int(s: &[u8]) -> Option<i32> {
    i32::try_from(parse_int_i64(s)?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SLEEP: &[u8] = b"1234 (sleep) S 1000 1234 1000 34816 1234 4194304 95 0 0 0 1 2 0 0 20 0 1 0 5678 8556544 251 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n";

    #[test]
    fn parses_a_real_line() {
        let s = parse_stat(SLEEP).unwrap();
        assert_eq!(s.pid, 1234);
        assert_eq!(s.comm, b"sleep");
        assert_eq!(s.state, b'S');
        assert_eq!((s.ppid, s.session, s.tty_nr), (1000, 1000, 34816));
        assert_eq!((s.utime, s.stime, s.num_threads), (1, 2, 1));
        assert_eq!((s.starttime, s.vsize, s.rss_pages), (5678, 8556544, 251));
        assert!(!s.is_kernel_thread());
    }

    #[test]
    fn hostile_comm_with_parens_spaces_and_escapes() {
        let line =
            b"77 (a) b) (c\x1b]0;x\x07) R 1 77 77 -1 -1 2097216 0 0 0 0 0 0 0 0 20 0 3 0 99 0 0 0\n";
        let s = parse_stat(line).unwrap();
        assert_eq!(s.comm, b"a) b) (c\x1b]0;x\x07");
        assert_eq!(s.state, b'R');
        assert_eq!(s.tty_nr, -1);
        assert!(s.is_kernel_thread());
        assert_eq!(s.num_threads, 3);
    }

    #[test]
    fn statm_resident() {
        assert_eq!(parse_statm_resident(b"730 419 392 5 0 89 0\n"), Some(419));
        assert_eq!(parse_statm_resident(b"730"), None);
    }

    #[test]
    fn rejects_truncated_and_garbage() {
        assert_eq!(parse_stat(b""), None);
        assert_eq!(parse_stat(b"12 (x) S 1 2"), None);
        assert_eq!(
            parse_stat(b"12 x S 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1"),
            None
        );
        assert_eq!(parse_stat(b") 12 (x"), None);
        assert_eq!(parse_uint(b"18446744073709551616"), None);
        assert_eq!(parse_uint(b"-1"), None);
        assert_eq!(parse_int(b"-1"), Some(-1));
        assert_eq!(parse_int(b"4294967296"), None);
    }

    proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = parse_stat(&bytes);
        }

        #[test]
        fn any_comm_round_trips(comm in proptest::collection::vec(1u8..=255, 0..16),
                                utime in any::<u64>(), start in any::<u64>()) {
            let mut line = b"42 (".to_vec();
            line.extend_from_slice(&comm);
            line.extend_from_slice(format!(") S 1 42 42 0 -1 0 0 0 0 0 {utime} 5 0 0 20 0 1 0 {start} 4096 7 0\n").as_bytes());
            let s = parse_stat(&line).unwrap();
            prop_assert_eq!(s.comm, &comm[..]);
            prop_assert_eq!(s.utime, utime);
            prop_assert_eq!(s.starttime, start);
            prop_assert_eq!(s.rss_pages, 7);
        }
    }
}
