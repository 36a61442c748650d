//! Checks that a pid still names the process the caller meant (docs/ARCHITECTURE.md, "Identity"): pids are
//! reused, start times are not. Field 22 of /proc/PID/stat (proc_pid_stat(5)).

/// The start time (clock ticks after boot) from the text of /proc/PID/stat. The command name
/// (field 2) is in parentheses and may itself contain spaces and parentheses, so the fields
/// are counted from the last `)`.
pub fn start_time_ticks(stat: &[u8]) -> Option<u64> {
    let close = stat.iter().rposition(|&b| b == b')')?;
    let rest = stat.get(close + 1..)?;
    // After ")": field 3 (state) is the first word, so field 22 is the 20th.
    let word = rest
        .split(u8::is_ascii_whitespace)
        .filter(|w| !w.is_empty())
        .nth(19)?;
    std::str::from_utf8(word).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_and_hostile_names() {
        let stat = b"6716 (sleep) S 1 6708 5861 0 -1 4194304 131 0 1 0 0 0 0 0 20 0 1 0 32758 2990080 394 18446744073709551615 0";
        assert_eq!(start_time_ticks(stat), Some(32758));
        let stat =
            b"6716 (a) b) S 1) S 1 6708 5861 0 -1 4194304 131 0 1 0 0 0 0 0 20 0 1 0 99 2990080\n";
        assert_eq!(start_time_ticks(stat), Some(99));
        assert_eq!(start_time_ticks(b"6716 (sleep) S 1"), None);
        assert_eq!(start_time_ticks(b""), None);
    }
}
