//! The process table: selection (by identity), sort, tree, kernel threads, threads (`H`,
//! their rows in `rows.rs`), filter.

mod rows;

pub use rows::{TableRow, group_of, main_thread, thread_cmp, wchan_text};

use crate::app::keymap::Command;
use crate::app::state::{AppState, PaneId, ProcId, proc_id};
use crate::app::update::Effect;
use crate::model::host::{ns_differs, ns_letter};
use crate::model::{NsSet, ProcessRow, Snapshot};
use std::cmp::Ordering;
use std::collections::HashMap;

/// Columns, in display order; each can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Pid,
    User,
    State,
    Cpu,
    Rss,
    Threads,
    Ctxt,
    Ns,
    Cgroup,
    Command,
    /// The thread's columns, shown while `H` is on: the CPU it last ran on, its voluntary
    /// and involuntary context switches a second, its wait channel.
    LastCpu,
    VoluntaryRate,
    InvoluntaryRate,
    Wchan,
}

impl Column {
    pub const ALL: [Column; 10] = [
        Column::Pid,
        Column::User,
        Column::State,
        Column::Cpu,
        Column::Rss,
        Column::Threads,
        Column::Ctxt,
        Column::Ns,
        Column::Cgroup,
        Column::Command,
    ];

    /// The columns `H` adds, in the place of the namespaces and the cgroup (a thread's are
    /// its process's) so that the thread names still fit: before the command.
    pub const THREADS: [Column; 4] = [
        Column::LastCpu,
        Column::VoluntaryRate,
        Column::InvoluntaryRate,
        Column::Wchan,
    ];

    /// Whether the column sorts largest first when the sort keys reach it: numbers are most
    /// useful largest first (and the most unshared processes); names A to Z.
    pub fn largest_first(self) -> bool {
        matches!(
            self,
            Column::Cpu
                | Column::Rss
                | Column::Threads
                | Column::Ctxt
                | Column::Ns
                | Column::VoluntaryRate
                | Column::InvoluntaryRate
        )
    }

