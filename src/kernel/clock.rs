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
