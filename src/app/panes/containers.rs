//! The containers pane: one row per container (`collect::containers` names them), sorted by
//! any column, narrowed by the filter, a Kubernetes pod's containers under a heading row of
//! their pod. It shares its place on the screen with the process table; while it is shown,
//! the memory map and namespace panes follow the selected container's main process.

use crate::app::keymap::Command;
use crate::app::state::{AppState, PaneId, proc_id};
use crate::app::update::Effect;
use crate::model::{Container, Runtime, Snapshot};
use std::cmp::Ordering;

/// Columns, in display order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Name,
    Runtime,
    Id,
    State,
    Procs,
    Cpu,
    Memory,
    WorkingSet,
    Pids,
    Net,
    Disk,
    Uptime,
    Ns,
}

impl Column {
    pub const ALL: [Column; 13] = [
        Column::Name,
        Column::Runtime,
        Column::Id,
        Column::State,
        Column::Procs,
        Column::Cpu,
        Column::Memory,
        Column::WorkingSet,
        Column::Pids,
        Column::Net,
        Column::Disk,
        Column::Uptime,
        Column::Ns,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Column::Name => "NAME",
            Column::Runtime => "RUNTIME",
            Column::Id => "ID",
            Column::State => "STATE",
            Column::Procs => "PROCS",
            Column::Cpu => "CPU%",
            Column::Memory => "MEMORY",
            Column::WorkingSet => "WSET",
            Column::Pids => "PIDS",
            Column::Net => "NET RX/TX",
            Column::Disk => "DISK R/W",
            Column::Uptime => "UP",
            Column::Ns => "NS",
        }
    }

    /// Numbers are most useful largest first; names A to Z.
    fn descending_first(self) -> bool {
        !matches!(
            self,
            Column::Name | Column::Runtime | Column::Id | Column::State | Column::Ns
        )
    }
}

/// A row of the pane: a container, or the heading of a pod whose containers follow it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    Pod {
        uid: String,
        /// `namespace/pod` where the kubelet's logs named it, else the uid's first part.
        label: String,
        /// Its containers, as indices into `Snapshot::containers`.
        members: Vec<usize>,
    },
    Container {
        index: usize,
        in_pod: bool,
    },
}

/// What the cursor is on, kept across refreshes (rows reorder, containers come and go).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowKey {
    Pod(String),
    Container(Runtime, String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ContainersState {
    pub rows: Vec<Row>,
    pub selected: Option<RowKey>,
    pub cursor: usize,
    pub offset: usize,
    pub sort: Column,
    pub descending: bool,
    pub page: usize,
}

impl Default for ContainersState {
    fn default() -> Self {
        ContainersState {
            rows: Vec::new(),
            selected: None,
            cursor: 0,
            offset: 0,
            sort: Column::Name,
            descending: false,
            page: 10,
        }
    }
}

/// The container a row shows (a pod heading shows none).
pub fn container_of<'a>(snap: &'a Snapshot, row: &Row) -> Option<&'a Container> {
    match row {
        Row::Container { index, .. } => snap.containers.get(*index),
        Row::Pod { .. } => None,
    }
}

fn key_of(snap: &Snapshot, row: &Row) -> Option<RowKey> {
    match row {
        Row::Pod { uid, .. } => Some(RowKey::Pod(uid.clone())),
        Row::Container { index, .. } => snap
            .containers
            .get(*index)
            .map(|c| RowKey::Container(c.runtime, c.id.clone())),
    }
}

/// The selected row's container, if the cursor is on one.
pub fn selected_container(app: &AppState) -> Option<&Container> {
    let snap = app.snapshot.as_ref()?;
    container_of(snap, app.containers.rows.get(app.containers.cursor)?)
}

/// The selected row, if any.
pub fn selected_row(app: &AppState) -> Option<&Row> {
    app.containers.rows.get(app.containers.cursor)
}

