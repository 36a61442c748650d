//! The one table of the dashboard's keys. Each binding is written once, with the keys that
//! give its command, where the command acts, and the words the key bar and the help screen
//! show for it: `keymap::command_for_key`, the help screen and the key bar are all read from
//! [`BINDINGS`], so that they cannot drift apart as they did when each had its own list.
//! The table is data that a lookup walks, not a `match`, so that the config file can rebind
//! a command by giving its binding other keys ([`KeyTable`]): the lookup, the help and the
//! bar then all say the new keys, from the same place.

use super::keymap::Command;
use super::state::PaneId;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::borrow::Cow;
// Short names for the table.
use Command as C;
use Context::{Global, Panes, Window};
use KeyCode::{BackTab, Down, End, Enter, Esc, F, Home, Left, PageDown, PageUp, Right, Tab, Up};
use PaneId::{Cgroups, Containers, Events, MemoryMap, Namespaces, Processes};

/// One key a binding answers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    /// Modifiers that must be held. Empty: the key matches whatever is held, as the keymap
    /// always did (crossterm reports `G` as `G` with Shift, and a Ctrl or Alt held with
    /// a letter does not change what the letter does, unless a key asks for it: Ctrl-C).
    pub holding: KeyModifiers,
}

impl Key {
    pub fn matches(&self, event: &KeyEvent) -> bool {
        self.code == event.code && event.modifiers.contains(self.holding)
    }
}

/// Where a binding's command acts. Descriptive for now: the lookup takes no context (update.rs
/// hands the Command to the open window or the focused pane), so a key is bound once in the
/// whole table whatever the context (see the tests). A config file that binds keys per
/// context will need the lookup to take one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Any pane; the focused pane (or the open window) decides what the command does there.
    Global,
    /// Only these panes act on the command.
    Panes(&'static [PaneId]),
    /// Only a window asking for it: the confirmation, the signal list.
    Window,
}

/// Which key bars show a binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnBar {
    /// The bars of these panes, among the pane's own keys.
    Panes(&'static [PaneId]),
    /// Every bar, after the focused pane's keys.
    Always,
}

/// A binding's words on the key bar: the key as the bar spells it ("f/F", "←→") and a label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BarWords {
    pub on: OnBar,
    pub key: &'static str,
    pub label: &'static str,
    /// The key spells this binding's key and the next one's ("f/F": freeze and thaw), so a
    /// rebinding of either spells both.
    pub pair: bool,
}

/// A binding's words on the help screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Help {
    /// A line of its own: the keys as the help spells them, and what they do.
    Line {
        keys: &'static str,
        says: &'static str,
    },
    /// Said on the line of the binding above it in the table: `F` (thaw) on the "f  F" line.
    OnLineAbove,
}

/// One binding: its keys, where its command acts, the command, and its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Binding {
    /// Any one of these gives the command.
    pub keys: &'static [Key],
    pub context: Context,
    pub command: Command,
    /// Empty: on no key bar.
    pub bar: &'static [BarWords],
    pub help: Help,
}

impl Binding {
    const fn help(self, keys: &'static str, says: &'static str) -> Binding {
        Binding {
            help: Help::Line { keys, says },
            ..self
        }
    }

    const fn bar(self, bar: &'static [BarWords]) -> Binding {
        Binding { bar, ..self }
    }
}

/// A binding on no key bar and said on the help line above it, until `.help` and `.bar`
/// give it words of its own.
const fn bind(keys: &'static [Key], context: Context, command: Command) -> Binding {
    Binding {
        keys,
        context,
        command,
        bar: &[],
        help: Help::OnLineAbove,
    }
}

const fn key(code: KeyCode) -> Key {
    Key {
        code,
        holding: KeyModifiers::NONE,
    }
}

const fn ch(c: char) -> Key {
    key(KeyCode::Char(c))
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        holding: KeyModifiers::CONTROL,
    }
}

const fn on(panes: &'static [PaneId], key: &'static str, label: &'static str) -> BarWords {
    BarWords {
        on: OnBar::Panes(panes),
        key,
        label,
        pair: false,
    }
}

const fn always(key: &'static str, label: &'static str) -> BarWords {
    BarWords {
        on: OnBar::Always,
        key,
        label,
        pair: false,
    }
}

/// Bar words that spell this binding's key and the next one's.
const fn paired(words: BarWords) -> BarWords {
    BarWords {
        pair: true,
        ..words
    }
}

