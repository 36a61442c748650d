//! The files of a recording directory: one part per (UTC day, sequence number), each a data
//! file and its index, `2026-12-02.000.boxrec` and `2026-12-02.000.boxidx`. A writer starts a
//! new part when the day changes, when it starts (it never appends after another writer's
//! possibly torn tail), and when a part grows past its share of `--max-size`; retention
//! removes whole parts, oldest first.

use std::path::{Path, PathBuf};

pub const DATA_EXT: &str = "boxrec";
pub const INDEX_EXT: &str = "boxidx";

/// A UTC calendar day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Day {
    /// The UTC day of a time (Howard Hinnant's days-to-civil algorithm).
    pub fn of_unix_ms(ms: u64) -> Day {
        let days = i64::try_from(ms / 86_400_000).unwrap_or(0);
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Day {
            year: i32::try_from(year).unwrap_or(i32::MAX),
            month: u8::try_from(month).unwrap_or(1),
            day: u8::try_from(day).unwrap_or(1),
        }
    }

    /// Milliseconds since the epoch at the start of the day after this one (UTC).
    pub fn end_unix_ms(self) -> u64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        let days = era * 146_097 + doe - 719_468;
        u64::try_from((days + 1) * 86_400_000).unwrap_or(0)
    }
}

/// A time as the losses of a recording say it: `2026-12-02 10:42:05.300 UTC` (UTC, as the
/// parts are named: the store reads no time zone).
pub fn utc_text(ms: u64) -> String {
    let of_day = ms % 86_400_000;
    format!(
        "{} {:02}:{:02}:{:02}.{:03} UTC",
        Day::of_unix_ms(ms),
        of_day / 3_600_000,
        of_day / 60_000 % 60,
        of_day / 1000 % 60,
        of_day % 1000
    )
}

impl std::fmt::Display for Day {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// One part: a data file, and its index beside it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Part {
    pub day: Day,
    pub seq: u32,
    pub data: PathBuf,
}

impl Part {
    pub fn new(dir: &Path, day: Day, seq: u32) -> Part {
        Part {
            day,
            seq,
            data: dir.join(format!("{day}.{seq:03}.{DATA_EXT}")),
        }
    }

    pub fn index(&self) -> PathBuf {
        self.data.with_extension(INDEX_EXT)
    }

    /// The part a data file's name says, if it is one (`2026-12-02.000.boxrec`).
    pub fn parse(path: &Path) -> Option<Part> {
        let name = path.file_name()?.to_str()?;
        let stem = name.strip_suffix(&format!(".{DATA_EXT}"))?;
        let (date, seq) = stem.split_once('.')?;
        let mut it = date.splitn(3, '-');
        let year = it.next()?.parse().ok()?;
        let month = it.next()?.parse().ok().filter(|m| (1..=12).contains(m))?;
        let day = it.next()?.parse().ok().filter(|d| (1..=31).contains(d))?;
        Some(Part {
            day: Day { year, month, day },
            seq: seq.parse().ok()?,
            data: path.to_path_buf(),
        })
    }
}

/// The parts of a directory, oldest first. Files that are not parts are left alone.
pub fn list(dir: &Path) -> std::io::Result<Vec<Part>> {
    let mut parts: Vec<Part> = std::fs::read_dir(dir)?
        .filter_map(|e| Part::parse(&e.ok()?.path()))
        .collect();
    parts.sort();
    Ok(parts)
}

/// What retention removes: whole parts whose day ended before `now - retain`, then the
/// oldest parts while the total is over `max_size`. The part being written (`current`) is
/// never removed.
pub fn to_remove(
    parts: &[(Part, u64)],
    current: Option<&Part>,
    now_unix_ms: u64,
    retain_ms: Option<u64>,
    max_size: Option<u64>,
) -> Vec<Part> {
    let mut out = Vec::new();
    let mut total: u64 = parts.iter().map(|(_, size)| size).sum();
    for (part, size) in parts {
        if Some(part) == current {
            continue;
        }
        let too_old = retain_ms
            .is_some_and(|keep| part.day.end_unix_ms().saturating_add(keep) <= now_unix_ms);
        let too_big = max_size.is_some_and(|max| total > max);
        if too_old || too_big {
            out.push(part.clone());
            total = total.saturating_sub(*size);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn losses_say_the_time_in_utc() {
        // 2026-12-02T21:53:37.042Z
        assert_eq!(utc_text(1_796_248_417_042), "2026-12-02 21:53:37.042 UTC");
        assert_eq!(utc_text(0), "1970-01-01 00:00:00.000 UTC");
    }

    #[test]
    fn days_are_utc_calendar_days() {
        // 2026-12-02T21:53:37Z
        let d = Day::of_unix_ms(1_796_248_417_000);
        assert_eq!(d.to_string(), "2026-12-02");
        assert_eq!(d.end_unix_ms(), 1_796_256_000_000);
        assert_eq!(Day::of_unix_ms(0).to_string(), "1970-01-01");
        assert_eq!(Day::of_unix_ms(951_782_400_000).to_string(), "2000-02-29");
        // The last millisecond of a day is in it; the next is not.
        assert_eq!(Day::of_unix_ms(d.end_unix_ms() - 1), d);
        assert_ne!(Day::of_unix_ms(d.end_unix_ms()), d);
    }

    #[test]
    fn a_part_name_reads_back_and_other_files_are_not_parts() {
        let p = Part::new(Path::new("/r"), Day::of_unix_ms(1_796_248_417_000), 4);
        assert_eq!(p.data, Path::new("/r/2026-12-02.004.boxrec"));
        assert_eq!(p.index(), Path::new("/r/2026-12-02.004.boxidx"));
        assert_eq!(Part::parse(&p.data), Some(p));
        for not in [
            "notes.txt",
            "2026-13-02.000.boxrec",
            "2026-12-02.boxrec",
            "x.000.boxrec",
        ] {
            assert_eq!(Part::parse(Path::new(not)), None, "{not}");
        }
    }

    #[test]
    fn retention_removes_old_days_whole_then_the_oldest_while_too_big() {
        let day = |d: u8| Day {
            year: 2026,
            month: 12,
            day: d,
        };
        let parts: Vec<(Part, u64)> = (1..=4)
            .map(|d| (Part::new(Path::new("/r"), day(d), 0), 100))
            .collect();
        let current = &parts[3].0;
        let now = day(4).end_unix_ms() - 1;
        // Keep two days: day 1 ended more than two days ago, day 2 did not.
        let old = to_remove(&parts, Some(current), now, Some(2 * 86_400_000), None);
        assert_eq!(old, vec![parts[0].0.clone()]);
        // 400 bytes against 250: the oldest two go, never the one being written.
        let big = to_remove(&parts, Some(current), now, None, Some(250));
        assert_eq!(big, vec![parts[0].0.clone(), parts[1].0.clone()]);
        let all_current = to_remove(&parts[3..], Some(current), now, Some(0), Some(1));
        assert!(all_current.is_empty());
    }
}
