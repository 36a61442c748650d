//! The keys of `boxtop replay`, looked up before the main table while a recording is shown.
//! A separate table because three of its keys mean something else live (`t` the tree,
//! Space pause, Left/Right the cgroup tree), and the main table binds each key once.

use super::{BarWord, Binding, always, ch, key};
use crate::app::keymap::Command as C;
use crate::app::state::PaneId;
use ratatui::crossterm::event::{KeyCode, KeyEvent};

pub static REPLAY_BINDINGS: &[Binding] = &[
    super::bind(&[ch('['), key(KeyCode::Left)], super::Global, C::StepBack)
        .help(
            "[  ]  Left/Right",
            "in replay: one sample back / forward (in the cgroup tree Left/Right still fold)",
        )
        .bar(&[always("[ ]", "Step")]),
    super::bind(
        &[ch(']'), key(KeyCode::Right)],
        super::Global,
        C::StepForward,
    ),
    super::bind(&[ch('{')], super::Global, C::StepBackMany)
        .help("{  }", "in replay: one minute's samples back / forward"),
    super::bind(&[ch('}')], super::Global, C::StepForwardMany),
    super::bind(&[ch('t')], super::Global, C::JumpTime)
        .help(
            "t",
            "in replay: go to a time: 10:42, 10:42:05, 2026-12-02 10:42, -5m (back from the end)",
        )
        .bar(&[always("t", "Time")]),
    super::bind(&[ch(' ')], super::Global, C::Play)
        .help("Space", "in replay: play / pause at the recording's pace")
        .bar(&[always("Space", "Play")]),
];

/// The replay command a key gives with `focus` focused, if it has one. The cgroup tree
/// keeps Left/Right for folding; `[` `]` step there.
pub fn replay_command(event: &KeyEvent, focus: PaneId) -> Option<C> {
    if focus == PaneId::Cgroups && matches!(event.code, KeyCode::Left | KeyCode::Right) {
        return None;
    }
    REPLAY_BINDINGS
        .iter()
        .find(|b| b.keys.iter().any(|k| k.matches(event)))
        .map(|b| b.command)
}

/// The replay's words on the key bar, before the pane's own (the config rebinds only the
/// live table: these keys are always the table's).
pub fn bar_words() -> Vec<BarWord> {
    REPLAY_BINDINGS
        .iter()
        .flat_map(|b| b.bar)
        .map(|w| BarWord {
            key: std::borrow::Cow::Borrowed(w.key),
            label: w.label,
        })
        .collect()
}
