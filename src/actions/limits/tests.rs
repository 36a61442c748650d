use super::*;
use crate::kernel::cgroupfs::limit_value::{cpu_max_text, size_text};
use proptest::prelude::*;

#[test]
fn sizes_table() {
    let ok: &[(&str, Limit)] = &[
        ("max", Limit::Max),
        (" MAX ", Limit::Max),
        ("0", Limit::Value(0)),
        ("4096", Limit::Value(4096)),
        ("512B", Limit::Value(512)),
        ("64M", Limit::Value(64 << 20)),
        ("64MB", Limit::Value(64 << 20)),
        ("64MiB", Limit::Value(64 << 20)),
        ("64 m", Limit::Value(64 << 20)),
        ("1.5G", Limit::Value(3 << 29)),
        ("512KiB", Limit::Value(512 << 10)),
        (".5K", Limit::Value(512)),
        ("2T", Limit::Value(2 << 40)),
        ("16777215T", Limit::Value(16_777_215u64 << 40)),
        ("18446744073709551615", Limit::Value(u64::MAX)),
    ];
    for (text, want) in ok {
        assert_eq!(parse_size(text), Ok(*want), "{text}");
    }
    let bad: &[(&str, &str)] = &[
        ("", "empty"),
        ("  ", "empty"),
        ("-1", "negative"),
        ("-64M", "negative"),
        ("+64M", "not a number"),
        ("0x1000", "unknown unit"),
        ("1e9", "unknown unit"),
        ("64X", "unknown unit"),
        ("64MBB", "unknown unit"),
        ("1.2.3M", "not a number"),
        ("1.", "not a number"),
        (".", "not a number"),
        ("M", "not a number"),
        ("0.1", "not a whole number of bytes"),
        ("1.0000001K", "not a whole number of bytes"),
        ("18446744073709551616", "too large"),
        ("16777216T", "too large"),
        ("99999999999999999999999999999999999999999", "too large"),
    ];
    for (text, why) in bad {
        let e = parse_size(text).expect_err(text).to_string();
        assert!(e.contains(why), "{text}: {e}");
    }
}

#[test]
fn size_texts_are_canonical() {
    assert_eq!(size_text(Limit::Max, false), "max");
    assert_eq!(size_text(Limit::Max, true), "-1");
    assert_eq!(size_text(Limit::Value(67108864), false), "67108864");
}

#[test]
fn cpu_table() {
    let c = |q: Option<u64>, p: u64| CpuLimit {
        quota_usec: q,
        period_usec: p,
    };
    assert_eq!(parse_cpu("max"), Ok(c(None, 100_000)));
    assert_eq!(parse_cpu("0.5"), Ok(c(Some(50_000), 100_000)));
    assert_eq!(parse_cpu("2"), Ok(c(Some(200_000), 100_000)));
    assert_eq!(parse_cpu("1.25"), Ok(c(Some(125_000), 100_000)));
    assert_eq!(parse_cpu("50000/100000"), Ok(c(Some(50_000), 100_000)));
    assert_eq!(parse_cpu("20000 / 50000"), Ok(c(Some(20_000), 50_000)));
    assert_eq!(cpu_max_text(c(Some(50_000), 100_000)), "50000 100000");
    assert_eq!(cpu_max_text(c(None, 100_000)), "max 100000");
    for bad in [
        "",
        "-1",
        "0",
        "0.001",
        "0x10",
        "1/0",
        "50000/999",
        "50000/2000000",
        "half",
        "1e3",
        "0.0000001",
    ] {
        assert!(parse_cpu(bad).is_err(), "{bad:?} should be refused");
    }
}

#[test]
fn pids_table() {
    assert_eq!(parse_pids("max"), Ok(Limit::Max));
    assert_eq!(parse_pids("64"), Ok(Limit::Value(64)));
    assert_eq!(parse_pids("0"), Ok(Limit::Value(0)));
    assert_eq!(parse_pids("4194304"), Ok(Limit::Value(4_194_304)));
    for bad in [
        "",
        "-1",
        "4194305",
        "1.5",
        "0x40",
        "64k",
        "99999999999999999999",
    ] {
        assert!(parse_pids(bad).is_err(), "{bad:?} should be refused");
    }
}

proptest! {
    #[test]
    fn any_text_is_parsed_or_refused_never_panics(s in "\\PC{0,24}") {
        let _ = parse_size(&s);
        let _ = parse_cpu(&s);
        let _ = parse_pids(&s);
    }

    #[test]
    fn byte_counts_round_trip(n in any::<u64>()) {
        prop_assert_eq!(parse_size(&n.to_string()), Ok(Limit::Value(n)));
    }

    #[test]
    fn units_multiply_exactly(n in 0u64..(1 << 20), unit in 0usize..5) {
        let (suffix, shift) = [("", 0), ("K", 10), ("MiB", 20), ("g", 30), ("TB", 40)][unit];
        prop_assert_eq!(parse_size(&format!("{n}{suffix}")), Ok(Limit::Value(n << shift)));
    }
}
