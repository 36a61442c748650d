//! The pure state update: a message in, the state changed, effects out for the run loop.

use super::action_keys::{self, Outcome, PlanRequest};
use super::keymap::{Command, command_for_key, command_for_mouse};
use super::line_input::{Typed, type_key};
use super::panes;
use super::replay_keys;
use super::state::{AppState, MapData, Overlay, PaneId, ProcId};
use crate::actions::plan::Plan;
use crate::model::Snapshot;
use ratatui::crossterm::event::{KeyEvent, MouseEvent};
use std::sync::Arc;

#[derive(Debug, Clone)]
pub enum Msg {
    Snapshot(Arc<Snapshot>),
    Map(MapData),
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// SIGTERM / SIGHUP: leave cleanly.
    Quit,
    /// The poller thread ended (it panicked): nothing will update any more.
    PollerStopped,
    /// An action, planned and checked by the poller (or why not).
    Planned(Outcome<Plan>),
    /// What a made plan did (or why it failed).
    ActionDone(Plan, Outcome<Vec<String>>),
    /// A command started in new namespaces: its pid (or why not).
    Launched(Outcome<i32>),
    /// In replay: where in the recording the shown sample is.
    Replay(super::replay::ReplayPos),
    /// A sentence for the status line: in replay, a time that names no sample or a damaged
    /// sample; live, why the dashboard's recording stopped (`--record`).
    Note(String),
    /// `--record`: the recording stopped (a write failed); why.
    RecordingStopped(String),
    /// In replay, before the first sample: the process whose memory map the recording
    /// holds, to be selected first (as the live dashboard selects boxtop itself).
    Prefer(i32),
    /// What the kernel did since the last snapshot (the poller), or at the replayed sample;
    /// `reset`: they replace the timeline's (the replay jumped to another time); `since`:
    /// the time from which the timeline holds everything (the first snapshot shown, the
    /// first sample of the replay's run).
    Events {
        entries: Vec<super::timeline::Entry>,
        reset: bool,
        since: Option<String>,
    },
    /// The parts of one refresh (a snapshot, its events, the selected process's map), handled
    /// in order and drawn once.
    Together(Vec<Msg>),
    /// What the poller read for the tour's step.
    TourFacts(super::tour::Facts),
    /// The tour's cleanup was made: what it did.
    TourCleaned(Vec<String>),
}

/// What the run loop must do outside the state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Tell the poller which process is selected (its map and fresh details are read).
    Select(Option<ProcId>),
    /// Tell the poller whose threads to read (`H`, the threads view), or none.
    Threads(crate::collect::ThreadScope),
    /// Ctrl-Z: restore the terminal and stop.
    Suspend,
    /// Plan an action; the poller reads what it needs.
    Plan(PlanRequest),
    /// Make a confirmed plan.
    Apply(Plan),
    /// In replay: move in the recording, play, or say which process is selected.
    Replay(super::replay::ReplayCtl),
    /// The tour's step needs these read (or nothing, when it is left).
    TourProbe(super::tour::Probe),
    /// Leaving the tour: stop and remove what its demos started.
    TourCleanup(crate::actions::tour_cleanup::Cleanup),
}

pub fn update(app: &mut AppState, msg: Msg) -> Vec<Effect> {
    let before = app.processes.selected;
    let threads_before = thread_scope(app);
    let mut effects = update_inner(app, msg);
    // However the selection changed (a key, a filter hiding it, the first snapshot), the
    // poller hears of it once.
    if app.processes.selected != before && !effects.iter().any(|e| matches!(e, Effect::Select(_))) {
        effects.push(Effect::Select(app.processes.selected));
    }
    // Likewise whether threads are on screen: the poller reads them only then.
    let threads = thread_scope(app);
    if threads != threads_before {
        effects.push(Effect::Threads(threads));
    }
    effects
}

/// The threads the screen shows: with `H` every process's, in the threads view the selected
/// process's. (A replay shows what was recorded; it reads nothing.)
pub fn thread_scope(app: &AppState) -> crate::collect::ThreadScope {
    crate::collect::ThreadScope {
        all: app.processes.show_threads,
        selected: matches!(app.overlay, Overlay::Threads { .. }),
    }
}

