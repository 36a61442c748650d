//! The timeline pane's keys: moving through the events, `/` its own filter, and Enter, which
//! goes to what the selected event names (its process, else its container, else its
//! cgroup). The entries and the filter are in `crate::app::timeline`.

use crate::app::keymap::Command;
use crate::app::line_input::{Typed, type_key};
use crate::app::state::{AppState, PaneId};
use crate::app::timeline::{Entry, TimelineFilter};
use crate::app::update::{Effect, focus, select_pid};
use ratatui::crossterm::event::KeyEvent;

/// New entries (`Msg::Events`): held while the screen is paused; `reset` replaces what the
/// timeline holds (a replay that jumped), `since` says from when it holds everything.
pub fn arrived(app: &mut AppState, entries: Vec<Entry>, reset: bool, since: Option<String>) {
    if reset {
        app.timeline.clear();
    }
    if since.is_some() && (reset || app.timeline.since.is_none()) {
        app.timeline.since = since;
    }
    if app.paused {
        app.timeline.held.extend(entries);
    } else {
        app.timeline.push(entries);
    }
    crate::app::geometry::apply_layout(app);
}

/// Space again: what came while paused.
pub fn resume(app: &mut AppState) {
    let held = std::mem::take(&mut app.timeline.held);
    app.timeline.push(held);
}

/// `L`: shows or hides the pane; hidden by hand, no event opens it again by itself, and the
/// focus goes back to the table.
pub fn toggle(app: &mut AppState) {
    let t = &mut app.timeline;
    t.shown = !t.shown;
    t.dismissed = !t.shown;
    if t.shown {
        t.unseen = 0;
    } else if app.focus == PaneId::Events {
        focus(app, app.table);
    }
}

pub fn handle(app: &mut AppState, cmd: &Command) -> Vec<Effect> {
    match cmd {
        Command::Enter => return jump(app),
        Command::ToggleView => {
            app.timeline.toggle_churn();
            return Vec::new();
        }
        _ => {}
    }
    let n = app.timeline.visible_count(usize::MAX);
    if let Some(c) = super::move_cursor(app.timeline.cursor, n, app.timeline.page, cmd) {
        app.timeline.select(c);
    }
    Vec::new()
}

/// Enter: the process the event names while it still runs, else its container, else its
/// cgroup; a sentence when none of them is in the snapshot on screen any more.
fn jump(app: &mut AppState) -> Vec<Effect> {
    let Some(e) = app.timeline.selected().cloned() else {
        app.status = Some("no event is selected".into());
        return Vec::new();
    };
    if let Some(pid) = e.pid().filter(|p| {
        app.snapshot
            .as_ref()
            .is_some_and(|s| s.process(*p).is_some())
    }) {
        focus(app, PaneId::Processes);
        return select_pid(app, pid).unwrap_or_default();
    }
    if let Some(label) = e.container()
        && super::containers::select_label(app, label)
    {
        focus(app, PaneId::Containers);
        return Vec::new();
    }
    if let Some((hid, path)) = e.cgroup()
        && super::cgroups::reveal_cgroup(app, hid, path)
    {
        focus(app, PaneId::Cgroups);
        return Vec::new();
    }
    app.status = Some(gone(&e));
    Vec::new()
}

/// Why Enter went nowhere: what the event named, and that it is gone.
fn gone(e: &Entry) -> String {
    let mut named = Vec::new();
    if let Some(pid) = e.pid() {
        named.push(format!("process {pid}"));
    }
    if let Some(c) = e.container() {
        named.push(format!("container {c}"));
    }
    if let Some((_, path)) = e.cgroup() {
        named.push(format!("cgroup {path}"));
    }
    match named.len() {
        0 => "this event names no process, container or cgroup".into(),
        1 => format!("{} is gone", named.join("")),
        _ => format!("{} are gone", named.join(", ")),
    }
}

/// What the timeline's selected event names, marked in the other panes while the
/// timeline has the focus.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Marks {
    pub pid: Option<i32>,
    pub container: Option<String>,
    /// Hierarchy id (0 is v2; None: any hierarchy) and path.
    pub cgroup: Option<(Option<u32>, String)>,
}

pub fn marks(app: &AppState) -> Marks {
    let Some(e) = app
        .timeline
        .selected()
        .filter(|_| app.focus == PaneId::Events)
    else {
        return Marks::default();
    };
    Marks {
        pid: e.pid(),
        container: e.container().map(str::to_string),
        cgroup: e.cgroup().map(|(h, p)| (h, p.to_string())),
    }
}

/// The selected process's pid and its container's label: the timeline marks their events.
pub fn selection_of(app: &AppState) -> (Option<i32>, Option<String>) {
    let pid = app.selected_process().map(|p| p.pid);
    let container = pid.and_then(|pid| {
        app.snapshot
            .as_ref()?
            .containers
            .iter()
            .find(|c| c.pids.contains(&pid))
            .map(crate::model::Container::label)
    });
    (pid, container)
}

/// True when `e` is about the selected process or its container.
pub fn concerns(e: &Entry, (pid, container): &(Option<i32>, Option<String>)) -> bool {
    (pid.is_some() && e.pid() == *pid)
        || (container.is_some() && e.container() == container.as_deref())
}

/// Typing after `/` in the timeline: the filter applies as it is typed (the last good one
/// stays while a `key:value` is half typed, the status line says what is wrong); Enter
/// keeps it, Esc drops it.
pub fn filter_key(app: &mut AppState, key: KeyEvent) {
    let Some(mut text) = app.timeline.filter_input.take() else {
        return;
    };
    match type_key(&mut text, &key) {
        Typed::Esc => {
            app.timeline.set_filter(TimelineFilter::default());
            app.status = None;
            return;
        }
        Typed::Enter => return,
        Typed::Quit => {
            app.should_quit = true;
            return;
        }
        Typed::Edited | Typed::Other => {}
    }
    match TimelineFilter::parse(&text) {
        Ok(f) => {
            app.timeline.set_filter(f);
            app.status = None;
        }
        Err(e) => app.status = Some(e),
    }
    app.timeline.filter_input = Some(text);
}
