//! Everything the views draw from. Plain data: no I/O, no clock, no channel.

use super::dialogs::Form;
use super::filter::Filter;
use super::panes::{
    CgroupsState, ContainersState, MemoryMapState, NamespacesState, ProcessesState,
};
use super::timeline::Timeline;
use crate::actions::plan::Plan;
use crate::model::{MemoryMap, ProcessRow, Snapshot};
use std::sync::Arc;

/// The six panes, in Tab order. The process table and the containers pane take turns in
/// the same place on the screen (`AppState::table`); the timeline (events) is on screen
/// once shown (`L`, `6`, the first action) and Tab passes it by while hidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PaneId {
    Processes,
    MemoryMap,
    Namespaces,
    Cgroups,
    Containers,
    Events,
}

impl PaneId {
    pub const ALL: [PaneId; 6] = [
        PaneId::Processes,
        PaneId::MemoryMap,
        PaneId::Namespaces,
        PaneId::Cgroups,
        PaneId::Containers,
        PaneId::Events,
    ];

    pub fn next(self) -> PaneId {
        let i = PaneId::ALL.iter().position(|p| *p == self).unwrap_or(0);
        PaneId::ALL[(i + 1) % PaneId::ALL.len()]
    }

    pub fn prev(self) -> PaneId {
        let i = PaneId::ALL.iter().position(|p| *p == self).unwrap_or(0);
        PaneId::ALL[(i + PaneId::ALL.len() - 1) % PaneId::ALL.len()]
    }
}

/// A process's identity: pid and start time (docs/ARCHITECTURE.md, "Identity").
pub type ProcId = (i32, u64);

pub fn proc_id<P: std::borrow::Borrow<ProcessRow>>(p: &P) -> ProcId {
    let p = p.borrow();
    (p.pid, p.start_time_ticks)
}

/// The memory map of the selected process, as the poller last sent it.
#[derive(Debug, Clone, PartialEq)]
pub struct MapData {
    pub for_proc: ProcId,
    pub map: Result<Arc<MemoryMap>, String>,
}

/// One of boxtop's own actions in the timeline: what it did, when, to what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    pub action: String,
    pub target: String,
    pub result: String,
    pub ok: bool,
}

/// A modal layer over the panes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    None,
    Help {
        scroll: usize,
    },
    /// A plan shown before it is made: `y` makes it, anything else cancels. A plan with
    /// cautions (a protected target, others affected) asks a second time (`asked_again`).
    /// Up/Down scroll a long plan.
    Confirm {
        plan: Plan,
        asked_again: bool,
        scroll: usize,
    },
    /// A form to fill in (limits, move, unshare).
    Form(Form),
    /// `k`: the signal to send, picked from a list.
    Signals {
        target: crate::actions::Target,
        /// What is signalled, in words.
        what: String,
        cursor: usize,
    },
    /// Enter on a process: the list of its threads (read while the list is open).
    Threads {
        of: ProcId,
        scroll: usize,
    },
    /// `i`: where the selected row's values come from.
    Explain {
        title: String,
        lines: Vec<String>,
        scroll: usize,
    },
}

