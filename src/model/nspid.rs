//! `NSpid:` of /proc/PID/status, held without an allocation in the common case: a process
//! that lives in one pid namespace has one entry. (One small allocation per process is
//! 160 KiB at 5,000 processes; most hosts' processes are in the host's pid namespace only.)

use serde::{Deserialize, Serialize};
use std::ops::Deref;
use std::sync::Arc;

/// The pid in each nested pid namespace, outermost first; a slice to every reader.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum NsPids {
    /// Not read yet (or status unreadable).
    #[default]
    Unknown,
    /// One pid namespace.
    One(i32),
    /// Nested pid namespaces. (An `Arc` of a `Vec`, not of a slice: a thin pointer keeps
    /// the enum at 16 bytes in every process's `ProcInfo`, for the few that are nested.)
    Many(Arc<Vec<i32>>),
}

impl From<Vec<i32>> for NsPids {
    fn from(v: Vec<i32>) -> NsPids {
        match v.as_slice() {
            [] => NsPids::Unknown,
            [one] => NsPids::One(*one),
            _ => NsPids::Many(Arc::new(v)),
        }
    }
}

impl Deref for NsPids {
    type Target = [i32];
    fn deref(&self) -> &[i32] {
        match self {
            NsPids::Unknown => &[],
            NsPids::One(pid) => std::slice::from_ref(pid),
            NsPids::Many(pids) => pids,
        }
    }
}

impl Serialize for NsPids {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(s)
    }
}

/// An array of pids, outermost first, as written.
impl<'de> Deserialize<'de> for NsPids {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Vec::<i32>::deserialize(d).map(NsPids::from)
    }
}

#[cfg(test)]
mod tests {
    use super::NsPids;

    #[test]
    fn a_slice_whatever_it_holds() {
        let cases: [(Vec<i32>, &[i32]); 3] =
            [(vec![], &[]), (vec![42], &[42]), (vec![9, 1], &[9, 1])];
        for (v, want) in cases {
            let n = NsPids::from(v);
            assert_eq!(&*n, want);
            assert_eq!(
                serde_json::to_string(&n).unwrap(),
                serde_json::to_string(want).unwrap()
            );
        }
        assert!(matches!(NsPids::from(vec![42]), NsPids::One(42)));
    }
}
