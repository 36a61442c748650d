//! boxtop's own cost, from getrusage(2): what the benchmarks measure from inside.

use nix::sys::resource::{UsageWho, getrusage};

/// User + system CPU time of this process so far, in microseconds (0 if unreadable).
pub fn cpu_usec() -> u64 {
    match getrusage(UsageWho::RUSAGE_SELF) {
        Ok(u) => {
            let t = |tv: nix::sys::time::TimeVal| {
                u64::try_from(tv.tv_sec()).unwrap_or(0) * 1_000_000
                    + u64::try_from(tv.tv_usec()).unwrap_or(0)
            };
            t(u.user_time()) + t(u.system_time())
        }
        Err(_) => 0,
    }
}

/// The peak resident set of this process, in KiB (ru_maxrss; 0 if unreadable).
pub fn max_rss_kib() -> i64 {
    getrusage(UsageWho::RUSAGE_SELF)
        .map(|u| u.max_rss())
        .unwrap_or(0)
}
