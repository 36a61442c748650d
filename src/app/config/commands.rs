//! The commands of the key table by the names `[keys]` gives them (the `Command` they give,
//! in snake case; the timeline's, which the code calls events, by the name the screen
//! shows), in the table's order, each with the line the default file says of it.

use crate::app::keymap::Command;
use crate::app::state::PaneId;

pub const COMMANDS: &[(&str, Command, &str)] = &[
    ("next_pane", Command::NextPane, "focus the next pane"),
    ("prev_pane", Command::PrevPane, "focus the previous pane"),
    (
        "focus_processes",
        Command::FocusPane(PaneId::Processes),
        "focus the process table",
    ),
    (
        "focus_memory_map",
        Command::FocusPane(PaneId::MemoryMap),
        "focus the memory map",
    ),
    (
        "focus_namespaces",
        Command::FocusPane(PaneId::Namespaces),
        "focus the namespaces pane",
    ),
    (
        "focus_cgroups",
        Command::FocusPane(PaneId::Cgroups),
        "focus the cgroup tree",
    ),
    (
        "zoom",
        Command::Zoom,
        "zoom the focused pane to full screen and back",
    ),
    ("up", Command::Up, "move the selection up"),
    ("down", Command::Down, "move the selection down"),
    ("page_up", Command::PageUp, "one page up"),
    ("page_down", Command::PageDown, "one page down"),
    ("home", Command::Home, "the first row"),
    ("end", Command::End, "the last row"),
    (
        "left",
        Command::Left,
        "collapse a cgroup, scroll left (the cgroup tree)",
    ),
    (
        "right",
        Command::Right,
        "expand a cgroup, scroll right (the cgroup tree)",
    ),
    (
        "toggle_view",
        Command::ToggleView,
        "namespaces: this process or the whole host; timeline: with or without process events",
    ),
    (
        "enter",
        Command::Enter,
        "the process's threads; show only the row's processes; in the timeline go to the \
         event's process",
    ),
    (
        "filter",
        Command::StartFilter,
        "type a filter (text, user:NAME, pid:N, container:NAME, ...)",
    ),
    ("back", Command::Back, "clear the filter, close a window"),
    ("sort_next", Command::SortNext, "sort by the next column"),
    (
        "sort_prev",
        Command::SortPrev,
        "sort by the previous column",
    ),
    ("sort_invert", Command::SortInvert, "invert the sort order"),
    ("tree", Command::Tree, "tree view by parent process"),
    (
        "toggle_kernel_threads",
        Command::ToggleKernelThreads,
        "show or hide kernel threads",
    ),
    (
        "toggle_threads",
        Command::ToggleThreads,
        "show or hide threads under their process",
    ),
    (
        "freeze",
        Command::Freeze,
        "freeze the process's cgroup, the cgroup or the container",
    ),
    (
        "thaw",
        Command::Thaw,
        "thaw the process's cgroup, the cgroup or the container",
    ),
    ("limit", Command::Limit, "set memory, cpu and pids limits"),
    ("undo", Command::Undo, "undo the last limit"),
    (
        "move",
        Command::Move,
        "move the process into another cgroup",
    ),
    (
        "signal",
        Command::Signal,
        "send a signal (on a v2 cgroup: cgroup.kill)",
    ),
    (
        "unshare",
        Command::Unshare,
        "start a command in new namespaces",
    ),
    (
        "explain",
        Command::Explain,
        "explain the selected row: which kernel file, what it means",
    ),
    (
        "focus_containers",
        Command::FocusPane(PaneId::Containers),
        "the containers pane, in the process table's place",
    ),
    (
        "confirm",
        Command::Confirm,
        "in a window: make the plan, send the signal picked",
    ),
    (
        "focus_timeline",
        Command::FocusPane(PaneId::Events),
        "focus the timeline of what the kernel did",
    ),
    (
        "toggle_timeline",
        Command::ToggleEvents,
        "show or hide the timeline",
    ),
    (
        "pause",
        Command::Pause,
        "stop updating the screen (the processes keep running)",
    ),
    ("help", Command::Help, "the help screen"),
    (
        "tour",
        Command::Tour,
        "the guided tour of the talk, live on this host",
    ),
    ("suspend", Command::Suspend, "suspend boxtop (fg resumes)"),
    ("quit", Command::Quit, "quit (needs at least one key)"),
];

/// The command `[keys]` names `name`.
pub fn command_by_name(name: &str) -> Option<Command> {
    COMMANDS
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, c, _)| *c)
}

/// The name `[keys]` gives `command`.
pub(super) fn name_of(command: Command) -> &'static str {
    COMMANDS
        .iter()
        .find(|(_, c, _)| *c == command)
        .map_or("?", |(n, _, _)| n)
}
