//! The memory map pane rendered from the fixture host: the picture, the list with its
//! "not used" rows, scrolling, zoom, a map that could not be read, and tiny sizes.

#[path = "support/ui.rs"]
mod ui;

use boxtop::app::state::{AppState, MapData, PaneId};
use boxtop::app::update::{Msg, update};
use ratatui::crossterm::event::KeyCode;

/// The fixture with the memory map pane focused.
fn focused() -> AppState {
    let mut app = ui::fixture_app();
    ui::key(&mut app, KeyCode::Char('2'));
    assert_eq!(app.focus, PaneId::MemoryMap);
    app
}

/// Just the memory map pane's rectangle of the screen.
fn pane(app: &AppState) -> String {
    let screen = ui::render(app);
    let l = boxtop::ui::layout(app).expect("big enough");
    let (_, r) = l
        .panes
        .iter()
        .find(|(p, _)| *p == PaneId::MemoryMap)
        .copied()
        .expect("the pane is on screen");
    screen
        .lines()
        .skip(usize::from(r.y))
        .take(usize::from(r.height))
        .map(|line| {
            let s: String = line
                .chars()
                .skip(usize::from(r.x))
                .take(usize::from(r.width))
                .collect();
            format!("{}\n", s.trim_end())
        })
        .collect()
}

#[test]
fn pane_in_the_dashboard() {
    let app = focused();
    let text = pane(&app);
    assert!(
        text.contains("2 Memory map · pid 402 · Rss 1.7 MiB Pss 457.0 KiB Swap 0 B"),
        "the totals fit in the title:\n{text}"
    );
    assert!(text.contains("RSS"), "RSS stays in the dashboard:\n{text}");
    assert!(text.contains("/usr/bin/sleep"), "{text}");
    assert!(text.contains("not used"), "{text}");
    assert!(text.contains("█text"), "{text}");
    assert!(text.contains("█heap"), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn zoomed_shows_every_column() {
    let mut app = focused();
    ui::key(&mut app, KeyCode::Char('z'));
    assert!(app.zoomed);
    let text = ui::render(&app);
    for want in [
        "45 mappings",
        "START-END",
        "PSS",
        "[heap]",
        "libc.so.6",
        "not used",
        "█special",
        "┆not used",
        "(deleted)",
    ] {
        assert!(text.contains(want), "{want} missing:\n{text}");
    }
    insta::assert_snapshot!(text);
}

#[test]
fn scrolled_down() {
    let mut app = focused();
    ui::key(&mut app, KeyCode::PageDown);
    ui::key(&mut app, KeyCode::PageDown);
    ui::key(&mut app, KeyCode::Down);
    let text = pane(&app);
    assert!(app.map.offset > 0, "scrolled");
    assert!(
        !text.contains("/usr/bin/sleep"),
        "the top has scrolled away:\n{text}"
    );
    insta::assert_snapshot!(text);
    ui::key(&mut app, KeyCode::End);
    let end = pane(&app);
    for want in ["[vdso]", "[stack]", "[vsyscall]", "[vvar]"] {
        assert!(end.contains(want), "{want} missing:\n{end}");
    }
}

#[test]
fn explain_a_mapping_and_a_gap() {
    let mut app = focused();
    ui::key(&mut app, KeyCode::Char('i'));
    let text = ui::render(&app);
    assert!(text.contains("/proc/402/maps"), "{text}");
    assert!(text.contains("copy-on-write"), "{text}");
    ui::key(&mut app, KeyCode::Esc);
    // Row 5 is the hole between the program's data and the heap.
    for _ in 0..5 {
        ui::key(&mut app, KeyCode::Down);
    }
    let (title, lines) = boxtop::ui::memory_map::explain(&app).expect("a row");
    assert!(title.ends_with("not used"), "{title}");
    assert!(lines.join("\n").contains("SIGSEGV"), "{lines:?}");
}

#[test]
fn a_map_that_could_not_be_read_says_why() {
    let mut app = focused();
    let id = app.procs.selected.expect("selected");
    update(
        &mut app,
        Msg::Map(MapData {
            for_proc: id,
            map: Err("/proc/402/maps: no longer exists".into()),
        }),
    );
    let text = pane(&app);
    assert!(
        text.contains("pid 402: /proc/402/maps: no longer exists"),
        "{text}"
    );
    insta::assert_snapshot!(text);
    assert_eq!(boxtop::ui::memory_map::explain(&app), None);
}

#[test]
fn tiny_sizes_do_not_panic() {
    for (w, h) in [(60, 15), (61, 16), (70, 18), (80, 24), (100, 20)] {
        for zoom in [false, true] {
            let mut app = ui::fixture_app_on("cgroup-v2", w, h, 402);
            ui::key(&mut app, KeyCode::Char('2'));
            if zoom {
                ui::key(&mut app, KeyCode::Char('z'));
            }
            for k in [
                KeyCode::End,
                KeyCode::PageUp,
                KeyCode::Up,
                KeyCode::Char('i'),
            ] {
                ui::key(&mut app, k);
                let _ = ui::render(&app);
            }
        }
    }
}
