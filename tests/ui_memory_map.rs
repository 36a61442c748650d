//! The memory map pane rendered from the fixture host: the picture, the list with its
//! "not used" rows, scrolling, zoom, a map that could not be read, and tiny sizes.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

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
    let l = boxtop::app::geometry::layout(app).expect("big enough");
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
    assert!(app.memory_map.offset > 0, "scrolled");
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
    let (title, lines) = ui::explain_in(&app, PaneId::MemoryMap).expect("a row");
    assert!(title.ends_with("not used"), "{title}");
    assert!(lines.join("\n").contains("SIGSEGV"), "{lines:?}");
}

#[test]
fn a_map_that_could_not_be_read_says_why() {
    let mut app = focused();
    let id = app.processes.selected.expect("selected");
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
    assert_eq!(ui::explain_in(&app, PaneId::MemoryMap), None);
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

/// The screen row and column where `needle` first appears.
fn find(buf: &ratatui::buffer::Buffer, needle: &str) -> Option<(u16, u16)> {
    let text = ui::buffer_text(buf);
    text.lines().enumerate().find_map(|(y, line)| {
        let byte = line.find(needle)?;
        let x = line[..byte].chars().count();
        Some((u16::try_from(x).ok()?, u16::try_from(y).ok()?))
    })
}

#[test]
fn selected_row_is_highlighted_and_kinds_are_coloured() {
    use ratatui::style::Color;
    let mut app = focused();
    ui::key(&mut app, KeyCode::Down); // the text mapping
    let buf = ui::render_buffer(&app);
    let (x, y) = find(&buf, "55b5ed2fa000").expect("the text row");
    assert_eq!(buf[(x, y)].bg, Color::Cyan, "focused selection");
    let (_, y0) = find(&buf, "55b5ed2f8000").expect("the first row");
    assert_ne!(buf[(x, y0)].bg, Color::Cyan, "only one row selected");
    // KIND cells carry the kind's colour (the theme's, shared with the picture).
    let (hx, hy) = find(&buf, "heap    [heap]").expect("heap row");
    assert_eq!(
        buf[(hx, hy)].fg,
        boxtop::app::theme::Theme::default().mapping(boxtop::model::MappingKind::Heap)
    );
}

#[test]
fn counters_pending_or_denied_say_so() {
    use boxtop::model::Access;
    let base = focused();
    let id = base.processes.selected.expect("selected");
    let map = match base.selected_map() {
        Some(Ok(m)) => (**m).clone(),
        other => panic!("fixture map: {other:?}"),
    };
    for (access, read, want) in [(Access::Ok, false, "…"), (Access::Denied, false, "denied")] {
        let mut app = base.clone();
        let mut m = map.clone();
        m.smaps_access = access;
        m.smaps_read = read;
        for mapping in &mut m.mappings {
            mapping.rss_bytes = None;
            mapping.pss_bytes = None;
        }
        update(
            &mut app,
            Msg::Map(MapData {
                for_proc: id,
                map: Ok(std::sync::Arc::new(m)),
            }),
        );
        let text = pane(&app);
        let row = text
            .lines()
            .find(|l| l.contains("55b5f2149000"))
            .expect("heap row");
        assert!(row.contains(want), "{want}: {row}");
    }
}

#[test]
fn sixty_thousand_mappings_scroll_to_the_end() {
    use boxtop::model::{Access, Gap, Mapping, MappingKind, MemoryMap};
    let mut app = focused();
    let id = app.processes.selected.expect("selected");
    let mut mappings = Vec::with_capacity(60_001);
    let mut gaps = Vec::new();
    let mut addr: u64 = 0x7f00_0000_0000;
    let anon = |start: u64, end: u64, kind, path: Option<&str>| Mapping {
        start,
        end,
        size_bytes: end - start,
        perms: "rw-p".into(),
        offset: 0,
        dev: "00:00".into(),
        inode: 0,
        path: path.map(str::to_string),
        deleted: false,
        kind,
        rss_bytes: None,
        pss_bytes: None,
        swap_bytes: None,
        anonymous_bytes: None,
    };
    for i in 0..60_000u64 {
        mappings.push(anon(addr, addr + 4096, MappingKind::Anonymous, None));
        addr += 4096;
        if i % 100 == 99 {
            gaps.push(Gap {
                start: addr,
                end: addr + 4096,
                size_bytes: 4096,
            });
            addr += 4096;
        }
    }
    // The last hole runs up to the stack instead.
    gaps.pop();
    let stack = 0x7ffc_0000_0000;
    addr -= 4096;
    gaps.insert(
        0,
        Gap {
            start: addr,
            end: stack,
            size_bytes: stack - addr,
        },
    );
    mappings.push(anon(
        stack,
        stack + 0x21000,
        MappingKind::Stack,
        Some("[stack]"),
    ));
    let mut map = MemoryMap {
        pid: 402,
        start_time_ticks: id.1,
        mappings,
        gaps,
        user_space: None,
        totals: None,
        smaps_access: Access::Ok,
        smaps_read: false,
        totals_access: Access::Ok,
    };
    // As the reader leaves it: the gaps it would count (the same, and the one from the
    // stack up to the end of user space), and the end.
    let between = map.gaps.len();
    boxtop::kernel::maps::place_in_address_space(&mut map);
    assert_eq!(map.gaps.len(), between + 1);
    update(
        &mut app,
        Msg::Map(MapData {
            for_proc: id,
            map: Ok(std::sync::Arc::new(map)),
        }),
    );
    ui::key(&mut app, KeyCode::End);
    // Every mapping, 600 holes below the stack, the one above it, and the end.
    assert_eq!(app.memory_map.cursor, 60_001 + 600 + 1);
    let text = pane(&app);
    assert!(text.contains("60001 mappings"), "{text}");
    assert!(text.contains("[stack]"), "{text}");
    // The narrow pane shortens the hole's and the end's words.
    assert!(text.contains("16.0 GiB · not used · to the end"), "{text}");
    assert!(text.contains("end of user space (47-bit)"), "{text}");
    assert!(text.contains("█anon █stack ┆not used"), "{text}");
    ui::key(&mut app, KeyCode::PageUp);
    ui::key(&mut app, KeyCode::Home);
    assert_eq!((app.memory_map.cursor, app.memory_map.offset), (0, 0));
    assert!(pane(&app).contains("7f0000000000"));
}

#[test]
fn explain_names_the_kind_and_the_sources() {
    let mut app = focused();
    ui::key(&mut app, KeyCode::End);
    let (_, lines) = ui::explain_in(&app, PaneId::MemoryMap).expect("a row");
    let text = lines.join("\n");
    assert!(text.contains("vsyscall"), "{text}");
    assert!(text.contains("kernel's own half"), "{text}");
    // Up to the end of user space: what it is and where boxtop has it from.
    ui::key(&mut app, KeyCode::Up);
    let (title, lines) = ui::explain_in(&app, PaneId::MemoryMap).expect("a row");
    let text = lines.join("\n");
    assert!(title.ends_with("end of user space"), "{title}");
    for want in [
        "7ffffffff000: the end of user space (47-bit)",
        "TASK_SIZE_MAX",
        "guard",
        "non-canonical",
        "la57",
        "https://docs.kernel.org/arch/x86/x86_64/mm.html",
        "from the lowest mapping to the end of user space",
    ] {
        assert!(text.contains(want), "{want}:\n{text}");
    }
    // Up to the hole above the stack: it runs to the end, not to [vsyscall].
    ui::key(&mut app, KeyCode::Up);
    let (title, lines) = ui::explain_in(&app, PaneId::MemoryMap).expect("a row");
    let text = lines.join("\n");
    assert!(title.ends_with("not used"), "{title}");
    assert!(
        text.contains("7ffc26624000-7ffffffff000") && text.contains("up to the end of user space"),
        "{text}"
    );
    // Up past the stack, its hole and ld.so's five mappings to the vDSO.
    for _ in 0..8 {
        ui::key(&mut app, KeyCode::Up);
    }
    let (title, lines) = ui::explain_in(&app, PaneId::MemoryMap).expect("a row");
    let text = lines.join("\n");
    assert!(title.contains("mapping"), "{title}");
    assert!(
        text.contains("[vdso]") && text.contains("without"),
        "{text}"
    );
    assert!(text.contains("/proc/402/smaps_rollup"), "{text}");
    assert!(text.contains("Pss"), "{text}");
}
