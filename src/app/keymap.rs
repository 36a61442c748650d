//! Keys and mouse to Commands, with the bindings htop, bottom and k9s users already know.

use super::state::PaneId;
use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

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
    /// `y` in a confirmation.
    Confirm,
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

/// One entry of the help screen: keys, what they do.
pub const HELP: &[(&str, &str)] = &[
    ("Tab / Shift-Tab", "next / previous pane"),
    (
        "1 2 3 4",
        "focus processes, memory map, namespaces, cgroups",
    ),
    ("z  e", "zoom the focused pane to full screen (again: back)"),
    ("Up/Down", "move the selection"),
    ("PgUp/PgDn  Home/End", "page, first, last"),
    (
        "Left/Right",
        "collapse / expand (cgroup tree), scroll sideways",
    ),
    (
        "Enter",
        "namespaces and cgroups: show only their processes; members",
    ),
    (
        "/",
        "filter processes: text, or user:NAME cgroup:PATH ns:TYPE:INODE pid:N state:S",
    ),
    ("Esc", "clear the filter, close a window"),
    ("F6  s / <  >", "sort by the next / previous column"),
    ("I", "invert the sort order"),
    ("F5  t", "tree view by parent process"),
    ("K", "show / hide kernel threads"),
    ("v", "namespaces: this process / all namespaces of the host"),
    (
        "i",
        "explain the selected row: which kernel file, what it means, v1/v2 names",
    ),
    (
        "f  F",
        "freeze / thaw the process's cgroup, or the selected cgroup (y confirms)",
    ),
    (
        "l",
        "set memory, memory high, cpu and pids limits (y confirms)",
    ),
    ("u", "undo the last limit (puts the old values back)"),
    (
        "m",
        "move the process into another cgroup, or one of its own",
    ),
    (
        "k  F9",
        "send a signal to the process; on a v2 cgroup, cgroup.kill",
    ),
    (
        "n",
        "start a command in new namespaces (unshare); it appears selected",
    ),
    ("L", "show / hide the event log of actions"),
    (
        "Space",
        "pause: stop updating the screen (the processes keep running)",
    ),
    ("?  F1", "this help"),
    ("Ctrl-Z", "suspend boxtop (fg resumes)"),
    ("q  F10  Ctrl-C", "quit"),
    ("mouse", "click selects and focuses, wheel scrolls"),
];

pub fn command_for_key(key: KeyEvent) -> Command {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Char('c') if ctrl => Command::Quit,
        KeyCode::Char('z') if ctrl => Command::Suspend,
        KeyCode::Char('q') | KeyCode::F(10) => Command::Quit,
        KeyCode::Up => Command::Up,
        KeyCode::Down => Command::Down,
        KeyCode::PageUp => Command::PageUp,
        KeyCode::PageDown => Command::PageDown,
        KeyCode::Home | KeyCode::Char('g') => Command::Home,
        KeyCode::End | KeyCode::Char('G') => Command::End,
        KeyCode::Left => Command::Left,
        KeyCode::Right => Command::Right,
        KeyCode::Enter => Command::Enter,
        KeyCode::Esc => Command::Back,
        KeyCode::Tab => Command::NextPane,
        KeyCode::BackTab => Command::PrevPane,
        KeyCode::Char('1') => Command::FocusPane(PaneId::Processes),
        KeyCode::Char('2') => Command::FocusPane(PaneId::MemoryMap),
        KeyCode::Char('3') => Command::FocusPane(PaneId::Namespaces),
        KeyCode::Char('4') => Command::FocusPane(PaneId::Cgroups),
        KeyCode::Char('z' | 'e') => Command::Zoom,
        KeyCode::Char('/') => Command::StartFilter,
        KeyCode::F(6) | KeyCode::Char('s' | '>' | '.') => Command::SortNext,
        KeyCode::Char('<' | ',') => Command::SortPrev,
        KeyCode::Char('I') => Command::SortInvert,
        KeyCode::F(5) | KeyCode::Char('t') => Command::Tree,
        KeyCode::F(1) | KeyCode::Char('?') => Command::Help,
        KeyCode::Char(' ') => Command::Pause,
        KeyCode::Char('K') => Command::ToggleKernelThreads,
        KeyCode::Char('i') => Command::Explain,
        KeyCode::Char('v') => Command::ToggleView,
        KeyCode::Char('y') => Command::Confirm,
        KeyCode::Char('f') => Command::Freeze,
        KeyCode::Char('F') => Command::Thaw,
        KeyCode::Char('l') => Command::Limit,
        KeyCode::Char('m') => Command::Move,
        KeyCode::Char('k') | KeyCode::F(9) => Command::Signal,
        KeyCode::Char('n') => Command::Unshare,
        KeyCode::Char('u') => Command::Undo,
        KeyCode::Char('L') => Command::ToggleEvents,
        _ => Command::Nothing,
    }
}

pub fn command_for_mouse(m: MouseEvent) -> Command {
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
