//! The cgroup tree from the v2 and hybrid fixture hosts: rows, folding, highlight, filter.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

#[path = "support/ui.rs"]
mod ui;

use boxtop::app::state::PaneId;
use ratatui::crossterm::event::KeyCode;

/// The cgroup pane zoomed to the whole screen.
fn zoomed(host: &str, w: u16, h: u16, pid: i32) -> boxtop::app::state::AppState {
    let mut app = ui::fixture_app_on(host, w, h, pid);
    ui::chars(&mut app, "4z");
    app
}

#[test]
fn v2_tree() {
    let app = zoomed("cgroup-v2", 120, 24, 402);
    insta::assert_snapshot!(ui::render(&app));
}

#[test]
fn hybrid_tree_opens_to_the_selected_process() {
    let app = zoomed("cgroup-hybrid", 120, 30, 402);
    insta::assert_snapshot!(ui::render(&app));
}

/// The text of the cgroup rows only (inside the border, from the list's first row).
fn rows_text(app: &boxtop::app::state::AppState) -> Vec<String> {
    ui::render(app)
        .lines()
        .skip(3)
        .map(|l| {
            l.trim_start_matches('│')
                .trim_end_matches('│')
                .trim_end()
                .to_string()
        })
        .filter(|l| !l.is_empty() && !l.starts_with('└'))
        .collect()
}

#[test]
fn left_folds_and_right_unfolds() {
    let mut app = zoomed("cgroup-v2", 120, 24, 402);
    ui::key(&mut app, KeyCode::Home);
    ui::key(&mut app, KeyCode::Down); // the root "/"
    ui::key(&mut app, KeyCode::Down); // init.scope
    ui::key(&mut app, KeyCode::Down); // system.slice
    ui::key(&mut app, KeyCode::Left);
    let folded = rows_text(&app);
    assert!(
        folded.iter().any(|l| l.contains("▸ system.slice")),
        "{folded:#?}"
    );
    assert!(!folded.iter().any(|l| l.contains("cron.service")));
    insta::assert_snapshot!("v2_system_slice_folded", ui::render(&app));
    ui::key(&mut app, KeyCode::Right);
    let open = rows_text(&app);
    assert!(open.iter().any(|l| l.contains("▾ system.slice")));
    assert!(open.iter().any(|l| l.contains("cron.service")));
    // user@1000.service starts folded (depth 3); Right opens it.
    ui::key(&mut app, KeyCode::End);
    assert!(
        rows_text(&app)
            .iter()
            .any(|l| l.contains("▸ user@1000.service"))
    );
    ui::key(&mut app, KeyCode::Right);
    let deep = rows_text(&app);
    assert!(
        deep.iter().any(|l| l.contains("▾ user@1000.service")),
        "{deep:#?}"
    );
    assert!(deep.iter().any(|l| l.contains("app.slice")));
}

#[test]
fn the_selected_process_is_highlighted_and_revealed() {
    let app = zoomed("cgroup-v2", 120, 24, 402);
    let rows = rows_text(&app);
    // /proc/402/cgroup names session-2.scope: it is marked, and its ancestors are open.
    let marked: Vec<&String> = rows.iter().filter(|l| l.starts_with('●')).collect();
    assert_eq!(marked.len(), 1, "{rows:#?}");
    assert!(marked[0].contains("session-2.scope"));
}

#[test]
fn enter_on_a_cgroup_filters_the_process_table() {
    let mut app = ui::fixture_app_on("cgroup-hybrid", 160, 45, 401);
    ui::chars(&mut app, "4");
    // The cursor opened on 401's cgroup (the root: the fixture tree has no /container/box).
    ui::key(&mut app, KeyCode::Home);
    ui::key(&mut app, KeyCode::Down); // v2 "/"
    ui::key(&mut app, KeyCode::Down); // /boxtop fx (a name with a space)
    ui::key(&mut app, KeyCode::Enter);
    assert_eq!(app.filter.text, "cgroup:/boxtop");
    assert_eq!(app.focus, PaneId::Processes);
    // Back on the root: every process again.
    ui::chars(&mut app, "4");
    ui::key(&mut app, KeyCode::Up);
    ui::key(&mut app, KeyCode::Enter);
    assert!(app.filter.is_empty());
    assert_eq!(app.visible.len(), 8);
    // A v1 cgroup with members in the fixture's /proc: 400 and 401 are in /container/box.
    boxtop::app::panes::processes::apply_filter(&mut app, "cgroup:/container/box");
    assert_eq!(app.visible.len(), 2);
}

#[test]
fn tiny_sizes_do_not_panic() {
    for host in ["cgroup-v2", "cgroup-hybrid", "cgroup-v1"] {
        for (w, h) in [(1, 1), (20, 5), (60, 15), (61, 16), (80, 24), (300, 80)] {
            let mut app = ui::fixture_app_on(host, w, h, 401);
            for keys in ["4", "z", "jjjjjjjjjjjjjjjj", "h", "l", "G", "hhhh", "i"] {
                ui::chars(&mut app, keys);
                let _ = ui::render(&app);
            }
            ui::key(&mut app, KeyCode::Esc);
            for keys in ["3", "jjjjjjjjjjjj", "v", "G", "i"] {
                ui::chars(&mut app, keys);
                let _ = ui::render(&app);
            }
            ui::key(&mut app, KeyCode::Esc);
            for k in [KeyCode::Enter, KeyCode::PageDown, KeyCode::End] {
                ui::chars(&mut app, "3");
                ui::key(&mut app, k);
                let _ = ui::render(&app);
            }
        }
    }
}

#[test]
fn cursor_opens_on_the_selected_process_cgroup() {
    let app = ui::fixture_app_on("cgroup-hybrid", 160, 45, 402);
    let (title, lines) = ui::explain_in(&app, PaneId::Cgroups).expect("explained");
    // The first hierarchy where 402 is not in the root: v1 memory.
    assert_eq!(
        title,
        "Cgroup /process_api/7daecaf3eeac2adb846f109fe022524f"
    );
    let text = lines.join("\n");
    assert!(
        text.contains(
            "Directory: /sys/fs/cgroup/memory/process_api/7daecaf3eeac2adb846f109fe022524f"
        )
    );
    assert!(text.contains("memory.usage_in_bytes"), "{text}");
}

#[test]
fn explain_a_limited_v2_cgroup() {
    let mut app = ui::fixture_app_on("cgroup-v2", 160, 45, 402);
    ui::chars(&mut app, "4g");
    for _ in 0..7 {
        ui::key(&mut app, KeyCode::Down);
    }
    let (title, lines) = ui::explain_in(&app, PaneId::Cgroups).expect("explained");
    assert_eq!(title, "Cgroup /system.slice/limited.service");
    let text = lines.join("\n");
    assert!(
        text.contains("memory.current") && text.contains("memory.max"),
        "{text}"
    );
    insta::assert_snapshot!(text);
}
