//! Folding, visible rows and reveal on a hand-built tree.

use super::rows::{RowRef, visible_rows};
use super::*;
use crate::model::{
    CgroupMode, CgroupNode, CgroupSnapshot, Hierarchy, HostReference, ProcessRow, Snapshot,
};
use std::sync::Arc;

/// `/`, `/a`, `/a/b`, `/a/b/c`, `/a/b/c/d`, `/z`; pid 7 is in `/a/b/c/d`.
fn hierarchy(id: u32, version: u8) -> Hierarchy {
    let spec: [(&str, usize, Option<usize>, &[i32]); 6] = [
        ("/", 0, None, &[1]),
        ("/a", 1, Some(0), &[]),
        ("/a/b", 2, Some(1), &[]),
        ("/a/b/c", 3, Some(2), &[]),
        ("/a/b/c/d", 4, Some(3), &[7]),
        ("/z", 1, Some(0), &[]),
    ];
    Hierarchy {
        id,
        version,
        controllers: vec!["memory".into()],
        name: None,
        mount_point: format!("/sys/fs/cgroup/h{id}"),
        mount_root: "/".into(),
        cgroups: spec
            .iter()
            .map(|(path, depth, parent, pids)| CgroupNode {
                path: path.to_string(),
                name: path.rsplit('/').next().unwrap_or("/").to_string(),
                depth: *depth,
                parent: *parent,
                pids: (*pids).into(),
                ..CgroupNode::default()
            })
            .collect(),
    }
}

fn process(pid: i32) -> ProcessRow {
    process_in(pid, &[])
}

/// A process whose /proc/PID/cgroup names `paths` as (hierarchy id, path).
fn process_in(pid: i32, paths: &[(u32, &str)]) -> ProcessRow {
    let mut row = crate::model::process::test_row(pid);
    Arc::make_mut(&mut row.info).cgroups = paths
        .iter()
        .map(|(id, path)| crate::model::ProcCgroup {
            hierarchy_id: *id,
            controllers: Vec::new(),
            path: path.to_string(),
        })
        .collect();
    row
}

fn app() -> AppState {
    let mut app = AppState::new(1000);
    app.snapshot = Some(Arc::new(Snapshot {
        taken_at_unix_ms: 0,
        host_reference: HostReference::None,
        processes: vec![Arc::new(process(1)), Arc::new(process(7))],
        namespaces: Vec::new(),
        id_maps: None,
        cgroups: CgroupSnapshot {
            mode: CgroupMode::Hybrid,
            hierarchies: vec![hierarchy(0, 2), hierarchy(4, 1)],
        },
        memory_map: None,
        containers: Vec::new(),
        threads: Vec::new(),
    }));
    app.cgroups.page = 5;
    app
}

fn paths(app: &AppState) -> Vec<String> {
    let snap = app.snapshot.as_ref().unwrap();
    visible_rows(&snap.cgroups, &app.cgroups)
        .into_iter()
        .map(|r| match r {
            RowRef::Heading { h } => format!("#{}", snap.cgroups.hierarchies[h].id),
            RowRef::Cgroup { h, node } => format!(
                "{}{}",
                snap.cgroups.hierarchies[h].id, snap.cgroups.hierarchies[h].cgroups[node].path
            ),
        })
        .collect()
}

#[test]
fn deep_cgroups_start_folded() {
    let app = app();
    assert_eq!(
        paths(&app),
        [
            "#0", "0/", "0/a", "0/a/b", "0/a/b/c", "0/z", "#4", "4/", "4/a", "4/a/b", "4/a/b/c",
            "4/z"
        ]
    );
}

#[test]
fn left_folds_then_goes_to_parent_and_right_unfolds() {
    let mut app = app();
    app.cgroups.cursor = 2; // 0/a
    handle(&mut app, &Command::Left);
    assert_eq!(paths(&app)[..4], ["#0", "0/", "0/a", "0/z"]);
    assert_eq!(app.cgroups.cursor, 2, "folding keeps the cursor");
    handle(&mut app, &Command::Left);
    assert_eq!(app.cgroups.cursor, 1, "a folded row goes to its parent");
    handle(&mut app, &Command::Left);
    assert_eq!(
        paths(&app),
        ["#0", "0/", "#4", "4/", "4/a", "4/a/b", "4/a/b/c", "4/z"]
    );
    handle(&mut app, &Command::Left);
    assert_eq!(app.cgroups.cursor, 0, "from a root to its heading");
    app.cgroups.cursor = 1;
    handle(&mut app, &Command::Right);
    handle(&mut app, &Command::Down);
    handle(&mut app, &Command::Right);
    assert_eq!(
        paths(&app)[..6],
        ["#0", "0/", "0/a", "0/a/b", "0/a/b/c", "0/z"]
    );
    // An auto-folded deep cgroup opens with Right and folds again with Left.
    app.cgroups.cursor = 4; // 0/a/b/c
    handle(&mut app, &Command::Right);
    assert!(paths(&app).contains(&"0/a/b/c/d".to_string()));
    handle(&mut app, &Command::Left);
    assert!(!paths(&app).contains(&"0/a/b/c/d".to_string()));
}

