//! Per-refresh fields of a process row, each in the bytes it needs and no more.
//!
//! Every process that ran since the last refresh gets a new row, and the snapshot being built
//! lives beside the one on screen: at 5,000 processes the row's size is a visible part of
//! boxtop's memory. glibc serves an allocation in 16-byte steps after an 8-byte header, so the
//! 88 bytes of an `Arc` of a 72-byte row take 96, where a 96-byte row (an `Option` tag on each
//! of three fields, a 4-byte `char` for one ASCII letter) took 128. Each type here says
//! "not known" without a tag, with a value the kernel never gives.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The state letter of /proc/PID/stat (field 3: R, S, D, Z, T, t, X, I, ...), one ASCII byte
/// as the kernel writes it. See proc_pid_stat(5).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProcState(u8);

impl ProcState {
    pub const fn new(letter: u8) -> ProcState {
        ProcState(letter)
    }

    pub fn letter(self) -> char {
        char::from(self.0)
    }
}

impl PartialEq<char> for ProcState {
    fn eq(&self, other: &char) -> bool {
        self.letter() == *other
    }
}

impl fmt::Display for ProcState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.letter(), f)
    }
}

impl fmt::Debug for ProcState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.letter(), f)
    }
}

impl Serialize for ProcState {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_char(self.letter())
    }
}

/// A one-letter string; any other letter the kernel may add later is kept as it is.
impl<'de> Deserialize<'de> for ProcState {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let c = char::deserialize(d)?;
        u8::try_from(c)
            .ok()
            .filter(u8::is_ascii)
            .map(ProcState)
            .ok_or_else(|| serde::de::Error::custom(format!("{c:?} is not a state letter")))
    }
}

/// A share of one CPU in percent (100.0 = one full CPU), or not known (the first sample of
/// a process): an `Option<f32>` in four bytes, NaN standing for "not known" since no
/// division of CPU time by wall time gives it.
#[derive(Clone, Copy)]
pub struct CpuPercent(f32);

impl CpuPercent {
    pub const UNKNOWN: CpuPercent = CpuPercent(f32::NAN);

    pub fn new(percent: Option<f32>) -> CpuPercent {
        CpuPercent(percent.filter(|p| !p.is_nan()).unwrap_or(f32::NAN))
    }

    pub fn get(self) -> Option<f32> {
        (!self.0.is_nan()).then_some(self.0)
    }

    /// The order of a sort by cpu %: a value not known yet (a first sample) sorts as 0.
    pub fn sort_cmp(self, other: CpuPercent) -> std::cmp::Ordering {
        self.get()
            .unwrap_or(0.0)
            .total_cmp(&other.get().unwrap_or(0.0))
    }

    pub fn is_unknown(&self) -> bool {
        self.0.is_nan()
    }
}

impl Default for CpuPercent {
    fn default() -> CpuPercent {
        CpuPercent::UNKNOWN
    }
}

/// Equal when both are unknown, or both known and equal (NaN alone would make every row
/// with an unknown share unequal to itself).
impl PartialEq for CpuPercent {
    fn eq(&self, other: &CpuPercent) -> bool {
        self.get() == other.get()
    }
}

impl fmt::Debug for CpuPercent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.get(), f)
    }
}

impl Serialize for CpuPercent {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.get().serialize(s)
    }
}

/// `null` is not known.
impl<'de> Deserialize<'de> for CpuPercent {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Option::<f32>::deserialize(d).map(CpuPercent::new)
    }
}

/// A context-switch count of /proc/PID/status, or not known (status unreadable, or not read
/// yet): an `Option<u64>` in eight bytes, `u64::MAX` standing for "not known" (a count the
/// kernel would need 584 years at a billion switches a second to reach).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct SwitchCount(u64);

impl SwitchCount {
    pub const UNKNOWN: SwitchCount = SwitchCount(u64::MAX);

    pub fn new(count: Option<u64>) -> SwitchCount {
        SwitchCount(count.filter(|c| *c != u64::MAX).unwrap_or(u64::MAX))
    }

    pub fn get(self) -> Option<u64> {
        (self.0 != u64::MAX).then_some(self.0)
    }

    pub fn is_unknown(&self) -> bool {
        self.0 == u64::MAX
    }
}

impl Default for SwitchCount {
    fn default() -> SwitchCount {
        SwitchCount::UNKNOWN
    }
}

impl fmt::Debug for SwitchCount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.get(), f)
    }
}

impl Serialize for SwitchCount {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.get().serialize(s)
    }
}

/// `null` is not known.
impl<'de> Deserialize<'de> for SwitchCount {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Option::<u64>::deserialize(d).map(SwitchCount::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_is_none_and_equal_to_itself() {
        assert_eq!(CpuPercent::default().get(), None);
        assert_eq!(CpuPercent::UNKNOWN, CpuPercent::new(None));
        assert_eq!(CpuPercent::new(Some(f32::NAN)).get(), None);
        assert_eq!(CpuPercent::new(Some(12.5)).get(), Some(12.5));
        assert_eq!(CpuPercent::new(Some(0.0)).get(), Some(0.0));
        assert_ne!(CpuPercent::new(Some(0.0)), CpuPercent::UNKNOWN);
        assert_eq!(SwitchCount::default().get(), None);
        assert_eq!(SwitchCount::new(Some(0)).get(), Some(0));
        assert_eq!(
            SwitchCount::new(Some(u64::MAX - 1)).get(),
            Some(u64::MAX - 1)
        );
        assert!(SwitchCount::new(None).is_unknown());
    }

    #[test]
    fn serialized_as_the_option_or_the_letter() {
        assert_eq!(json(&CpuPercent::new(Some(1.5))), "1.5");
        assert_eq!(json(&CpuPercent::UNKNOWN), "null");
        assert_eq!(json(&SwitchCount::new(Some(7))), "7");
        assert_eq!(json(&ProcState::new(b'Z')), "\"Z\"");
        assert_eq!(ProcState::new(b'S'), 'S');
        assert_eq!(ProcState::new(b'R').to_string(), "R");
        assert!(ProcState::new(b'D') < ProcState::new(b'S'));
    }

    fn json<T: Serialize>(v: &T) -> String {
        serde_json::to_string(v).unwrap_or_default()
    }
}
