//! Whole-screen renders from the fixture host, and tiny sizes that must not panic.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

#[path = "support/ui.rs"]
mod ui;

use ratatui::crossterm::event::KeyCode;

#[test]
fn whole_screen() {
    let app = ui::fixture_app();
    insta::assert_snapshot!(ui::render(&app));
}

#[test]
fn every_size_renders_without_panic() {
    for (w, h) in [
        (1, 1),
        (20, 5),
        (59, 14),
        (60, 15),
        (80, 24),
        (120, 30),
        (400, 100),
    ] {
        let mut app = ui::fixture_app_on("cgroup-v2", w, h, 402);
        let text = ui::render(&app);
        if w < 60 || h < 15 {
            assert!(
                text.contains("boxtop needs") || w * h < 40,
                "{w}x{h}: {text}"
            );
        }
        for k in [
            KeyCode::Char('z'),
            KeyCode::Tab,
            KeyCode::Char('?'),
            KeyCode::Esc,
            KeyCode::Char('t'),
            KeyCode::Char('i'),
        ] {
            ui::key(&mut app, k);
            let _ = ui::render(&app);
        }
    }
}
