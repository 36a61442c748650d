//! The timeline pane (`6`) on the v2 containers fixture host: events as the poller sends
//! them (`Msg::Events`), keys in, state and screens out. Where the events come from is
//! tested against the kernel in events_kernel.rs and e2e_replay.rs.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

#[path = "support/ui.rs"]
mod ui;

use boxtop::app::state::{AppState, PaneId};
use boxtop::app::timeline::{Entry, Item};
use boxtop::app::update::{Msg, update};
use boxtop::model::{EventKind, KernelEvent};
use ratatui::crossterm::event::KeyCode;
use ratatui::style::Modifier;

const WEB_SCOPE: &str =
    "/system.slice/docker-11111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.scope";
const CACHE_SCOPE: &str =
    "/machine.slice/libpod-44444444dddddddddddddddddddddddddddddddddddddddddddddddddddddddd.scope";

fn event(
    time: &str,
    kind: EventKind,
    cgroup: &str,
    container: Option<&str>,
    pid: Option<i32>,
    detail: &str,
) -> Entry {
    Entry {
        time: time.into(),
        item: Item::Kernel(KernelEvent {
            time_unix_ms: 0,
            kind,
            cgroup: Some(cgroup.into()),
            hierarchy_id: Some(0),
            container: container.map(str::to_string),
            pid,
            detail: detail.into(),
            source: "memory.events oom_kill".into(),
        }),
    }
}

/// The fixture host with five events, oldest first: an exec in podman's cache (pid 531, a
/// process event), a pids limit hit in podman's cache, an OOM kill in Docker's shop/web
/// whose victim (pid 999) is gone, a cgroup-only freeze, and an exit whose process and
/// cgroup are both gone.
fn app() -> AppState {
    let mut app = ui::fixture_app_on("containers-v2", 160, 45, 50);
    let entries = vec![
        event(
            "10:41:58",
            EventKind::Exec,
            CACHE_SCOPE,
            Some("podman/cache"),
            Some(531),
            "sleep 1000",
        ),
        event(
            "10:42:00",
            EventKind::PidsMax,
            CACHE_SCOPE,
            Some("podman/cache"),
            None,
            "pids.events max 3 -> 4",
        ),
        event(
            "10:42:01",
            EventKind::OomKill,
            WEB_SCOPE,
            Some("docker/shop/web"),
            Some(999),
            "oom_kill 0 -> 1: process 999 (nginx: worker process)",
        ),
        event(
            "10:42:02",
            EventKind::Frozen,
            "/machine.slice",
            None,
            None,
            "frozen 0 -> 1",
        ),
        event(
            "10:42:03",
            EventKind::Exit,
            "/gone.slice",
            None,
            Some(777),
            "sleep 1",
        ),
    ];
    update(
        &mut app,
        Msg::Events {
            entries,
            reset: false,
            since: None,
        },
    );
    app
}

fn kinds(app: &AppState) -> Vec<&'static str> {
    app.timeline
        .visible()
        .iter()
        .map(|e| e.kind_word())
        .collect()
}

#[test]
fn an_oom_kill_opens_the_pane_with_the_kernels_events_newest_first() {
    let mut app = app();
    assert!(app.timeline.shown, "the OOM kill opened it");
    assert_eq!(
        kinds(&app),
        ["frozen", "oom_kill", "pids_max"],
        "process events need v"
    );
    ui::key(&mut app, KeyCode::Char('6'));
    assert_eq!(app.focus, PaneId::Events);
    insta::assert_snapshot!(ui::render(&app));
}

#[test]
fn v_adds_the_process_events_and_a_kind_filter_shows_them_too() {
    let mut app = app();
    ui::key(&mut app, KeyCode::Char('6'));
    assert!(ui::render(&app).contains("2 process events (v)"));
    ui::key(&mut app, KeyCode::Char('v'));
    assert_eq!(
        kinds(&app),
        ["exit", "frozen", "oom_kill", "pids_max", "exec"]
    );
    assert!(ui::render(&app).contains("with process events"));
    ui::key(&mut app, KeyCode::Char('v'));
    ui::key(&mut app, KeyCode::Char('/'));
    ui::chars(&mut app, "kind:ex");
    assert_eq!(
        kinds(&app),
        ["exit", "exec"],
        "a kind: shows process events"
    );
    ui::key(&mut app, KeyCode::Enter);
    assert!(ui::render(&app).contains("(filter: kind:ex)"));
    ui::key(&mut app, KeyCode::Esc);
    assert_eq!(
        kinds(&app),
        ["frozen", "oom_kill", "pids_max"],
        "Esc clears it"
    );
}

