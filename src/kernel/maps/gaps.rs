//! The unmapped ranges between mappings: the "NOT USED" rows of an address-space diagram.

use crate::model::{Gap, Mapping};

/// Gaps between consecutive mappings (which must be ascending, as the kernel lists them),
/// largest first, then by address. Nothing is invented below the first mapping or above the
/// last: what lies there is not something the process's maps tell us.
///
/// On x86-64 the gap before `[vsyscall]` includes the non-canonical hole and the kernel half
/// of the address space; it is reported as it is, being unmapped for the process.
pub(crate) fn gaps(mappings: &[Mapping]) -> Vec<Gap> {
    let mut out: Vec<Gap> = mappings
        .windows(2)
        .filter_map(|pair| match pair {
            [a, b] if b.start > a.end => Some(Gap {
                start: a.end,
                end: b.start,
                size_bytes: b.start - a.end,
            }),
            _ => None,
        })
        .collect();
    out.sort_unstable_by(|a, b| b.size_bytes.cmp(&a.size_bytes).then(a.start.cmp(&b.start)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(start: u64, end: u64) -> Mapping {
        crate::kernel::maps::test_mapping(start, end)
    }

    #[test]
    fn between_only_largest_first() {
        let maps = [
            m(0x1000, 0x2000),
            m(0x2000, 0x3000),
            m(0x5000, 0x6000),
            m(0x7000, 0x8000),
            m(0x10000, 0x11000),
        ];
        let g = gaps(&maps);
        let got: Vec<(u64, u64, u64)> = g.iter().map(|g| (g.start, g.end, g.size_bytes)).collect();
        assert_eq!(
            got,
            vec![
                (0x8000, 0x10000, 0x8000),
                (0x3000, 0x5000, 0x2000),
                (0x6000, 0x7000, 0x1000)
            ]
        );
    }

    #[test]
    fn none_for_zero_or_one_mapping_or_adjacent() {
        assert!(gaps(&[]).is_empty());
        assert!(gaps(&[m(0x1000, 0x2000)]).is_empty());
        assert!(gaps(&[m(0x1000, 0x2000), m(0x2000, 0x3000)]).is_empty());
    }

    #[test]
    fn equal_sizes_by_address() {
        let g = gaps(&[
            m(0, 0x1000),
            m(0x5000, 0x6000),
            m(0x7000, 0x8000),
            m(0x9000, 0xa000),
        ]);
        let starts: Vec<u64> = g.iter().map(|g| g.start).collect();
        assert_eq!(starts, vec![0x1000, 0x6000, 0x8000]);
    }
}