#[derive(Debug, Clone)]
pub struct AppState {
    /// The snapshot on screen (the newest, unless paused).
    pub snapshot: Option<Arc<Snapshot>>,
    /// The process rows of the snapshot before it (shared `Arc`s, ascending by pid), to
    /// highlight what changed. Only the rows are kept, not the whole snapshot.
    pub previous: Vec<Arc<ProcessRow>>,
    /// The newest snapshot that arrived while paused, shown on resume.
    pub pending: Option<Arc<Snapshot>>,
    /// The processes of the snapshot's frozen cgroups (the kernel's freezer, any hierarchy).
    pub frozen: std::collections::HashSet<i32>,
    /// Terminal size in cells.
    pub size: (u16, u16),
    /// The process table's rows: processes of `snapshot` after filter, sort and tree, as
    /// indices into `snapshot.processes` with their tree depth, and with `H` their threads
    /// under each. Recomputed on every change of those.
    pub visible: Vec<super::panes::processes::TableRow>,
    pub focus: PaneId,
    /// Which of the process table and the containers pane is on screen: the one focused
    /// last.
    pub table: PaneId,
    pub zoomed: bool,
    /// Space: the screen stops updating (the kernel's cgroup freezer is "freeze").
    pub paused: bool,
    pub processes: ProcessesState,
    pub memory_map: MemoryMapState,
    pub map_data: Option<MapData>,
    pub namespaces: NamespacesState,
    pub cgroups: CgroupsState,
    pub containers: ContainersState,
    pub filter: Filter,
    /// While `/` is being typed: the text so far.
    pub filter_input: Option<String>,
    pub overlay: Overlay,
    /// One line of feedback (a bad filter, an exited process).
    pub status: Option<String>,
    /// `--readonly`: every action is refused.
    pub readonly: bool,
    /// What the kernel did and what the actions did: the events pane.
    pub timeline: Timeline,
    /// What `u` would do: put back the values the last limit replaced.
    pub undo: Option<Plan>,
    /// A process just started (`n`): selected as soon as a snapshot has it.
    pub select_when_seen: Option<i32>,
    /// The process to select first (boxtop's own pid in the dashboard).
    pub preferred_pid: Option<i32>,
    /// `--record DIR`: the dashboard writes what it shows there (the header says so).
    pub recording: Option<String>,
    /// `boxtop replay`: the recording's place and keys; `None` live.
    pub replay: Option<super::replay_keys::ReplayState>,
    /// Refresh interval, shown in the header.
    pub interval_ms: u64,
    /// The keys in force: the table's, with the config's rebindings.
    pub keys: super::keys::KeyTable,
    /// The colours in force (the config's theme, or monochrome under NO_COLOR).
    pub theme: super::theme::Theme,
    /// How the screen is split between the panes.
    pub sizes: super::geometry::PaneSizes,
    /// The guided tour, while it is on screen.
    pub tour: Option<super::tour::TourState>,
    /// What opening the tour needs (its language, boxtop's binary, its scratch directory);
    /// None where there is no tour (a replay).
    pub tour_setup: Option<super::tour::Setup>,
    /// A cleanup sent to the poller and not yet reported done: the run loop makes it itself
    /// should the program end first.
    pub tour_cleanup: Option<crate::actions::tour_cleanup::Cleanup>,
    pub should_quit: bool,
}

impl AppState {
    pub fn new(interval_ms: u64) -> Self {
        AppState {
            snapshot: None,
            previous: Vec::new(),
            pending: None,
            frozen: std::collections::HashSet::new(),
            size: (80, 24),
            visible: Vec::new(),
            focus: PaneId::Processes,
            table: PaneId::Processes,
            zoomed: false,
            paused: false,
            processes: ProcessesState::default(),
            memory_map: MemoryMapState::default(),
            map_data: None,
            namespaces: NamespacesState::default(),
            cgroups: CgroupsState::default(),
            containers: ContainersState::default(),
            filter: Filter::default(),
            filter_input: None,
            overlay: Overlay::None,
            status: None,
            interval_ms,
            preferred_pid: None,
            readonly: false,
            timeline: Timeline::default(),
            undo: None,
            select_when_seen: None,
            recording: None,
            replay: None,
            keys: super::keys::KeyTable::default(),
            theme: super::theme::Theme::default(),
            sizes: super::geometry::PaneSizes::default(),
            tour: None,
            tour_setup: None,
            tour_cleanup: None,
            should_quit: false,
        }
    }

    /// The selected process's row in the current snapshot, if it still exists.
    pub fn selected_process(&self) -> Option<&ProcessRow> {
        let (pid, start) = self.processes.selected?;
        let snap = self.snapshot.as_ref()?;
        snap.process(pid).filter(|p| p.start_time_ticks == start)
    }

    /// The previous refresh's row of the same process (same pid and start time).
    pub fn previous_row(&self, p: &ProcessRow) -> Option<&ProcessRow> {
        let i = self.previous.binary_search_by_key(&p.pid, |r| r.pid).ok()?;
        self.previous
            .get(i)
            .map(|r| &**r)
            .filter(|r| r.start_time_ticks == p.start_time_ticks)
    }

    /// The selected process's memory map, if the poller has sent the one for it.
    pub fn selected_map(&self) -> Option<&Result<Arc<MemoryMap>, String>> {
        let sel = self.processes.selected?;
        self.map_data
            .as_ref()
            .filter(|m| m.for_proc == sel)
            .map(|m| &m.map)
    }
}
