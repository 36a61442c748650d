//! `H` and the threads view on the v2 fixture host, whose `worker` (pid 402) has four
//! threads in tests/fixtures/cgroup-v2/proc/402/task, read by the collector as the dashboard
//! reads them.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

#[path = "support/ui.rs"]
mod ui;

use boxtop::app::state::AppState;
use boxtop::app::update::{Msg, update};
use boxtop::collect::{Collector, ThreadScope};
use ratatui::crossterm::event::KeyCode;
use std::sync::Arc;

/// The fixture at `w`x`h` with the threads read (as after `H`), `worker` selected.
fn app_with_threads(w: u16, h: u16) -> AppState {
    let mut c = Collector::new(ui::fixture_roots("cgroup-v2")).unwrap();
    c.set_threads(ThreadScope {
        all: true,
        selected: false,
    });
    let snap = c.collect(None).unwrap();
    let mut app = AppState::new(1000);
    update(&mut app, Msg::Resize(w, h));
    update(&mut app, Msg::Snapshot(Arc::new(snap)));
    let row = boxtop::app::panes::processes::row_of(&app, 402).unwrap();
    boxtop::app::panes::processes::select_row(&mut app, row);
    app
}

#[test]
fn h_shows_the_workers_threads_under_it() {
    let mut app = app_with_threads(160, 45);
    assert!(!ui::render(&app).contains("pool-1"), "hidden until H");
    ui::key(&mut app, KeyCode::Char('H'));
    let screen = ui::render(&app);
    let lines: Vec<&str> = screen.lines().collect();
    let at = |needle: &str| lines.iter().position(|l| l.contains(needle)).unwrap();
    let worker = at("  402 root");
    // The three threads other than the main one, right under it, in the cpu % order of
    // the table (all unknown on one sample: then by tid).
    for (n, (tid, name)) in [(404, "└─pool-1"), (405, "└─pool-2"), (406, "└─io uring")]
        .iter()
        .enumerate()
    {
        let line = lines[worker + 1 + n];
        assert!(
            line.contains(&format!("  {tid} ")) && line.contains(name),
            "{line}"
        );
    }
    assert!(lines[worker + 2].contains(" R "), "pool-2 runs");
    assert!(
        lines[worker + 3].contains("io_schedule"),
        "{}",
        lines[worker + 3]
    );
    insta::assert_snapshot!(screen);
}

#[test]
fn enter_lists_every_thread_of_the_process() {
    let mut app = app_with_threads(160, 45);
    ui::key(&mut app, KeyCode::Enter);
    let screen = ui::render(&app);
    assert!(
        screen.contains("Threads of 402 (worker) · 4 threads"),
        "{screen}"
    );
    for name in ["worker", "pool-1", "pool-2", "io uring"] {
        assert!(screen.contains(name), "{name}:\n{screen}");
    }
    insta::assert_snapshot!(screen);
}

#[test]
fn explain_on_a_thread_row_names_its_files() {
    let mut app = app_with_threads(160, 45);
    ui::key(&mut app, KeyCode::Char('H'));
    ui::key(&mut app, KeyCode::Down);
    assert_eq!(app.processes.selected_thread, Some(404));
    let (title, lines) = ui::explain_in(&app, boxtop::app::state::PaneId::Processes).unwrap();
    assert_eq!(title, "Thread 404 of 402");
    let text = lines.join("\n");
    assert!(text.contains("/proc/402/task/404/wchan"), "{text}");
    assert!(text.contains("field 39"), "{text}");
}

#[test]
fn tiny_sizes_do_not_panic() {
    for (w, h) in [(60, 15), (61, 16), (80, 24), (200, 15)] {
        let mut app = app_with_threads(w, h);
        ui::key(&mut app, KeyCode::Char('H'));
        let _ = ui::render(&app);
        ui::key(&mut app, KeyCode::Enter);
        let _ = ui::render(&app);
    }
}