fn update_inner(app: &mut AppState, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Together(parts) => parts
            .into_iter()
            .flat_map(|m| update_inner(app, m))
            .collect(),
        Msg::Snapshot(snap) => on_snapshot(app, snap),
        Msg::Map(data) => {
            if app.processes.selected == Some(data.for_proc) {
                app.map_data = Some(data);
            }
            Vec::new()
        }
        Msg::Key(key) if app.replay.as_ref().is_some_and(|r| r.time_input.is_some()) => {
            replay_keys::time_key(app, key)
        }
        Msg::Key(key) if app.timeline.filter_input.is_some() => {
            panes::timeline::filter_key(app, key);
            Vec::new()
        }
        Msg::Key(key) if app.filter_input.is_some() => {
            filter_key(app, key);
            Vec::new()
        }
        Msg::Key(key) if matches!(app.overlay, Overlay::Form(_)) => action_keys::form_key(app, key),
        Msg::Key(key)
            if app.tour.is_some()
                && matches!(app.overlay, Overlay::None)
                && super::tour::keys::tour_command(&key).is_some() =>
        {
            let cmd = super::tour::keys::tour_command(&key).unwrap_or(Command::Nothing);
            super::tour::keys::command(app, cmd)
        }
        Msg::Key(key) => {
            let replayed = app
                .replay
                .as_ref()
                .and_then(|_| super::keys::replay::replay_command(&key, app.focus));
            let command = replayed.unwrap_or_else(|| command_for_key(&app.keys, key));
            on_command(app, command)
        }
        Msg::Mouse(m) => on_command(app, command_for_mouse(m)),
        Msg::Resize(w, h) => {
            app.size = (w, h);
            crate::app::geometry::apply_layout(app);
            Vec::new()
        }
        Msg::Planned(out) => {
            action_keys::planned(app, out);
            Vec::new()
        }
        Msg::ActionDone(plan, out) => {
            super::tour::keys::action_done(app, &plan, out.result.is_ok());
            action_keys::done(app, &plan, out);
            super::tour::keys::probe(app)
        }
        Msg::Launched(out) => {
            if let (Some(tour), Ok(pid)) = (app.tour.as_mut(), out.result.as_ref()) {
                super::tour::demo::launched(tour, *pid);
            }
            action_keys::launched(app, out);
            super::tour::keys::probe(app)
        }
        Msg::TourFacts(facts) => {
            if let Some(tour) = app.tour.as_mut() {
                tour.facts = facts;
            }
            Vec::new()
        }
        Msg::TourCleaned(lines) => {
            app.tour_cleanup = None;
            app.status = Some(lines.join("; "));
            Vec::new()
        }
        Msg::Replay(pos) => {
            replay_keys::moved(app, pos);
            Vec::new()
        }
        Msg::Note(why) => {
            app.status = Some(why);
            Vec::new()
        }
        Msg::Prefer(pid) => {
            app.preferred_pid = Some(pid);
            Vec::new()
        }
        Msg::RecordingStopped(why) => {
            app.recording = None;
            app.status = Some(format!("recording stopped: {why}"));
            Vec::new()
        }
        Msg::Events {
            entries,
            reset,
            since,
        } => {
            panes::timeline::arrived(app, entries, reset, since);
            Vec::new()
        }
        Msg::Quit | Msg::PollerStopped => {
            app.should_quit = true;
            Vec::new()
        }
    }
}

fn on_snapshot(app: &mut AppState, snap: Arc<Snapshot>) -> Vec<Effect> {
    if app.paused {
        app.pending = Some(snap);
        return Vec::new();
    }
    let first = app.snapshot.is_none();
    // The cgroup pane's cursor follows its cgroup, not its row, into the new snapshot.
    let anchor = app
        .snapshot
        .as_ref()
        .and_then(|s| panes::cgroups::anchor::anchor_of(&s.cgroups, &app.cgroups));
    app.previous = app
        .snapshot
        .replace(snap)
        .map(|old| old.processes.clone())
        .unwrap_or_default();
    if let (Some(anchor), Some(snap)) = (anchor, app.snapshot.clone()) {
        panes::cgroups::anchor::follow(&snap.cgroups, &mut app.cgroups, &anchor);
    }
    app.frozen = app
        .snapshot
        .as_ref()
        .map(|s| s.cgroups.frozen_pids())
        .unwrap_or_default();
    app.timeline.unreadable = app
        .snapshot
        .as_deref()
        .map(crate::collect::events::unreadable)
        .unwrap_or_default();
    panes::refresh_rows(app);
    if let (Some(tour), Some(snap)) = (app.tour.as_mut(), app.snapshot.as_deref()) {
        super::tour::demo::seen(tour, snap);
    }
    if let Some((pid, _)) = app
        .processes
        .selected
        .filter(|_| app.selected_process().is_none())
    {
        app.status = Some(format!("process {pid} has exited"));
    }
    if first {
        panes::cgroups::reveal_selected(app);
        return vec![Effect::Select(app.processes.selected)];
    }
    select_when_seen(app)
}

