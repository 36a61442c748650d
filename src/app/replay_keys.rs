//! What the replay keys do to the state (pure): steps, play, the typed time, and actions
//! refused. The replay thread (`replay.rs`) does the reading.

use super::keymap::Command;
use super::line_input::{Typed, type_key};
use super::replay::{ReplayCtl, ReplayPos};
use super::state::AppState;
use super::update::Effect;
use ratatui::crossterm::event::KeyEvent;

/// How many samples `{` `}` move: a minute's at the usual one-second interval.
const MANY: i64 = 60;
/// The longest time `t` takes, in characters.
const TIME_INPUT_MAX: usize = 40;

/// The replay's part of the state: where it is, and the time being typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReplayState {
    /// Where the replay is; `None` until the first sample is shown.
    pub pos: Option<ReplayPos>,
    /// While `t` is being answered: the text so far.
    pub time_input: Option<String>,
    /// What the recording lost, said once when it opens (the status line shows it).
    pub losses: Vec<String>,
}

/// The effect of a replay command, or `None` when `cmd` is not one.
pub fn command(app: &mut AppState, cmd: Command) -> Option<Vec<Effect>> {
    let replay = app.replay.as_mut()?;
    let step = |n| Some(vec![Effect::Replay(ReplayCtl::Step(n))]);
    match cmd {
        Command::StepBack => step(-1),
        Command::StepForward => step(1),
        Command::StepBackMany => step(-MANY),
        Command::StepForwardMany => step(MANY),
        Command::Play => {
            let playing = replay.pos.as_ref().is_some_and(|p| p.playing);
            Some(vec![Effect::Replay(ReplayCtl::Play(!playing))])
        }
        Command::JumpTime => {
            replay.time_input = Some(String::new());
            app.status = None;
            Some(Vec::new())
        }
        _ => None,
    }
}

/// A key while the time is typed: Enter goes there, Esc gives up.
pub fn time_key(app: &mut AppState, key: KeyEvent) -> Vec<Effect> {
    let Some(input) = app.replay.as_mut().and_then(|r| r.time_input.as_mut()) else {
        return Vec::new();
    };
    let typed = type_key(input, &key);
    // No time is longer than "2026-12-02 10:42:05" and a little more.
    while input.chars().count() > TIME_INPUT_MAX {
        input.pop();
    }
    let text = input.trim().to_string();
    match typed {
        Typed::Enter | Typed::Esc | Typed::Quit => {
            if let Some(r) = app.replay.as_mut() {
                r.time_input = None;
            }
        }
        Typed::Edited | Typed::Other => {}
    }
    match typed {
        Typed::Enter if !text.is_empty() => vec![Effect::Replay(ReplayCtl::Seek(text))],
        Typed::Quit => {
            app.should_quit = true;
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// Where the replay is now (from the replay thread).
pub fn moved(app: &mut AppState, pos: ReplayPos) {
    if let Some(r) = app.replay.as_mut() {
        r.pos = Some(pos);
    }
}

/// The sentence an action gets in replay: the host is live, the screen is not.
pub fn refusal(app: &AppState) -> Option<String> {
    let r = app.replay.as_ref()?;
    let when = r
        .pos
        .as_ref()
        .map_or(String::new(), |p| format!(" of {}", p.time_text));
    Some(format!(
        "replay: this is a recording{when}; actions act on the live host only (run boxtop)"
    ))
}
