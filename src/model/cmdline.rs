//! A command line held compactly: one shared string with the arguments separated by NUL.
//!
//! With thousands of processes, one allocation per process instead of one per argument
//! (plus the slice) saves most of a megabyte. Arguments are display-safe text, in which a
//! NUL never appears (display_safe writes it as `\x00`), so NUL can separate them.

use serde::ser::SerializeSeq;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

#[derive(Clone, PartialEq, Eq, Hash)]
pub struct CmdLine(Arc<str>);

impl CmdLine {
    pub fn from_args<S: AsRef<str>>(args: &[S]) -> CmdLine {
        let mut joined = String::with_capacity(args.iter().map(|a| a.as_ref().len() + 1).sum());
        for (i, a) in args.iter().enumerate() {
            if i > 0 {
                joined.push('\0');
            }
            joined.push_str(a.as_ref());
        }
        CmdLine(Arc::from(joined))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The arguments, argv[0] first.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.split('\0').filter(|_| !self.0.is_empty())
    }

    pub fn len(&self) -> usize {
        self.iter().count()
    }

    /// The arguments joined by `sep` (a space for display, as ps and htop do).
    pub fn join(&self, sep: &str) -> String {
        self.0.replace('\0', sep)
    }

    /// The arguments as held: NUL between them.
    pub fn joined(&self) -> &str {
        &self.0
    }

    pub fn to_vec(&self) -> Vec<String> {
        self.iter().map(str::to_string).collect()
    }
}

impl Default for CmdLine {
    fn default() -> Self {
        CmdLine(Arc::from(""))
    }
}

impl std::fmt::Debug for CmdLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// Serialized as an array of strings.
impl Serialize for CmdLine {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for a in self.iter() {
            seq.serialize_element(a)?;
        }
        seq.end()
    }
}

/// An array of strings, as written. (Each came out of display_safe, so none holds a NUL;
/// one that does, from another writer, has its NUL shown as display_safe would.)
impl<'de> Deserialize<'de> for CmdLine {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let args = Vec::<String>::deserialize(d)?;
        let args: Vec<String> = args.into_iter().map(|a| a.replace('\0', "\\x00")).collect();
        Ok(CmdLine::from_args(&args))
    }
}

#[cfg(test)]
impl<const N: usize> PartialEq<[&str; N]> for CmdLine {
    fn eq(&self, other: &[&str; N]) -> bool {
        self.iter().eq(other.iter().copied())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_arguments() {
        let c = CmdLine::from_args(&["sleep", "", "a b"]);
        assert_eq!(c.to_vec(), vec!["sleep", "", "a b"]);
        assert_eq!(c.len(), 3);
        assert_eq!(c.join(" "), "sleep  a b");
        assert!(c == ["sleep", "", "a b"]);
        assert_eq!(serde_json::to_string(&c).unwrap(), r#"["sleep","","a b"]"#);
        let none = CmdLine::default();
        assert!(none.is_empty());
        assert_eq!(none.len(), 0);
        assert_eq!(serde_json::to_string(&none).unwrap(), "[]");
    }
}
