//! The namespace pane from the v2 fixture host: a host process, a container process, the
//! host view, the member list, and Enter in the host view filtering the process table.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

#[path = "support/ui.rs"]
mod ui;

use boxtop::app::state::{AppState, PaneId};
use ratatui::crossterm::event::KeyCode;

/// The namespace pane zoomed to the whole screen, process `pid` selected.
fn zoomed(pid: i32, w: u16, h: u16) -> AppState {
    let mut app = ui::fixture_app_on("cgroup-v2", w, h, pid);
    ui::chars(&mut app, "3z");
    app
}

#[test]
fn host_process() {
    insta::assert_snapshot!(ui::render(&zoomed(402, 100, 20)));
}

#[test]
fn container_process() {
    let mut app = zoomed(401, 100, 20);
    ui::key(&mut app, KeyCode::Down); // ipc
    ui::key(&mut app, KeyCode::Down); // mnt
    ui::key(&mut app, KeyCode::Down); // net
    insta::assert_snapshot!(ui::render(&app));
}

#[test]
fn member_list() {
    let mut app = zoomed(401, 100, 20);
    down(&mut app, 3);
    ui::key(&mut app, KeyCode::Enter);
    assert!(app.namespaces.show_members);
    insta::assert_snapshot!(ui::render(&app));
}

#[test]
fn host_view() {
    let mut app = zoomed(402, 100, 20);
    ui::chars(&mut app, "v");
    insta::assert_snapshot!(ui::render(&app));
}

#[test]
fn enter_in_the_host_view_filters_the_process_table() {
    let mut app = ui::fixture_app();
    ui::chars(&mut app, "3v");
    // Rows: cgroup, ipc (host), ipc 4026532201 (the container's), ...
    down(&mut app, 2);
    ui::key(&mut app, KeyCode::Enter);
    assert_eq!(app.filter.text, "ns:ipc:4026532201");
    assert_eq!(app.focus, PaneId::Processes);
    let snap = app.snapshot.clone().unwrap();
    let pids: Vec<i32> = app
        .visible
        .iter()
        .map(|r| snap.processes[r.process].pid)
        .collect();
    assert_eq!(pids.len(), 2);
    assert!(pids.contains(&400) && pids.contains(&401), "{pids:?}");
}

#[test]
fn whole_screen_of_a_container_process() {
    insta::assert_snapshot!(ui::render(&ui::fixture_app_on("cgroup-v2", 160, 45, 401)));
}

#[test]
fn explain_the_net_namespace_of_a_container_process() {
    let mut app = ui::fixture_app_on("cgroup-v2", 160, 45, 401);
    ui::chars(&mut app, "3");
    down(&mut app, 3);
    let (title, lines) = ui::explain_in(&app, PaneId::Namespaces).expect("explained");
    assert_eq!(title, "Namespace net of 401");
    let text = lines.join("\n");
    assert!(text.contains("/proc/401/ns/net"), "{text}");
    assert!(text.contains("CLONE_NEWNET"));
    assert!(text.contains("nsenter -t 401 --net"));
    assert!(text.contains("NSpid 401 → 2"));
    insta::assert_snapshot!(text);
}

/// A rootless container's user namespace shows its uid and gid maps (read for the
/// selected process), and the explanation names the files.
#[test]
fn user_namespace_shows_its_id_maps() {
    let mut app = ui::fixture_app_on("cgroup-v2", 160, 45, 403);
    // What the poller attaches for the selected process.
    let roots = ui::fixture_roots("cgroup-v2");
    let mut snap = (**app.snapshot.as_ref().unwrap()).clone();
    snap.id_maps = boxtop::kernel::namespaces::read_id_maps(&roots, 403).ok();
    boxtop::app::update::update(
        &mut app,
        boxtop::app::update::Msg::Snapshot(std::sync::Arc::new(snap)),
    );
    ui::chars(&mut app, "3");
    for _ in 0..8 {
        ui::key(&mut app, KeyCode::Down);
    }
    let text = ui::render(&app);
    assert!(
        text.contains("uid_map (inside→outside ×count): 0→1000 ×1, 1→100000 ×65536"),
        "{text}"
    );
    assert!(
        text.contains("gid_map (inside→outside ×count): 0→1000 ×1"),
        "{text}"
    );
    ui::key(&mut app, KeyCode::Char('i'));
    let text = ui::render(&app);
    assert!(text.contains("/proc/403/uid_map"), "{text}");
}

fn down(app: &mut AppState, n: usize) {
    for _ in 0..n {
        ui::key(app, KeyCode::Down);
    }
}
