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

    fn top(&mut self, doc: &DeTable<'_>, config: &mut Config) {
        let mut known = schema::names(schema::TOP);
        known.extend(schema::SECTIONS);
        for (key, v) in doc {
            let name = key.get_ref().as_ref();
            match name {
                "interval" => {
                    if let Some(ms) = self.interval(v) {
                        config.interval_ms = ms;
                    }
                }
                "readonly" => {
                    if let Some(b) = self.bool(v, name) {
                        config.readonly = b;
                    }
                }
                "layout" => {
                    if let Some(t) = self.table(v, name) {
                        self.layout(t, config);
                    }
                }
                "processes" => {
                    if let Some(t) = self.table(v, name) {
                        self.processes(t, config);
                    }
                }
                "theme" => {
                    if let Some(t) = self.table(v, name) {
                        self.theme(t, config);
                    }
                }
                "keys" => {
                    if let Some(t) = self.table(v, name) {
                        self.keys(t, config);
                    }
                }
                _ => self.unknown(key, name, &known),
            }
        }
    }

    /// Seconds, as `--interval` takes them: 0.1 to 3600.
    fn interval(&mut self, v: &Value<'_>) -> Option<u64> {
        let key = "interval";
        let secs = match v.get_ref() {
            DeValue::Float(f) => match f.as_str().parse::<f64>() {
                Ok(secs) => Some(secs),
                Err(_) => {
                    self.error_at(v, key, format!("{f} is not a number of seconds"));
                    None
                }
            },
            DeValue::Integer(_) => self.integer(v, key).map(|n| n as f64),
            _ => {
                self.wrong_type(v, key, "a number of seconds");
                return None;
            }
        }?;
        if !(0.1..=3600.0).contains(&secs) {
            self.error_at(v, key, format!("{secs} is not 0.1 to 3600 seconds"));
            return None;
        }
        u64::try_from(std::time::Duration::from_secs_f64(secs).as_millis()).ok()
    }

    fn layout(&mut self, t: &DeTable<'_>, config: &mut Config) {
        let l = &mut config.layout;
        let mut focus = None;
        let mut table = None;
        let mut focus_names: Vec<(&str, Option<crate::app::state::PaneId>)> = vec![("table", None)];
        focus_names.extend(FOCUS_NAMES.iter().map(|(n, p)| (*n, Some(*p))));
        for (key, v) in t {
            let name = key.get_ref().as_ref();
            let path = format!("layout.{name}");
            let path = path.as_str();
            let sizes = &mut l.sizes;
            let percent = crate::app::geometry::PaneSizes::PERCENT;
            match name {
                "focus" => focus = self.one_of(v, path, "pane", &focus_names),
                "table" => table = self.one_of(v, path, "table", &TABLE_NAMES),
                "timeline" => l.timeline = self.bool(v, path).unwrap_or(l.timeline),
                "zoom" => l.zoom = self.bool(v, path).unwrap_or(l.zoom),
                "top_height" => {
                    sizes.top_height = self.in_range(v, path, percent).unwrap_or(sizes.top_height);
                }
                "table_width" => {
                    sizes.table_width =
                        self.in_range(v, path, percent).unwrap_or(sizes.table_width);
                }
                "namespaces_width" => {
                    sizes.namespaces_width = self
                        .in_range(v, path, percent)
                        .unwrap_or(sizes.namespaces_width);
                }
                "timeline_rows" => {
                    let rows = crate::app::geometry::PaneSizes::TIMELINE_ROWS;
                    sizes.timeline_rows =
                        self.in_range(v, path, rows).unwrap_or(sizes.timeline_rows);
                }
                _ => self.unknown(key, path, &schema::names(schema::LAYOUT)),
            }
        }
        if let Some(table) = table {
            l.table = table;
        }
        // `focus = "table"` (or no focus) focuses whichever table is shown.
        l.focus = focus.flatten().unwrap_or(l.table);
    }

    fn processes(&mut self, t: &DeTable<'_>, config: &mut Config) {
        let p = &mut config.processes;
        let mut sort: Option<(Column, usize)> = None;
        let mut columns_at = None;
        let mut order = None;
        for (key, v) in t {
            let name = key.get_ref().as_ref();
            let path = format!("processes.{name}");
            let path = path.as_str();
            match name {
                "columns" => {
                    if let Some(cols) = self.columns(v, path) {
                        p.columns = cols;
                        columns_at = Some(v.span().start);
                    }
                }
                "sort" => {
                    sort = self
                        .one_of(v, path, "column", &COLUMN_NAMES)
                        .map(|c| (c, v.span().start));
                }
                "sort_order" => {
                    let orders = [("descending", true), ("ascending", false)];
                    order = self.one_of(v, path, "order", &orders);
                }
                "tree" => p.tree = self.bool(v, path).unwrap_or(p.tree),
                "show_kernel_threads" => {
                    p.show_kernel_threads = self.bool(v, path).unwrap_or(p.show_kernel_threads);
                }
                _ => self.unknown(key, path, &schema::names(schema::PROCESSES)),
            }
        }
        if let Some((col, _)) = sort {
            p.sort = col;
        }
        // Left out, the order is the one the sort keys give the column (numbers largest
        // first, names A to Z).
        p.descending = order.unwrap_or_else(|| p.sort.largest_first());
        // The sort column must be on screen: a table sorted by a column it does not show
        // would look unsorted, with no ▲ or ▼ to say why.
        if !p.columns.contains(&p.sort) {
            let sorted = super::column_name(p.sort);
            match (sort, columns_at) {
                (Some((_, at)), _) => self.error(
                    at,
                    "processes.sort",
                    format!("{sorted:?} is not among processes.columns"),
                ),
                (None, Some(at)) => self.error(
                    at,
                    "processes.columns",
                    format!(
                        "the table is sorted by {sorted:?}, which is not among these: add it, \
                         or set processes.sort to one of them"
                    ),
                ),
                (None, None) => {}
            }
        }
    }

    fn columns(&mut self, v: &Value<'_>, path: &str) -> Option<Vec<Column>> {
        let items = self.array(v, path, "column names")?;
        let mut cols = Vec::new();
        for item in items {
            let col = self.one_of(item, path, "column", &COLUMN_NAMES)?;
            if cols.contains(&col) {
                let name = super::column_name(col);
                self.error_at(item, path, format!("column {name:?} is listed twice"));
                return None;
            }
            cols.push(col);
        }
        if cols.is_empty() {
            self.error_at(v, path, "the table needs at least one column");
            return None;
        }
        Some(cols)
    }

    fn theme(&mut self, t: &DeTable<'_>, config: &mut Config) {
        let names: Vec<(&str, ThemeName)> = ThemeName::ALL.iter().map(|n| (n.name(), *n)).collect();
        let slots: Vec<(&str, Slot)> = Slot::ALL.iter().map(|s| (s.name(), *s)).collect();
        let mut first_color = None;
        for (key, v) in t {
            let name = key.get_ref().as_ref();
            let path = format!("theme.{name}");
            let path = path.as_str();
            if name == "name" {
                if let Some(n) = self.one_of(v, path, "theme", &names) {
                    config.theme.name = n;
                }
                continue;
            }
            let Some(slot) = slots.iter().find(|(n, _)| *n == name).map(|(_, s)| *s) else {
                let mut known = vec!["name"];
                known.extend(slots.iter().map(|(n, _)| *n));
                self.unknown(key, path, &known);
                continue;
            };
            let color = match v.get_ref() {
                DeValue::String(s) => theme::parse_color(s),
                DeValue::Integer(_) => match self.integer(v, path) {
                    Some(n) => theme::color_index(n),
                    None => continue,
                },
                _ => {
                    self.wrong_type(v, path, "a colour");
                    continue;
                }
            };
            match color {
                Ok(c) => {
                    config.theme.colors.push((slot, c));
                    first_color = first_color.or(Some((v.span().start, path.to_string())));
                }
                Err(e) => self.error_at(v, path, e),
            }
        }
        config
            .theme
            .colors
            .sort_by_key(|(slot, _)| Slot::ALL.iter().position(|s| s == slot));
        if config.theme.name == ThemeName::Monochrome
            && let Some((at, path)) = first_color
        {
            self.error(
                at,
                &path,
                "the monochrome theme has no colours: leave the colour out, or choose the \
                 default or light theme",
            );
        }
    }

    fn keys(&mut self, t: &DeTable<'_>, config: &mut Config) {
        // Where each rebound command was given, to name the line of a conflict.
        let mut given: Vec<(Command, usize, String)> = Vec::new();
        for (key, v) in t {
            let name = key.get_ref().as_ref();
            let path = format!("keys.{name}");
            let Some(command) = commands::command_by_name(name) else {
                let known: Vec<&str> = commands::COMMANDS.iter().map(|(n, _, _)| *n).collect();
                self.error(
                    key.span().start,
                    &path,
                    format!("unknown command (known: {})", join(&known)),
                );
                continue;
            };
            let Some(keys) = self.key_list(v, &path) else {
                continue;
            };
            if keys.is_empty() && command == Command::Quit {
                self.error_at(
                    v,
                    &path,
                    "quit needs at least one key (else only a signal would end the dashboard)",
                );
                continue;
            }
            config.keys.rebind(command, keys);
            given.push((command, v.span().start, path));
        }
        let Some(c) = config.keys.first_conflict() else {
            return;
        };
        // Told on the line of the command the file gave the key to (the later one if the
        // file gave it to both).
        let place = |cmd: Command| given.iter().find(|(c, _, _)| *c == cmd);
        let Some((_, at, path)) = place(c.second).or_else(|| place(c.first)).cloned() else {
            return;
        };
        let (first, second) = (commands::name_of(c.first), commands::name_of(c.second));
        let (k1, k2) = (
            keys::names::config_name(&c.key),
            keys::names::config_name(&c.other_key),
        );
        let message = if c.key == c.other_key {
            format!("{k1:?} is bound twice, to {first} and to {second}")
        } else {
            format!(
                "{k1:?} ({first}) and {k2:?} ({second}) would both match with both modifiers \
                 held: one of them must hold every modifier the other holds"
            )
        };
        let hint = [c.first, c.second]
            .into_iter()
            .find(|cmd| place(*cmd).is_none())
            .map(|cmd| {
                format!(
                    "; give {} other keys too ([keys] {} = [...])",
                    commands::name_of(cmd),
                    commands::name_of(cmd)
                )
            })
            .unwrap_or_default();
        self.error(at, &path, message + &hint);
    }

    /// A list of keys, or one key alone.
    fn key_list(&mut self, v: &Value<'_>, path: &str) -> Option<Vec<Key>> {
        let one = std::slice::from_ref(v);
        let items: &[Value<'_>] = match v.get_ref() {
            DeValue::String(_) => one,
            DeValue::Array(items) => items,
            _ => {
                self.wrong_type(v, path, "a list of keys (\"q\", \"ctrl-c\", \"f10\")");
                return None;
            }
        };
        let mut keys: Vec<Key> = Vec::new();
        for item in items {
            let text = self.string(item, path, "a key (\"q\", \"ctrl-c\", \"f10\")")?;
            let key = match keys::names::parse(text) {
                Ok(k) => k,
                Err(e) => {
                    self.error_at(item, path, e);
                    return None;
                }
            };
            if keys.contains(&key) {
                self.error_at(item, path, format!("{text:?} is listed twice"));
                return None;
            }
            keys.push(key);
        }
        Some(keys)
    }
}