/// A process just started from `n` is selected in the first snapshot after the launch (the
/// filter is cleared if it hides it).
fn select_when_seen(app: &mut AppState) -> Vec<Effect> {
    let Some(pid) = app.select_when_seen else {
        return Vec::new();
    };
    if app.snapshot.is_none() {
        return Vec::new();
    }
    app.select_when_seen = None;
    // The poller reads the host right after the launch: a pid missing from that snapshot
    // has already ended (and must not be selected later, when the pid is reused).
    select_pid(app, pid).unwrap_or_else(|| {
        app.status = Some(format!("process {pid} has already exited"));
        Vec::new()
    })
}

/// Selects `pid` in the process table, clearing the filter if it hides the process; None
/// when the snapshot on screen does not hold it.
pub(crate) fn select_pid(app: &mut AppState, pid: i32) -> Option<Vec<Effect>> {
    let snap = app.snapshot.clone()?;
    snap.process(pid)?;
    if panes::processes::row_of(app, pid).is_none() {
        app.filter = Default::default();
        panes::refresh_rows(app);
    }
    Some(match panes::processes::row_of(app, pid) {
        Some(r) => panes::processes::select_row(app, r),
        None => Vec::new(),
    })
}

fn on_command(app: &mut AppState, cmd: Command) -> Vec<Effect> {
    match app.overlay {
        Overlay::None => {}
        Overlay::Confirm { .. } => return action_keys::confirm_key(app, cmd),
        Overlay::Signals { .. } => return action_keys::signals_key(app, cmd),
        _ => return overlay_command(app, cmd),
    }
    if let Some(effects) = replay_keys::command(app, cmd) {
        return effects;
    }
    match cmd {
        Command::Quit => app.should_quit = true,
        Command::Tour
        | Command::TourNext
        | Command::TourBack
        | Command::TourDemo
        | Command::TourLeave
        | Command::TourScrollDown
        | Command::TourScrollUp => return super::tour::keys::command(app, cmd),
        Command::Suspend => return vec![Effect::Suspend],
        Command::NextPane => focus(app, shown_pane(app, PaneId::next)),
        Command::PrevPane => focus(app, shown_pane(app, PaneId::prev)),
        Command::FocusPane(p) => focus(app, p),
        Command::Zoom => app.zoomed = !app.zoomed,
        Command::Help => app.overlay = Overlay::Help { scroll: 0 },
        Command::Explain => app.overlay = super::selection::explain_overlay(app),
        Command::Pause => {
            app.paused = !app.paused;
            if !app.paused {
                panes::timeline::resume(app);
            }
            if let Some(snap) = app.pending.take().filter(|_| !app.paused) {
                return on_snapshot(app, snap);
            }
        }
        Command::StartFilter if app.focus == PaneId::Events => {
            app.timeline.filter_input = Some(app.timeline.filter.text.clone());
        }
        Command::StartFilter => app.filter_input = Some(app.filter.text.clone()),
        Command::Freeze
        | Command::Thaw
        | Command::Limit
        | Command::Move
        | Command::Signal
        | Command::Unshare
        | Command::Undo => return action_keys::start(app, cmd),
        Command::ToggleEvents => panes::timeline::toggle(app),
        Command::Back if app.focus == PaneId::Events && !app.timeline.filter.is_empty() => {
            app.timeline.set_filter(Default::default());
        }
        Command::Back if !app.filter.is_empty() => {
            app.filter = Default::default();
            panes::refresh_rows(app);
        }
        Command::Click { col, row } => return click(app, col, row, None),
        Command::ScrollUp { col, row } | Command::ScrollDown { col, row } => {
            return click(app, col, row, Some(cmd));
        }
        Command::Nothing => {}
        _ => return pane_command(app, app.focus, &cmd),
    }
    crate::app::geometry::apply_layout(app);
    Vec::new()
}