#[test]
fn cursor_moves_over_visible_rows_only() {
    let mut app = app();
    handle(&mut app, &Command::End);
    assert_eq!(app.cgroups.cursor, 11);
    assert_eq!(app.cgroups.offset, 7, "the last page is shown");
    handle(&mut app, &Command::PageUp);
    assert_eq!(app.cgroups.cursor, 6);
    handle(&mut app, &Command::Home);
    assert_eq!((app.cgroups.cursor, app.cgroups.offset), (0, 0));
}

#[test]
fn reveal_opens_the_path_and_selects_the_first_non_root_cgroup() {
    let mut app = app();
    app.cgroups.collapsed.insert((0, "/a".into()));
    app.processes.selected = Some((7, 5));
    reveal_selected(&mut app);
    let p = paths(&app);
    assert!(p.contains(&"0/a/b/c/d".to_string()), "{p:?}");
    assert!(p.contains(&"4/a/b/c/d".to_string()), "{p:?}");
    assert_eq!(p[app.cgroups.cursor], "0/a/b/c/d");
    assert!(app.cgroups.offset <= app.cgroups.cursor);
    assert!(app.cgroups.cursor < app.cgroups.offset + app.cgroups.page);
}

#[test]
fn reveal_of_a_root_process_prefers_v2() {
    let mut app = app();
    app.processes.selected = Some((1, 5));
    app.cgroups.cursor = 9;
    reveal_selected(&mut app);
    assert_eq!(paths(&app)[app.cgroups.cursor], "0/");
}

#[test]
fn enter_filters_processes_and_root_clears() {
    let mut app = app();
    app.cgroups.cursor = 2; // 0/a
    handle(&mut app, &Command::Enter);
    assert_eq!(app.filter.text, "cgroup:/a");
    assert_eq!(app.focus, crate::app::state::PaneId::Processes);
    app.cgroups.cursor = 1; // root
    handle(&mut app, &Command::Enter);
    assert!(app.filter.is_empty());
}

#[test]
fn the_process_own_cgroup_path_wins_over_cgroup_procs() {
    let app = app();
    let snap = app.snapshot.as_ref().unwrap();
    // pid 7 is listed in /a/b/c/d; its /proc/7/cgroup says /z in hierarchy 4 only.
    let p = process_in(7, &[(4, "/z"), (0, "/gone")]);
    assert_eq!(
        cgroups_of(&snap.cgroups, &p),
        [(0, 4), (1, 5)],
        "path where it names a cgroup, else cgroup.procs"
    );
    assert_eq!(cgroups_of(&snap.cgroups, &process(99)), []);
}

/// The app's tree with `/new` created before `/a` (once) and `remove` removed, as a later
/// snapshot would have it (depth-first order, parents by index).
fn changed(app: &AppState, remove: &str) -> Arc<Snapshot> {
    let mut snap = (**app.snapshot.as_ref().unwrap()).clone();
    for hier in &mut snap.cgroups.hierarchies {
        if !hier.cgroups.iter().any(|n| n.path == "/new") {
            let mut new = hier.cgroups[1].clone();
            new.path = "/new".into();
            new.name = "new".into();
            hier.cgroups.insert(1, new);
            for n in hier.cgroups.iter_mut().skip(2) {
                n.parent = n.parent.map(|p| if p >= 1 { p + 1 } else { p });
            }
        }
        hier.cgroups.retain(|n| n.path != remove);
    }
    Arc::new(snap)
}

#[test]
fn the_cursor_follows_its_cgroup_into_the_next_snapshot() {
    use crate::app::update::{Msg, update};
    let mut app = app();
    app.cgroups.cursor = 9;
    assert_eq!(paths(&app)[9], "4/a/b");
    let next = changed(&app, "/nothing");
    update(&mut app, Msg::Snapshot(next));
    assert_eq!(
        paths(&app)[app.cgroups.cursor],
        "4/a/b",
        "{:?}",
        paths(&app)
    );
    assert_eq!(
        app.cgroups.cursor, 11,
        "two rows down: /new came in, in both trees"
    );
    // Its cgroup removed (/z is last, no index shifts), the cursor goes to the nearest
    // ancestor still shown.
    app.cgroups.cursor = paths(&app).iter().position(|r| r == "0/z").unwrap();
    let next = changed(&app, "/z");
    update(&mut app, Msg::Snapshot(next));
    assert_eq!(paths(&app)[app.cgroups.cursor], "0/", "{:?}", paths(&app));
    // A heading stays a heading.
    app.cgroups.cursor = paths(&app).iter().position(|r| r == "#4").unwrap();
    let next = changed(&app, "/a/b/c/d");
    update(&mut app, Msg::Snapshot(next));
    assert_eq!(paths(&app)[app.cgroups.cursor], "#4");
}
