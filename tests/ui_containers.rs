//! The containers pane (`5`) on the fixture hosts: Docker, a podman container, two
//! Kubernetes pods (one frozen) on the pure v2 host; old LXC and Docker on the v1 host. Keys
//! in, state and screens out.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

#[path = "support/ui.rs"]
mod ui;

use boxtop::actions::Target;
use boxtop::app::action_keys::PlanRequest;
use boxtop::app::panes::containers::{Column, Row};
use boxtop::app::state::{AppState, PaneId};
use boxtop::app::update::Effect;
use boxtop::model::Runtime;
use ratatui::crossterm::event::KeyCode;

const ID1: &str = "11111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const ID4: &str = "44444444dddddddddddddddddddddddddddddddddddddddddddddddddddddddd";
const UID2: &str = "6a7b8c9d-0e1f-4a2b-9c3d-4e5f6a7b8c9d";

/// The v2 containers host at `w`x`h`, the containers pane shown.
fn pane(w: u16, h: u16) -> AppState {
    let mut app = ui::fixture_app_on("containers-v2", w, h, 50);
    ui::chars(&mut app, "5");
    app
}

/// The names of the rows, as the pane lists them.
fn names(app: &AppState) -> Vec<String> {
    let snap = app.snapshot.as_ref().unwrap();
    app.containers
        .rows
        .iter()
        .map(|r| match r {
            Row::Pod { label, .. } => format!("pod {label}"),
            Row::Container { index, .. } => snap.containers[*index].name.clone(),
        })
        .collect()
}

/// Puts the cursor on the row named `name`.
fn cursor_to(app: &mut AppState, name: &str) {
    let row = names(app)
        .iter()
        .position(|n| n == name)
        .unwrap_or_else(|| panic!("{name} in {:?}", names(app)));
    ui::key(app, KeyCode::Home);
    for _ in 0..row {
        ui::key(app, KeyCode::Down);
    }
}

#[test]
fn five_shows_the_pane_in_the_process_tables_place() {
    let app = pane(160, 30);
    assert_eq!(
        (app.focus, app.table),
        (PaneId::Containers, PaneId::Containers)
    );
    insta::assert_snapshot!(ui::render(&app));
}

#[test]
fn zoomed_every_column_fits() {
    let mut app = pane(200, 16);
    ui::chars(&mut app, "z");
    insta::assert_snapshot!(ui::render(&app));
}

#[test]
fn pods_are_headings_over_their_containers() {
    let app = pane(160, 30);
    // By name: the CRI-O container (no name but its id) in its Guaranteed pod, podman's
    // cache, compose's shop/web, the containerd pod's app.
    assert_eq!(
        names(&app),
        [
            "pod 6a7b8c9d",
            "33333333cccc",
            "cache",
            "shop/web",
            "pod shop/web-7d4b9c-x2x",
            "shop/web-7d4b9c-x2x/app",
        ]
    );
    let Row::Pod { uid, members, .. } = &app.containers.rows[0] else {
        panic!("a heading first");
    };
    assert_eq!((uid.as_str(), members.len()), (UID2, 1));
}

#[test]
fn the_other_panes_follow_the_selected_containers_main_process() {
    let mut app = pane(160, 30);
    cursor_to(&mut app, "shop/web");
    // nginx (500) is the init; its worker (501) is its child.
    assert_eq!(app.selected_process().map(|p| p.pid), Some(500));
    let effects = {
        cursor_to(&mut app, "cache");
        app.processes.selected
    };
    assert_eq!(effects.map(|s| s.0), Some(531));
    let screen = ui::render(&app);
    assert!(screen.contains("531 sleep"), "the namespace pane: {screen}");
    // A new snapshot keeps both: the row by identity, the process with it.
    let snap = app.snapshot.clone().unwrap();
    boxtop::app::update::update(&mut app, boxtop::app::update::Msg::Snapshot(snap));
    assert_eq!(names(&app)[app.containers.cursor], "cache");
    assert_eq!(app.selected_process().map(|p| p.pid), Some(531));
}

#[test]
fn a_frozen_container_shows_frozen_in_the_process_table_too() {
    let mut app = pane(160, 30);
    cursor_to(&mut app, "33333333cccc");
    assert!(ui::render(&app).contains("frozen"));
    ui::chars(&mut app, "1");
    let screen = ui::render(&app);
    assert!(
        screen.contains("selected 520 (redis-server) · frozen"),
        "{screen}"
    );
    // A running container's main process is not said frozen.
    ui::chars(&mut app, "5");
    cursor_to(&mut app, "cache");
    ui::chars(&mut app, "1");
    let screen = ui::render(&app);
    assert!(screen.contains("selected 531 (sleep) ─"), "{screen}");
}

#[test]
fn enter_shows_only_the_containers_processes() {
    let mut app = pane(160, 30);
    cursor_to(&mut app, "shop/web");
    ui::key(&mut app, KeyCode::Enter);
    assert_eq!(app.filter.text, "container:shop/web");
    assert_eq!(
        (app.focus, app.table),
        (PaneId::Processes, PaneId::Processes)
    );
    let snap = app.snapshot.clone().unwrap();
    let pids: Vec<i32> = app
        .visible
        .iter()
        .map(|r| snap.processes[r.process].pid)
        .collect();
    let mut sorted = pids.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, [500, 501]);
    // The cgroup pane opened to nginx's cgroup.
    let screen = ui::render(&app);
    assert!(screen.contains("docker-11111111aaa"), "{screen}");
    // On a pod's heading: the pod's processes.
    ui::key(&mut app, KeyCode::Esc);
    ui::chars(&mut app, "5");
    cursor_to(&mut app, "pod 6a7b8c9d");
    ui::key(&mut app, KeyCode::Enter);
    assert_eq!(app.filter.text, format!("pod:{UID2}"));
    let pids: Vec<i32> = app
        .visible
        .iter()
        .map(|r| snap.processes[r.process].pid)
        .collect();
    assert_eq!(pids, [520], "the conmon (519) beside it is not the pod's");
}

