use super::*;
use crate::kernel::maps::test_map::{map_of, mapping};
use crate::model::Mapping;

fn m(start: u64, end: u64) -> Mapping {
    crate::kernel::maps::test_mapping(start, end)
}

const VSYSCALL: (u64, u64) = (0xffff_ffff_ff60_0000, 0xffff_ffff_ff60_1000);

/// The top, the width and the rule of a detected end.
type End = Option<(u64, u8, UserSpaceRule)>;

fn top_of(arch: Arch, maps: &[Mapping]) -> End {
    detect(arch, maps).map(|u| (u.top, u.bits, u.rule))
}

#[test]
fn the_tops_are_the_kernels() {
    assert_eq!(X86_64_TOP_47, 0x7fff_ffff_f000);
    assert_eq!(X86_64_TOP_56, 0x00ff_ffff_ffff_f000);
    assert_eq!(X86_64_TOP_COMPAT, 0xffff_e000);
}

#[test]
fn x86_64_table() {
    use UserSpaceRule::*;
    let exe = m(0x55b5_ed2f_8000, 0x55b5_ed2f_a000);
    let stack = m(0x7ffc_2660_3000, 0x7ffc_2662_4000);
    let vsyscall = m(VSYSCALL.0, VSYSCALL.1);
    let cases: [(&str, Vec<Mapping>, End); 7] = [
        ("empty: nothing to place", vec![], None),
        (
            "a 64-bit process with [vsyscall]: 47 bits, vsyscall does not make it 5-level",
            vec![exe.clone(), stack.clone(), vsyscall.clone()],
            Some((X86_64_TOP_47, 47, X86_64)),
        ),
        (
            "without [vsyscall] (vsyscall=none)",
            vec![exe.clone(), stack.clone()],
            Some((X86_64_TOP_47, 47, X86_64)),
        ),
        (
            "a mapping ending exactly at the 47-bit top is still 47-bit",
            vec![exe.clone(), m(0x7fff_fff0_0000, X86_64_TOP_47)],
            Some((X86_64_TOP_47, 47, X86_64)),
        ),
        (
            "a mapping above the 47-bit window that is not [vsyscall]: 5-level, 56 bits",
            vec![
                exe.clone(),
                stack.clone(),
                m(0x0010_0000_0000_0000, 0x0010_0000_0001_0000),
                vsyscall.clone(),
            ],
            Some((X86_64_TOP_56, 56, X86_64FiveLevel)),
        ),
        (
            "a 32-bit process: everything below 4 GiB",
            vec![m(0x0804_8000, 0x0804_9000), m(0xff8e_0000, 0xff90_1000)],
            Some((X86_64_TOP_COMPAT, 32, X86_64Compat)),
        ),
        (
            "only the kernel's half listed: no user mapping to tell",
            vec![vsyscall],
            None,
        ),
    ];
    for (what, maps, want) in cases {
        assert_eq!(top_of(Arch::X86_64, &maps), want, "{what}");
    }
}

#[test]
fn aarch64_table() {
    let exe = m(0xaaaa_d000_0000, 0xaaaa_d000_1000);
    let cases: [(&str, Vec<Mapping>, Option<u64>); 5] = [
        (
            "48-bit: the stack just below 1 << 48",
            vec![exe.clone(), m(0xffff_f000_0000, 0xffff_f002_1000)],
            Some(1 << 48),
        ),
        (
            "39-bit: the stack just below 1 << 39",
            vec![
                m(0x55_0000_0000, 0x55_0000_1000),
                m(0x7f_f000_0000, 0x7f_f002_1000),
            ],
            Some(1 << 39),
        ),
        (
            "52-bit: a mapping asked for above 48 bits",
            vec![exe.clone(), m(0x000f_0000_0000_0000, 0x000f_0000_0001_0000)],
            Some(1 << 52),
        ),
        (
            "below 4 GiB (a compat task): unsure, so no end",
            vec![m(0x1_0000, 0x2_0000), m(0xfff0_0000, 0xfff2_1000)],
            None,
        ),
        ("empty", vec![], None),
    ];
    for (what, maps, want) in cases {
        assert_eq!(detect(Arch::Aarch64, &maps).map(|u| u.top), want, "{what}");
    }
    // The aarch64 table has no guard page and no kernel page in the process's maps.
    let u = detect(Arch::Aarch64, &[exe, m(0xffff_f000_0000, 1 << 48)]);
    assert_eq!(u.map(|u| (u.bits, u.label())), Some((48, "48-bit".into())));
}

#[test]
fn other_architectures_say_nothing() {
    assert_eq!(detect(Arch::Other, &[m(0x1000, 0x2000)]), None);
}

#[test]
fn placing_marks_the_kernels_half_and_counts_gaps_to_the_top() {
    let mut map = map_of(vec![
        mapping(0x1000, 0x3000, MappingKind::Text, Some("/bin/prog")),
        mapping(
            0x7ffc_0000_0000,
            0x7ffc_0002_1000,
            MappingKind::Stack,
            Some("[stack]"),
        ),
        mapping(
            VSYSCALL.0,
            VSYSCALL.1,
            MappingKind::Special,
            Some("[vsyscall]"),
        ),
    ]);
    place_for(Arch::X86_64, &mut map);
    assert_eq!(map.user_space.map(|u| u.top), Some(X86_64_TOP_47));
    assert_eq!(map.user_space.map(|u| u.label()), Some("47-bit".into()));
    let kinds: Vec<MappingKind> = map.mappings.iter().map(|m| m.kind).collect();
    assert_eq!(
        kinds,
        [
            MappingKind::Text,
            MappingKind::Stack,
            MappingKind::KernelHalf
        ]
    );
    assert_eq!(map.user_mapping_count(), 2);
    let gaps: Vec<(u64, u64)> = map.gaps.iter().map(|g| (g.start, g.end)).collect();
    assert_eq!(
        gaps,
        [
            (0x3000, 0x7ffc_0000_0000),
            (0x7ffc_0002_1000, X86_64_TOP_47)
        ]
    );
    // The identity, through the model's own sums.
    let (start, end) = map.user_span().unwrap_or_default();
    assert_eq!((start, end), (0x1000, X86_64_TOP_47));
    assert_eq!(map.mapped_user_bytes() + map.not_used_bytes(), end - start);
    // Placing again changes nothing (the replay places recorded maps that were placed).
    let again = {
        let mut m = map.clone();
        place_for(Arch::X86_64, &mut m);
        m
    };
    assert_eq!(again, map);
    // Where the layout is not known: as before, between mappings only, vsyscall untouched.
    let mut other = map_of(vec![
        mapping(0x1000, 0x3000, MappingKind::Text, None),
        mapping(
            VSYSCALL.0,
            VSYSCALL.1,
            MappingKind::Special,
            Some("[vsyscall]"),
        ),
    ]);
    place_for(Arch::Other, &mut other);
    assert_eq!(other.user_space, None);
    assert_eq!(other.mappings[1].kind, MappingKind::Special);
    assert_eq!(other.gaps.len(), 1);
}
