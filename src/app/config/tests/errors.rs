//! Every error a config file can hold: each names its file's line and key, the first one is
//! told, and no file makes the parser panic.

use super::*;

/// The line, the key and the words of an error.
fn error(text: &str) -> (usize, String, String) {
    match parse(text) {
        Ok(c) => panic!("{text:?} should not parse, it gave {c:#?}"),
        Err(e) => (e.line, e.key, e.message),
    }
}

#[test]
fn every_error_names_its_line_and_key() {
    // (file, line, key, words the message must hold)
    let cases: &[(&str, usize, &str, &str)] = &[
        // Unknown keys, at every level.
        (
            "colour = 1",
            1,
            "colour",
            "unknown key (known here: interval, readonly, layout",
        ),
        (
            "\n[layout]\nfocused = \"table\"",
            3,
            "layout.focused",
            "known here: focus, table",
        ),
        (
            "[processes]\nsort = \"cpu\"\ncolumn = []",
            3,
            "processes.column",
            "known here: columns",
        ),
        (
            "[theme]\nselection = \"red\"",
            2,
            "theme.selection",
            "selection_bg",
        ),
        (
            "[keys]\nexit = [\"x\"]",
            2,
            "keys.exit",
            "unknown command (known: next_pane",
        ),
        // Bad values.
        (
            "[processes]\n\n\ncolumns = [\"pid\", \"foo\"]",
            4,
            "processes.columns",
            "unknown column \"foo\" (known: pid, user, state, cpu",
        ),
        (
            "[processes]\ncolumns = [\"pid\", \"pid\", \"cpu\"]",
            2,
            "processes.columns",
            "listed twice",
        ),
        (
            "[processes]\ncolumns = []",
            2,
            "processes.columns",
            "at least one column",
        ),
        ("interval = 0.01", 1, "interval", "0.1 to 3600"),
        ("interval = 7200", 1, "interval", "0.1 to 3600"),
        (
            "[layout]\ntop_height = 95",
            2,
            "layout.top_height",
            "not 10 to 90",
        ),
        (
            "[layout]\ntimeline_rows = 0",
            2,
            "layout.timeline_rows",
            "not 1 to 20",
        ),
        (
            "[layout]\nfocus = \"processes\"",
            2,
            "layout.focus",
            "unknown pane \"processes\" (known: table, memory_map",
        ),
        (
            "[layout]\ntable = \"cgroups\"",
            2,
            "layout.table",
            "known: processes, containers",
        ),
        (
            "[processes]\nsort = \"size\"",
            2,
            "processes.sort",
            "unknown column \"size\"",
        ),
        (
            "[processes]\nsort_order = \"up\"",
            2,
            "processes.sort_order",
            "known: descending, ascending",
        ),
        (
            "[processes]\ncolumns = [\"pid\", \"command\"]\nsort = \"rss\"",
            3,
            "processes.sort",
            "\"rss\" is not among processes.columns",
        ),
        (
            "[processes]\ncolumns = [\"pid\", \"command\"]",
            2,
            "processes.columns",
            "sorted by \"cpu\"",
        ),
        (
            "[theme]\nname = \"dark\"",
            2,
            "theme.name",
            "unknown theme \"dark\" (known: default, light, monochrome)",
        ),
        (
            "[theme]\naccent = \"purple\"",
            2,
            "theme.accent",
            "unknown colour \"purple\"",
        ),
        ("[theme]\naccent = 300", 2, "theme.accent", "not 0 to 255"),
        (
            "[theme]\nname = \"monochrome\"\nwarn = \"red\"",
            3,
            "theme.warn",
            "monochrome theme has no colours",
        ),
        (
            "[keys]\nquit = [\"hyper-q\"]",
            2,
            "keys.quit",
            "unknown key \"hyper-q\"",
        ),
        (
            "[keys]\nquit = [\"q\", \"q\"]",
            2,
            "keys.quit",
            "listed twice",
        ),
        ("[keys]\nquit = []", 2, "keys.quit", "at least one key"),
        // Wrong types.
        (
            "readonly = \"yes\"",
            1,
            "readonly",
            "expected true or false, found a string",
        ),
        (
            "interval = \"1s\"",
            1,
            "interval",
            "expected a number of seconds, found a string",
        ),
        (
            "[processes]\ntree = 1",
            2,
            "processes.tree",
            "expected true or false, found an integer",
        ),
        (
            "[processes]\ncolumns = \"pid\"",
            2,
            "processes.columns",
            "expected a list of column names, found a string",
        ),
        (
            "[processes]\ncolumns = [1]",
            2,
            "processes.columns",
            "found an integer",
        ),
        (
            "[layout]\ntop_height = 50.5",
            2,
            "layout.top_height",
            "expected a whole number, found a float",
        ),
        (
            "layout = 3",
            1,
            "layout",
            "expected a table ([layout]), found an integer",
        ),
        (
            "[keys]\nquit = 1",
            2,
            "keys.quit",
            "expected a list of keys",
        ),
        ("[keys]\nquit = [true]", 2, "keys.quit", "expected a key"),
        (
            "[theme]\naccent = true",
            2,
            "theme.accent",
            "expected a colour, found a boolean",
        ),
        // A key bound twice, named with both commands, on the line that bound it.
        (
            "[keys]\n# t was tree's\nquit = [\"t\"]",
            3,
            "keys.quit",
            "\"t\" is bound twice, to tree and to quit; give tree other keys too",
        ),
        (
            "[keys]\nzoom = [\"x\"]\nquit = [\"x\"]",
            3,
            "keys.quit",
            "\"x\" is bound twice, to zoom and to quit",
        ),
        (
            "[keys]\nzoom = [\"alt-x\"]\nquit = [\"ctrl-x\"]",
            3,
            "keys.quit",
            "would both match",
        ),
        // Not TOML: the line, and the key where the line has one.
        (
            "interval = 1\n[processes]\ntree = tru",
            3,
            "processes.tree",
            "not valid TOML",
        ),
        ("[processes\ntree = true", 1, "", "not valid TOML"),
        (
            "interval = 1\ninterval = 2",
            2,
            "interval",
            "not valid TOML",
        ),
    ];
    for (text, line, key, words) in cases {
        let (l, k, m) = error(text);
        assert_eq!(
            (l, k.as_str()),
            (*line, *key),
            "{text:?}: the error was at line {l}, key {k:?}: {m}"
        );
        assert!(m.contains(words), "{text:?}: {m:?} should say {words:?}");
    }
}

/// Of two errors the first in the file is told, whatever order the sections are walked in.
#[test]
fn the_first_error_in_the_file_is_told() {
    let (line, key, _) = error("[theme]\nname = \"dark\"\n[layout]\nzoom = 1");
    assert_eq!((line, key.as_str()), (2, "theme.name"));
    let (line, key, _) = error("[layout]\nzoom = 1\n[theme]\nname = \"dark\"");
    assert_eq!((line, key.as_str()), (2, "layout.zoom"));
}

/// Hostile input is an error, never a panic.
#[test]
fn odd_files_are_errors_not_panics() {
    for text in [
        "\u{0}",
        "[[keys]]\nquit = 1",
        "keys = [1, 2]",
        "[keys.quit]\nx = 1",
        "interval = 1e400",
        "interval = nan",
        "interval = 0x10000000000000000",
        "[layout]\ntop_height = -1",
        "[layout]\ntop_height = 99999999999",
        "\"\" = 1",
        "a.b.c.d = 1",
        "[processes]\ncolumns = [[\"pid\"]]",
        "x = 1979-05-27T07:32:00Z",
    ] {
        assert!(parse(text).is_err(), "{text:?} parsed");
    }
}
