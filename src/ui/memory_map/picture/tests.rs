use super::*;
use crate::kernel::maps::test_map::{anon, classic, huge, map_of, mapping};
use ratatui::style::Color;

fn text(line: &Line) -> String {
    line.spans.iter().map(|s| s.content.as_ref()).collect()
}

/// The bar as (colour, cells) pieces; `None` for a hole.
fn pieces(line: &Line) -> Vec<(Option<Color>, usize)> {
    line.spans
        .iter()
        .map(|s| {
            let gap = s.content.starts_with('┆');
            (
                if gap { None } else { s.style.fg },
                s.content.chars().count(),
            )
        })
        .collect()
}

/// The bar as one word per piece: `┆` a hole, `┃` the end of user space, else the colour.
fn shape(line: &Line) -> Vec<String> {
    line.spans
        .iter()
        .map(|s| match s.content.chars().next() {
            Some(c @ ('┆' | '┃')) => c.to_string(),
            _ => format!("{:?}", s.style.fg),
        })
        .collect()
}

#[test]
fn kinds_appear_in_address_order_coloured_per_kind() {
    use MappingKind::*;
    let map = classic();
    let lines = picture(&map, 60, None);
    assert_eq!(lines.len(), usize::from(HEIGHT));
    let kind = |k: MappingKind| format!("{:?}", theme::mapping(k).fg);
    let (hole, end) = (String::from("┆"), String::from("┃"));
    let want = vec![
        kind(Text),
        kind(Data),
        hole.clone(),
        kind(Heap),
        hole.clone(),
        kind(Library),
        kind(Anonymous),
        hole.clone(),
        kind(Stack),
        hole.clone(),
        kind(Special),
        // The hole up to the end of user space, the end, and the kernel's [vsyscall]: no
        // hole between the end and the kernel's half.
        hole,
        end,
        kind(KernelHalf),
    ];
    assert_eq!(shape(&lines[0]), want);
    assert_eq!(text(&lines[0]).chars().count(), 60, "fills the width");
    assert!(pieces(&lines[0]).iter().all(|(_, n)| *n >= 1));
    // Holes and the end are one thin cell; bigger runs are wider.
    assert!(
        lines[0]
            .spans
            .iter()
            .filter(|s| s.content.starts_with(['┆', '┃']))
            .all(|s| s.content.chars().count() == 1)
    );
    let width = |k: MappingKind| {
        pieces(&lines[0])
            .iter()
            .find(|(c, _)| *c == theme::mapping(k).fg)
            .map(|(_, n)| *n)
            .unwrap_or(0)
    };
    assert!(
        width(Library) > width(Data),
        "1 MiB is drawn wider than 4 KiB"
    );
}

#[test]
fn the_end_of_user_space_is_marked_with_its_address() {
    let map = classic();
    let lines = picture(&map, 60, None);
    let bar: Vec<char> = text(&lines[0]).chars().collect();
    let at = bar
        .iter()
        .position(|c| *c == '┃')
        .expect("the end is drawn");
    let marker = text(&lines[1]);
    let label = "7ffffffff000";
    let from = marker.find(label).expect("the end's address under the bar");
    assert_eq!(
        marker[..from].chars().count() + label.len(),
        at,
        "the address ends just left of the ┃:\n{}\n{marker}",
        text(&lines[0])
    );
    assert!(!marker.contains("ffffffffff601000"), "not [vsyscall]'s end");
    // The end's row selected: the ▲ stands under the ┃.
    let sel = picture(&map, 60, Some(0x7fff_ffff_f000));
    let m = text(&sel[1]).chars().position(|c| c == '▲');
    assert_eq!(m, Some(at));
    // Where the layout is not known, no end: the highest address is the last mapping's.
    let unknown = picture(&huge(), 60, None);
    assert!(!text(&unknown[0]).contains('┃'));
}

#[test]
fn legend_names_present_kinds_and_holes() {
    let legend = text(&picture(&classic(), 100, None)[2]);
    assert_eq!(
        legend.trim_end(),
        "█text █data █heap █lib █anon █stack █special █kernel ┆not used ┃end of user space"
    );
    let only_anon = text(&picture(&anon(&[(0x1000, 0x2000)]), 80, None)[2]);
    assert_eq!(only_anon.trim_end(), "█anon");
}

#[test]
fn same_kind_mappings_merge_into_one_run_across_small_holes() {
    let map = huge();
    let segs: Vec<Segment> = segments(&map).collect();
    assert_eq!(segs.len(), 1);
    let lines = picture(&map, 40, Some(0x7f00_0000_5000));
    assert_eq!(
        pieces(&lines[0]),
        vec![(theme::mapping(MappingKind::Anonymous).fg, 40)]
    );
    assert!(text(&lines[1]).contains('▲'));
}

#[test]
fn marker_sits_under_the_selected_segment() {
    let map = classic();
    let lines = picture(&map, 60, Some(0x7ffc_0000_0000)); // the stack
    let bar: Vec<char> = text(&lines[0]).chars().collect();
    let marker: Vec<char> = text(&lines[1]).chars().collect();
    let at = marker.iter().position(|c| *c == '▲').expect("a marker");
    let stack_cells: Vec<usize> = {
        let mut col = 0;
        let mut out = Vec::new();
        for (c, n) in pieces(&lines[0]) {
            if c == theme::mapping(MappingKind::Stack).fg {
                out.extend(col..col + n);
            }
            col += n;
        }
        out
    };
    assert!(stack_cells.contains(&at), "{at} in {stack_cells:?}");
    assert_eq!(bar.len(), marker.len());
    // A hole row marks its separator.
    let hole = picture(&map, 60, Some(0x5000));
    let at = text(&hole[1])
        .chars()
        .position(|c| c == '▲')
        .expect("marker");
    assert_eq!(text(&hole[0]).chars().nth(at), Some('┆'));
    // Lowest address on the left when the marker is elsewhere.
    assert!(text(&lines[1]).starts_with("1000"));
}

#[test]
fn tiny_widths_do_not_panic_and_stay_in_bounds() {
    let maps = [classic(), huge(), anon(&[]), map_of(vec![])];
    for map in &maps {
        for w in 0..20u16 {
            for sel in [
                None,
                Some(0),
                Some(0x1000),
                Some(0x7ffc_0010_1000),
                Some(u64::MAX),
            ] {
                let lines = picture(map, w, sel);
                assert_eq!(lines.len(), usize::from(HEIGHT));
                assert!(text(&lines[0]).chars().count() <= usize::from(w), "w={w}");
                assert!(text(&lines[1]).chars().count() <= usize::from(w), "w={w}");
            }
        }
    }
}

#[test]
fn narrow_bars_drop_holes_before_runs() {
    let map = classic();
    let lines = picture(&map, 8, None);
    let p = pieces(&lines[0]);
    assert!(
        p.iter().all(|(c, _)| c.is_some()),
        "no hole cells at 8 wide"
    );
    assert_eq!(p.iter().map(|(_, n)| n).sum::<usize>(), 8);
    let _ = mapping(0, 1, MappingKind::Text, None);
}

#[test]
fn log2_of_pages_is_exact_at_powers_of_two_and_close_between() {
    assert_eq!(log2_of_pages(0), 0.0);
    assert_eq!(log2_of_pages(4096), 0.0);
    assert_eq!(log2_of_pages(4096 << 10), 10.0);
    for pages in [3u64, 5, 7, 100, 1000, 123_457, 1 << 40] {
        let exact = (pages as f64).log2();
        let ours = log2_of_pages(pages * 4096);
        assert!((exact - ours).abs() < 0.09, "{pages}: {exact} vs {ours}");
    }
}