/// Rebuilds the rows from the snapshot, filter and sort; the cursor follows its row. While
/// the pane is shown, the selected process becomes its container's main process.
pub fn recompute(app: &mut AppState) {
    let Some(snap) = app.snapshot.clone() else {
        app.containers.rows.clear();
        return;
    };
    let st = &app.containers;
    let mut keep: Vec<usize> = (0..snap.containers.len())
        .filter(|i| {
            snap.containers
                .get(*i)
                .is_some_and(|c| app.filter.matches_container(c, &snap))
        })
        .collect();
    let host = snap.host_namespaces();
    let cmp = |a: &usize, b: &usize| -> Ordering {
        let (Some(ca), Some(cb)) = (snap.containers.get(*a), snap.containers.get(*b)) else {
            return Ordering::Equal;
        };
        let o = compare(ca, cb, st.sort, &host);
        let o = if st.descending { o.reverse() } else { o };
        o.then_with(|| (ca.runtime, &ca.name, &ca.id).cmp(&(cb.runtime, &cb.name, &cb.id)))
    };
    keep.sort_by(cmp);
    app.containers.rows = group_pods(&snap, &keep);
    let rows = &app.containers.rows;
    let found = app.containers.selected.as_ref().and_then(|sel| {
        rows.iter()
            .position(|r| key_of(&snap, r).as_ref() == Some(sel))
    });
    let st = &mut app.containers;
    st.cursor = found.unwrap_or_else(|| st.cursor.min(st.rows.len().saturating_sub(1)));
    st.selected = st.rows.get(st.cursor).and_then(|r| key_of(&snap, r));
    st.offset = crate::app::panes::scroll_to(st.offset, st.cursor, st.page, st.rows.len());
    follow_main_process(app);
}

/// The rows in sort order, each pod's containers together under its heading, at the place
/// of its first container.
fn group_pods(snap: &Snapshot, sorted: &[usize]) -> Vec<Row> {
    let mut rows = Vec::with_capacity(sorted.len());
    let mut done: Vec<&str> = Vec::new();
    for &i in sorted {
        let Some(c) = snap.containers.get(i) else {
            continue;
        };
        let Some(pod) = &c.pod else {
            rows.push(Row::Container {
                index: i,
                in_pod: false,
            });
            continue;
        };
        if done.contains(&pod.uid.as_str()) {
            continue;
        }
        done.push(&pod.uid);
        let members: Vec<usize> = sorted
            .iter()
            .copied()
            .filter(|j| {
                snap.containers
                    .get(*j)
                    .and_then(|m| m.pod.as_ref())
                    .is_some_and(|p| p.uid == pod.uid)
            })
            .collect();
        rows.push(Row::Pod {
            uid: pod.uid.clone(),
            label: pod_label(c, &pod.uid),
            members: members.clone(),
        });
        rows.extend(members.into_iter().map(|index| Row::Container {
            index,
            in_pod: true,
        }));
    }
    rows
}

/// `namespace/pod` from a container named `namespace/pod/container` by the kubelet's logs,
/// else the pod's uid up to its first dash.
fn pod_label(c: &Container, uid: &str) -> String {
    match c.name.rsplit_once('/') {
        Some((pod, _)) if c.name_source == crate::model::NameSource::KubernetesLogs => {
            pod.to_string()
        }
        _ => uid.split('-').next().unwrap_or(uid).to_string(),
    }
}

fn compare(a: &Container, b: &Container, col: Column, host: &crate::model::NsSet) -> Ordering {
    let (ma, mb) = (&a.measures, &b.measures);
    let f = |x: Option<f64>, y: Option<f64>| x.unwrap_or(-1.0).total_cmp(&y.unwrap_or(-1.0));
    let net = |c: &Container| {
        c.network
            .as_ref()
            .and_then(|n| Some(n.rx_bytes_per_sec? + n.tx_bytes_per_sec?))
    };
    let disk = |m: &crate::model::ContainerMeasures| {
        Some(m.disk_read_bytes_per_sec? + m.disk_write_bytes_per_sec?)
    };
    match col {
        Column::Name => a.name.cmp(&b.name),
        Column::Runtime => a.runtime.name().cmp(b.runtime.name()),
        Column::Id => a.id.cmp(&b.id),
        Column::State => ma.frozen.cmp(&mb.frozen),
        Column::Procs => a.pids.len().cmp(&b.pids.len()),
        Column::Cpu => f(ma.cpu_percent, mb.cpu_percent),
        Column::Memory => ma.memory_current_bytes.cmp(&mb.memory_current_bytes),
        Column::WorkingSet => ma
            .memory_working_set_bytes
            .cmp(&mb.memory_working_set_bytes),
        Column::Pids => ma.pids_current.cmp(&mb.pids_current),
        Column::Net => f(net(a), net(b)),
        Column::Disk => f(disk(ma), disk(mb)),
        Column::Uptime => ma.uptime_seconds.cmp(&mb.uptime_seconds),
        Column::Ns => {
            let n = |c: &Container| crate::model::cells::own_namespaces(c, host);
            n(a).cmp(&n(b))
        }
    }
}

