//! State tests: key sequences and snapshots in, state out, no terminal.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

#[path = "support/ui.rs"]
mod ui;

use boxtop::app::panes::processes::Column;
use boxtop::app::state::{Overlay, PaneId};
use boxtop::app::update::{Effect, Msg, update};
use boxtop::model::Snapshot;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::sync::Arc;

fn visible_pids(app: &boxtop::app::AppState) -> Vec<i32> {
    let snap = app.snapshot.as_ref().unwrap();
    app.visible
        .iter()
        .map(|r| snap.processes[r.process].pid)
        .collect()
}

fn selected_pid(app: &boxtop::app::AppState) -> Option<i32> {
    app.processes.selected.map(|(pid, _)| pid)
}

#[test]
fn selection_follows_the_process_when_rows_reorder() {
    let mut app = ui::fixture_app();
    assert_eq!(selected_pid(&app), Some(402));
    // Sort by pid descending: 402 moves to the top; the selection stays on 402.
    while app.processes.sort != Column::Pid {
        ui::key(&mut app, KeyCode::Char('s'));
    }
    let before = app.processes.cursor;
    ui::key(&mut app, KeyCode::Char('I'));
    assert_eq!(selected_pid(&app), Some(402));
    assert_ne!(app.processes.cursor, before, "the row moved");
    assert_eq!(visible_pids(&app)[app.processes.cursor], 402);
}

#[test]
fn moving_selects_and_tells_the_poller() {
    let mut app = ui::fixture_app();
    ui::key(&mut app, KeyCode::Home);
    let first = visible_pids(&app)[0];
    assert_eq!(selected_pid(&app), Some(first));
    let effects = ui::key(&mut app, KeyCode::Down);
    let second = visible_pids(&app)[1];
    assert_eq!(selected_pid(&app), Some(second));
    assert!(matches!(effects.as_slice(), [Effect::Select(Some((pid, _)))] if *pid == second));
    ui::key(&mut app, KeyCode::End);
    assert_eq!(selected_pid(&app), visible_pids(&app).last().copied());
    // Moving past the end stays on the last row and asks for nothing.
    assert!(ui::key(&mut app, KeyCode::Down).is_empty());
}

#[test]
fn an_exited_process_is_said_to_have_exited() {
    let mut app = ui::fixture_app();
    let mut snap: Snapshot = (**app.snapshot.as_ref().unwrap()).clone();
    snap.processes.retain(|p| p.pid != 402);
    update(&mut app, Msg::Snapshot(Arc::new(snap)));
    assert_eq!(
        selected_pid(&app),
        Some(402),
        "the selection is not moved to another process"
    );
    assert!(app.selected_process().is_none());
    assert_eq!(app.status.as_deref(), Some("process 402 has exited"));
    assert!(ui::render(&app).contains("402 has exited"));
}

#[test]
fn filter_narrows_as_it_is_typed_and_esc_clears() {
    let mut app = ui::fixture_app();
    let all = app.visible.len();
    ui::key(&mut app, KeyCode::Char('/'));
    ui::chars(&mut app, "sleep");
    assert_eq!(visible_pids(&app), vec![401]);
    ui::key(&mut app, KeyCode::Enter);
    assert!(app.filter_input.is_none());
    assert_eq!(app.filter.text, "sleep");
    ui::key(&mut app, KeyCode::Esc);
    assert_eq!(app.visible.len(), all);

    ui::key(&mut app, KeyCode::Char('/'));
    ui::chars(&mut app, "ns:pid:4026532202");
    assert_eq!(visible_pids(&app), vec![400, 401]);
    ui::key(&mut app, KeyCode::Enter);
    ui::key(&mut app, KeyCode::Char('/'));
    for _ in 0..40 {
        ui::key(&mut app, KeyCode::Backspace);
    }
    ui::chars(&mut app, "state:Z");
    assert_eq!(visible_pids(&app), vec![301]);
    ui::chars(&mut app, " pid:x");
    assert!(
        app.status.as_deref().unwrap_or("").contains("not a pid"),
        "{:?}",
        app.status
    );
    // While `pid:x` is wrong, the last filter that parsed stays in force.
    assert_eq!(app.filter.text, "state:Z pid");
}

#[test]
fn kernel_threads_are_hidden_by_default_and_shown_with_k() {
    let mut app = ui::fixture_app();
    assert!(
        visible_pids(&app).contains(&2),
        "the fixture app shows them"
    );
    ui::key(&mut app, KeyCode::Char('K'));
    assert!(!visible_pids(&app).contains(&2));
    assert!(
        !boxtop::app::AppState::new(1000)
            .processes
            .show_kernel_threads
    );
}

