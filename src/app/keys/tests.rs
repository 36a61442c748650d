//! The table against the keymap, the help screen and the key bar.

use super::*;
use crate::app::keymap;
use KeyCode::{Backspace, Delete, Insert};

/// Every key a user can press (printable ASCII, F1-F12, the editing and moving keys), alone,
/// with Shift and with Ctrl.
fn command_for_key(event: KeyEvent) -> Command {
    keymap::command_for_key(&KeyTable::default(), event)
}

fn every_key_press() -> Vec<KeyEvent> {
    let codes = (' '..='~')
        .map(KeyCode::Char)
        .chain((1..=12).map(F))
        .chain([
            Up, Down, Left, Right, PageUp, PageDown, Home, End, Enter, Esc, Tab, BackTab,
            Backspace, Delete, Insert,
        ]);
    let held = [
        KeyModifiers::NONE,
        KeyModifiers::SHIFT,
        KeyModifiers::CONTROL,
    ];
    codes
        .flat_map(|code| held.map(|m| KeyEvent::new(code, m)))
        .collect()
}

/// A key as the help spells it: "Ctrl-C", "PgUp", "Space", "F10", "g".
fn spelled(key: &Key) -> String {
    names::help_name(key)
}

/// Whether a line of the help names `spelling` among its keys. The keys are words apart
/// ("F5  t") or joined by `/` ("PgUp/PgDn"); a `/` on its own is the `/` key.
fn help_names(spelling: &str) -> bool {
    help_lines().iter().any(|(keys, _)| {
        keys.split_whitespace()
            .flat_map(|word| match word {
                "/" => vec![word],
                _ => word.split('/').collect(),
            })
            .any(|word| word == spelling)
    })
}

#[test]
fn every_key_the_keymap_handles_is_named_in_the_help() {
    let mut handled = 0;
    let mut unnamed = Vec::new();
    for event in every_key_press() {
        if command_for_key(event) == Command::Nothing {
            continue;
        }
        handled += 1;
        // A plain key matches with any modifier held (Ctrl-Q quits): the help names the key
        // that matched, `q`.
        let (_, key) = binding_for(&event).expect("every command comes from the table");
        if !help_names(&spelled(&key)) {
            unnamed.push(format!(
                "{} ({:?} {:?})",
                spelled(&key),
                event.code,
                event.modifiers
            ));
        }
    }
    assert!(handled > 100, "only {handled} key presses give a command");
    assert!(
        unnamed.is_empty(),
        "keys the help does not name: {unnamed:?}"
    );
}

#[test]
fn the_first_binding_has_a_help_line_of_its_own() {
    assert!(matches!(BINDINGS[0].help, Help::Line { .. }));
}

/// `command_for_key` takes no context (update.rs hands the Command to the open window or the
/// focused pane), so of two bindings of one key only the first would ever be found: a key is
/// bound once in the whole table, whatever the contexts. A global and a pane binding of one
/// key is a conflict, and so are two panes' bindings until the lookup takes the focus. A key
/// asking for a modifier is another key than the plain one (Ctrl-Z suspends, `z` zooms): the
/// one asking for more wins, so of two such keys one must ask for all the other asks for.
#[test]
fn no_key_is_bound_twice() {
    // The check the config's rebindings go through agrees.
    assert_eq!(KeyTable::default().first_conflict(), None);
    let keys: Vec<(&Key, &Binding)> = BINDINGS
        .iter()
        .flat_map(|b| b.keys.iter().map(move |k| (k, b)))
        .collect();
    for (i, (a, binding_a)) in keys.iter().enumerate() {
        for (b, binding_b) in &keys[i + 1..] {
            assert_ne!(
                a,
                b,
                "{} is bound twice: {:?} and {:?}",
                spelled(a),
                binding_a.command,
                binding_b.command
            );
            if a.code == b.code {
                assert!(
                    a.holding.contains(b.holding) || b.holding.contains(a.holding),
                    "{} and {} would both match with both modifiers held",
                    spelled(a),
                    spelled(b)
                );
            }
        }
    }
}