/// While the pane is shown, the process the other panes describe is the selected
/// container's main process (a pod heading: its first container's).
fn follow_main_process(app: &mut AppState) {
    if app.table != PaneId::Containers {
        return;
    }
    let Some(snap) = app.snapshot.clone() else {
        return;
    };
    let main = match selected_row(app) {
        Some(Row::Pod { members, .. }) => members.first().and_then(|i| snap.containers.get(*i)),
        Some(row) => container_of(&snap, row),
        None => None,
    }
    .map(|c| c.main_pid);
    let Some(p) = main.and_then(|pid| snap.process(pid)) else {
        return;
    };
    let id = proc_id(p);
    if app.processes.selected != Some(id) {
        app.processes.selected = Some(id);
        app.memory_map = crate::app::panes::MemoryMapState {
            page: app.memory_map.page,
            ..Default::default()
        };
    }
}

/// Keys for the focused containers pane.
pub fn handle(app: &mut AppState, cmd: &Command) -> Vec<Effect> {
    let st = &mut app.containers;
    match cmd {
        Command::SortNext | Command::SortPrev => {
            st.sort =
                crate::app::panes::step_column(&Column::ALL, st.sort, *cmd == Command::SortNext);
            st.descending = st.sort.descending_first();
        }
        Command::SortInvert => st.descending = !st.descending,
        Command::Enter => {
            enter(app);
            return Vec::new();
        }
        _ => {
            let Some(c) = crate::app::panes::move_cursor(st.cursor, st.rows.len(), st.page, cmd)
            else {
                return Vec::new();
            };
            select_row(app, c);
            return Vec::new();
        }
    }
    recompute(app);
    Vec::new()
}

/// Puts the cursor on row `row` (a click, a key).
pub fn select_row(app: &mut AppState, row: usize) {
    let Some(snap) = app.snapshot.clone() else {
        return;
    };
    let st = &mut app.containers;
    let Some(r) = st.rows.get(row) else {
        return;
    };
    st.selected = key_of(&snap, r);
    st.cursor = row;
    st.offset = crate::app::panes::scroll_to(st.offset, row, st.page, st.rows.len());
    follow_main_process(app);
}

/// Selects the row of the container labelled `label` (`runtime/name`, as events name
/// it); false when no row shows it (gone, or hidden by the filter).
pub fn select_label(app: &mut AppState, label: &str) -> bool {
    let Some(snap) = app.snapshot.clone() else {
        return false;
    };
    let row = app
        .containers
        .rows
        .iter()
        .position(|r| container_of(&snap, r).is_some_and(|c| c.label() == label));
    match row {
        Some(r) => {
            select_row(app, r);
            true
        }
        None => false,
    }
}

/// Enter: the process table shows only the container's (or the pod's) processes, and the
/// cgroup pane opens to its main process's cgroups.
fn enter(app: &mut AppState) {
    let Some(snap) = app.snapshot.clone() else {
        return;
    };
    let filter = match selected_row(app) {
        Some(Row::Pod { uid, .. }) => format!("pod:{uid}"),
        Some(row) => match container_of(&snap, row) {
            // The name where it is one word naming one container; else the id, whole.
            Some(c)
                if !c.name.contains(char::is_whitespace)
                    && snap.containers.iter().filter(|o| o.name == c.name).count() == 1 =>
            {
                format!("container:{}", c.name)
            }
            Some(c) => format!("container:{}", c.id),
            None => return,
        },
        None => return,
    };
    crate::app::panes::processes::apply_filter(app, &filter);
    crate::app::panes::cgroups::reveal_selected(app);
}