#[test]
fn tree_view_puts_children_under_parents() {
    let mut app = ui::fixture_app();
    ui::key(&mut app, KeyCode::Char('t'));
    let snap = app.snapshot.clone().unwrap();
    let rows: Vec<(i32, u16)> = app
        .visible
        .iter()
        .map(|r| (snap.processes[r.process].pid, r.depth))
        .collect();
    let pos = |pid| rows.iter().position(|(p, _)| *p == pid).unwrap();
    assert_eq!(pos(401), pos(400) + 1, "401 right under its parent 400");
    assert_eq!(rows[pos(401)].1, rows[pos(400)].1 + 1);
    assert_eq!(pos(301), pos(300) + 1, "the zombie under its parent");
    assert!(ui::render(&app).contains("└─sleep 300"));
}

#[test]
fn panes_focus_zoom_help_and_pause() {
    let mut app = ui::fixture_app();
    assert_eq!(app.focus, PaneId::Processes);
    ui::key(&mut app, KeyCode::Tab);
    assert_eq!(app.focus, PaneId::MemoryMap);
    ui::key(&mut app, KeyCode::Char('4'));
    assert_eq!(app.focus, PaneId::Cgroups);
    update(
        &mut app,
        Msg::Key(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)),
    );
    assert_eq!(app.focus, PaneId::Namespaces);
    ui::key(&mut app, KeyCode::Char('z'));
    assert!(app.zoomed);
    assert!(ui::render(&app).contains("3 Namespaces"));
    assert!(!ui::render(&app).contains("1 Processes"));
    ui::key(&mut app, KeyCode::Char('z'));
    ui::key(&mut app, KeyCode::Char('?'));
    assert!(matches!(app.overlay, Overlay::Help { .. }));
    assert!(ui::render(&app).contains("Keys (Esc closes)"));
    ui::key(&mut app, KeyCode::Esc);
    assert_eq!(app.overlay, Overlay::None);

    // Space pauses: a new snapshot is held back until space again.
    ui::key(&mut app, KeyCode::Char(' '));
    assert!(app.paused);
    let mut snap: Snapshot = (**app.snapshot.as_ref().unwrap()).clone();
    snap.processes.retain(|p| p.pid != 300);
    update(&mut app, Msg::Snapshot(Arc::new(snap)));
    assert!(
        visible_pids(&app).contains(&300),
        "paused: the screen does not change"
    );
    assert!(ui::render(&app).contains("PAUSED"));
    ui::key(&mut app, KeyCode::Char(' '));
    assert!(
        !visible_pids(&app).contains(&300),
        "resumed: the held snapshot is shown"
    );
}

#[test]
fn quit_keys_and_suspend() {
    for code in [KeyCode::Char('q'), KeyCode::F(10)] {
        let mut app = ui::fixture_app();
        ui::key(&mut app, code);
        assert!(app.should_quit);
    }
    let mut app = ui::fixture_app();
    update(
        &mut app,
        Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)),
    );
    assert!(app.should_quit);
    let mut app = ui::fixture_app();
    let e = update(
        &mut app,
        Msg::Key(KeyEvent::new(KeyCode::Char('z'), KeyModifiers::CONTROL)),
    );
    assert_eq!(e, vec![Effect::Suspend]);
    assert!(!app.should_quit);
    update(&mut app, Msg::Quit);
    assert!(app.should_quit, "SIGTERM/SIGHUP");
}

#[test]
fn explain_names_the_kernel_files() {
    let mut app = ui::fixture_app();
    ui::key(&mut app, KeyCode::Char('i'));
    let Overlay::Explain { lines, .. } = &app.overlay else {
        panic!("explain opens")
    };
    let text = lines.join("\n");
    assert!(text.contains("/proc/402/stat"));
    assert!(text.contains("/proc/402/statm"));
    assert!(text.contains("CLONE_NEWNET"));
}

#[test]
fn clicking_a_row_selects_it_and_focuses_the_pane() {
    let mut app = ui::fixture_app();
    ui::key(&mut app, KeyCode::Tab);
    // Row 3 of the screen is the first process row (header, border, headings).
    let e = update(
        &mut app,
        Msg::Mouse(ratatui::crossterm::event::MouseEvent {
            kind: ratatui::crossterm::event::MouseEventKind::Down(
                ratatui::crossterm::event::MouseButton::Left,
            ),
            column: 10,
            row: 3,
            modifiers: KeyModifiers::NONE,
        }),
    );
    assert_eq!(app.focus, PaneId::Processes);
    assert_eq!(app.processes.cursor, 0);
    assert_eq!(selected_pid(&app), Some(visible_pids(&app)[0]));
    assert_eq!(e.len(), 1);
}

#[test]
fn a_filter_that_hides_the_selection_moves_it_and_tells_the_poller() {
    let mut app = ui::fixture_app();
    assert_eq!(selected_pid(&app), Some(402));
    ui::key(&mut app, KeyCode::Char('/'));
    let effects = {
        let mut all = Vec::new();
        for c in "sleep".chars() {
            all.extend(ui::key(&mut app, KeyCode::Char(c)));
        }
        all
    };
    assert_eq!(
        selected_pid(&app),
        Some(401),
        "the only row left is selected"
    );
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Select(Some((401, _))))),
        "{effects:?}"
    );
}

