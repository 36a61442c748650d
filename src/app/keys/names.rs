//! How a key is written: in the config file (`"ctrl-c"`, `"f10"`, `"shift-tab"`, `"G"`),
//! and on the help screen and the key bar (`Ctrl-C`, `F10`, `Shift-Tab`, `G`). Both
//! spellings of every key the table can hold are here, and parsing the config's spelling
//! gives back the key it spells (the default file round-trips).

use super::Key;
use ratatui::crossterm::event::{KeyCode, KeyModifiers};

/// Named keys, as the config file writes them first and what else it takes.
const NAMED: &[(&str, KeyCode)] = &[
    ("tab", KeyCode::Tab),
    ("shift-tab", KeyCode::BackTab),
    ("backtab", KeyCode::BackTab),
    ("enter", KeyCode::Enter),
    ("return", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("escape", KeyCode::Esc),
    ("space", KeyCode::Char(' ')),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("pgup", KeyCode::PageUp),
    ("pageup", KeyCode::PageUp),
    ("pgdn", KeyCode::PageDown),
    ("pagedown", KeyCode::PageDown),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("backspace", KeyCode::Backspace),
    ("delete", KeyCode::Delete),
    ("del", KeyCode::Delete),
    ("insert", KeyCode::Insert),
    ("ins", KeyCode::Insert),
];

/// What the config file takes, for error messages.
pub const KEY_SYNTAX: &str = "a character (\"q\", \"G\", \"?\"), f1 to f12, tab, shift-tab, \
    enter, esc, space, up, down, left, right, pgup, pgdn, home, end, backspace, delete, \
    insert, each maybe after ctrl-, alt- or shift-";

/// A key as the config file spells it: `"ctrl-c"`, `"f10"`, `"space"`, `"G"`.
pub fn config_name(key: &Key) -> String {
    let mut name = String::new();
    for (held, word) in [
        (KeyModifiers::CONTROL, "ctrl-"),
        (KeyModifiers::ALT, "alt-"),
        (KeyModifiers::SHIFT, "shift-"),
    ] {
        if key.holding.contains(held) {
            name.push_str(word);
        }
    }
    match key.code {
        KeyCode::F(n) => name.push_str(&format!("f{n}")),
        KeyCode::Char(c) if c != ' ' => name.push(c),
        code => match NAMED.iter().find(|(_, k)| *k == code) {
            Some((word, _)) => name.push_str(word),
            None => name.push_str(&format!("{code:?}").to_lowercase()),
        },
    }
    name
}

/// A key from the config file's spelling; the error says what was wrong.
pub fn parse(text: &str) -> Result<Key, String> {
    let mut holding = KeyModifiers::NONE;
    let mut rest = text;
    // "ctrl--" is Ctrl and "-"; a lone "-" is the key "-".
    loop {
        let lower = rest.to_ascii_lowercase();
        let Some((held, len)) = [
            ("ctrl-", KeyModifiers::CONTROL),
            ("control-", KeyModifiers::CONTROL),
            ("alt-", KeyModifiers::ALT),
            ("shift-", KeyModifiers::SHIFT),
        ]
        .iter()
        .find(|(word, _)| lower.starts_with(word) && rest.len() > word.len())
        .map(|(word, held)| (*held, word.len())) else {
            break;
        };
        // "shift-tab" is a key of its own (crossterm's BackTab).
        if held == KeyModifiers::SHIFT && lower == "shift-tab" {
            break;
        }
        holding |= held;
        rest = rest.get(len..).unwrap_or_default();
    }
    let lower = rest.to_ascii_lowercase();
    let mut chars = rest.chars();
    let code = match (chars.next(), chars.next()) {
        (None, _) => return Err(format!("an empty key name (keys are {KEY_SYNTAX})")),
        (Some(c), None) => KeyCode::Char(c),
        _ => match NAMED.iter().find(|(word, _)| *word == lower) {
            Some((_, code)) => *code,
            None => match lower.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
                Some(n @ 1..=12) => KeyCode::F(n),
                _ => return Err(format!("unknown key {text:?} (keys are {KEY_SYNTAX})")),
            },
        },
    };
    normalize(code, holding, text)
}

