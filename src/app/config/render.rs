//! A [`Config`] written as its file: every key of the schema with its value and the line
//! that says what it does. The defaults give the default file (`boxtop config --default`);
//! the settings in force give what `boxtop config --save` writes. Either parses back to the
//! config it was written from (the tests check it), so the written file changes nothing.

use super::{Config, FOCUS_NAMES, TABLE_NAMES, column_name, commands, schema};
use crate::app::keys::names::config_name;
use crate::app::theme::{self, Slot, Theme};
use std::fmt::Write as _;

const HEAD: &[&str] = &[
    "boxtop's config file: $XDG_CONFIG_HOME/boxtop/config.toml (~/.config/boxtop/config.toml),",
    "or the file --config names. A key left out keeps its default, which is written here; flags",
    "on the command line win over the file. `boxtop config --default` prints the defaults,",
    "`boxtop config --save` writes the settings in force.",
];

/// The file of `config`.
pub(super) fn render(config: &Config) -> String {
    let mut out = String::new();
    for line in HEAD {
        comment(&mut out, line);
    }
    out.push('\n');
    let interval = seconds(config.interval_ms);
    entry(&mut out, schema::TOP, "interval", &interval);
    entry(
        &mut out,
        schema::TOP,
        "readonly",
        &config.readonly.to_string(),
    );

    out.push_str("\n[layout]\n");
    let l = &config.layout;
    let focus = if l.focus == l.table {
        "table"
    } else {
        name_in(&FOCUS_NAMES, l.focus)
    };
    let sizes = &l.sizes;
    for (key, value) in [
        ("focus", quoted(focus)),
        ("table", quoted(name_in(&TABLE_NAMES, l.table))),
        ("timeline", l.timeline.to_string()),
        ("zoom", l.zoom.to_string()),
        ("top_height", sizes.top_height.to_string()),
        ("table_width", sizes.table_width.to_string()),
        ("namespaces_width", sizes.namespaces_width.to_string()),
        ("timeline_rows", sizes.timeline_rows.to_string()),
    ] {
        entry(&mut out, schema::LAYOUT, key, &value);
    }

    out.push_str("\n[processes]\n");
    let p = &config.processes;
    let columns: Vec<String> = p.columns.iter().map(|c| quoted(column_name(*c))).collect();
    let order = if p.descending {
        "descending"
    } else {
        "ascending"
    };
    for (key, value) in [
        ("columns", list(&columns)),
        ("sort", quoted(column_name(p.sort))),
        ("sort_order", quoted(order)),
        ("tree", p.tree.to_string()),
        ("show_kernel_threads", p.show_kernel_threads.to_string()),
    ] {
        entry(&mut out, schema::PROCESSES, key, &value);
    }

    out.push_str("\n[theme]\n");
    let (name_key, name_says) = schema::THEME_NAME;
    comment(&mut out, name_says);
    let _ = writeln!(out, "{name_key} = {}", quoted(config.theme.name.name()));
    comment(&mut out, schema::THEME_COLORS);
    let own = Theme::named(config.theme.name);
    // One line a colour, unset unless the file set it (so that another theme's name brings
    // its own colours), showing the theme's own; uncommented, it is a valid line.
    for slot in Slot::ALL {
        let (key, says) = slot.describe();
        match config.theme.colors.iter().find(|(s, _)| *s == slot) {
            Some((_, c)) => {
                let value = quoted(&theme::color_name(*c));
                let _ = writeln!(out, "{key} = {value}  # {says}");
            }
            None => {
                let value = quoted(&theme::color_name(own.color(slot)));
                let _ = writeln!(out, "# {key} = {value}  # {says}");
            }
        }
    }

    out.push_str("\n[keys]\n");
    for line in schema::KEYS_HEAD {
        comment(&mut out, line);
    }
    for (name, command, says) in commands::COMMANDS {
        let keys: Vec<String> = config
            .keys
            .keys_for(*command)
            .iter()
            .map(|k| quoted(&config_name(k)))
            .collect();
        comment(&mut out, says);
        let _ = writeln!(out, "{name} = {}", list(&keys));
    }
    out
}

fn comment(out: &mut String, text: &str) {
    let _ = writeln!(out, "# {text}");
}

/// `key = value` under its comment from `keys`.
fn entry(out: &mut String, keys: &[(&str, &str)], key: &str, value: &str) {
    if let Some((_, says)) = keys.iter().find(|(k, _)| *k == key) {
        comment(out, says);
    }
    let _ = writeln!(out, "{key} = {value}");
}

fn name_in<T: PartialEq + Copy>(names: &[(&'static str, T)], value: T) -> &'static str {
    names
        .iter()
        .find(|(_, v)| *v == value)
        .map_or("?", |(n, _)| n)
}

/// Milliseconds as TOML seconds: always a float (`1.0`, `0.25`), as `--interval` takes them.
fn seconds(ms: u64) -> String {
    if ms.is_multiple_of(1000) {
        format!("{}.0", ms / 1000)
    } else {
        format!("{}", ms as f64 / 1000.0)
    }
}

fn list(items: &[String]) -> String {
    format!("[{}]", items.join(", "))
}

/// A TOML basic string: quotes, backslashes and control characters escaped (a key can be
/// `"` or `\`).
fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::config::COLUMN_NAMES;

    #[test]
    fn seconds_are_floats_that_parse_back() {
        assert_eq!(seconds(1000), "1.0");
        assert_eq!(seconds(100), "0.1");
        assert_eq!(seconds(2500), "2.5");
        assert_eq!(seconds(3_600_000), "3600.0");
    }

    #[test]
    fn strings_are_escaped() {
        assert_eq!(quoted("q"), "\"q\"");
        assert_eq!(quoted("\""), "\"\\\"\"");
        assert_eq!(quoted("\\"), "\"\\\\\"");
        assert_eq!(quoted("\u{7}"), "\"\\u0007\"");
    }

    /// Every column is named in the schema's comment, so the file lists what it takes.
    #[test]
    fn the_columns_comment_names_every_column() {
        let (_, says) = schema::PROCESSES[0];
        for (name, _) in COLUMN_NAMES {
            assert!(says.contains(name), "{name}");
        }
    }
}