#[test]
fn a_bad_filter_says_why_and_keeps_the_last_good_one() {
    let mut app = app();
    ui::key(&mut app, KeyCode::Char('6'));
    ui::key(&mut app, KeyCode::Char('/'));
    ui::chars(&mut app, "container:cache");
    assert_eq!(kinds(&app), ["pids_max"]);
    ui::chars(&mut app, " kind:nosuch");
    let screen = ui::render(&app);
    assert!(screen.contains("kind:nosuch is no kind"), "{screen}");
    // `kind:n` (namespace_new, namespace_gone) was the last that read.
    assert_eq!(app.timeline.filter.text, "container:cache kind:n");
    ui::key(&mut app, KeyCode::Enter);
    assert!(
        app.timeline.filter_input.is_none(),
        "Enter closes the input"
    );
    assert!(ui::render(&app).contains("(filter: container:cache kind:n)"));
    assert!(
        app.filter.is_empty(),
        "the process table's filter is another one"
    );
}

#[test]
fn enter_goes_to_the_process_else_the_container_else_the_cgroup() {
    let mut app = app();
    ui::key(&mut app, KeyCode::Char('6'));
    ui::key(&mut app, KeyCode::Char('v'));
    // exec of pid 531, which runs: its process.
    ui::key(&mut app, KeyCode::End);
    ui::key(&mut app, KeyCode::Enter);
    assert_eq!(app.focus, PaneId::Processes);
    assert_eq!(app.selected_process().map(|p| p.pid), Some(531));
    // The OOM kill: its victim is gone, its container is not.
    ui::key(&mut app, KeyCode::Char('6'));
    ui::key(&mut app, KeyCode::Home);
    ui::key(&mut app, KeyCode::Down);
    ui::key(&mut app, KeyCode::Down);
    assert_eq!(
        app.timeline.selected().map(Entry::kind_word),
        Some("oom_kill")
    );
    ui::key(&mut app, KeyCode::Enter);
    assert_eq!(app.focus, PaneId::Containers);
    assert_eq!(
        boxtop::app::panes::containers::selected_container(&app).map(|c| c.name.as_str()),
        Some("shop/web")
    );
    // The freeze names a cgroup only.
    ui::key(&mut app, KeyCode::Char('6'));
    ui::key(&mut app, KeyCode::Home);
    ui::key(&mut app, KeyCode::Down);
    ui::key(&mut app, KeyCode::Enter);
    assert_eq!(app.focus, PaneId::Cgroups);
    assert_eq!(
        boxtop::app::panes::cgroups::selected_path(&app).as_deref(),
        Some("/machine.slice")
    );
    // The exit: everything it names is gone.
    ui::key(&mut app, KeyCode::Char('6'));
    ui::key(&mut app, KeyCode::Home);
    ui::key(&mut app, KeyCode::Enter);
    assert_eq!(app.focus, PaneId::Events, "nowhere to go");
    assert_eq!(
        app.status.as_deref(),
        Some("process 777, cgroup /gone.slice are gone")
    );
}

/// The screen cells of the first row holding `needle`, from the needle's first cell.
fn row_with(buf: &ratatui::buffer::Buffer, needle: &str) -> Option<(u16, u16)> {
    let text = ui::buffer_text(buf);
    text.lines().enumerate().find_map(|(y, line)| {
        let byte = line.find(needle)?;
        let x = line[..byte].chars().count();
        Some((u16::try_from(x).ok()?, u16::try_from(y).ok()?))
    })
}

fn marked_at(buf: &ratatui::buffer::Buffer, (x, y): (u16, u16)) -> bool {
    buf[(x, y)].modifier.contains(Modifier::UNDERLINED)
}

