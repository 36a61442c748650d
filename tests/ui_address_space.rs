//! The memory map pane on what the address space is made of beyond the mappings: the hole
//! up to the end of user space, the end itself, the kernel's `[vsyscall]`, the table of gaps
//! by size (`v`), and the sentence of a process with no mappings (a zombie, a kernel thread,
//! a process exiting), on the fixture hosts.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

#[path = "support/ui.rs"]
mod ui;

use boxtop::app::panes::memory_map::MapView;
use boxtop::app::state::{AppState, MapData, PaneId};
use boxtop::app::update::{Msg, update};
use ratatui::crossterm::event::KeyCode;

/// The fixture at 160x45 with `pid` selected, the memory map pane focused and zoomed.
fn zoomed_on(pid: i32) -> AppState {
    let mut app = ui::fixture_app_on("cgroup-v2", 160, 45, pid);
    ui::key(&mut app, KeyCode::Char('2'));
    ui::key(&mut app, KeyCode::Char('z'));
    assert_eq!(app.focus, PaneId::MemoryMap);
    app
}

fn line_with<'a>(text: &'a str, needle: &str) -> &'a str {
    text.lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?}:\n{text}"))
}

#[test]
fn the_end_of_user_space_stands_between_the_stack_and_vsyscall() {
    let mut app = zoomed_on(402);
    ui::key(&mut app, KeyCode::End);
    let text = ui::render(&app);
    // The hole above the stack runs to the end of user space, not to [vsyscall].
    let hole = line_with(&text, "7ffc26624000-7ffffffff000");
    assert!(hole.contains("15.4 GiB") && hole.contains("up to the end of user space"));
    assert!(!text.contains("EiB"), "no 16 EiB hole:\n{text}");
    let end = line_with(&text, "end of user space (47-bit)");
    assert!(
        end.contains("7ffffffff000") && end.contains("non-canonical"),
        "{end}"
    );
    let vsyscall = line_with(&text, "[vsyscall]");
    assert!(
        vsyscall.contains("kernel ") && vsyscall.contains("kernel's half, mapped for old binaries"),
        "{vsyscall}"
    );
    // In that order, with nothing between the end and [vsyscall].
    let row = |needle: &str| text.lines().position(|l| l.contains(needle));
    let (h, e, v) = (
        row("7ffc26624000-7ffffffff000"),
        row("end of user space (47-bit)"),
        row("[vsyscall]"),
    );
    assert!(h < e && e.map(|e| e + 1) == v, "{h:?} {e:?} {v:?}");
    insta::assert_snapshot!(text);
}

#[test]
fn v_lists_the_gaps_by_size_like_the_talks_table() {
    let mut app = zoomed_on(402);
    ui::key(&mut app, KeyCode::Char('v'));
    assert_eq!(app.memory_map.view, MapView::GapsBySize);
    let text = ui::render(&app);
    let map = match app.selected_map() {
        Some(Ok(m)) => m.clone(),
        other => panic!("{other:?}"),
    };
    assert!(
        text.contains(&format!("not used, biggest first: {} gaps", map.gaps.len())),
        "{text}"
    );
    assert!(text.contains("NOT USED, BIGGEST FIRST: BETWEEN"), "{text}");
    // Biggest first: the hole between the heap and the shared memory, then the one from the
    // program to the heap... and the one from the stack to the end of user space.
    let first = line_with(&text, "55b5f216a000-7f2ac1000000");
    assert!(
        first.contains("41.5 TiB") && first.contains("[heap] and /SYSV00000000"),
        "{first}"
    );
    let last_gap = line_with(&text, "7ffc26624000-7ffffffff000");
    assert!(
        last_gap.contains("[stack] and the end of user space"),
        "{last_gap}"
    );
    assert!(
        !text.contains("[vsyscall]"),
        "the kernel's half is no gap:\n{text}"
    );
    // Every gap is a row, in the order of the model.
    let rows: Vec<&str> = text.lines().filter(|l| l.contains(" and ")).collect();
    assert_eq!(rows.len(), map.gaps.len());
    for (row, g) in rows.iter().zip(&map.gaps) {
        assert!(row.contains(&format!("{:x}-{:x}", g.start, g.end)), "{row}");
    }
    // The key bar offers v in the pane.
    let bar = ui::render(&app);
    assert!(bar.contains("v Gaps by size"), "{bar}");
    insta::assert_snapshot!(text);
    // v again: back to address order, on the gap that was selected.
    ui::key(&mut app, KeyCode::Down); // the second biggest
    let second = map.gaps[1];
    ui::key(&mut app, KeyCode::Char('v'));
    assert_eq!(app.memory_map.view, MapView::Address);
    let (_, lines) = ui::explain_in(&app, PaneId::MemoryMap).expect("a row");
    assert!(
        lines[0].starts_with(&format!("{:x}-{:x}", second.start, second.end)),
        "{lines:?}"
    );
    assert!(lines.join("\n").contains("Gap 2 of"), "{lines:?}");
}