#[test]
fn the_filter_narrows_both_tables_with_container_words() {
    let mut app = pane(160, 30);
    ui::chars(&mut app, "/runtime:podman");
    ui::key(&mut app, KeyCode::Enter);
    assert_eq!(names(&app), ["cache"]);
    // The same words on the process table: the processes of those containers.
    ui::chars(&mut app, "1");
    let snap = app.snapshot.clone().unwrap();
    let pids: Vec<i32> = app
        .visible
        .iter()
        .map(|r| snap.processes[r.process].pid)
        .collect();
    assert_eq!(pids, [531], "not podman's conmon");
    ui::key(&mut app, KeyCode::Esc);
    ui::chars(&mut app, "5/name:web");
    ui::key(&mut app, KeyCode::Enter);
    assert_eq!(
        names(&app),
        [
            "shop/web",
            "pod shop/web-7d4b9c-x2x",
            "shop/web-7d4b9c-x2x/app"
        ]
    );
    // A process word: containers with a member that matches.
    ui::key(&mut app, KeyCode::Esc);
    ui::chars(&mut app, "5/pid:501");
    ui::key(&mut app, KeyCode::Enter);
    assert_eq!(names(&app), ["shop/web"]);
    // A word that names nothing: the pane says so.
    ui::key(&mut app, KeyCode::Esc);
    ui::chars(&mut app, "5/runtime:lxc");
    ui::key(&mut app, KeyCode::Enter);
    assert!(names(&app).is_empty());
    assert!(ui::render(&app).contains("no container matches the filter"));
}

#[test]
fn sort_by_any_column() {
    let mut app = pane(160, 30);
    for _ in 0..6 {
        ui::chars(&mut app, "s");
    }
    assert_eq!(app.containers.sort, Column::Memory);
    assert!(app.containers.descending, "largest first");
    // 64 MiB (the containerd pod), 12 MiB, 8 MiB (the CRI-O pod), 2 MiB.
    assert_eq!(
        names(&app),
        [
            "pod shop/web-7d4b9c-x2x",
            "shop/web-7d4b9c-x2x/app",
            "shop/web",
            "pod 6a7b8c9d",
            "33333333cccc",
            "cache",
        ]
    );
    ui::chars(&mut app, "I");
    assert_eq!(
        names(&app).last().map(String::as_str),
        Some("shop/web-7d4b9c-x2x/app")
    );
}

#[test]
fn i_says_how_the_container_was_named_and_where_each_value_is_read() {
    let mut app = pane(160, 30);
    cursor_to(&mut app, "cache");
    let (title, lines) = ui::explain_in(&app, PaneId::Containers).unwrap();
    assert_eq!(title, "podman container cache");
    let text = lines.join("\n");
    for needle in [
        &format!("/machine.slice/libpod-{ID4}.scope") as &str,
        "podman's storage, containers.json",
        "Main process 531",
        "memory.current",
        "podman pause 44444444dddd",
    ] {
        assert!(text.contains(needle), "{needle}: {text}");
    }
    cursor_to(&mut app, "pod 6a7b8c9d");
    let (title, _) = ui::explain_in(&app, PaneId::Containers).unwrap();
    assert_eq!(title, format!("pod {UID2}"));
}

#[test]
fn action_keys_aim_at_the_container_or_the_pods_cgroup() {
    let mut app = pane(160, 30);
    cursor_to(&mut app, "shop/web");
    let e = ui::key(&mut app, KeyCode::Char('f'));
    assert_eq!(
        e,
        vec![Effect::Plan(PlanRequest::Freeze(
            Target::Container {
                runtime: Runtime::Docker,
                id: ID1.into(),
                name: "shop/web".into(),
            },
            true
        ))]
    );
    cursor_to(&mut app, "pod 6a7b8c9d");
    let e = ui::key(&mut app, KeyCode::Char('F'));
    let pod = format!(
        "/kubepods.slice/kubepods-pod{}.slice",
        UID2.replace('-', "_")
    );
    assert_eq!(
        e,
        vec![Effect::Plan(PlanRequest::Freeze(
            Target::cgroup(&pod).unwrap(),
            false
        ))]
    );
}

/// `k` on a container offers every signal (each is sent to every member), not only the
/// cgroup's SIGKILL.
#[test]
fn k_on_a_container_offers_every_signal() {
    let mut app = pane(160, 30);
    cursor_to(&mut app, "cache");
    ui::chars(&mut app, "k");
    let screen = ui::render(&app);
    for sig in ["SIGTERM", "SIGHUP", "SIGKILL", "SIGSTOP"] {
        assert!(screen.contains(sig), "{sig}: {screen}");
    }
    assert!(screen.contains("podman container cache"), "{screen}");
}

#[test]
fn a_v1_host_lists_old_lxc_and_docker() {
    let mut app = ui::fixture_app_on("containers-v1", 160, 30, 1);
    ui::chars(&mut app, "5");
    let screen = ui::render(&app);
    insta::assert_snapshot!(screen);
}

#[test]
fn tiny_sizes_do_not_panic() {
    for (w, h) in [(60, 15), (61, 16), (80, 24), (20, 5)] {
        let app = pane(w, h);
        let _ = ui::render(&app);
    }
}
