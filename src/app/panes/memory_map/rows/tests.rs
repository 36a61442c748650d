use super::*;
use crate::kernel::maps::test_map::{anon, classic, huge, map_of, mapping, placed};
use crate::model::MappingKind;

fn kinds(map: &MemoryMap) -> Vec<String> {
    let idx = RowIndex::new(map);
    idx.window(map, 0)
        .map(|(n, r)| match r {
            Row::Mapping { index, .. } => format!("{n}:m{index}"),
            Row::Gap { after, start, end } => format!("{n}:g{after}:{start:x}-{end:x}"),
            Row::End(u) => format!("{n}:end:{:x}", u.top),
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
    // 8 mappings; holes after prog data, heap, anon, stack and (up to the end of user
    // space) the vDSO; the end's row; then [vsyscall].
    assert_eq!(idx.len(), 14);
    let all: Vec<(usize, Row)> = idx.window(&map, 0).collect();
    assert_eq!(all.len(), 14);
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
    assert_eq!(
        idx.row(&map, 11),
        Some(Row::Gap {
            after: 6,
            start: 0x7ffc_0010_2000,
            end: 0x7fff_ffff_f000
        })
    );
    assert!(matches!(idx.row(&map, 12), Some(Row::End(u)) if u.top == 0x7fff_ffff_f000));
    assert!(matches!(
        idx.row(&map, 13),
        Some(Row::Mapping { index: 7, mapping }) if mapping.kind == MappingKind::KernelHalf
    ));
    assert_eq!(idx.row(&map, 14), None);
    assert_eq!(idx.window(&map, 99).count(), 0);
}

#[test]
fn the_end_of_user_space_comes_after_the_last_gap_and_before_the_kernels_half() {
    let top = 0x7fff_ffff_f000u64;
    let vsyscall = || {
        mapping(
            0xffff_ffff_ff60_0000,
            0xffff_ffff_ff60_1000,
            MappingKind::Special,
            Some("[vsyscall]"),
        )
    };
    let anon = |s, e| mapping(s, e, MappingKind::Anonymous, None);
    // A hole up to the top: a gap row ending at the top, the end, [vsyscall]; no gap row
    // between the end and [vsyscall].
    let low = 0x5555_0000_0000u64;
    let map = placed(map_of(vec![anon(low, low + 0x1000), vsyscall()]));
    assert_eq!(
        kinds(&map),
        [
            "0:m0",
            "1:g0:555500001000-7ffffffff000",
            "2:end:7ffffffff000",
            "3:m1"
        ]
    );
    // A mapping ending exactly at the top: no gap, the end right after it.
    let map = placed(map_of(vec![
        anon(low, low + 0x1000),
        anon(0x7fff_fff0_0000, top),
    ]));
    assert_eq!(
        kinds(&map),
        [
            "0:m0",
            "1:g0:555500001000-7ffffff00000",
            "2:m1",
            "3:end:7ffffffff000"
        ]
    );
    // A 32-bit process's end is IA32_PAGE_OFFSET, and it has no [vsyscall].
    let map = placed(map_of(vec![anon(0x0804_8000, 0x0804_9000)]));
    assert_eq!(
        kinds(&map),
        ["0:m0", "1:g0:8049000-ffffe000", "2:end:ffffe000"]
    );
    // No [vsyscall] (vsyscall=none): the end is the last row.
    let map = placed(map_of(vec![anon(0x7f00_0000_0000, 0x7f00_0000_1000)]));
    assert_eq!(
        kinds(&map),
        [
            "0:m0",
            "1:g0:7f0000001000-7ffffffff000",
            "2:end:7ffffffff000"
        ]
    );
    // Every window start agrees with the walk from the top.
    let map = classic();
    let idx = RowIndex::new(&map);
    let all: Vec<(usize, Row)> = idx.window(&map, 0).collect();
    for n in 0..all.len() {
        assert_eq!(idx.window(&map, n).next(), all.get(n).copied(), "row {n}");
    }
}

#[test]
fn gaps_are_found_again_in_either_view() {
    let map = classic();
    let idx = RowIndex::new(&map);
    for (j, g) in map.gaps.iter().enumerate() {
        let row = idx.row_of_gap(&map, g.start).expect("in address order");
        assert!(
            matches!(idx.row(&map, row), Some(Row::Gap { start, end, .. }) if start == g.start && end == g.end)
        );
        assert_eq!(super::super::by_size::row_of_gap(&map, g.start), Some(j));
        assert!(matches!(
            super::super::by_size::row(&map, j),
            Some(Row::Gap { start, .. }) if start == g.start
        ));
    }
    assert_eq!(idx.row_of_gap(&map, 0x1234), None);
    // By size: biggest first, each after the mapping that ends where it starts.
    let sizes: Vec<u64> = super::super::by_size::window(&map, 0)
        .map(|(_, r)| match r {
            Row::Gap { after, start, end } => {
                assert_eq!(map.mappings[after].end, start);
                end - start
            }
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(sizes.len(), 5);
    assert!(sizes.windows(2).all(|w| w[0] >= w[1]));
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
            Row::End(_) => panic!("no end where the layout is not known"),
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