#[test]
fn keys_give_the_commands_they_always_gave() {
    let press = |code, held| command_for_key(KeyEvent::new(code, held));
    let none = KeyModifiers::NONE;
    let shift = KeyModifiers::SHIFT;
    let ctrl = KeyModifiers::CONTROL;
    let cases = [
        (KeyCode::Char('c'), ctrl, Command::Quit),
        (KeyCode::Char('c'), ctrl | shift, Command::Quit),
        (KeyCode::Char('c'), none, Command::Nothing),
        (KeyCode::Char('z'), ctrl, Command::Suspend),
        (KeyCode::Char('z'), none, Command::Zoom),
        (KeyCode::Char('q'), none, Command::Quit),
        (KeyCode::Char('q'), ctrl, Command::Quit),
        (F(10), none, Command::Quit),
        (KeyCode::Char('g'), none, Command::Home),
        (KeyCode::Char('G'), shift, Command::End),
        (KeyCode::Char('.'), none, Command::SortNext),
        (KeyCode::Char(','), none, Command::SortPrev),
        (KeyCode::Char('y'), none, Command::Confirm),
        (KeyCode::Char('4'), none, Command::FocusPane(Cgroups)),
        (KeyCode::Char('5'), none, Command::FocusPane(Containers)),
        (KeyCode::Char('6'), none, Command::FocusPane(Events)),
        (BackTab, shift, Command::PrevPane),
        (F(9), none, Command::Signal),
        (KeyCode::Char('Z'), shift, Command::Nothing),
        (Insert, none, Command::Nothing),
    ];
    for (code, held, want) in cases {
        assert_eq!(press(code, held), want, "{code:?} with {held:?}");
    }
}

/// The bars as the screen snapshots show them.
#[test]
fn each_pane_bar_lists_its_keys_then_the_global_ones() {
    let bar = |pane| {
        bar_words(pane)
            .iter()
            .map(|w| format!("{} {}", w.key, w.label))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let global = "Tab Pane z Zoom Space Pause ? Help q Quit";
    assert_eq!(
        bar(Processes),
        format!(
            "/ Filter F6 Sort F5 Tree H Threads f/F Freeze/Thaw l Limit m Move k Signal \
             n Unshare i Explain 5 Containers {global}"
        )
    );
    assert_eq!(
        bar(MemoryMap),
        format!("↑↓ Scroll v Gaps by size i Explain 5 Containers {global}")
    );
    assert_eq!(
        bar(Namespaces),
        format!("v This/All Enter Members i Explain 5 Containers {global}")
    );
    assert_eq!(
        bar(Cgroups),
        format!(
            "←→ Fold Enter Processes f/F Freeze/Thaw l Limit k Kill i Explain 5 Containers \
             {global}"
        )
    );
    assert_eq!(
        bar(Events),
        format!("v Processes Enter Go to / Filter i Explain {global}")
    );
    assert_eq!(
        bar(Containers),
        format!(
            "Enter Processes / Filter F6 Sort f/F Freeze/Thaw l Limit k Signal i Explain {global}"
        )
    );
}

/// README's table of keys is the help screen's, line for line: a third list that could
/// drift is instead checked against the one table. On a change, the failure prints the
/// block to paste between the markers.
#[test]
fn the_readme_lists_the_keys_of_the_help() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let (start, end) = ("<!-- keys: from src/app/keys.rs -->", "<!-- /keys -->");
    let block = readme
        .split_once(start)
        .and_then(|(_, rest)| rest.split_once(end))
        .map(|(block, _)| block.trim().to_string())
        .unwrap_or_default();
    let mut want = vec!["| keys | |".to_string(), "|---|---|".to_string()];
    for (keys, says) in help_lines() {
        want.push(format!("| `{keys}` | {says} |"));
    }
    let want = want.join("\n");
    assert_eq!(
        block, want,
        "README.md, between {start} and {end}, should be:\n{want}\n"
    );
}