const PROCS_AND_CGROUPS: &[PaneId] = &[Processes, Cgroups, Containers];
const TABLES: &[PaneId] = &[Processes, Containers];
const CGROUPS: &[PaneId] = &[Cgroups];
const PROCESSES: &[PaneId] = &[Processes];
/// Where the key bar offers `5`: every pane but the containers pane itself.
const NOT_CONTAINERS: &[PaneId] = &[Processes, MemoryMap, Namespaces, Cgroups];

/// Every binding, in the order of the help screen. A key bar lists its bindings in this
/// order too, so each pane's own keys must stay in the order of its bar.
pub static BINDINGS: &[Binding] = &[
    bind(&[key(Tab)], Global, C::NextPane)
        .help("Tab  Shift-Tab", "next / previous pane")
        .bar(&[always("Tab", "Pane")]),
    bind(&[key(BackTab)], Global, C::PrevPane),
    bind(&[ch('1')], Global, C::FocusPane(Processes)).help(
        "1 2 3 4",
        "focus processes, memory map, namespaces, cgroups",
    ),
    bind(&[ch('2')], Global, C::FocusPane(MemoryMap)),
    bind(&[ch('3')], Global, C::FocusPane(Namespaces)),
    bind(&[ch('4')], Global, C::FocusPane(Cgroups)),
    bind(&[ch('z'), ch('e')], Global, C::Zoom)
        .help("z  e", "zoom the focused pane to full screen (again: back)")
        .bar(&[always("z", "Zoom")]),
    bind(&[key(Up)], Global, C::Up)
        .help("Up/Down", "move the selection")
        .bar(&[paired(on(&[MemoryMap], "↑↓", "Scroll"))]),
    bind(&[key(Down)], Global, C::Down),
    bind(&[key(PageUp)], Global, C::PageUp).help("PgUp/PgDn  Home/End  g/G", "page, first, last"),
    bind(&[key(PageDown)], Global, C::PageDown),
    bind(&[key(Home), ch('g')], Global, C::Home),
    bind(&[key(End), ch('G')], Global, C::End),
    bind(&[key(Left)], Panes(CGROUPS), C::Left)
        .help(
            "Left/Right",
            "collapse / expand (cgroup tree), scroll sideways",
        )
        .bar(&[paired(on(&[Cgroups], "←→", "Fold"))]),
    bind(&[key(Right)], Panes(CGROUPS), C::Right),
    bind(
        &[ch('v')],
        Panes(&[MemoryMap, Namespaces, Events]),
        C::ToggleView,
    )
    .help(
        "v",
        "memory map: address order / the gaps not used, biggest first; namespaces: this \
             process / all namespaces of the host; timeline: with / without process events \
             (execs, exits, namespaces, cgroups populated or emptied)",
    )
    .bar(&[
        on(&[MemoryMap], "v", "Gaps by size"),
        on(&[Namespaces], "v", "This/All"),
        on(&[Events], "v", "Processes"),
    ]),
    bind(&[key(Enter)], Global, C::Enter)
        .help(
            "Enter",
            "processes: the process's threads; namespaces, cgroups and containers: show \
             only their processes; members; in the timeline: go to the event's process, \
             else its container, else its cgroup",
        )
        .bar(&[
            on(&[Namespaces], "Enter", "Members"),
            on(&[Cgroups, Containers], "Enter", "Processes"),
            on(&[Events], "Enter", "Go to"),
        ]),
    bind(&[ch('/')], Global, C::StartFilter)
        .help(
            "/",
            "filter: text, or user:NAME cgroup:PATH ns:TYPE:INODE pid:N state:S, and for \
             containers runtime:R name:N container:NAME-or-ID pod:UID; in the timeline \
             kind:K container:NAME cgroup:PATH pid:N text",
        )
        .bar(&[on(TABLES, "/", "Filter"), on(&[Events], "/", "Filter")]),
    bind(&[key(Esc)], Global, C::Back).help("Esc", "clear the filter, close a window"),
    bind(
        &[key(F(6)), ch('s'), ch('>'), ch('.')],
        Panes(TABLES),
        C::SortNext,
    )
    .help("F6  s  >  .", "sort by the next column")
    .bar(&[on(TABLES, "F6", "Sort")]),
    bind(&[ch('<'), ch(',')], Panes(TABLES), C::SortPrev)
        .help("<  ,", "sort by the previous column"),
    bind(&[ch('I')], Panes(TABLES), C::SortInvert).help("I", "invert the sort order"),
    bind(&[key(F(5)), ch('t')], Panes(PROCESSES), C::Tree)
        .help("F5  t", "tree view by parent process")
        .bar(&[on(&[Processes], "F5", "Tree")]),
    bind(&[ch('K')], Panes(PROCESSES), C::ToggleKernelThreads)
        .help("K", "show / hide kernel threads"),
    bind(&[ch('H')], Panes(PROCESSES), C::ToggleThreads)
        .help(
            "H",
            "show / hide threads under their process: TID, name, state, cpu %, the CPU it \
             last ran on, context switches a second (voluntary, involuntary), wait channel",
        )
        .bar(&[on(&[Processes], "H", "Threads")]),
    bind(&[ch('f')], Global, C::Freeze)
        .help(
            "f  F",
            "freeze / thaw the process's cgroup, the selected cgroup or container (y confirms)",
        )
        .bar(&[paired(on(PROCS_AND_CGROUPS, "f/F", "Freeze/Thaw"))]),
    bind(&[ch('F')], Global, C::Thaw),
    bind(&[ch('l')], Global, C::Limit)
        .help(
            "l",
            "set memory, memory high, cpu and pids limits (y confirms)",
        )
        .bar(&[on(PROCS_AND_CGROUPS, "l", "Limit")]),
    bind(&[ch('u')], Global, C::Undo).help("u", "undo the last limit (puts the old values back)"),
    bind(&[ch('m')], Global, C::Move)
        .help(
            "m",
            "move the process into another cgroup, or one of its own",
        )
        .bar(&[on(&[Processes], "m", "Move")]),
    bind(&[ch('k'), key(F(9))], Global, C::Signal)
        .help(
            "k  F9",
            "send a signal to the process or every process of the container; on a v2 cgroup, \
             cgroup.kill",
        )
        .bar(&[
            on(&[Processes, Containers], "k", "Signal"),
            on(&[Cgroups], "k", "Kill"),
        ]),
    bind(&[ch('n')], Global, C::Unshare)
        .help(
            "n",
            "start a command in new namespaces (unshare); it appears selected",
        )
        .bar(&[on(&[Processes], "n", "Unshare")]),
    bind(&[ch('i')], Global, C::Explain)
        .help(
            "i",
            "explain the selected row: which kernel file, what it means, v1/v2 names",
        )
        .bar(&[on(&PaneId::ALL, "i", "Explain")]),
    bind(&[ch('5')], Global, C::FocusPane(Containers))
        .help(
            "5",
            "containers (LXC, Docker, podman, Kubernetes, sandboxes) in the process table's \
             place; 1 brings the table back",
        )
        .bar(&[on(NOT_CONTAINERS, "5", "Containers")]),
    bind(&[ch('y')], Window, C::Confirm).help(
        "y",
        "in a window: make the plan, send the signal picked (cautions ask twice)",
    ),
    bind(&[ch('6')], Global, C::FocusPane(Events)).help(
        "6",
        "the timeline: what the kernel did (OOM kills, limits hit, freezes, execs, exits, \
         namespaces) and the actions, newest first; i explains an event",
    ),
    bind(&[ch('L')], Global, C::ToggleEvents).help(
        "L",
        "show / hide the timeline (it opens by itself at an action, an OOM kill, a limit hit \
         or a freeze)",
    ),
    bind(&[ch(' ')], Global, C::Pause)
        .help(
            "Space",
            "pause: stop updating the screen (the processes keep running)",
        )
        .bar(&[always("Space", "Pause")]),
    bind(&[ch('?'), key(F(1))], Global, C::Help)
        .help("?  F1", "this help")
        .bar(&[always("?", "Help")]),
    bind(&[ch('w')], Global, C::Tour).help(
        "w",
        "the guided tour: the talk boxtop grew from, live on this host (→ next, ← back, d its \
         demo, q leaves; boxtop tour --lang zh for Chinese)",
    ),
    bind(&[ctrl('z')], Global, C::Suspend).help("Ctrl-Z", "suspend boxtop (fg resumes)"),
    bind(&[ch('q'), key(F(10)), ctrl('c')], Global, C::Quit)
        .help("q  F10  Ctrl-C", "quit")
        .bar(&[always("q", "Quit")]),
];

/// The mouse has no binding (`keymap::command_for_mouse`); the help still says what it does.
const MOUSE_HELP: (&str, &str) = ("mouse", "click selects and focuses, wheel scrolls");

mod table;
pub use table::{BarWord, Conflict, KeyTable, bar_words, binding_for, help_lines};

pub mod names;
pub mod replay;
pub mod tour;

#[cfg(test)]
mod tests;
