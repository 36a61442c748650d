//! The config file: every key parsed, every error with its line and key, the written file
//! parsed back.

use super::*;
use crate::app::keymap::Command;
use crate::app::keys::names;
use crate::app::keys::{BINDINGS, Key};
use crate::app::theme::{Slot, ThemeName};
use ratatui::crossterm::event::{KeyCode, KeyModifiers};

mod errors;

fn key(text: &str) -> Key {
    names::parse(text).expect("a key")
}

fn parsed(text: &str) -> Config {
    match parse(text) {
        Ok(c) => c,
        Err(e) => panic!("{text:?} should parse: {}", e.in_file("config.toml")),
    }
}

#[test]
fn the_default_file_parses_to_the_defaults() {
    let text = default_file();
    assert_eq!(parsed(&text), Config::default());
    // An empty file is the defaults too.
    assert_eq!(parsed(""), Config::default());
}

/// The default file says every key the parser knows, each under a comment line.
#[test]
fn the_default_file_has_every_key_with_a_comment() {
    let text = default_file();
    let lines: Vec<&str> = text.lines().collect();
    let mut keys: Vec<String> = schema::TOP.iter().map(|(k, _)| k.to_string()).collect();
    for section in [schema::LAYOUT, schema::PROCESSES] {
        keys.extend(section.iter().map(|(k, _)| k.to_string()));
    }
    keys.push("name".into());
    keys.extend(COMMANDS.iter().map(|(n, _, _)| n.to_string()));
    for k in &keys {
        let at = lines
            .iter()
            .position(|l| l.starts_with(&format!("{k} = ")))
            .unwrap_or_else(|| panic!("{k} is not in the default file:\n{text}"));
        assert!(
            at > 0 && lines[at - 1].starts_with("# "),
            "{k} has no comment line above it"
        );
    }
    // The colours are there, commented out (unset: the theme's own).
    for slot in Slot::ALL {
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with(&format!("# {} = ", slot.name()))),
            "{} is not in the default file",
            slot.name()
        );
    }
    for section in schema::SECTIONS {
        assert!(
            lines.contains(&format!("[{section}]").as_str()),
            "[{section}]"
        );
    }
}

#[test]
fn every_binding_has_a_command_name_and_every_name_a_binding() {
    for b in BINDINGS {
        assert!(
            COMMANDS.iter().any(|(_, c, _)| *c == b.command),
            "{:?} has no name in [keys]",
            b.command
        );
    }
    for (i, (name, command, _)) in COMMANDS.iter().enumerate() {
        assert!(
            BINDINGS.iter().any(|b| b.command == *command),
            "{name} names no binding"
        );
        assert!(
            COMMANDS[i + 1..]
                .iter()
                .all(|(n, c, _)| n != name && c != command),
            "{name} is named twice"
        );
    }
}

/// One line per key: the file's text, and what it must change.
#[test]
fn every_key_is_parsed() {
    type Check = fn(&Config) -> bool;
    let cases: &[(&str, Check)] = &[
        ("interval = 2.5", |c| c.interval_ms == 2500),
        ("interval = 3", |c| c.interval_ms == 3000),
        ("readonly = true", |c| c.readonly),
        ("[layout]\nfocus = \"cgroups\"", |c| {
            c.layout.focus == PaneId::Cgroups && c.layout.table == PaneId::Processes
        }),
        ("[layout]\nfocus = \"timeline\"", |c| {
            c.layout.focus == PaneId::Events
        }),
        ("[layout]\ntable = \"containers\"", |c| {
            c.layout.table == PaneId::Containers && c.layout.focus == PaneId::Containers
        }),
        (
            "[layout]\ntable = \"containers\"\nfocus = \"namespaces\"",
            |c| c.layout.table == PaneId::Containers && c.layout.focus == PaneId::Namespaces,
        ),
        ("[layout]\ntimeline = true", |c| c.layout.timeline),
        ("[layout]\nzoom = true", |c| c.layout.zoom),
        ("[layout]\ntop_height = 70", |c| {
            c.layout.sizes.top_height == 70
        }),
        ("[layout]\ntable_width = 80", |c| {
            c.layout.sizes.table_width == 80
        }),
        ("[layout]\nnamespaces_width = 30", |c| {
            c.layout.sizes.namespaces_width == 30
        }),
        ("[layout]\ntimeline_rows = 8", |c| {
            c.layout.sizes.timeline_rows == 8
        }),
        (
            "[processes]\ncolumns = [\"command\", \"pid\", \"cpu\"]",
            |c| c.processes.columns == [Column::Command, Column::Pid, Column::Cpu],
        ),
        ("[processes]\nsort = \"pid\"", |c| {
            // Left without an order, a name sorts as the sort keys sort it: ascending.
            c.processes.sort == Column::Pid && !c.processes.descending
        }),
        ("[processes]\nsort = \"rss\"", |c| {
            c.processes.sort == Column::Rss && c.processes.descending
        }),
        ("[processes]\nsort_order = \"ascending\"", |c| {
            c.processes.sort == Column::Cpu && !c.processes.descending
        }),
        ("[processes]\ntree = true", |c| c.processes.tree),
        ("[processes]\nshow_kernel_threads = true", |c| {
            c.processes.show_kernel_threads
        }),
        ("[theme]\nname = \"light\"", |c| {
            c.theme.name == ThemeName::Light && c.theme.colors.is_empty()
        }),
        ("[theme]\nname = \"monochrome\"", |c| {
            c.theme.theme().monochrome()
        }),
        ("[theme]\nselection_bg = \"blue\"\naccent = 33", |c| {
            c.theme.colors
                == [
                    (Slot::Accent, Color::Indexed(33)),
                    (Slot::SelectionBg, Color::Blue),
                ]
                && c.theme.theme().color(Slot::SelectionBg) == Color::Blue
        }),
        ("[theme]\nwarn = \"#ff8000\"", |c| {
            c.theme.theme().color(Slot::Warn) == Color::Rgb(255, 128, 0)
        }),
        ("[keys]\nquit = [\"x\", \"ctrl-q\"]", |c| {
            c.keys.keys_for(Command::Quit) == [key("x"), key("ctrl-q")]
        }),
        ("[keys]\ntree = \"T\"", |c| {
            c.keys.keys_for(Command::Tree) == [key("T")]
        }),
        ("[keys]\nfreeze = []", |c| {
            c.keys.keys_for(Command::Freeze).is_empty()
        }),
        // Dotted keys are the same keys.
        ("processes.tree = true", |c| c.processes.tree),
    ];
    for (text, check) in cases {
        let c = parsed(text);
        assert!(check(&c), "{text:?} gave {c:#?}");
    }
    // Every key of the schema is among the cases.
    let all = cases.iter().map(|(t, _)| *t).collect::<Vec<_>>().join("\n");
    for (k, _) in schema::TOP
        .iter()
        .chain(schema::LAYOUT)
        .chain(schema::PROCESSES)
    {
        assert!(all.contains(&format!("{k} =")), "no case parses {k}");
    }
}

