//! Thread rows under their process: order, sort within the process, tree depth, selection.

use crate::app::keymap::Command;
use crate::app::panes::processes::{Column, handle, recompute, select_row};
use crate::app::state::{AppState, Overlay};
use crate::model::process::test_row;
use crate::model::thread::test_thread;
use crate::model::{
    CgroupMode, CgroupSnapshot, HostReference, ProcThreads, ProcessRow, Snapshot, ThreadRow,
};
use std::sync::Arc;

/// Processes 10 (threads 10, 11, 12), 20 (child of 10, one thread) and 30 (threads 30, 31);
/// thread 12 is busier than 11.
fn snapshot(threads_of_30_start: u64) -> Snapshot {
    let mut p10 = test_row(10);
    p10.threads = 3;
    p10.cpu_percent = crate::model::CpuPercent::new(Some(5.0));
    let mut p20 = test_row(20);
    p20.ppid = 10;
    let mut p30 = test_row(30);
    p30.threads = 2;
    let group = |pid: i32, start: u64, threads: Vec<ThreadRow>| ProcThreads {
        pid,
        start_time_ticks: start,
        threads: threads.into(),
    };
    Snapshot {
        taken_at_unix_ms: 0,
        host_reference: HostReference::None,
        processes: [p10, p20, p30]
            .into_iter()
            .map(|p: ProcessRow| Arc::new(p))
            .collect(),
        namespaces: Vec::new(),
        id_maps: None,
        cgroups: CgroupSnapshot {
            mode: CgroupMode::V2,
            hierarchies: Vec::new(),
        },
        memory_map: None,
        containers: Vec::new(),
        threads: vec![
            group(
                10,
                5,
                vec![
                    test_thread(10, "main", 0.0),
                    test_thread(11, "bx-worker-1", 1.0),
                    test_thread(12, "bx-worker-2", 9.0),
                ],
            ),
            group(
                30,
                threads_of_30_start,
                vec![test_thread(30, "other", 0.0), test_thread(31, "io", 0.0)],
            ),
        ],
    }
}

fn app() -> AppState {
    let mut app = AppState::new(1000);
    app.snapshot = Some(Arc::new(snapshot(5)));
    app.processes.sort = Column::Pid;
    app.processes.descending = false;
    recompute(&mut app);
    app
}

/// The rows as (pid or tid, depth, is a thread).
fn rows(app: &AppState) -> Vec<(i32, u16, bool)> {
    let snap = app.snapshot.as_ref().unwrap();
    app.visible
        .iter()
        .map(|r| match r.thread(snap) {
            Some(t) => (t.tid, r.depth, true),
            None => (r.process(snap).unwrap().pid, r.depth, false),
        })
        .collect()
}

#[test]
fn threads_come_right_under_their_process_without_the_main_one() {
    let mut app = app();
    assert_eq!(rows(&app).len(), 3, "hidden until H");
    handle(&mut app, &Command::ToggleThreads);
    assert_eq!(
        rows(&app),
        [
            (10, 0, false),
            (11, 1, true),
            (12, 1, true),
            (20, 0, false),
            (30, 0, false),
            (31, 1, true),
        ]
    );
    handle(&mut app, &Command::ToggleThreads);
    assert_eq!(rows(&app).len(), 3);
}

#[test]
fn the_sort_applies_within_a_process() {
    let mut app = app();
    app.processes.show_threads = true;
    app.processes.sort = Column::Cpu;
    app.processes.descending = true;
    recompute(&mut app);
    let r = rows(&app);
    // Process 10 (5 %) first; its threads busiest first (12 at 9 %, then 11).
    assert_eq!(&r[..3], [(10, 0, false), (12, 1, true), (11, 1, true)]);
    app.processes.descending = false;
    recompute(&mut app);
    let r = rows(&app);
    let at = r.iter().position(|x| x.0 == 10).unwrap();
    assert_eq!(
        &r[at..at + 3],
        [(10, 0, false), (11, 1, true), (12, 1, true)]
    );
}

#[test]
fn in_the_tree_threads_sit_one_deeper_than_their_process() {
    let mut app = app();
    app.processes.show_threads = true;
    app.processes.tree = true;
    recompute(&mut app);
    assert_eq!(
        rows(&app),
        [
            (10, 0, false),
            (11, 1, true),
            (12, 1, true),
            (20, 1, false),
            (30, 0, false),
            (31, 1, true),
        ]
    );
}

#[test]
fn threads_of_an_earlier_process_under_the_same_pid_are_not_shown() {
    let mut app = app();
    app.snapshot = Some(Arc::new(snapshot(99)));
    app.processes.show_threads = true;
    recompute(&mut app);
    assert!(!rows(&app).contains(&(31, 1, true)));
}

#[test]
fn a_selected_thread_stays_selected_as_rows_move_and_goes_with_h() {
    let mut app = app();
    handle(&mut app, &Command::ToggleThreads);
    let at = rows(&app).iter().position(|r| r.0 == 12).unwrap();
    let effects = select_row(&mut app, at);
    assert_eq!(
        app.processes.selected,
        Some((10, 5)),
        "its process is selected"
    );
    assert_eq!(app.processes.selected_thread, Some(12));
    assert!(!effects.is_empty() || app.processes.selected == Some((10, 5)));
    // Sorted the other way, the cursor follows thread 12 to its new row.
    app.processes.descending = true;
    recompute(&mut app);
    assert_eq!(rows(&app)[app.processes.cursor].0, 12);
    handle(&mut app, &Command::ToggleThreads);
    assert_eq!(app.processes.selected_thread, None);
    assert_eq!(rows(&app)[app.processes.cursor].0, 10);
}

#[test]
fn enter_opens_the_threads_view_of_the_selected_process() {
    let mut app = app();
    select_row(&mut app, 2);
    handle(&mut app, &Command::Enter);
    assert_eq!(
        app.overlay,
        Overlay::Threads {
            of: (30, 5),
            scroll: 0
        }
    );
}

#[test]
fn with_h_the_threads_columns_take_the_place_of_namespaces_and_cgroup() {
    let mut app = app();
    let before = app.processes.shown_columns();
    assert!(before.contains(&Column::Cgroup));
    assert!(!before.contains(&Column::Wchan));
    app.processes.show_threads = true;
    let cols = app.processes.shown_columns();
    assert!(!cols.contains(&Column::Cgroup) && !cols.contains(&Column::Ns));
    let at = cols.iter().position(|c| *c == Column::LastCpu).unwrap();
    assert_eq!(
        &cols[at..],
        [Column::THREADS.as_slice(), &[Column::Command]].concat()
    );
    // Sorted by a thread column, hiding the threads sorts by cpu % again.
    app.processes.sort = Column::Wchan;
    handle(&mut app, &Command::ToggleThreads);
    assert_eq!(app.processes.sort, Column::Cpu);
}