#[test]
fn the_gaps_add_up_to_the_end_of_user_space() {
    let mut app = zoomed_on(402);
    ui::key(&mut app, KeyCode::Char('v'));
    let (title, lines) = ui::explain_in(&app, PaneId::MemoryMap).expect("the biggest gap");
    assert!(title.ends_with("not used"), "{title}");
    let text = lines.join("\n");
    assert!(text.contains("Gap 1 of"), "{text}");
    assert!(
        text.contains(
            "7ffffffff000 - 55b5ed2f8000, from the lowest mapping to the end of user space"
        ),
        "{text}"
    );
}

/// The pane's sentence for `pid` of the v2 fixture, whose map the reader finds empty.
fn sentence_for(pid: i32) -> String {
    let app = zoomed_on(pid);
    let text = ui::render(&app);
    line_with(&text, "no mappings")
        .trim_matches(['│', ' '])
        .to_string()
}

#[test]
fn a_zombie_has_released_its_address_space() {
    assert_eq!(
        sentence_for(301),
        "pid 301: no mappings: it is a zombie (state Z): it has exited and its address space \
         is already released; its parent has not reaped it yet"
    );
}

#[test]
fn a_kernel_thread_never_had_one() {
    assert_eq!(
        sentence_for(2),
        "pid 2: no mappings: it is a kernel thread, which has no user address space (it runs \
         only in the kernel's half)"
    );
}

#[test]
fn a_process_whose_maps_are_empty_while_it_runs_is_exiting() {
    // The worker's row says S (sleeping), but the map came back empty: it exited between
    // the two reads, as an exiting `sleep` does. Never "a kernel thread".
    let mut app = zoomed_on(402);
    let id = app.processes.selected.expect("selected");
    let mut map = match app.selected_map() {
        Some(Ok(m)) => (**m).clone(),
        other => panic!("{other:?}"),
    };
    map.mappings.clear();
    map.gaps.clear();
    map.user_space = None;
    map.totals = None;
    update(
        &mut app,
        Msg::Map(MapData {
            for_proc: id,
            map: Ok(std::sync::Arc::new(map)),
        }),
    );
    let text = ui::render(&app);
    let said = line_with(&text, "no mappings");
    assert!(
        said.contains(
            "pid 402: no mappings: it is exiting (its address space is already released)"
        ),
        "{said}"
    );
    assert!(!text.contains("kernel thread"), "{text}");
}

#[test]
fn tiny_sizes_in_the_table_of_gaps_do_not_panic() {
    for (w, h) in [(60, 15), (61, 16), (70, 18), (80, 24), (100, 20)] {
        for zoom in [false, true] {
            let mut app = ui::fixture_app_on("cgroup-v2", w, h, 402);
            ui::key(&mut app, KeyCode::Char('2'));
            ui::key(&mut app, KeyCode::Char('v'));
            if zoom {
                ui::key(&mut app, KeyCode::Char('z'));
            }
            for k in [
                KeyCode::End,
                KeyCode::PageUp,
                KeyCode::Up,
                KeyCode::Char('v'),
                KeyCode::End,
                KeyCode::Up,
                KeyCode::Char('i'),
            ] {
                ui::key(&mut app, k);
                let _ = ui::render(&app);
            }
        }
    }
}
