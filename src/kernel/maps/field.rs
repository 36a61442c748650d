//! One `Name:   1234 kB` line of smaps or smaps_rollup (proc_pid_smaps(5)).

/// Splits `Rss:                   8 kB` into (`Rss`, 8192 bytes). Returns None for lines that
/// are not counters in kB (`VmFlags: rd wr`, `THPeligible: 0`, a maps header line).
pub(super) fn kb_field(line: &[u8]) -> Option<(&[u8], u64)> {
    let colon = line.iter().position(|&b| b == b':')?;
    let (name, rest) = line.split_at_checked(colon)?;
    // A header line has `maj:min` after the addresses; its "name" contains a space.
    if name.is_empty() || name.contains(&b' ') {
        return None;
    }
    let value = rest.get(1..)?.trim_ascii();
    let digits = value.strip_suffix(b" kB")?.trim_ascii_end();
    if digits.is_empty() {
        return None;
    }
    let mut kb: u64 = 0;
    for &b in digits {
        if !b.is_ascii_digit() {
            return None;
        }
        kb = kb.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
    }
    Some((name, kb.checked_mul(1024)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_and_not() {
        assert_eq!(
            kb_field(b"Rss:                   8 kB"),
            Some((&b"Rss"[..], 8192))
        );
        assert_eq!(
            kb_field(b"Private_Dirty:        0 kB"),
            Some((&b"Private_Dirty"[..], 0))
        );
        assert_eq!(kb_field(b"VmFlags: rd mr mw me "), None);
        assert_eq!(kb_field(b"THPeligible:           0"), None);
        assert_eq!(kb_field(b"7f00-7f01 r--p 00000000 fe:00 9 /x"), None);
        assert_eq!(kb_field(b"Rss: kB"), None);
        assert_eq!(kb_field(b"Rss: -1 kB"), None);
        assert_eq!(kb_field(b"Rss: 99999999999999999999 kB"), None);
        assert_eq!(kb_field(b":"), None);
        assert_eq!(kb_field(b""), None);
    }

    proptest::proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..80)) {
            let _ = kb_field(&bytes);
        }
    }
}
