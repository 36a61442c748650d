//! The forms actions ask for (limits, move, unshare), and how keys edit them. Plain data and
//! pure functions: submitting a form turns it into a request for the poller.

mod limit_form;
mod unshare_form;

pub use limit_form::limit_form;
pub use unshare_form::{unshare_form, unshare_request};

use crate::actions::Target;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormKind {
    /// `l`: limits of this target.
    Limit(Target),
    /// `m`: move this process.
    Move(Target),
    /// `n`: start a command in new namespaces.
    Unshare,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Text(String),
    Check(bool),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The name the submit code looks the field up by, also shown.
    pub label: &'static str,
    /// Said beside the field: what it means, what is set now.
    pub hint: String,
    pub value: Value,
}

impl Field {
    pub fn text(label: &'static str, value: &str, hint: impl Into<String>) -> Field {
        Field {
            label,
            hint: hint.into(),
            value: Value::Text(value.to_string()),
        }
    }

    pub fn check(label: &'static str, on: bool, hint: impl Into<String>) -> Field {
        Field {
            label,
            hint: hint.into(),
            value: Value::Check(on),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub kind: FormKind,
    pub title: String,
    /// Paragraphs above the fields (wrapped by the window): what the form does.
    pub intro: Vec<String>,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// Why the last submit was refused; the form stays open.
    pub error: Option<String>,
}

/// What a key did to a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKey {
    Editing,
    Cancel,
    Submit,
}

impl Form {
    /// Esc cancels, Enter submits, Tab / Up / Down move between fields, Space ticks a box,
    /// typing edits a text field (Backspace, Ctrl-U clears it).
    pub fn key(&mut self, key: KeyEvent) -> FormKey {
        let n = self.fields.len().max(1);
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Esc => return FormKey::Cancel,
            KeyCode::Char('c') if ctrl => return FormKey::Cancel,
            KeyCode::Enter => return FormKey::Submit,
            KeyCode::Tab | KeyCode::Down => self.focus = (self.focus + 1) % n,
            KeyCode::BackTab | KeyCode::Up => self.focus = (self.focus + n - 1) % n,
            _ => {
                let Some(field) = self.fields.get_mut(self.focus) else {
                    return FormKey::Editing;
                };
                match (&mut field.value, key.code) {
                    (Value::Check(on), KeyCode::Char(' ')) => *on = !*on,
                    (Value::Text(t), KeyCode::Char('u')) if ctrl => t.clear(),
                    (Value::Text(t), KeyCode::Backspace) => {
                        t.pop();
                    }
                    (Value::Text(t), KeyCode::Char(c)) if !ctrl && t.len() < 4096 => t.push(c),
                    _ => return FormKey::Editing,
                }
                self.error = None;
            }
        }
        FormKey::Editing
    }

    /// The text of a text field ("" if there is none by that name).
    pub fn text(&self, label: &str) -> &str {
        self.fields
            .iter()
            .find(|f| f.label == label)
            .and_then(|f| match &f.value {
                Value::Text(t) => Some(t.as_str()),
                Value::Check(_) => None,
            })
            .unwrap_or("")
    }

    /// Whether a box is ticked.
    pub fn checked(&self, label: &str) -> bool {
        self.fields
            .iter()
            .any(|f| f.label == label && f.value == Value::Check(true))
    }
}

/// `m`: a destination path, or empty for a new cgroup of its own.
pub fn move_form(target: Target, what: &str, current: Option<&str>) -> Form {
    let pid = target.pid().unwrap_or(0);
    Form {
        kind: FormKind::Move(target),
        title: format!("Move {what}"),
        intro: vec![
            format!("Now in {}.", current.unwrap_or("?")),
            // A paragraph: the window wraps it to its width.
            format!(
                "Leave empty for a new cgroup of its own (boxtop-{pid} under its current one, in \
                 v2 and the v1 freezer, memory, cpu, cpuacct and pids hierarchies): then it can \
                 be frozen and limited alone. Or give an existing cgroup's path."
            ),
        ],
        fields: vec![Field::text(
            "destination",
            "",
            "a cgroup path as the Cgroups pane shows it",
        )],
        focus: 0,
        error: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyEvent;

    fn press(form: &mut Form, code: KeyCode) -> FormKey {
        form.key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    #[test]
    fn typing_edits_the_focused_field_and_tab_moves() {
        let mut f = limit_form(
            Target::Cgroup(crate::actions::CgroupPath::parse("/x").unwrap()),
            "x",
            None,
        );
        for c in "64M".chars() {
            press(&mut f, KeyCode::Char(c));
        }
        press(&mut f, KeyCode::Tab);
        press(&mut f, KeyCode::Tab);
        for c in "0.5x".chars() {
            press(&mut f, KeyCode::Char(c));
        }
        press(&mut f, KeyCode::Backspace);
        assert_eq!(f.text("memory"), "64M");
        assert_eq!(f.text("cpu"), "0.5");
        assert_eq!(press(&mut f, KeyCode::Enter), FormKey::Submit);
        assert_eq!(press(&mut f, KeyCode::Esc), FormKey::Cancel);
        // Up from the first field wraps to the last.
        f.focus = 0;
        press(&mut f, KeyCode::Up);
        assert_eq!(f.fields[f.focus].label, "pids");
    }

    #[test]
    fn space_ticks_a_box_but_is_typed_into_text() {
        let mut f = limit_form(
            Target::Cgroup(crate::actions::CgroupPath::parse("/x").unwrap()),
            "x",
            None,
        );
        f.fields.push(Field::check("init", false, ""));
        press(&mut f, KeyCode::Char(' '));
        assert_eq!(f.text("memory"), " ");
        f.focus = f.fields.len() - 1;
        press(&mut f, KeyCode::Char(' '));
        assert!(f.checked("init"));
        press(&mut f, KeyCode::Char(' '));
        assert!(!f.checked("init"));
    }
}
