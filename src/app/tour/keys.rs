//! What the tour's keys do (their table is `keys::tour`, looked up before the main one while
//! the tour is on screen).

use super::{Probe, Step, demo};
use crate::actions::plan::{Plan, Step as PlanStep};
use crate::app::action_keys::PlanRequest;
use crate::app::keymap::Command as C;
use crate::app::state::{AppState, PaneId};
use crate::app::update::Effect;

pub use crate::app::keys::tour::tour_command;

/// A tour command.
pub fn command(app: &mut AppState, cmd: C) -> Vec<Effect> {
    if cmd == C::Tour {
        return open(app);
    }
    let Some(tour) = app.tour.as_mut() else {
        return Vec::new();
    };
    match cmd {
        C::TourNext => tour.next(),
        C::TourBack => tour.back(),
        C::TourLeave => return leave(app),
        C::TourDemo => return demo_key(app),
        C::TourScrollDown => {
            tour.scroll = tour.scroll.saturating_add(5);
            return Vec::new();
        }
        C::TourScrollUp => {
            tour.scroll = tour.scroll.saturating_sub(5);
            return Vec::new();
        }
        _ => return Vec::new(),
    }
    show_step(app);
    probe(app)
}

fn open(app: &mut AppState) -> Vec<Effect> {
    if app.tour.is_some() {
        return Vec::new();
    }
    if app.replay.is_some() {
        app.status = Some("the tour runs on the live host, not on a recording".into());
        return Vec::new();
    }
    let Some(setup) = app.tour_setup.as_ref() else {
        return Vec::new();
    };
    match setup.open() {
        Ok(tour) => app.tour = Some(tour),
        Err(why) => {
            app.status = Some(why);
            return Vec::new();
        }
    }
    show_step(app);
    probe(app)
}

/// The step's pane, focused and alone under the tour's text.
fn show_step(app: &mut AppState) {
    let Some(tour) = app.tour.as_ref() else {
        return;
    };
    let pane = tour.current().pane();
    // The threads step shows the threads as rows of the table (H), which the poller then
    // reads; the other steps leave H as it was.
    if tour.current() == Step::Threads && !app.processes.show_threads {
        if let Some(t) = app.tour.as_mut() {
            t.threads_before = Some(false);
        }
        app.processes.show_threads = true;
    }
    app.focus = pane;
    if matches!(pane, PaneId::Processes | PaneId::Containers) {
        app.table = pane;
    }
    crate::app::geometry::apply_layout(app);
}

/// Leaving: the dashboard again (or the end, for `boxtop tour`), and the cleanup.
fn leave(app: &mut AppState) -> Vec<Effect> {
    let Some(tour) = app.tour.take() else {
        return Vec::new();
    };
    if let Some(before) = tour.threads_before {
        app.processes.show_threads = before;
    }
    crate::app::geometry::apply_layout(app);
    let cleanup = demo::cleanup(&tour);
    if tour.standalone {
        // The run loop cleans up after its last frame (also on a signal).
        app.tour = Some(tour);
        app.should_quit = true;
        return Vec::new();
    }
    let mut effects = vec![Effect::TourProbe(Probe::default())];
    if !cleanup.is_empty() {
        app.tour_cleanup = Some(cleanup.clone());
        effects.push(Effect::TourCleanup(cleanup));
    }
    effects
}

fn demo_key(app: &mut AppState) -> Vec<Effect> {
    let Some(tour) = app.tour.as_mut() else {
        return Vec::new();
    };
    match demo::ask(tour) {
        // Showing the not-used table writes nothing: --readonly allows it.
        demo::Ask::Plan(_) if app.readonly => {
            app.status =
                Some("--readonly: the tour's demos are actions, and actions are disabled".into());
            Vec::new()
        }
        demo::Ask::ToggleGaps => {
            tour.show_gaps = !tour.show_gaps;
            Vec::new()
        }
        demo::Ask::Say(why) => {
            app.status = Some(why);
            Vec::new()
        }
        demo::Ask::Plan(req) => {
            if matches!(req, PlanRequest::Unshare(_)) {
                tour.demos.launching = Some(tour.current());
            }
            vec![Effect::Plan(req)]
        }
    }
}

/// A plan the tour asked for was made: the demo moves on, and what it made is remembered.
pub fn action_done(app: &mut AppState, plan: &Plan, ok: bool) {
    let Some(tour) = app.tour.as_mut() else {
        return;
    };
    let mut dirs = Vec::new();
    let mut root = None;
    for step in &plan.steps {
        match step {
            PlanStep::Mkdir(dir) => dirs.push(dir.clone()),
            PlanStep::MakeRoot { dir, .. } => root = Some(dir.clone()),
            _ => {}
        }
    }
    demo::done(tour, ok, &dirs, root);
}

/// What the poller must read for the step on screen: the listing of a hierarchy for the
/// cgroups step, what the sandboxes see for the steps after.
pub fn probe(app: &AppState) -> Vec<Effect> {
    let Some(tour) = app.tour.as_ref() else {
        return Vec::new();
    };
    let layout_of = (tour.current() == Step::Cgroups)
        .then(|| super::layout_hierarchy(app.snapshot.as_deref()))
        .flatten();
    let sandboxes = match tour.current() {
        Step::Namespaces | Step::Chroot | Step::Lxc => {
            [tour.demos.sandbox, tour.demos.chroot_sandbox]
                .into_iter()
                .flatten()
                .map(|s| s.pid)
                .collect()
        }
        _ => Vec::new(),
    };
    vec![Effect::TourProbe(Probe {
        layout_of,
        sandboxes,
    })]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::tour::{Lang, Setup};

    fn app_with_tour_setup() -> AppState {
        let mut app = AppState::new(1000);
        app.tour_setup = Some(Setup {
            lang: Lang::En,
            exe: "/bin/boxtop".into(),
            scratch: "/tmp/boxtop-tour-root-test".into(),
            standalone: false,
        });
        app
    }

    #[test]
    fn readonly_refuses_the_demos_but_shows_the_table() {
        let mut app = app_with_tour_setup();
        app.readonly = true;
        command(&mut app, C::Tour);
        assert_eq!(app.focus, PaneId::MemoryMap, "step 1 shows the map");
        command(&mut app, C::TourDemo);
        assert!(app.tour.as_ref().is_some_and(|t| t.show_gaps));
        command(&mut app, C::TourNext);
        let effects = command(&mut app, C::TourDemo);
        assert!(
            !effects.iter().any(|e| matches!(e, Effect::Plan(_))),
            "{effects:?}"
        );
        assert!(
            app.status
                .as_deref()
                .is_some_and(|s| s.contains("readonly"))
        );
        let effects = command(&mut app, C::TourLeave);
        assert!(app.tour.is_none());
        assert!(
            !effects.iter().any(|e| matches!(e, Effect::TourCleanup(_))),
            "nothing started, nothing to remove"
        );
    }

    #[test]
    fn the_threads_step_turns_h_on_and_leaving_puts_it_back() {
        let mut app = app_with_tour_setup();
        command(&mut app, C::Tour);
        assert!(!app.processes.show_threads);
        command(&mut app, C::TourNext);
        assert!(app.processes.show_threads);
        assert_eq!(app.focus, PaneId::Processes);
        let effects = command(&mut app, C::TourDemo);
        assert!(matches!(
            effects.as_slice(),
            [Effect::Plan(PlanRequest::Unshare(_))]
        ));
        assert_eq!(
            app.tour.as_ref().and_then(|t| t.demos.launching),
            Some(Step::Threads)
        );
        command(&mut app, C::TourLeave);
        assert!(!app.processes.show_threads);
    }
}
