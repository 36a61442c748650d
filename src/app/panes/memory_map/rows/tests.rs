use super::*;
use crate::kernel::maps::test_map::{anon, classic, huge};

fn kinds(map: &MemoryMap) -> Vec<String> {
    let idx = RowIndex::new(map);
    idx.window(map, 0)
        .map(|(n, r)| match r {
            Row::Mapping { index, .. } => format!("{n}:m{index}"),
            Row::Gap { after, start, end } => format!("{n}:g{after}:{start:x}-{end:x}"),
        })
        .collect()
}

#[test]
fn gaps_exactly_where_holes_are_and_none_at_the_ends() {
    // Holes after the 1st and 3rd mapping; the 2nd and 3rd touch.
    let map = anon(&[
        (0x1000, 0x2000),
        (0x4000, 0x5000),
        (0x5000, 0x6000),
        (0x9000, 0xa000),
    ]);
    assert_eq!(
        kinds(&map),
        [
            "0:m0",
            "1:g0:2000-4000",
            "2:m1",
            "3:m2",
            "4:g2:6000-9000",
            "5:m3"
        ]
    );
    assert_eq!(RowIndex::new(&map).len(), 6);
}

#[test]
fn empty_and_single_maps_have_no_gap_rows() {
    let empty = anon(&[]);
    assert!(RowIndex::new(&empty).is_empty());
    assert_eq!(RowIndex::new(&empty).window(&empty, 0).count(), 0);
    let one = anon(&[(0x1000, 0x2000)]);
    assert_eq!(kinds(&one), ["0:m0"]);
}

#[test]
fn lookup_at_start_middle_end_and_past_the_end() {
    let map = classic();
    let idx = RowIndex::new(&map);
    // 7 mappings; holes after prog data, heap, anon and stack.
    assert_eq!(idx.len(), 11);
    let all: Vec<(usize, Row)> = idx.window(&map, 0).collect();
    assert_eq!(all.len(), 11);
    for (n, row) in &all {
        assert_eq!(idx.row(&map, *n), Some(*row), "row {n}");
        // Starting a window anywhere gives the same rows as walking from the top.
        let from: Vec<(usize, Row)> = idx.window(&map, *n).collect();
        assert_eq!(from.as_slice(), &all[*n..]);
    }
    assert!(matches!(
        idx.row(&map, 0),
        Some(Row::Mapping { index: 0, .. })
    ));
    assert!(matches!(idx.row(&map, 2), Some(Row::Gap { after: 1, .. })));
    assert!(matches!(
        idx.row(&map, 10),
        Some(Row::Mapping { index: 6, .. })
    ));
    assert_eq!(idx.row(&map, 11), None);
    assert_eq!(idx.window(&map, 99).count(), 0);
}

#[test]
fn sixty_thousand_mappings_by_window() {
    let map = huge();
    let idx = RowIndex::new(&map);
    // 599 holes inside the run (none after the last mapping).
    assert_eq!(idx.len(), 60_000 + 599);
    // Row 100 is the first hole: after mapping 99.
    assert!(matches!(
        idx.row(&map, 100),
        Some(Row::Gap { after: 99, .. })
    ));
    assert!(matches!(
        idx.row(&map, 101),
        Some(Row::Mapping { index: 100, .. })
    ));
    // The last screenful.
    let last: Vec<(usize, Row)> = idx.window(&map, idx.len() - 20).take(40).collect();
    assert_eq!(last.len(), 20);
    assert!(matches!(last[19].1, Row::Mapping { index: 59_999, .. }));
    assert_eq!(last[19].0, idx.len() - 1);
    // A window in the middle agrees with the arithmetic: mapping k is at row k + k / 100.
    for (n, row) in idx.window(&map, 30_000).take(300) {
        match row {
            Row::Mapping { index, .. } => assert_eq!(n, index + index / 100),
            Row::Gap { after, .. } => {
                assert_eq!(after % 100, 99);
                assert_eq!(n, after + after / 100 + 1);
            }
        }
    }
}

#[test]
fn inconsistent_gap_lists_are_not_trusted() {
    let mut map = anon(&[(0x1000, 0x2000), (0x3000, 0x4000)]);
    map.gaps.push(crate::model::Gap {
        start: 0x5000,
        end: 0x6000,
        size_bytes: 0x1000,
    });
    let idx = RowIndex::new(&map);
    assert_eq!(idx.len(), 3);
    assert_eq!(idx.window(&map, 0).count(), 3);
}
