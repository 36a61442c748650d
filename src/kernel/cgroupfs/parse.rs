//! Typed parsers for the content of cgroup control files.
//!
//! Formats are those of the kernel's "Interface Files" conventions
//! (<https://docs.kernel.org/admin-guide/cgroup-v2.html#conventions>): a single value, "max"
//! or a number, flat-keyed (`key value` per line: cpu.stat, memory.events), nested-keyed
//! (`key sub=value ...`: the PSI files, <https://docs.kernel.org/accounting/psi.html>), and
//! the v1 formats of <https://docs.kernel.org/admin-guide/cgroup-v1/>.
//!
//! Every parser takes untrusted bytes and returns `None` for anything it does not
//! understand: a garbled file is shown as absent, never as zero, and never panics.

use crate::model::{Limit, PsiLine, PsiResource};

/// The value without surrounding ASCII whitespace (the kernel ends every file with `\n`).
pub(super) fn trim(b: &[u8]) -> &[u8] {
    b.trim_ascii()
}

/// A plain decimal `u64` (no sign, no spaces inside, overflow refused).
pub(super) fn parse_u64(b: &[u8]) -> Option<u64> {
    let b = trim(b);
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(b).ok()?.parse().ok()
}

/// A decimal `i64`, with an optional leading `-` (v1 cpu.cfs_quota_us is `-1` when unlimited).
pub(super) fn parse_i64(b: &[u8]) -> Option<i64> {
    let b = trim(b);
    let digits = b.strip_prefix(b"-").unwrap_or(b);
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(b).ok()?.parse().ok()
}

/// A v2 limit: `max` or a number (memory.max, memory.high, pids.max; v1 pids.max too).
pub(super) fn parse_limit(b: &[u8]) -> Option<Limit> {
    limit_word(trim(b))
}

fn limit_word(w: &[u8]) -> Option<Limit> {
    if w == b"max" {
        Some(Limit::Max)
    } else {
        parse_u64(w).map(Limit::Value)
    }
}

/// v1 memory "unlimited": the kernel shows PAGE_COUNTER_MAX pages in bytes, i.e. LONG_MAX
/// rounded down to the page size (9223372036854771712 with 4 KiB pages, a bit less with
/// 64 KiB pages). Anything at or above 2^62 bytes is no real limit.
pub(super) const V1_UNLIMITED_FLOOR: u64 = 1 << 62;

/// v1 memory.limit_in_bytes (and friends): a number, where the huge "unlimited" is `Max`.
pub(super) fn parse_v1_mem_limit(b: &[u8]) -> Option<Limit> {
    let v = parse_u64(b)?;
    Some(if v >= V1_UNLIMITED_FLOOR {
        Limit::Max
    } else {
        Limit::Value(v)
    })
}

/// v1 cpu.cfs_quota_us: microseconds, or `-1` for no quota (cgroup-v1 docs, sched-bwc).
pub(super) fn parse_v1_quota(b: &[u8]) -> Option<Limit> {
    let v = parse_i64(b)?;
    if v < 0 {
        Some(Limit::Max)
    } else {
        u64::try_from(v).ok().map(Limit::Value)
    }
}

/// v2 cpu.max: `$MAX $PERIOD`, where `$MAX` may be `max`. The period is optional on input
/// to the kernel but always printed; a missing period is `None`.
pub(super) fn parse_cpu_max(b: &[u8]) -> Option<(Limit, Option<u64>)> {
    let mut words = trim(b)
        .split(u8::is_ascii_whitespace)
        .filter(|w| !w.is_empty());
    let quota = limit_word(words.next()?)?;
    let period = match words.next() {
        Some(w) => Some(parse_u64(w)?),
        None => None,
    };
    if words.next().is_some() {
        return None;
    }
    Some((quota, period))
}

/// A `0`/`1` flag (cgroup.freeze, v1 freezer.self_freezing / parent_freezing).
pub(super) fn parse_flag(b: &[u8]) -> Option<bool> {
    match trim(b) {
        b"0" => Some(false),
        b"1" => Some(true),
        _ => None,
    }
}