/// A binding is found by its command (the config names commands): each is bound once.
#[test]
fn each_command_has_one_binding() {
    for (i, a) in BINDINGS.iter().enumerate() {
        assert!(
            BINDINGS[i + 1..].iter().all(|b| b.command != a.command),
            "{:?} has two bindings",
            a.command
        );
    }
}

fn press(table: &KeyTable, c: char) -> Command {
    keymap::command_for_key(table, KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

#[test]
fn a_rebound_command_answers_to_its_new_keys_only() {
    let mut table = KeyTable::default();
    assert!(table.rebind(Command::Quit, vec![names::parse("x").unwrap()]));
    assert_eq!(press(&table, 'x'), Command::Quit);
    assert_eq!(press(&table, 'q'), Command::Nothing);
    assert_eq!(
        keymap::command_for_key(
            &table,
            KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)
        ),
        Command::Nothing,
        "Ctrl-C was quit's: the config's list replaces the table's"
    );
    // Other bindings keep their keys.
    assert_eq!(press(&table, 't'), Command::Tree);
    assert!(
        !table.rebind(Command::Nothing, Vec::new()),
        "not in the table"
    );
}

#[test]
fn the_help_and_the_bar_spell_the_keys_in_force() {
    let mut table = KeyTable::default();
    table.rebind(
        Command::Quit,
        vec![names::parse("x").unwrap(), names::parse("ctrl-q").unwrap()],
    );
    table.rebind(Command::Thaw, vec![names::parse("T").unwrap()]);
    let help = table.help_lines();
    assert!(
        help.iter()
            .any(|(k, says)| k == "x  Ctrl-Q" && *says == "quit")
    );
    assert!(help.iter().any(|(k, _)| k == "f  T"), "{help:?}");
    assert!(!help.iter().any(|(k, _)| k.contains("F10")), "{help:?}");
    // Lines the config did not touch keep the table's words.
    assert!(help.iter().any(|(k, _)| k == "F5  t"));
    let bar: Vec<String> = table
        .bar_words(Processes)
        .iter()
        .map(|w| format!("{} {}", w.key, w.label))
        .collect();
    assert!(bar.contains(&"x Quit".to_string()), "{bar:?}");
    assert!(bar.contains(&"f/T Freeze/Thaw".to_string()), "{bar:?}");
    assert!(bar.contains(&"F5 Tree".to_string()), "{bar:?}");
}

#[test]
fn a_command_left_without_keys_leaves_the_help_and_the_bar() {
    let mut table = KeyTable::default();
    table.rebind(Command::Tree, Vec::new());
    assert_eq!(press(&table, 't'), Command::Nothing);
    assert!(
        !table
            .help_lines()
            .iter()
            .any(|(_, says)| says.contains("tree view"))
    );
    assert!(!table.bar_words(Processes).iter().any(|w| w.label == "Tree"));
}

#[test]
fn a_key_given_to_two_commands_is_a_conflict_naming_both() {
    let mut table = KeyTable::default();
    table.rebind(Command::Quit, vec![names::parse("t").unwrap()]);
    let c = table.first_conflict().expect("t is tree's too");
    assert_eq!((c.first, c.second), (Command::Tree, Command::Quit));
    assert_eq!(c.key, names::parse("t").unwrap());
    // Two modifiers of one key, neither holding the other: both match with both held.
    let mut table = KeyTable::default();
    table.rebind(Command::Zoom, vec![names::parse("alt-x").unwrap()]);
    table.rebind(Command::Quit, vec![names::parse("ctrl-x").unwrap()]);
    let c = table.first_conflict().expect("alt-x and ctrl-x tie");
    assert_eq!((c.first, c.second), (Command::Zoom, Command::Quit));
    // A plain key and the same key with Ctrl are two keys (Ctrl-Z suspends, z zooms).
    let mut table = KeyTable::default();
    table.rebind(Command::Quit, vec![names::parse("ctrl-t").unwrap()]);
    assert_eq!(table.first_conflict(), None);
}