#[test]
fn the_dashboard_starts_on_its_preferred_process() {
    let roots = ui::fixture_roots("cgroup-v2");
    let snap = boxtop::collect::Collector::new(roots)
        .unwrap()
        .collect(None)
        .unwrap();
    let mut app = boxtop::app::AppState::new(1000);
    app.preferred_pid = Some(400);
    let effects = update(&mut app, Msg::Snapshot(Arc::new(snap)));
    assert_eq!(selected_pid(&app), Some(400));
    assert!(
        matches!(effects.as_slice(), [Effect::Select(Some((400, _)))]),
        "{effects:?}"
    );
}

#[test]
fn a_filter_under_a_scrolled_table_shows_every_matching_row() {
    // 16 rows high: the process pane shows only a few rows.
    let mut app = ui::fixture_app_on("cgroup-v2", 160, 16, 402);
    ui::key(&mut app, KeyCode::End);
    assert!(
        app.processes.offset > 0,
        "scrolled: page {}",
        app.processes.page
    );
    ui::key(&mut app, KeyCode::Char('/'));
    ui::chars(&mut app, "ns:pid:4026532202");
    assert_eq!(visible_pids(&app), vec![400, 401]);
    assert_eq!(app.processes.offset, 0, "both rows on screen");
    let text = ui::render(&app);
    assert!(
        text.contains("/bin/sh") && text.contains("sleep 300"),
        "{text}"
    );
}

#[test]
fn sorting_by_the_namespace_mark_puts_containers_first() {
    let mut app = ui::fixture_app();
    while app.processes.sort != Column::Ns {
        ui::key(&mut app, KeyCode::Char('s'));
    }
    assert!(app.processes.descending);
    let pids = visible_pids(&app);
    // 400 and 401 differ in five namespaces, 403 in four (user, mnt, uts, net).
    assert_eq!(&pids[..3], &[400, 401, 403], "{pids:?}");
}

#[test]
fn v_in_the_memory_map_switches_to_the_gaps_by_size_and_back_on_the_same_gap() {
    use boxtop::app::panes::memory_map::rows::Row;
    use boxtop::app::panes::memory_map::{MapView, selected_row};
    let mut app = ui::fixture_app();
    // v in the process table does nothing to the map pane.
    ui::key(&mut app, KeyCode::Char('v'));
    assert_eq!(app.memory_map.view, MapView::Address);
    ui::key(&mut app, KeyCode::Char('2'));
    // Row 5 is the hole between the program's data and the heap.
    for _ in 0..5 {
        ui::key(&mut app, KeyCode::Down);
    }
    let hole = match selected_row(&app) {
        Some((_, Row::Gap { start, .. })) => start,
        other => panic!("{other:?}"),
    };
    ui::key(&mut app, KeyCode::Char('v'));
    assert_eq!(app.memory_map.view, MapView::GapsBySize);
    assert!(
        matches!(selected_row(&app), Some((_, Row::Gap { start, .. })) if start == hole),
        "the same gap, now by size"
    );
    assert_eq!(app.memory_map.cursor, 3, "the fourth biggest");
    // Home, v: back in address order, on the biggest gap.
    ui::key(&mut app, KeyCode::Home);
    ui::key(&mut app, KeyCode::Char('v'));
    assert_eq!(app.memory_map.view, MapView::Address);
    let (map, row) = selected_row(&app).expect("a row");
    assert!(matches!(row, Row::Gap { start, .. } if start == map.gaps[0].start));
    // From a mapping, v goes to the top of the other view.
    ui::key(&mut app, KeyCode::Home);
    ui::key(&mut app, KeyCode::Char('v'));
    assert_eq!((app.memory_map.cursor, app.memory_map.offset), (0, 0));
}

/// `H` and the threads view tell the poller whose threads to read, and no more than that:
/// it reads /proc/PID/task only while threads are on screen.
#[test]
fn threads_are_asked_for_only_while_shown() {
    use boxtop::collect::ThreadScope;
    let mut app = ui::fixture_app();
    let scope = |all, selected| Effect::Threads(ThreadScope { all, selected });
    assert!(!app.processes.show_threads);
    assert!(ui::key(&mut app, KeyCode::Char('H')).contains(&scope(true, false)));
    assert!(app.processes.show_threads);
    // Enter: the threads view of the selected process, on top of H.
    let sel = app.processes.selected.unwrap();
    assert!(ui::key(&mut app, KeyCode::Enter).contains(&scope(true, true)));
    assert_eq!(app.overlay, Overlay::Threads { of: sel, scroll: 0 });
    assert!(ui::key(&mut app, KeyCode::Esc).contains(&scope(true, false)));
    assert_eq!(app.overlay, Overlay::None);
    assert!(ui::key(&mut app, KeyCode::Char('H')).contains(&scope(false, false)));
    assert!(!app.processes.show_threads);
    // Keys that change nothing about threads say nothing about them.
    let effects = ui::key(&mut app, KeyCode::Down);
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::Threads(_))),
        "{effects:?}"
    );
}