/// Iterates a flat-keyed file: `key value` per line. Lines that do not have exactly a key
/// and an unsigned number are skipped.
pub(super) fn flat_keyed(b: &[u8]) -> impl Iterator<Item = (&[u8], u64)> {
    b.split(|&c| c == b'\n').filter_map(|line| {
        let mut words = line.split(|&c| c == b' ').filter(|w| !w.is_empty());
        let key = words.next()?;
        let value = parse_u64(words.next()?)?;
        match words.next() {
            Some(_) => None,
            None => Some((key, value)),
        }
    })
}

/// One key of a flat-keyed file (the first occurrence).
pub(super) fn flat_get(b: &[u8], key: &str) -> Option<u64> {
    flat_keyed(b)
        .find(|(k, _)| *k == key.as_bytes())
        .map(|(_, v)| v)
}

/// A PSI file (cpu.pressure, memory.pressure, io.pressure):
/// `some avg10=0.00 avg60=0.00 avg300=0.00 total=0` and the same with `full`.
/// Returns `None` when neither line parses (e.g. an empty file).
pub(super) fn parse_psi(b: &[u8]) -> Option<PsiResource> {
    let mut res = PsiResource::default();
    for line in b.split(|&c| c == b'\n') {
        let mut words = line.split(|&c| c == b' ').filter(|w| !w.is_empty());
        let slot = match words.next() {
            Some(b"some") => &mut res.some,
            Some(b"full") => &mut res.full,
            _ => continue,
        };
        if let Some(psi) = psi_line(words) {
            *slot = Some(psi);
        }
    }
    (res.some.is_some() || res.full.is_some()).then_some(res)
}

fn psi_line<'a>(words: impl Iterator<Item = &'a [u8]>) -> Option<PsiLine> {
    let (mut avg10, mut avg60, mut avg300, mut total) = (None, None, None, None);
    for w in words {
        let eq = w.iter().position(|&c| c == b'=')?;
        let (key, value) = (w.get(..eq)?, w.get(eq + 1..)?);
        match key {
            b"avg10" => avg10 = Some(psi_avg(value)?),
            b"avg60" => avg60 = Some(psi_avg(value)?),
            b"avg300" => avg300 = Some(psi_avg(value)?),
            b"total" => total = Some(parse_u64(value)?),
            _ => {} // a future key is not an error
        }
    }
    Some(PsiLine {
        avg10: avg10?,
        avg60: avg60?,
        avg300: avg300?,
        total_usec: total?,
    })
}

/// A PSI average: a percentage printed as `12.34`; only digits and one dot are accepted.
fn psi_avg(b: &[u8]) -> Option<f64> {
    if b.is_empty() || !b.iter().all(|c| c.is_ascii_digit() || *c == b'.') {
        return None;
    }
    let v: f64 = std::str::from_utf8(b).ok()?.parse().ok()?;
    v.is_finite().then_some(v)
}

/// cgroup.procs: one pid per line. Lines that are not a positive pid are skipped; the
/// result is sorted (v2 lists pids in css_set order, not numerically).
pub(super) fn parse_pids(b: &[u8], out: &mut Vec<i32>) {
    out.clear();
    out.extend(
        b.split(|&c| c == b'\n')
            .filter_map(|l| parse_u64(l).and_then(|v| i32::try_from(v).ok()))
            .filter(|&p| p > 0),
    );
    out.sort_unstable();
    out.dedup();
}

/// v1 freezer.state: `THAWED`, `FREEZING` or `FROZEN`; anything else is `None`.
pub(super) fn parse_v1_freezer_state(b: &[u8]) -> Option<String> {
    match trim(b) {
        s @ (b"THAWED" | b"FREEZING" | b"FROZEN") => Some(String::from_utf8_lossy(s).into_owned()),
        _ => None,
    }
}

/// Space-separated words (cgroup.controllers), display-safe.
pub(super) fn parse_words(b: &[u8]) -> Vec<String> {
    trim(b)
        .split(u8::is_ascii_whitespace)
        .filter(|w| !w.is_empty())
        .map(crate::text::display_safe)
        .collect()
}

