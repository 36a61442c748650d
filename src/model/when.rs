//! A time as a person types it to move in a recording (`snapshot --at`, `replay --at`, `t`
//! in replay): `10:42`, `10:42:05`, `2026-12-02 10:42`, `-5m` (back from the end), or
//! milliseconds since the epoch. Parsing only; `kernel::clock::resolve` turns clock times
//! into instants with the local time zone.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// A local clock time on the day of the recording's last sample.
    Clock { h: u8, m: u8, s: u8 },
    /// A local date and time.
    DateTime {
        year: i32,
        month: u8,
        day: u8,
        h: u8,
        m: u8,
        s: u8,
    },
    /// Milliseconds back from the recording's last sample.
    Back(u64),
    /// Milliseconds since the epoch.
    Epoch(u64),
}

impl When {
    pub fn parse(text: &str) -> Result<When, String> {
        let t = text.trim();
        let bad = || {
            format!(
                "{text:?} is not a time: give 10:42, 10:42:05, 2026-12-02 10:42, -5m (back from the end) or milliseconds since the epoch"
            )
        };
        if let Some(back) = t.strip_prefix('-') {
            return back_ms(back).map(When::Back).ok_or_else(bad);
        }
        // Ten digits at least: `10` is not 10 ms after 1970 but a mistyped clock time.
        if t.len() >= 10 && t.bytes().all(|b| b.is_ascii_digit()) {
            return t.parse().map(When::Epoch).map_err(|_| bad());
        }
        let (date, clock) = match t.split_once([' ', 'T']) {
            Some((d, c)) => (Some(d), c),
            None => (None, t),
        };
        let (h, m, s) = clock_of(clock).ok_or_else(bad)?;
        match date {
            None => Ok(When::Clock { h, m, s }),
            Some(d) => {
                let mut it = d.splitn(3, '-');
                let year = it.next().and_then(|v| v.parse().ok()).ok_or_else(bad)?;
                let month = num(it.next(), 1, 12).ok_or_else(bad)?;
                let day = num(it.next(), 1, 31).ok_or_else(bad)?;
                Ok(When::DateTime {
                    year,
                    month,
                    day,
                    h,
                    m,
                    s,
                })
            }
        }
    }
}

fn num(v: Option<&str>, lo: u8, hi: u8) -> Option<u8> {
    let v = v?;
    (!v.is_empty() && v.len() <= 2)
        .then(|| v.parse().ok())
        .flatten()
        .filter(|n| (lo..=hi).contains(n))
}

fn clock_of(c: &str) -> Option<(u8, u8, u8)> {
    let mut it = c.split(':');
    let h = num(it.next(), 0, 23)?;
    let m = num(it.next(), 0, 59)?;
    let s = match it.next() {
        Some(v) => num(Some(v), 0, 60)?,
        None => 0,
    };
    it.next().is_none().then_some((h, m, s))
}

/// `5m`, `90s`, `2h`, `1d`: milliseconds.
fn back_ms(t: &str) -> Option<u64> {
    let split = t.find(|c: char| !c.is_ascii_digit())?;
    let (n, unit) = t.split_at(split);
    let n: u64 = n.parse().ok()?;
    let per = match unit {
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        _ => return None,
    };
    n.checked_mul(per)
}

#[cfg(test)]
mod tests {
    use super::When;

    #[test]
    fn the_spellings_a_person_types() {
        assert_eq!(When::parse("10:42"), Ok(When::Clock { h: 10, m: 42, s: 0 }));
        assert_eq!(
            When::parse(" 9:05:30 "),
            Ok(When::Clock { h: 9, m: 5, s: 30 })
        );
        assert_eq!(When::parse("-5m"), Ok(When::Back(300_000)));
        assert_eq!(When::parse("-90s"), Ok(When::Back(90_000)));
        assert_eq!(
            When::parse("1796248417000"),
            Ok(When::Epoch(1_796_248_417_000))
        );
        assert_eq!(
            When::parse("2026-12-02 10:42"),
            Ok(When::DateTime {
                year: 2026,
                month: 12,
                day: 2,
                h: 10,
                m: 42,
                s: 0
            })
        );
        assert!(When::parse("2026-12-02T10:42:01").is_ok());
    }

    #[test]
    fn nonsense_is_refused_with_the_spellings_that_work() {
        for bad in [
            "",
            "25:00",
            "10:60",
            "10",
            "-5",
            "-5y",
            "1:2:3:4",
            "2026-13-01 10:00",
            "ten",
            "10:4x",
        ] {
            let e = When::parse(bad).unwrap_err();
            assert!(e.contains("10:42"), "{bad}: {e}");
        }
    }
}
