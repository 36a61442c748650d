//! How long the host has been up, and the clock that process start times count in: what a
//! container's uptime is worked out from (its oldest member's start, stat field 22, is in
//! clock ticks since boot).
//!
//! `/proc/uptime` is two numbers, seconds since boot and idle seconds summed over the CPUs,
//! each with two decimals (proc(5), "/proc/uptime").

use super::{KernelError, Roots};

/// Seconds since boot.
pub fn read_uptime(roots: &Roots) -> Result<f64, KernelError> {
    let path = roots.proc_file("uptime");
    let text = std::fs::read_to_string(&path).map_err(|e| KernelError::from_io(&path, e))?;
    parse_uptime(&text).ok_or_else(|| KernelError::Parse {
        path,
        what: "uptime: no seconds since boot".into(),
    })
}

/// The first number of `/proc/uptime`.
pub fn parse_uptime(text: &str) -> Option<f64> {
    text.split_whitespace()
        .next()?
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s >= 0.0)
}

/// Clock ticks per second (sysconf(_SC_CLK_TCK), 100 on every Linux architecture boxtop
/// runs on; asked, not assumed).
pub fn ticks_per_second() -> u64 {
    nix::unistd::sysconf(nix::unistd::SysconfVar::CLK_TCK)
        .ok()
        .flatten()
        .and_then(|t| u64::try_from(t).ok())
        .filter(|t| *t > 0)
        .unwrap_or(100)
}

#[cfg(test)]
mod tests {
    use super::parse_uptime;

    #[test]
    fn the_first_number_is_the_uptime() {
        assert_eq!(parse_uptime("350735.47 234388.90\n"), Some(350_735.47));
        assert_eq!(parse_uptime(""), None);
        assert_eq!(parse_uptime("-1 2"), None);
        assert_eq!(parse_uptime("NaN 2"), None);
        assert_eq!(parse_uptime("abc"), None);
    }
}