/// The key as the terminal reports it. crossterm sends Ctrl-C as `c` with Control held,
/// Shift-G as `G` (with Shift, which a plain key ignores), so `ctrl-C` is `ctrl-c` and
/// `shift-g` is `G`; a Shift that changes no letter cannot be told apart from the
/// character the layout gives, which is to be written instead.
fn normalize(code: KeyCode, holding: KeyModifiers, text: &str) -> Result<Key, String> {
    let mut holding = holding;
    let code = match code {
        KeyCode::Char(c) if holding.contains(KeyModifiers::SHIFT) => {
            if !c.is_ascii_alphabetic() {
                return Err(format!(
                    "{text:?}: write the character Shift gives (\"?\" rather than \
                     \"shift-/\"): which one it is depends on the keyboard"
                ));
            }
            holding.remove(KeyModifiers::SHIFT);
            KeyCode::Char(c.to_ascii_uppercase())
        }
        KeyCode::Char(c) if holding.contains(KeyModifiers::CONTROL) => {
            KeyCode::Char(c.to_ascii_lowercase())
        }
        other => other,
    };
    Ok(Key { code, holding })
}

/// A key as the help screen and the key bar spell it: `Ctrl-C`, `PgUp`, `Space`, `F10`, `g`.
pub fn help_name(key: &Key) -> String {
    let ctrl = key.holding.contains(KeyModifiers::CONTROL);
    let mut name = String::new();
    for (held, word) in [
        (KeyModifiers::CONTROL, "Ctrl-"),
        (KeyModifiers::ALT, "Alt-"),
        (KeyModifiers::SHIFT, "Shift-"),
    ] {
        if key.holding.contains(held) {
            name.push_str(word);
        }
    }
    let code = match key.code {
        KeyCode::Char(' ') => "Space".to_string(),
        KeyCode::Char(c) if ctrl => c.to_ascii_uppercase().to_string(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::F(n) => format!("F{n}"),
        KeyCode::PageUp => "PgUp".to_string(),
        KeyCode::PageDown => "PgDn".to_string(),
        KeyCode::BackTab => "Shift-Tab".to_string(),
        other => format!("{other:?}"),
    };
    name + &code
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(code: KeyCode, holding: KeyModifiers) -> Key {
        Key { code, holding }
    }

    #[test]
    fn the_config_spellings_parse_to_their_keys() {
        let none = KeyModifiers::NONE;
        let ctrl = KeyModifiers::CONTROL;
        let cases = [
            ("q", k(KeyCode::Char('q'), none)),
            ("G", k(KeyCode::Char('G'), none)),
            ("shift-g", k(KeyCode::Char('G'), none)),
            ("ctrl-c", k(KeyCode::Char('c'), ctrl)),
            ("Ctrl-C", k(KeyCode::Char('c'), ctrl)),
            ("ctrl--", k(KeyCode::Char('-'), ctrl)),
            ("-", k(KeyCode::Char('-'), none)),
            ("alt-x", k(KeyCode::Char('x'), KeyModifiers::ALT)),
            (
                "ctrl-alt-x",
                k(KeyCode::Char('x'), ctrl | KeyModifiers::ALT),
            ),
            ("f10", k(KeyCode::F(10), none)),
            ("F1", k(KeyCode::F(1), none)),
            ("f", k(KeyCode::Char('f'), none)),
            ("tab", k(KeyCode::Tab, none)),
            ("shift-tab", k(KeyCode::BackTab, none)),
            ("Shift-Tab", k(KeyCode::BackTab, none)),
            ("space", k(KeyCode::Char(' '), none)),
            (" ", k(KeyCode::Char(' '), none)),
            ("PgDn", k(KeyCode::PageDown, none)),
            ("shift-up", k(KeyCode::Up, KeyModifiers::SHIFT)),
            ("esc", k(KeyCode::Esc, none)),
        ];
        for (text, want) in cases {
            assert_eq!(parse(text), Ok(want), "{text:?}");
        }
    }

    #[test]
    fn bad_key_names_say_what_is_taken() {
        for bad in ["", "f13", "f0", "ctrl-", "hyper-x", "shift-/", "enterr"] {
            let e = parse(bad).expect_err(bad);
            assert!(
                e.contains("f1 to f12") || e.contains("Shift gives"),
                "{bad:?}: {e}"
            );
        }
    }

    /// Every key the table binds is written so that it parses back to itself.
    #[test]
    fn every_bound_key_round_trips_through_its_config_name() {
        for binding in super::super::BINDINGS {
            for key in binding.keys {
                assert_eq!(parse(&config_name(key)), Ok(*key), "{key:?}");
            }
        }
    }
}
