//! Per-mapping counters from /proc/PID/smaps (proc_pid_smaps(5),
//! <https://docs.kernel.org/filesystems/proc.html>).
//!
//! smaps repeats each maps line as a header, followed by `Name: value kB` lines. The kernel
//! generates it afresh at every read by walking the page tables of every mapping, which is
//! what makes it costly for processes with many mappings.

use super::field::kb_field;
use super::line::{LineError, parse_line};
use crate::model::Mapping;

/// Fills rss/pss/swap/anonymous of `mappings` (ascending, as read from maps) from the text of
/// smaps. Entries are matched on (start, end): the process may have mapped or unmapped
/// memory between the two reads, and a mapping that smaps no longer lists keeps `None`.
/// Returns how many mappings were matched, or the 1-based number of a line that is neither a
/// header nor a field.
pub(super) fn apply_smaps(
    text: &[u8],
    mappings: &mut [Mapping],
) -> Result<usize, (usize, LineError)> {
    let mut next = 0usize; // both lists ascend, so the search only moves forward
    let mut current: Option<usize> = None;
    let mut matched = 0usize;
    for (n, line) in text.split(|&b| b == b'\n').enumerate() {
        let Some(&first) = line.first() else {
            continue;
        };
        if first.is_ascii_uppercase() {
            // A field; the ones that are not counters in kB (VmFlags, THPeligible,
            // ProtectionKey) are skipped.
            if let (Some(i), Some((name, bytes))) = (current, kb_field(line))
                && let Some(m) = mappings.get_mut(i)
            {
                set_counter(m, name, bytes);
            }
            continue;
        }
        let header = parse_line(line).map_err(|e| (n + 1, e))?;
        while mappings.get(next).is_some_and(|m| m.start < header.start) {
            next += 1;
        }
        current = match mappings.get_mut(next) {
            Some(m) if m.start == header.start && m.end == header.end => {
                m.rss_bytes = None;
                m.pss_bytes = None;
                m.swap_bytes = None;
                m.anonymous_bytes = None;
                matched += 1;
                Some(next)
            }
            _ => None,
        };
    }
    Ok(matched)
}

fn set_counter(m: &mut Mapping, name: &[u8], bytes: u64) {
    match name {
        b"Rss" => m.rss_bytes = Some(bytes),
        b"Pss" => m.pss_bytes = Some(bytes),
        b"Swap" => m.swap_bytes = Some(bytes),
        b"Anonymous" => m.anonymous_bytes = Some(bytes),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(start: u64, end: u64) -> Mapping {
        crate::kernel::maps::test_mapping(start, end)
    }

    const SMAPS: &[u8] = b"00001000-00002000 rw-p 00000000 00:00 0 \n\
Size:                  4 kB\n\
Rss:                   4 kB\n\
Pss:                   2 kB\n\
Anonymous:             4 kB\n\
Swap:                  0 kB\n\
VmFlags: rd wr mr mw me ac \n\
00003000-00005000 r--p 00000000 fe:00 7     /x y (deleted)\n\
Rss:                   8 kB\n\
Pss:                   8 kB\n\
THPeligible:           0\n\
00009000-0000a000 r--p 00000000 fe:00 7     /gone\n\
Rss:                   4 kB\n";

    #[test]
    fn matches_on_range_and_converts_kb() {
        let mut maps = vec![
            m(0x1000, 0x2000),
            m(0x2000, 0x3000),
            m(0x3000, 0x5000),
            m(0x5000, 0x6000),
        ];
        assert_eq!(apply_smaps(SMAPS, &mut maps), Ok(2));
        assert_eq!(maps[0].rss_bytes, Some(4096));
        assert_eq!(maps[0].pss_bytes, Some(2048));
        assert_eq!(maps[0].anonymous_bytes, Some(4096));
        assert_eq!(maps[0].swap_bytes, Some(0));
        assert_eq!(maps[1].rss_bytes, None, "not in smaps: stays unknown");
        assert_eq!(maps[2].rss_bytes, Some(8192));
        assert_eq!(maps[2].swap_bytes, None, "field absent: unknown, not zero");
        assert_eq!(
            maps[3].rss_bytes, None,
            "the /gone entry must not land on a neighbour"
        );
    }

    #[test]
    fn changed_range_is_not_matched() {
        let mut maps = vec![m(0x1000, 0x1800)];
        assert_eq!(apply_smaps(SMAPS, &mut maps), Ok(0));
        assert_eq!(maps[0].rss_bytes, None);
    }

    #[test]
    fn bad_header_is_reported_with_its_line() {
        let mut maps = vec![m(0x1000, 0x2000)];
        let text = b"00001000-00002000 rw-p 00000000 00:00 0\nRss: 4 kB\n0000zz\n";
        assert_eq!(apply_smaps(text, &mut maps), Err((3, LineError::Address)));
        assert_eq!(apply_smaps(b"", &mut maps), Ok(0));
    }

    proptest::proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300)) {
            let mut maps = vec![m(0x1000, 0x2000), m(0x3000, 0x5000)];
            let _ = apply_smaps(&bytes, &mut maps);
        }
    }
}