    pub fn title(self) -> &'static str {
        match self {
            Column::Pid => "PID",
            Column::User => "USER",
            Column::State => "S",
            Column::Cpu => "CPU%",
            Column::Rss => "RSS",
            Column::Threads => "THR",
            Column::Ctxt => "CSW",
            Column::Ns => "NS",
            Column::Cgroup => "CGROUP",
            Column::Command => "COMMAND",
            Column::LastCpu => "CPU",
            Column::VoluntaryRate => "VCS/s",
            Column::InvoluntaryRate => "ICS/s",
            Column::Wchan => "WCHAN",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ProcessesState {
    /// The columns shown, in order (the config's `processes.columns`); the sort keys step
    /// through these.
    pub columns: Vec<Column>,
    /// The selected process, by identity: it follows the process when rows reorder.
    pub selected: Option<ProcId>,
    /// With `H`, the selected thread row (its tid); the selected process is its process.
    pub selected_thread: Option<i32>,
    /// Row of the selection in `AppState::visible` (kept when the process exits).
    pub cursor: usize,
    /// First row drawn.
    pub offset: usize,
    pub sort: Column,
    pub descending: bool,
    pub tree: bool,
    pub show_kernel_threads: bool,
    /// `H`: each process's threads under it.
    pub show_threads: bool,
    /// Rows that fit on screen (set by the run loop from the layout).
    pub page: usize,
}

impl Default for ProcessesState {
    fn default() -> Self {
        ProcessesState {
            columns: Column::ALL.to_vec(),
            selected: None,
            selected_thread: None,
            cursor: 0,
            offset: 0,
            sort: Column::Cpu,
            descending: true,
            tree: false,
            show_kernel_threads: false,
            show_threads: false,
            page: 20,
        }
    }
}

impl ProcessesState {
    /// The columns on screen: the configured ones, and with `H` the threads' columns in the
    /// place of the namespaces and the cgroup.
    pub fn shown_columns(&self) -> Vec<Column> {
        if !self.show_threads {
            return self.columns.clone();
        }
        let mut cols: Vec<Column> = self
            .columns
            .iter()
            .copied()
            .filter(|c| !matches!(c, Column::Ns | Column::Cgroup))
            .collect();
        let at = cols
            .iter()
            .position(|c| *c == Column::Command)
            .unwrap_or(cols.len());
        cols.splice(at..at, Column::THREADS);
        cols
    }
}

/// Rebuilds `app.visible` from the snapshot, filter, sort and tree, and puts the cursor back
/// on the selected process.
pub fn recompute(app: &mut AppState) {
    let Some(snap) = app.snapshot.clone() else {
        app.visible.clear();
        return;
    };
    let st = &app.processes;
    let members = app.filter.members(&snap);
    let mut order: Vec<(usize, u16)> = snap
        .processes
        .iter()
        .enumerate()
        .filter(|(_, p)| st.show_kernel_threads || !p.kernel_thread)
        .filter(|(_, p)| app.filter.matches(p, &members))
        .map(|(i, _)| (i, 0))
        .collect();
    let host = snap.host_namespaces();
    let cmp = |a: &usize, b: &usize| compare(&snap, &host, st.sort, st.descending, *a, *b);
    if st.tree {
        order = tree_order(&snap, order.iter().map(|(i, _)| *i).collect(), cmp);
    } else {
        order.sort_by(|a, b| cmp(&a.0, &b.0));
    }
    // The rows are rebuilt in the vector of the last ones (refreshed every second, with
    // thousands of rows: no second list while the first is alive).
    let mut rows = std::mem::take(&mut app.visible);
    rows::with_threads(
        &snap,
        &order,
        st.show_threads,
        (st.sort, st.descending),
        &mut rows,
    );
    app.visible = rows;
    let row_id = |row: usize| app.visible.get(row).and_then(|r| row_identity(&snap, r));
    if app.processes.selected.is_none() {
        // First sight: boxtop itself if it is shown (its own address space and namespaces are
        // always readable), else the first row.
        let preferred = app.preferred_pid.and_then(|pid| row_of(app, pid));
        if let Some((id, tid)) = row_id(preferred.unwrap_or(0)) {
            app.processes.selected = Some(id);
            app.processes.selected_thread = tid;
        }
    }
    if !app.processes.show_threads {
        app.processes.selected_thread = None;
    }
    if let Some(sel) = app.processes.selected {
        let want = (sel, app.processes.selected_thread);
        let here = |r: &TableRow| row_identity(&snap, r);
        // The selected thread's row; if that thread has ended, its process's.
        let pos = app
            .visible
            .iter()
            .position(|r| here(r) == Some(want))
            .or_else(|| {
                app.visible
                    .iter()
                    .position(|r| here(r) == Some((sel, None)))
            });
        match pos {
            Some(pos) => {
                app.processes.cursor = pos;
                if here(&app.visible[pos]).is_some_and(|(_, t)| t.is_none()) {
                    app.processes.selected_thread = None;
                }
            }
            None => {
                app.processes.cursor = app
                    .processes
                    .cursor
                    .min(app.visible.len().saturating_sub(1));
                // Still running but filtered out: the selection moves to the row under the
                // cursor. (An exited process stays selected, and the panes say it exited.)
                let alive = snap
                    .process(sel.0)
                    .is_some_and(|p| p.start_time_ticks == sel.1);
                if let Some((id, tid)) = row_id(app.processes.cursor).filter(|_| alive) {
                    app.processes.selected = Some(id);
                    app.processes.selected_thread = tid;
                }
            }
        }
    }
    app.processes.offset = crate::app::panes::scroll_to(
        app.processes.offset,
        app.processes.cursor,
        app.processes.page,
        app.visible.len(),
    );
}

/// Whose row `r` is: its process, and the thread's tid on a thread's row.
fn row_identity(snap: &Snapshot, r: &TableRow) -> Option<(ProcId, Option<i32>)> {
    let p = r.process(snap)?;
    let tid = match r.thread {
        Some(_) => Some(r.thread(snap)?.tid),
        None => None,
    };
    Some((proc_id(p), tid))
}

fn key_cmp(snap: &Snapshot, host: &NsSet, col: Column, a: &ProcessRow, b: &ProcessRow) -> Ordering {
    match col {
        Column::Pid => a.pid.cmp(&b.pid),
        Column::User => a.user.cmp(&b.user),
        Column::State => a.state.cmp(&b.state),
        Column::Cpu => a.cpu_percent.sort_cmp(b.cpu_percent),
        Column::Rss => a.rss_bytes.cmp(&b.rss_bytes),
        Column::Threads => a.threads.cmp(&b.threads),
        Column::Ctxt => ctxt(a).cmp(&ctxt(b)),
        // By how many namespaces differ from the host's, then which.
        Column::Ns => {
            let (da, db) = (
                ns_differs(&a.namespaces, host),
                ns_differs(&b.namespaces, host),
            );
            da.clone()
                .count()
                .cmp(&db.clone().count())
                .then_with(|| da.map(ns_letter).cmp(db.map(ns_letter)))
        }
        Column::Cgroup => a.main_cgroup().cmp(b.main_cgroup()),
        Column::Command => a.command_line().cmp(&b.command_line()),
        // A process by its main thread, where its threads were read (others after).
        Column::LastCpu | Column::VoluntaryRate | Column::InvoluntaryRate | Column::Wchan => {
            match (main_thread(snap, a), main_thread(snap, b)) {
                (Some(x), Some(y)) => thread_cmp(col, x, y),
                (x, y) => x.is_some().cmp(&y.is_some()),
            }
        }
    }
}

pub fn ctxt(p: &ProcessRow) -> u64 {
    p.voluntary_ctxt_switches.get().unwrap_or(0) + p.nonvoluntary_ctxt_switches.get().unwrap_or(0)
}

fn compare(snap: &Snapshot, host: &NsSet, col: Column, desc: bool, a: usize, b: usize) -> Ordering {
    let (Some(pa), Some(pb)) = (snap.processes.get(a), snap.processes.get(b)) else {
        return Ordering::Equal;
    };
    let o = key_cmp(snap, host, col, pa, pb);
    let o = if desc { o.reverse() } else { o };
    o.then(pa.pid.cmp(&pb.pid))
}

/// Depth-first by parent, siblings in sort order; processes whose parent is not shown are
/// roots (as htop's tree does with a filter).
fn tree_order(
    snap: &Snapshot,
    keep: Vec<usize>,
    cmp: impl Fn(&usize, &usize) -> Ordering,
) -> Vec<(usize, u16)> {
    let index_of: HashMap<i32, usize> = keep
        .iter()
        .filter_map(|i| Some((snap.processes.get(*i)?.pid, *i)))
        .collect();
    let mut children: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut roots = Vec::new();
    for &i in &keep {
        let Some(p) = snap.processes.get(i) else {
            continue;
        };
        match index_of.get(&p.ppid).filter(|parent| **parent != i) {
            Some(parent) => children.entry(*parent).or_default().push(i),
            None => roots.push(i),
        }
    }
    roots.sort_by(&cmp);
    for v in children.values_mut() {
        v.sort_by(&cmp);
    }
    let mut out = Vec::with_capacity(keep.len());
    let mut stack: Vec<(usize, u16)> = roots.into_iter().rev().map(|r| (r, 0)).collect();
    while let Some((i, depth)) = stack.pop() {
        out.push((i, depth));
        if let Some(kids) = children.get(&i) {
            stack.extend(kids.iter().rev().map(|k| (*k, depth.saturating_add(1))));
        }
    }
    out
}

/// Keys for the focused process table.
pub fn handle(app: &mut AppState, cmd: &Command) -> Vec<Effect> {
    let st = &mut app.processes;
    match cmd {
        Command::SortNext | Command::SortPrev => {
            let shown = st.shown_columns();
            st.sort = crate::app::panes::step_column(&shown, st.sort, *cmd == Command::SortNext);
            st.descending = st.sort.largest_first();
        }
        Command::ToggleThreads => {
            st.show_threads = !st.show_threads;
            if !st.show_threads && Column::THREADS.contains(&st.sort) {
                // The column sorted by went with the threads: back to the default's.
                st.sort = if st.columns.contains(&Column::Cpu) {
                    Column::Cpu
                } else {
                    st.columns.first().copied().unwrap_or(Column::Pid)
                };
                st.descending = st.sort.largest_first();
            }
        }
        Command::Enter => {
            if let Some(of) = st.selected {
                app.overlay = crate::app::state::Overlay::Threads { of, scroll: 0 };
            }
            return Vec::new();
        }
        Command::SortInvert => st.descending = !st.descending,
        Command::Tree => st.tree = !st.tree,
        Command::ToggleKernelThreads => st.show_kernel_threads = !st.show_kernel_threads,
        _ => {
            let Some(c) =
                crate::app::panes::move_cursor(st.cursor, app.visible.len(), st.page, cmd)
            else {
                return Vec::new();
            };
            return select_row(app, c);
        }
    }
    recompute(app);
    Vec::new()
}

/// The visible row of process `pid` (its own row, not a thread's), if it is shown.
pub fn row_of(app: &AppState, pid: i32) -> Option<usize> {
    let snap = app.snapshot.as_ref()?;
    app.visible
        .iter()
        .position(|r| r.thread.is_none() && r.process(snap).is_some_and(|p| p.pid == pid))
}

/// Selects the process (or, with `H`, the thread) on visible row `row`.
pub fn select_row(app: &mut AppState, row: usize) -> Vec<Effect> {
    let Some(snap) = app.snapshot.clone() else {
        return Vec::new();
    };
    let Some((id, tid)) = app.visible.get(row).and_then(|r| row_identity(&snap, r)) else {
        return Vec::new();
    };
    app.processes.cursor = row;
    app.processes.offset = crate::app::panes::scroll_to(
        app.processes.offset,
        row,
        app.processes.page,
        app.visible.len(),
    );
    app.processes.selected_thread = tid;
    if app.processes.selected == Some(id) {
        return Vec::new();
    }
    app.processes.selected = Some(id);
    app.status = None;
    // A new process: its memory map starts at the top.
    app.memory_map = crate::app::panes::MemoryMapState {
        page: app.memory_map.page,
        ..Default::default()
    };
    crate::app::panes::cgroups::reveal_selected(app);
    vec![Effect::Select(Some(id))]
}

/// Shows only the processes matching `filter` (from the namespace or cgroup pane).
pub fn apply_filter(app: &mut AppState, text: &str) {
    match crate::app::filter::Filter::parse(text) {
        Ok(f) => {
            app.filter = f;
            app.focus = PaneId::Processes;
            app.table = PaneId::Processes;
            crate::app::panes::refresh_rows(app);
        }
        Err(e) => app.status = Some(e),
    }
}