#[test]
fn the_selected_event_is_marked_in_the_other_panes_and_the_selections_events_in_it() {
    let mut app = app();
    ui::key(&mut app, KeyCode::Char('5'));
    ui::key(&mut app, KeyCode::Char('6'));
    ui::key(&mut app, KeyCode::Down); // the OOM kill in docker/shop/web
    let buf = ui::render_buffer(&app);
    let web = row_with(&buf, "shop/web   ").expect("shop/web's row");
    let cache = row_with(&buf, "cache ").expect("cache's row");
    assert!(marked_at(&buf, web), "the event's container is marked");
    assert!(!marked_at(&buf, cache), "and no other");
    // Back in the table, the selected process's events are marked in the timeline.
    ui::key(&mut app, KeyCode::Char('1'));
    ui::key(&mut app, KeyCode::Char('/'));
    ui::chars(&mut app, "pid:531");
    ui::key(&mut app, KeyCode::Enter);
    let buf = ui::render_buffer(&app);
    let pids = row_with(&buf, "pids_max").expect("pids_max row");
    let oom = row_with(&buf, "oom_kill").expect("oom_kill row");
    assert!(
        marked_at(&buf, pids),
        "sleep 1000 is podman's cache: its container's event"
    );
    assert!(!marked_at(&buf, oom));
    assert!(ui::buffer_text(&buf).contains("▸10:42:00 pids_max"));
}

#[test]
fn tab_passes_the_hidden_timeline_and_l_hides_it_for_good() {
    let mut app = ui::fixture_app_on("containers-v2", 160, 45, 50);
    for _ in 0..6 {
        ui::key(&mut app, KeyCode::Tab);
        assert_ne!(app.focus, PaneId::Events, "hidden: Tab passes it");
    }
    let mut app = self::app();
    ui::key(&mut app, KeyCode::Char('6'));
    ui::key(&mut app, KeyCode::Char('L'));
    assert!(!app.timeline.shown);
    assert_ne!(app.focus, PaneId::Events, "the focus leaves a hidden pane");
    update(
        &mut app,
        Msg::Events {
            entries: vec![event(
                "10:43:00",
                EventKind::OomKill,
                WEB_SCOPE,
                None,
                None,
                "again",
            )],
            reset: false,
            since: None,
        },
    );
    assert!(!app.timeline.shown, "hidden by L: it stays hidden");
    assert!(ui::render(&app).contains("1 new event (6 shows)"));
}

#[test]
fn i_explains_an_event_with_the_file_it_was_read_from() {
    let mut app = app();
    ui::key(&mut app, KeyCode::Char('6'));
    ui::key(&mut app, KeyCode::Down);
    let (title, lines) = ui::explain_in(&app, PaneId::Events).expect("an explanation");
    assert_eq!(title, "Event: oom_kill");
    let text = lines.join("\n");
    assert!(text.contains("OOM killer killed a process"), "{text}");
    assert!(text.contains("Container: docker/shop/web"), "{text}");
    assert!(text.contains("Read from: memory.events oom_kill"), "{text}");
}

#[test]
fn a_paused_screen_holds_new_events_until_it_resumes() {
    let mut app = app();
    ui::key(&mut app, KeyCode::Char(' '));
    update(
        &mut app,
        Msg::Events {
            entries: vec![event(
                "10:43:00",
                EventKind::MemoryMax,
                WEB_SCOPE,
                None,
                None,
                "max 1 -> 2",
            )],
            reset: false,
            since: None,
        },
    );
    assert_eq!(kinds(&app).len(), 3, "paused: unchanged");
    ui::key(&mut app, KeyCode::Char(' '));
    assert_eq!(kinds(&app).first(), Some(&"memory_max"));
}

/// At 80 columns the container and the cgroup share one column, so that what changed still
/// shows: the container where there is one, else the cgroup's end.
#[test]
fn a_narrow_timeline_keeps_the_place_and_what_changed() {
    let mut app = app();
    update(&mut app, Msg::Resize(80, 24));
    ui::key(&mut app, KeyCode::Char('6'));
    let screen = ui::render(&app);
    let row = |kind: &str| {
        screen
            .lines()
            .find(|l| l.contains(&format!(" {kind} ")))
            .unwrap_or_else(|| panic!("{kind} row:\n{screen}"))
            .to_string()
    };
    let oom = row("oom_kill");
    assert!(
        oom.contains("docker/shop/web") && oom.contains("999  oom_kill 0 -> 1"),
        "{oom}"
    );
    let frozen = row("frozen");
    assert!(
        frozen.contains("/machine.slice") && frozen.contains("frozen 0 -> 1"),
        "{frozen}"
    );
}