fn pane_command(app: &mut AppState, pane: PaneId, cmd: &Command) -> Vec<Effect> {
    match pane {
        PaneId::Processes => panes::processes::handle(app, cmd),
        PaneId::MemoryMap => panes::memory_map::handle(app, cmd),
        PaneId::Namespaces => panes::namespaces::handle(app, cmd),
        PaneId::Cgroups => panes::cgroups::handle(app, cmd),
        PaneId::Containers => panes::containers::handle(app, cmd),
        PaneId::Events => panes::timeline::handle(app, cmd),
    }
}

/// The pane after (or before) the focused one that is on screen: Tab passes the hidden
/// timeline by.
fn shown_pane(app: &AppState, step: fn(PaneId) -> PaneId) -> PaneId {
    let next = step(app.focus);
    if next == PaneId::Events && !app.timeline.shown {
        step(next)
    } else {
        next
    }
}

/// Focuses a pane; focusing the process table or the containers pane puts it on screen in
/// their shared place (the one shown picks the process the other panes describe).
pub(crate) fn focus(app: &mut AppState, pane: PaneId) {
    app.focus = pane;
    if pane == PaneId::Events {
        app.timeline.shown = true;
        app.timeline.unseen = 0;
    }
    if matches!(pane, PaneId::Processes | PaneId::Containers) && app.table != pane {
        app.table = pane;
        panes::refresh_rows(app);
    }
}

/// A click focuses the pane under the pointer and selects the row there; the wheel scrolls
/// the pane under the pointer.
fn click(app: &mut AppState, col: u16, row: u16, wheel: Option<Command>) -> Vec<Effect> {
    let Some((pane, area, first_row)) = crate::app::geometry::hit(app, col, row) else {
        return Vec::new();
    };
    if let Some(cmd) = wheel {
        return pane_command(app, pane, &cmd);
    }
    focus(app, pane);
    let Some(line) = first_row
        .filter(|f| row >= *f)
        .map(|f| usize::from(row - f))
    else {
        let _ = area;
        return Vec::new();
    };
    match pane {
        PaneId::Processes => panes::processes::select_row(app, app.processes.offset + line),
        PaneId::MemoryMap => {
            app.memory_map.cursor = app.memory_map.offset + line;
            Vec::new()
        }
        PaneId::Namespaces => {
            app.namespaces.cursor = app.namespaces.offset + line;
            Vec::new()
        }
        PaneId::Cgroups => {
            app.cgroups.cursor = app.cgroups.offset + line;
            Vec::new()
        }
        PaneId::Containers => {
            panes::containers::select_row(app, app.containers.offset + line);
            Vec::new()
        }
        PaneId::Events => {
            app.timeline.select(app.timeline.offset + line);
            Vec::new()
        }
    }
}

fn overlay_command(app: &mut AppState, cmd: Command) -> Vec<Effect> {
    let (Overlay::Help { scroll }
    | Overlay::Explain { scroll, .. }
    | Overlay::Threads { scroll, .. }) = &mut app.overlay
    else {
        return Vec::new();
    };
    match cmd {
        Command::Up | Command::ScrollUp { .. } => *scroll = scroll.saturating_sub(1),
        Command::Down | Command::ScrollDown { .. } => *scroll += 1,
        Command::Quit => app.should_quit = true,
        Command::Suspend => return vec![Effect::Suspend],
        _ => app.overlay = Overlay::None,
    }
    Vec::new()
}

/// Typing after `/`: the filter applies as it is typed; Enter keeps it, Esc drops it.
fn filter_key(app: &mut AppState, key: KeyEvent) {
    let Some(mut text) = app.filter_input.take() else {
        return;
    };
    match type_key(&mut text, &key) {
        Typed::Esc => {
            app.filter = Default::default();
            app.status = None;
            panes::refresh_rows(app);
            return;
        }
        Typed::Enter => return,
        Typed::Quit => {
            app.should_quit = true;
            return;
        }
        Typed::Edited | Typed::Other => {}
    }
    match crate::app::filter::Filter::parse(&text) {
        Ok(f) => {
            app.filter = f;
            app.status = None;
            panes::refresh_rows(app);
        }
        // Keep the last good filter while a `key:value` is half typed.
        Err(e) => app.status = Some(e),
    }
    app.filter_input = Some(text);
}
