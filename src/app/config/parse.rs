//! The file's text to a [`Config`]. The TOML is parsed into its spanned tree (toml's
//! `DeTable`: every key and value with its byte range), which is walked here against the
//! schema, so that each error names its line and its key; a serde derive would say the
//! line but not, for a value of the wrong type, the key. Every problem is an error, the
//! first in the file is the one told: an unknown key, a value of the wrong type or out of
//! range, a key bound twice, TOML that does not parse. Nothing is ignored.

use super::error::{ConfigError, line_of};
use super::{COLUMN_NAMES, Config, FOCUS_NAMES, TABLE_NAMES, commands, schema};
use crate::app::keymap::Command;
use crate::app::keys::{self, Key};
use crate::app::panes::processes::Column;
use crate::app::theme::{self, Slot, ThemeName};
use std::borrow::Cow;
use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue};

mod sections;

type Value<'i> = Spanned<DeValue<'i>>;

/// The config the file `text` gives, or its first error.
pub fn parse(text: &str) -> Result<Config, ConfigError> {
    let doc = DeTable::parse(text).map_err(|e| not_toml(text, &e))?;
    let mut r = Reader {
        text,
        errors: Vec::new(),
    };
    let mut config = Config::default();
    r.top(doc.get_ref(), &mut config);
    match r.errors.into_iter().min_by_key(|(at, _)| *at) {
        Some((_, e)) => Err(e),
        None => Ok(config),
    }
}

/// TOML's own error, on its line. TOML's message names no key; the line it is on often has
/// one (`tree = tru`), which is named with its section, as the file's other errors are.
fn not_toml(text: &str, e: &toml::de::Error) -> ConfigError {
    let at = e.span().map_or(0, |s| s.start);
    let line = line_of(text, at);
    ConfigError {
        line,
        key: key_on_line(text, line).unwrap_or_default(),
        message: format!("not valid TOML: {}", e.message()),
    }
}

/// `section.key` for a line `key = ...` under `[section]`, read from the text alone (the
/// document did not parse, so there is no tree to ask).
fn key_on_line(text: &str, line: usize) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let here = lines.get(line.checked_sub(1)?)?;
    let (key, _) = here.split_once('=')?;
    let key = key.trim();
    let bare = |k: &str| {
        !k.is_empty()
            && k.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
    };
    if !bare(key) {
        return None;
    }
    let section = lines
        .get(..line - 1)?
        .iter()
        .rev()
        .find_map(|l| {
            let l = l.trim();
            l.strip_prefix('[')?.strip_suffix(']').map(str::trim)
        })
        .filter(|s| bare(s));
    Some(match section {
        Some(s) => format!("{s}.{key}"),
        None => key.to_string(),
    })
}

struct Reader<'t> {
    text: &'t str,
    /// Each error with its byte offset: the first in the file is told.
    errors: Vec<(usize, ConfigError)>,
}

/// "an integer", "a string": TOML's type names with their article.
fn a(type_name: &str) -> String {
    let article = if type_name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {type_name}")
}

fn join(names: &[&str]) -> String {
    names.join(", ")
}

impl Reader<'_> {
    fn error(&mut self, at: usize, key: &str, message: impl Into<String>) {
        self.errors.push((
            at,
            ConfigError {
                line: line_of(self.text, at),
                key: key.to_string(),
                message: message.into(),
            },
        ));
    }

    fn error_at(&mut self, v: &Value<'_>, key: &str, message: impl Into<String>) {
        self.error(v.span().start, key, message);
    }

    fn unknown(&mut self, key: &Spanned<Cow<'_, str>>, path: &str, known: &[&str]) {
        self.error(
            key.span().start,
            path,
            format!("unknown key (known here: {})", join(known)),
        );
    }

    fn wrong_type(&mut self, v: &Value<'_>, key: &str, expected: &str) {
        let found = a(v.get_ref().type_str());
        self.error_at(v, key, format!("expected {expected}, found {found}"));
    }

    fn bool(&mut self, v: &Value<'_>, key: &str) -> Option<bool> {
        let b = v.get_ref().as_bool();
        if b.is_none() {
            self.wrong_type(v, key, "true or false");
        }
        b
    }

    fn string<'v>(&mut self, v: &'v Value<'_>, key: &str, expected: &str) -> Option<&'v str> {
        let s = v.get_ref().as_str();
        if s.is_none() {
            self.wrong_type(v, key, expected);
        }
        s
    }

    fn integer(&mut self, v: &Value<'_>, key: &str) -> Option<i64> {
        match v.get_ref() {
            DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
                Ok(n) => Some(n),
                Err(_) => {
                    self.error_at(v, key, format!("{i} is too large"));
                    None
                }
            },
            _ => {
                self.wrong_type(v, key, "a whole number");
                None
            }
        }
    }

    /// A whole number in `range`.
    fn in_range(
        &mut self,
        v: &Value<'_>,
        key: &str,
        range: std::ops::RangeInclusive<u16>,
    ) -> Option<u16> {
        let n = self.integer(v, key)?;
        match u16::try_from(n).ok().filter(|n| range.contains(n)) {
            Some(n) => Some(n),
            None => {
                let (lo, hi) = (range.start(), range.end());
                self.error_at(v, key, format!("{n} is not {lo} to {hi}"));
                None
            }
        }
    }

    fn array<'v, 'i>(&mut self, v: &'v Value<'i>, key: &str, of: &str) -> Option<&'v DeArray<'i>> {
        let arr = v.get_ref().as_array();
        if arr.is_none() {
            self.wrong_type(v, key, &format!("a list of {of}"));
        }
        arr
    }

    fn table<'v, 'i>(&mut self, v: &'v Value<'i>, key: &str) -> Option<&'v DeTable<'i>> {
        let t = v.get_ref().as_table();
        if t.is_none() {
            self.wrong_type(v, key, &format!("a table ([{key}])"));
        }
        t
    }

    /// A name out of `names`.
    fn one_of<T: Copy>(
        &mut self,
        v: &Value<'_>,
        key: &str,
        what: &str,
        names: &[(&str, T)],
    ) -> Option<T> {
        let known: Vec<&str> = names.iter().map(|(n, _)| *n).collect();
        let s = self.string(v, key, &format!("{what}: {}", join(&known)))?;
        let found = names.iter().find(|(n, _)| *n == s).map(|(_, t)| *t);
        if found.is_none() {
            self.error_at(
                v,
                key,
                format!("unknown {what} {s:?} (known: {})", join(&known)),
            );
        }
        found
    }
}
