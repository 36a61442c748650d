//! Keys and mouse to Commands, with the bindings htop, bottom and k9s users already know
//! (the keys themselves are in `keys.rs`, the one table of them).

use super::state::PaneId;
use ratatui::crossterm::event::{KeyEvent, MouseButton, MouseEvent, MouseEventKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Quit,
    Up,
    Down,
    PageUp,
    PageDown,
    Home,
    End,
    Left,
    Right,
    Enter,
    Back,
    NextPane,
    PrevPane,
    FocusPane(PaneId),
    Zoom,
    StartFilter,
    SortNext,
    SortPrev,
    SortInvert,
    Tree,
    Help,
    Pause,
    ToggleKernelThreads,
    /// `H`: the threads of every process as rows under it.
    ToggleThreads,
    Explain,
    /// `v`: the pane's other view (namespaces: this process / all of the host).
    ToggleView,
    /// `f` / `F`: freeze / thaw the selected process's cgroup or the selected cgroup.
    Freeze,
    Thaw,
    /// `l`: set limits; `m`: move the process; `k`: send a signal; `n`: start a command in
    /// new namespaces; `u`: undo the last limit; `L`: show / hide the event log.
    Limit,
    Move,
    Signal,
    Unshare,
    Undo,
    ToggleEvents,
    /// Ctrl-Z: give the terminal back and stop, like any shell job.
    Suspend,
    /// `w`: the guided tour; in it, the next step, the step before, its demo, leaving.
    Tour,
    TourNext,
    TourBack,
    TourDemo,
    TourLeave,
    TourScrollDown,
    TourScrollUp,
    /// `y` in a confirmation.
    Confirm,
    /// In replay: one sample back / forward, a minute's back / forward, a typed time, play.
    StepBack,
    StepForward,
    StepBackMany,
    StepForwardMany,
    JumpTime,
    Play,
    Click {
        col: u16,
        row: u16,
    },
    ScrollUp {
        col: u16,
        row: u16,
    },
    ScrollDown {
        col: u16,
        row: u16,
    },
    Nothing,
}

/// The command a key press gives, from the one table of keys (`keys::BINDINGS`) with the
/// keys the config gave (`table`), which the help screen and the key bar are drawn from too.
pub(super) fn command_for_key(table: &super::keys::KeyTable, key: KeyEvent) -> Command {
    table.command_for(&key).unwrap_or(Command::Nothing)
}

pub(super) fn command_for_mouse(m: MouseEvent) -> Command {
    match m.kind {
        MouseEventKind::Down(MouseButton::Left) => Command::Click {
            col: m.column,
            row: m.row,
        },
        MouseEventKind::ScrollUp => Command::ScrollUp {
            col: m.column,
            row: m.row,
        },
        MouseEventKind::ScrollDown => Command::ScrollDown {
            col: m.column,
            row: m.row,
        },
        _ => Command::Nothing,
    }
}