/// A config unlike the defaults in every section, written and read back.
#[test]
fn the_settings_in_force_are_written_so_that_they_read_back() {
    let text = "interval = 0.25\nreadonly = true\n\
        [layout]\nfocus = \"memory_map\"\ntable = \"containers\"\ntimeline = true\n\
        zoom = true\ntop_height = 40\ntable_width = 70\nnamespaces_width = 50\n\
        timeline_rows = 6\n\
        [processes]\ncolumns = [\"pid\", \"command\", \"rss\"]\nsort = \"rss\"\n\
        sort_order = \"ascending\"\ntree = true\nshow_kernel_threads = true\n\
        [theme]\nname = \"light\"\nselection_bg = \"#102030\"\nkey_fg = 200\n\
        [keys]\nquit = [\"x\", \"ctrl-q\", \"f10\"]\ntree = [\"T\"]\nfreeze = []\n\
        pause = [\"p\", \"space\"]\nhelp = [\"\\\\\"]\n";
    let config = parsed(text);
    assert_ne!(config, Config::default());
    let written = config.render();
    assert_eq!(parsed(&written), config, "written:\n{written}");
    assert!(written.contains("help = [\"\\\\\"]"), "{written}");
    assert!(
        written.contains("\nselection_bg = \"#102030\"  # "),
        "{written}"
    );
    assert!(
        written.contains("\n# accent = \"blue\"  # "),
        "light's own, unset: {written}"
    );
}

/// The defaults are the state's own: a default config put into a fresh state changes none
/// of what the file sets.
#[test]
fn the_default_config_changes_nothing_in_a_fresh_state() {
    let fresh = AppState::new(1000);
    let mut app = AppState::new(1000);
    Config::default().apply(&mut app);
    assert_eq!(app.keys, fresh.keys);
    assert_eq!(app.theme, fresh.theme);
    assert_eq!(app.sizes, fresh.sizes);
    assert_eq!(
        (
            app.focus,
            app.table,
            app.zoomed,
            app.readonly,
            app.timeline.shown
        ),
        (
            fresh.focus,
            fresh.table,
            fresh.zoomed,
            fresh.readonly,
            fresh.timeline.shown
        )
    );
    assert_eq!(app.processes, fresh.processes);
}

#[test]
fn a_config_is_put_into_the_state() {
    let config = parsed(
        "readonly = true\n[layout]\ntable = \"containers\"\nfocus = \"timeline\"\nzoom = true\n\
         top_height = 30\n[processes]\ncolumns = [\"pid\", \"command\"]\nsort = \"pid\"\n\
         tree = true\n[theme]\nname = \"light\"\n[keys]\nquit = \"x\"",
    );
    let mut app = AppState::new(1000);
    config.apply(&mut app);
    assert!(app.readonly && app.zoomed && app.processes.tree && app.timeline.shown);
    assert_eq!((app.focus, app.table), (PaneId::Events, PaneId::Containers));
    assert_eq!(app.sizes.top_height, 30);
    assert_eq!(app.processes.columns, [Column::Pid, Column::Command]);
    assert_eq!(
        (app.processes.sort, app.processes.descending),
        (Column::Pid, false)
    );
    assert_eq!(app.theme.name, ThemeName::Light);
    let x = ratatui::crossterm::event::KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE);
    assert_eq!(app.keys.command_for(&x), Some(Command::Quit));
}
