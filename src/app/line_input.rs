//! A line typed on the status line (`/` filters, `t` a time in replay): the keys every such
//! input shares, so that they behave alike (Ctrl-U clears, Ctrl-C still quits).

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key did to the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Typed {
    Enter,
    Esc,
    /// Ctrl-C: the program is to quit, as anywhere else.
    Quit,
    /// The text changed (or may have: Backspace on an empty line).
    Edited,
    /// A key that means nothing here (an arrow, a function key).
    Other,
}

pub(super) fn type_key(text: &mut String, key: &KeyEvent) -> Typed {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Enter => Typed::Enter,
        KeyCode::Esc => Typed::Esc,
        KeyCode::Char('c') if ctrl => Typed::Quit,
        KeyCode::Char('u') if ctrl => {
            text.clear();
            Typed::Edited
        }
        KeyCode::Backspace => {
            text.pop();
            Typed::Edited
        }
        KeyCode::Char(c) => {
            text.push(c);
            Typed::Edited
        }
        _ => Typed::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(text: &mut String, code: KeyCode, m: KeyModifiers) -> Typed {
        type_key(text, &KeyEvent::new(code, m))
    }

    #[test]
    fn typing_editing_and_leaving() {
        let none = KeyModifiers::NONE;
        let mut t = String::new();
        assert_eq!(press(&mut t, KeyCode::Char('a'), none), Typed::Edited);
        press(&mut t, KeyCode::Char('b'), none);
        assert_eq!(t, "ab");
        press(&mut t, KeyCode::Backspace, none);
        assert_eq!(t, "a");
        press(&mut t, KeyCode::Char('u'), KeyModifiers::CONTROL);
        assert_eq!(t, "", "Ctrl-U clears");
        assert_eq!(
            press(&mut t, KeyCode::Char('c'), KeyModifiers::CONTROL),
            Typed::Quit
        );
        assert_eq!(t, "", "Ctrl-C types nothing");
        assert_eq!(press(&mut t, KeyCode::Enter, none), Typed::Enter);
        assert_eq!(press(&mut t, KeyCode::Esc, none), Typed::Esc);
        assert_eq!(press(&mut t, KeyCode::Left, none), Typed::Other);
    }
}
