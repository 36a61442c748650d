//! Totals from /proc/PID/smaps_rollup: smaps summed by the kernel over all mappings
//! (proc_pid_smaps(5), <https://docs.kernel.org/filesystems/proc.html>). Cheaper than
//! summing smaps ourselves, and its Pss is exact (the per-mapping values are rounded to kB).

use super::field::kb_field;
use crate::model::MemoryTotals;

/// Parses the rollup text. None when it holds no `Rss:` line (an empty file): absent totals
/// are not shown as zero.
pub(super) fn parse_rollup(text: &[u8]) -> Option<MemoryTotals> {
    let mut t = MemoryTotals::default();
    let mut seen_rss = false;
    for line in text.split(|&b| b == b'\n') {
        let Some((name, bytes)) = kb_field(line) else {
            continue;
        };
        match name {
            b"Rss" => {
                t.rss_bytes = bytes;
                seen_rss = true;
            }
            b"Pss" => t.pss_bytes = bytes,
            b"Swap" => t.swap_bytes = bytes,
            b"Anonymous" => t.anonymous_bytes = bytes,
            b"Shared_Clean" => t.shared_clean_bytes = bytes,
            b"Shared_Dirty" => t.shared_dirty_bytes = bytes,
            b"Private_Clean" => t.private_clean_bytes = bytes,
            b"Private_Dirty" => t.private_dirty_bytes = bytes,
            _ => {}
        }
    }
    seen_rss.then_some(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_rollup() {
        let text =
            b"55b5ed2f8000-7ffc26624000 ---p 00000000 00:00 0                          [rollup]\n\
Rss:                1748 kB\nPss:                 456 kB\nPss_Dirty:           108 kB\n\
Shared_Clean:       1604 kB\nShared_Dirty:          0 kB\nPrivate_Clean:        36 kB\n\
Private_Dirty:       108 kB\nAnonymous:           108 kB\nSwap:                  3 kB\n\
SwapPss:               1 kB\n";
        let t = parse_rollup(text).unwrap_or_default();
        assert_eq!(t.rss_bytes, 1748 * 1024);
        assert_eq!(t.pss_bytes, 456 * 1024);
        assert_eq!(t.shared_clean_bytes, 1604 * 1024);
        assert_eq!(t.private_clean_bytes, 36 * 1024);
        assert_eq!(t.private_dirty_bytes, 108 * 1024);
        assert_eq!(t.anonymous_bytes, 108 * 1024);
        assert_eq!(t.swap_bytes, 3 * 1024, "SwapPss must not overwrite Swap");
    }

    #[test]
    fn empty_is_absent() {
        assert_eq!(parse_rollup(b""), None);
        assert_eq!(parse_rollup(b"garbage\n\xff"), None);
    }
}