/// A cpuset list (`0-3,8`), display-safe; an empty list (v2: "use the parent's") is kept.
pub(super) fn parse_cpu_list(b: &[u8]) -> Option<String> {
    let t = trim(b);
    t.iter()
        .all(|c| c.is_ascii_digit() || *c == b'-' || *c == b',' || *c == b':' || *c == b'/')
        .then(|| String::from_utf8_lossy(t).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn numbers() {
        assert_eq!(parse_u64(b"42\n"), Some(42));
        assert_eq!(parse_u64(b"42"), Some(42)); // no trailing newline
        assert_eq!(parse_u64(b""), None);
        assert_eq!(parse_u64(b"\n"), None);
        assert_eq!(parse_u64(b"-1"), None);
        assert_eq!(parse_u64(b"+1"), None);
        assert_eq!(parse_u64(b"4 2"), None);
        assert_eq!(parse_u64(b"18446744073709551615"), Some(u64::MAX));
        assert_eq!(parse_u64(b"18446744073709551616"), None); // overflow
        assert_eq!(parse_u64(b"\xff"), None);
        assert_eq!(parse_i64(b"-1\n"), Some(-1));
        assert_eq!(parse_i64(b"-"), None);
        assert_eq!(parse_i64(b"--1"), None);
        assert_eq!(parse_i64(b"9223372036854775808"), None);
    }

    #[test]
    fn limits() {
        assert_eq!(parse_limit(b"max\n"), Some(Limit::Max));
        assert_eq!(parse_limit(b"1048576\n"), Some(Limit::Value(1 << 20)));
        assert_eq!(parse_limit(b"MAX"), None);
        assert_eq!(parse_limit(b"maximum"), None);
        assert_eq!(parse_limit(b""), None);
        assert_eq!(parse_limit(b"-5"), None);
        assert_eq!(
            parse_v1_mem_limit(b"9223372036854771712\n"),
            Some(Limit::Max)
        );
        assert_eq!(parse_v1_mem_limit(b"9223372036854710272"), Some(Limit::Max)); // 64K pages
        assert_eq!(
            parse_v1_mem_limit(b"67108864\n"),
            Some(Limit::Value(64 << 20))
        );
        assert_eq!(parse_v1_mem_limit(b"max"), None);
        assert_eq!(parse_v1_quota(b"-1\n"), Some(Limit::Max));
        assert_eq!(parse_v1_quota(b"50000\n"), Some(Limit::Value(50_000)));
        assert_eq!(parse_v1_quota(b"x"), None);
    }

    #[test]
    fn cpu_max() {
        assert_eq!(
            parse_cpu_max(b"max 100000\n"),
            Some((Limit::Max, Some(100_000)))
        );
        assert_eq!(
            parse_cpu_max(b"50000 100000"),
            Some((Limit::Value(50_000), Some(100_000)))
        );
        assert_eq!(parse_cpu_max(b"max"), Some((Limit::Max, None)));
        assert_eq!(parse_cpu_max(b""), None);
        assert_eq!(parse_cpu_max(b"max 100000 7"), None);
        assert_eq!(parse_cpu_max(b"max -1"), None);
        assert_eq!(parse_cpu_max(b"1 99999999999999999999"), None);
    }

    #[test]
    fn flags_and_states() {
        assert_eq!(parse_flag(b"1\n"), Some(true));
        assert_eq!(parse_flag(b"0"), Some(false));
        assert_eq!(parse_flag(b"2"), None);
        assert_eq!(parse_flag(b""), None);
        assert_eq!(
            parse_v1_freezer_state(b"FROZEN\n").as_deref(),
            Some("FROZEN")
        );
        assert_eq!(parse_v1_freezer_state(b"THAWED").as_deref(), Some("THAWED"));
        assert_eq!(parse_v1_freezer_state(b"frozen"), None);
        assert_eq!(parse_v1_freezer_state(b"\x1b[31m"), None);
    }

    #[test]
    fn flat_keyed_files() {
        let stat =
            b"usage_usec 172796983\nuser_usec 131446974\nsystem_usec 41350008\nnice_usec 0\n";
        assert_eq!(flat_get(stat, "usage_usec"), Some(172_796_983));
        assert_eq!(flat_get(stat, "nice_usec"), Some(0));
        assert_eq!(flat_get(stat, "nr_periods"), None); // absent is None, never 0
        assert_eq!(flat_get(b"oom_kill 3", "oom_kill"), Some(3)); // no newline
        assert_eq!(flat_get(b"oom_kill x\noom_kill 4", "oom_kill"), Some(4));
        assert_eq!(flat_get(b"oom_kill 1 2\n", "oom_kill"), None);
        assert_eq!(flat_get(b"oom_kill -1\n", "oom_kill"), None);
        assert_eq!(flat_get(b"", "x"), None);
        assert_eq!(flat_keyed(b"\n\n a\n").count(), 0);
    }

    #[test]
    fn psi() {
        let p = parse_psi(
            b"some avg10=0.92 avg60=2.16 avg300=2.01 total=10723721\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n",
        );
        let p = p.unwrap();
        let some = p.some.unwrap();
        assert_eq!(some.avg10, 0.92);
        assert_eq!(some.avg300, 2.01);
        assert_eq!(some.total_usec, 10_723_721);
        assert_eq!(p.full.unwrap().total_usec, 0);
        // cpu.pressure of the root had no `full` line before 5.13
        let only = parse_psi(b"some avg10=1.00 avg60=0.00 avg300=0.00 total=5").unwrap();
        assert!(only.full.is_none());
        assert_eq!(parse_psi(b""), None);
        assert_eq!(parse_psi(b"some avg10=x avg60=0 avg300=0 total=0"), None);
        assert_eq!(parse_psi(b"some avg10=1 avg60=0 avg300=0"), None);
        assert_eq!(parse_psi(b"some avg10=NaN avg60=0 avg300=0 total=0"), None);
        assert_eq!(parse_psi(b"some avg10=inf avg60=0 avg300=0 total=0"), None);
        assert_eq!(parse_psi(b"some avg10 avg60=0 avg300=0 total=0"), None);
    }

    #[test]
    fn pids_and_words() {
        let mut v = vec![99];
        parse_pids(b"12\n3\nx\n-4\n0\n99999999999\n3\n7", &mut v);
        assert_eq!(v, vec![3, 7, 12]);
        parse_pids(b"", &mut v);
        assert!(v.is_empty());
        assert_eq!(
            parse_words(b"cpuset cpu io memory\n"),
            vec!["cpuset", "cpu", "io", "memory"]
        );
        assert!(parse_words(b"\n").is_empty());
        assert_eq!(parse_words(b"a\x1bb"), vec!["a\\x1bb"]);
        assert_eq!(parse_cpu_list(b"0-3,8\n").as_deref(), Some("0-3,8"));
        assert_eq!(parse_cpu_list(b"\n").as_deref(), Some(""));
        assert_eq!(parse_cpu_list(b"0-1\x1b"), None);
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(b in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = parse_u64(&b);
            let _ = parse_i64(&b);
            let _ = parse_limit(&b);
            let _ = parse_v1_mem_limit(&b);
            let _ = parse_v1_quota(&b);
            let _ = parse_cpu_max(&b);
            let _ = parse_flag(&b);
            let _ = flat_keyed(&b).count();
            let _ = parse_psi(&b);
            let mut v = Vec::new();
            parse_pids(&b, &mut v);
            prop_assert!(v.iter().all(|&p| p > 0));
            let _ = parse_v1_freezer_state(&b);
            for w in parse_words(&b) {
                prop_assert!(!w.chars().any(char::is_control));
            }
            let _ = parse_cpu_list(&b);
        }

        #[test]
        fn numbers_round_trip(n in any::<u64>()) {
            prop_assert_eq!(parse_u64(format!("{n}\n").as_bytes()), Some(n));
            prop_assert_eq!(parse_limit(n.to_string().as_bytes()), Some(Limit::Value(n)));
            let line = format!("k {n}\n");
            prop_assert_eq!(flat_get(line.as_bytes(), "k"), Some(n));
        }

        #[test]
        fn psi_round_trip(a in 0u32..10000, t in any::<u64>()) {
            let text = format!("some avg10={}.{:02} avg60=0.00 avg300=0.00 total={t}\n", a / 100, a % 100);
            let p = parse_psi(text.as_bytes()).and_then(|p| p.some);
            prop_assert_eq!(p.map(|l| l.total_usec), Some(t));
        }
    }
}
