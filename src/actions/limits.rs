//! Limits as a person types them, parsed exactly, and written in the kernel's canonical form.
//!
//! Nothing is passed raw to the kernel: `1.5G`, `512KiB`, `max`, `0.5` (CPUs) or
//! `50000/100000` (quota/period) are parsed here, checked (no negative values, no hex, no
//! exponent, no silent wrap-around) and turned into the exact text the control file expects.
//! Sizes use binary multiples, as the kernel and systemd do: K, KB and KiB all mean 1024.

pub use crate::kernel::cgroupfs::limit_value::{CpuLimit, DEFAULT_PERIOD_USEC};
use crate::model::Limit;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LimitError {
    #[error("{0:?}: empty; give a size like 512M, or max")]
    Empty(String),
    #[error(
        "{0:?}: not a number (use digits, an optional fraction and a unit: 64M, 1.5G, 512KiB, max)"
    )]
    NotANumber(String),
    #[error("{0:?}: unknown unit {1:?} (use B, K, M, G, T, with or without B/iB)")]
    UnknownUnit(String, String),
    #[error("{0:?}: a limit cannot be negative (use max for no limit)")]
    Negative(String),
    #[error("{0:?}: too large")]
    TooLarge(String),
    #[error("{0:?}: not a whole number of bytes")]
    Fraction(String),
    #[error("{0:?}: {1}")]
    OutOfRange(String, String),
}

/// What every limit shares: surrounding spaces ignored, empty and negative refused, `max`
/// (any case) meaning no limit. Returns the trimmed text, or None for `max`.
fn common(text: &str) -> Result<Option<&str>, LimitError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(LimitError::Empty(text.to_string()));
    }
    if t.eq_ignore_ascii_case("max") {
        return Ok(None);
    }
    if t.starts_with('-') {
        return Err(LimitError::Negative(text.to_string()));
    }
    Ok(Some(t))
}

/// A memory size: `max` or bytes.
pub fn parse_size(text: &str) -> Result<Limit, LimitError> {
    let Some(t) = common(text)? else {
        return Ok(Limit::Max);
    };
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    if number.is_empty() {
        return Err(LimitError::NotANumber(text.to_string()));
    }
    let multiplier: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        "t" | "tb" | "tib" => 1 << 40,
        _ => {
            return Err(LimitError::UnknownUnit(
                text.to_string(),
                unit.trim().to_string(),
            ));
        }
    };
    let bytes = scaled(number, multiplier).map_err(|e| e.for_input(text))?;
    Ok(Limit::Value(bytes))
}

/// `number` (digits, optionally one `.` and more digits) times `multiplier`, exactly.
fn scaled(number: &str, multiplier: u64) -> Result<u64, ScaleError> {
    let (whole, frac) = match number.split_once('.') {
        Some((w, f)) => (w, f),
        None => (number, ""),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(whole) || (whole.is_empty() && digits(frac)))
        || (number.contains('.') && !digits(frac))
    {
        return Err(ScaleError::NotANumber);
    }
    // whole * multiplier + frac * multiplier / 10^len(frac), in u128 so nothing wraps.
    let w: u128 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| ScaleError::TooLarge)?
    };
    let mut total = w
        .checked_mul(u128::from(multiplier))
        .ok_or(ScaleError::TooLarge)?;
    if !frac.is_empty() {
        if frac.len() > 18 {
            return Err(ScaleError::NotANumber);
        }
        let f: u128 = frac.parse().map_err(|_| ScaleError::NotANumber)?;
        let digits = u32::try_from(frac.len()).map_err(|_| ScaleError::NotANumber)?;
        let scale = 10u128.pow(digits);
        let part = f * u128::from(multiplier);
        if !part.is_multiple_of(scale) {
            return Err(ScaleError::Fraction);
        }
        total = total
            .checked_add(part / scale)
            .ok_or(ScaleError::TooLarge)?;
    }
    u64::try_from(total).map_err(|_| ScaleError::TooLarge)
}

enum ScaleError {
    NotANumber,
    TooLarge,
    Fraction,
}

