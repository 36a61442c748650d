use super::*;

fn m(start: u64, end: u64) -> Mapping {
    crate::kernel::maps::test_mapping(start, end)
}

const TOP: u64 = 0x7fff_ffff_f000;
const VSYSCALL: (u64, u64) = (0xffff_ffff_ff60_0000, 0xffff_ffff_ff60_1000);

fn triples(g: &[Gap]) -> Vec<(u64, u64, u64)> {
    g.iter().map(|g| (g.start, g.end, g.size_bytes)).collect()
}

/// The identity of [`gaps`]: the mappings below the top and the gaps tile the range from the
/// lowest mapping to the top (to the last mapping's end without a top).
fn tiles(maps: &[Mapping], top: Option<u64>, got: &[Gap]) {
    let user: Vec<&Mapping> = maps
        .iter()
        .filter(|m| top.is_none_or(|t| m.start < t))
        .collect();
    let (Some(first), Some(last)) = (user.first(), user.last()) else {
        assert!(got.is_empty(), "no user mapping, no gap");
        return;
    };
    let end = top.unwrap_or(last.end);
    let mapped: u64 = user.iter().map(|m| m.size_bytes).sum();
    let unmapped: u64 = got.iter().map(|g| g.size_bytes).sum();
    assert_eq!(mapped + unmapped, end - first.start, "{maps:x?} {got:x?}");
    assert!(
        got.iter()
            .all(|g| g.size_bytes == g.end - g.start && g.end <= end)
    );
}

#[test]
fn table() {
    struct Case {
        what: &'static str,
        maps: Vec<Mapping>,
        top: Option<u64>,
        want: Vec<(u64, u64, u64)>,
    }
    let cases = [
        Case {
            what: "empty map",
            maps: vec![],
            top: Some(TOP),
            want: vec![],
        },
        Case {
            what: "one mapping: the gap above it runs to the top",
            maps: vec![m(0x1000, 0x2000)],
            top: Some(TOP),
            want: vec![(0x2000, TOP, TOP - 0x2000)],
        },
        Case {
            what: "adjacent mappings leave no gap between them",
            maps: vec![m(0x1000, 0x2000), m(0x2000, 0x3000), m(0x3000, TOP)],
            top: Some(TOP),
            want: vec![],
        },
        Case {
            what: "a mapping ending exactly at the top leaves no last gap",
            maps: vec![m(0x1000, 0x2000), m(0x5000, TOP)],
            top: Some(TOP),
            want: vec![(0x2000, 0x5000, 0x3000)],
        },
        Case {
            what: "[vsyscall] is not user space: no gap up to it, the last runs to the top",
            maps: vec![
                m(0x1000, 0x2000),
                m(0x7ffc_0000_0000, 0x7ffc_0002_1000),
                m(VSYSCALL.0, VSYSCALL.1),
            ],
            top: Some(TOP),
            want: vec![
                (0x2000, 0x7ffc_0000_0000, 0x7ffc_0000_0000 - 0x2000),
                (0x7ffc_0002_1000, TOP, TOP - 0x7ffc_0002_1000),
            ],
        },
        Case {
            what: "largest first, equal sizes by address",
            maps: vec![
                m(0, 0x1000),
                m(0x5000, 0x6000),
                m(0x7000, 0x8000),
                m(0x9000, 0xa000),
                m(0x10000, 0x11000),
            ],
            top: Some(0x12000),
            want: vec![
                (0xa000, 0x10000, 0x6000),
                (0x1000, 0x5000, 0x4000),
                (0x6000, 0x7000, 0x1000),
                (0x8000, 0x9000, 0x1000),
                (0x11000, 0x12000, 0x1000),
            ],
        },
        Case {
            what: "only the kernel's half: no user mapping, no gap",
            maps: vec![m(VSYSCALL.0, VSYSCALL.1)],
            top: Some(TOP),
            want: vec![],
        },
        Case {
            what: "no top known: between mappings only, as far as the last",
            maps: vec![
                m(0x1000, 0x2000),
                m(0x4000, 0x5000),
                m(VSYSCALL.0, VSYSCALL.1),
            ],
            top: None,
            want: vec![
                (0x5000, VSYSCALL.0, VSYSCALL.0 - 0x5000),
                (0x2000, 0x4000, 0x2000),
            ],
        },
        Case {
            what: "no top, one mapping: nothing",
            maps: vec![m(0x1000, 0x2000)],
            top: None,
            want: vec![],
        },
    ];
    for c in cases {
        let got = gaps(&c.maps, c.top);
        assert_eq!(triples(&got), c.want, "{}", c.what);
        tiles(&c.maps, c.top, &got);
    }
}

#[test]
fn the_identity_holds_on_a_captured_process() {
    // The fixture's sleep, as maps lists it (tests/fixtures/maps/proc/6716/maps; one of its
    // paths is not UTF-8).
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/maps/proc/6716/maps"
    ))
    .unwrap_or_default();
    let text = String::from_utf8_lossy(&bytes);
    let maps: Vec<Mapping> = text
        .lines()
        .filter_map(|l| {
            let range = l.split_whitespace().next()?;
            let (s, e) = range.split_once('-')?;
            Some(m(
                u64::from_str_radix(s, 16).ok()?,
                u64::from_str_radix(e, 16).ok()?,
            ))
        })
        .collect();
    assert!(maps.len() > 40);
    let got = gaps(&maps, Some(TOP));
    tiles(&maps, Some(TOP), &got);
    assert!(got.iter().all(|g| g.end <= TOP), "nothing past the top");
    assert_eq!(
        got[0].end, 0x7f2a_c100_0000,
        "the largest is below the libraries"
    );
}
