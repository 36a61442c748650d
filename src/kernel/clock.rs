//! Wall-clock time as a person reads it, for the event log.

/// The local wall-clock time, HH:MM:SS (localtime_r(3), which reads the zone from
/// /etc/localtime or TZ; UTC if the zone cannot be read).
pub fn local_hms() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    local_hms_at(secs)
}

/// The local wall-clock time of `secs` since the epoch, HH:MM:SS.
pub fn local_hms_at(secs: u64) -> String {
    let t = libc::time_t::try_from(secs).unwrap_or(0);
    // SAFETY: libc::tm is plain integers and a pointer; all-zero is a valid value of it.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    // SAFETY: localtime_r reads the time_t and writes only into the tm, both ours and alive.
    let ok = unsafe { !libc::localtime_r(&raw const t, &raw mut tm).is_null() };
    if ok {
        format!("{:02}:{:02}:{:02}", tm.tm_hour, tm.tm_min, tm.tm_sec)
    } else {
        let s = secs % 86_400;
        format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    }
}

/// The local broken-down time of `secs` since the epoch.
fn local_tm(secs: u64) -> Option<libc::tm> {
    let t = libc::time_t::try_from(secs).ok()?;
    // SAFETY: libc::tm is plain integers and a pointer; all-zero is a valid value of it.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    // SAFETY: localtime_r reads the time_t and writes only into the tm, both ours and alive.
    let ok = unsafe { !libc::localtime_r(&raw const t, &raw mut tm).is_null() };
    ok.then_some(tm)
}

/// The local date and time of `ms` since the epoch, `2026-12-02 10:42:05`.
pub fn local_datetime_at(ms: u64) -> String {
    match local_tm(ms / 1000) {
        Some(tm) => format!(
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
            tm.tm_year + 1900,
            tm.tm_mon + 1,
            tm.tm_mday,
            tm.tm_hour,
            tm.tm_min,
            tm.tm_sec
        ),
        None => format!("{ms} ms"),
    }
}

/// The instant a typed time names, in milliseconds since the epoch: clock times are local
/// (mktime(3), daylight saving time as the zone says), on the local day of `end_ms` (the
/// recording's last sample) when no date is given; `-5m` is back from `end_ms`.
pub fn resolve(when: crate::model::when::When, end_ms: u64) -> Result<u64, String> {
    use crate::model::when::When;
    let (y, mo, d, h, m, s) = match when {
        When::Epoch(ms) => return Ok(ms),
        When::Back(ms) => return Ok(end_ms.saturating_sub(ms)),
        When::Clock { h, m, s } => {
            let tm = local_tm(end_ms / 1000).ok_or("the local time zone cannot be read")?;
            (tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, h, m, s)
        }
        When::DateTime {
            year,
            month,
            day,
            h,
            m,
            s,
        } => (year, i32::from(month), i32::from(day), h, m, s),
    };
    // SAFETY: libc::tm is plain integers and a pointer; all-zero is a valid value of it.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = i32::from(h);
    tm.tm_min = i32::from(m);
    tm.tm_sec = i32::from(s);
    tm.tm_isdst = -1; // the zone's rules decide
    // SAFETY: mktime reads and normalises the tm, which is ours and alive.
    let t = unsafe { libc::mktime(&raw mut tm) };
    u64::try_from(t)
        .map(|secs| secs * 1000)
        .map_err(|_| "that time is before 1970".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::when::When;

    #[test]
    fn a_clock_time_is_on_the_day_of_the_recordings_end_and_round_trips() {
        let end = 1_796_248_417_000; // 2026-12-02T21:53:37Z
        let shown = local_datetime_at(end);
        let back = resolve(When::parse(&shown).unwrap(), end).unwrap();
        assert_eq!(back, end);
        let clock = resolve(When::parse(&shown[11..]).unwrap(), end).unwrap();
        assert_eq!(clock, end);
        assert_eq!(resolve(When::Back(60_000), end), Ok(end - 60_000));
        assert_eq!(resolve(When::Epoch(5), end), Ok(5));
    }
}