impl ScaleError {
    fn for_input(self, text: &str) -> LimitError {
        let t = text.to_string();
        match self {
            ScaleError::NotANumber => LimitError::NotANumber(t),
            ScaleError::TooLarge => LimitError::TooLarge(t),
            ScaleError::Fraction => LimitError::Fraction(t),
        }
    }
}

/// The kernel's bounds for the CPU period (kernel/sched/core.c: 1 ms to 1 s for the
/// period; the quota at least 1 ms).
const MIN_USEC: u64 = 1_000;
const MAX_PERIOD_USEC: u64 = 1_000_000;

/// `max`, a number of CPUs (`0.5`, `2`), or `QUOTA/PERIOD` in microseconds (`50000/100000`).
pub fn parse_cpu(text: &str) -> Result<CpuLimit, LimitError> {
    let Some(t) = common(text)? else {
        return Ok(CpuLimit {
            quota_usec: None,
            period_usec: DEFAULT_PERIOD_USEC,
        });
    };
    let range = |why: &str| LimitError::OutOfRange(text.to_string(), why.to_string());
    let (quota, period) = match t.split_once('/') {
        Some((q, p)) => {
            let q = scaled(q.trim(), 1).map_err(|e| e.for_input(text))?;
            let p = scaled(p.trim(), 1).map_err(|e| e.for_input(text))?;
            (q, p)
        }
        // CPUs times the default period: 0.5 -> 50000 µs of each 100000.
        None => (
            scaled(t, DEFAULT_PERIOD_USEC).map_err(|e| e.for_input(text))?,
            DEFAULT_PERIOD_USEC,
        ),
    };
    if !(MIN_USEC..=MAX_PERIOD_USEC).contains(&period) {
        return Err(range("the period must be 1000 to 1000000 µs"));
    }
    if quota < MIN_USEC {
        return Err(range("at least 0.01 CPU (a quota of 1000 µs)"));
    }
    Ok(CpuLimit {
        quota_usec: Some(quota),
        period_usec: period,
    })
}

/// `pids.max`: `max` or a count up to the kernel's highest pid (4194304).
pub fn parse_pids(text: &str) -> Result<Limit, LimitError> {
    let Some(t) = common(text)? else {
        return Ok(Limit::Max);
    };
    if !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(LimitError::NotANumber(text.to_string()));
    }
    match t.parse::<u64>() {
        Ok(n) if n <= 4_194_304 => Ok(Limit::Value(n)),
        _ => Err(LimitError::OutOfRange(
            text.to_string(),
            "at most 4194304 (PID_MAX_LIMIT)".into(),
        )),
    }
}

/// The limits of one request, each parsed (None: leave it as it is).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LimitRequest {
    /// v2 `memory.max`, v1 `memory.limit_in_bytes`: the hard limit (reclaim, then OOM kill).
    pub memory: Option<Limit>,
    /// v2 `memory.high`: the throttle (reclaim and slow down above it, never OOM kill).
    pub memory_high: Option<Limit>,
    pub cpu: Option<CpuLimit>,
    pub pids: Option<Limit>,
}

impl LimitRequest {
    /// Parses each given text; an empty or absent text leaves that limit alone. The error
    /// names the field.
    pub fn parse(
        memory: Option<&str>,
        memory_high: Option<&str>,
        cpu: Option<&str>,
        pids: Option<&str>,
    ) -> Result<LimitRequest, String> {
        fn field<T>(
            name: &str,
            text: Option<&str>,
            parse: fn(&str) -> Result<T, LimitError>,
        ) -> Result<Option<T>, String> {
            text.filter(|t| !t.trim().is_empty())
                .map(|t| parse(t).map_err(|e| format!("{name}: {e}")))
                .transpose()
        }
        let req = LimitRequest {
            memory: field("memory", memory, parse_size)?,
            memory_high: field("memory high", memory_high, parse_size)?,
            cpu: field("cpu", cpu, parse_cpu)?,
            pids: field("pids", pids, parse_pids)?,
        };
        if req == LimitRequest::default() {
            return Err("nothing to set: give a memory, cpu or pids limit".into());
        }
        Ok(req)
    }
}

#[cfg(test)]
mod tests;
