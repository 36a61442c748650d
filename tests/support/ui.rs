//! Shared by the view tests: an AppState built from a fixture host (never the live one),
//! and a renderer to plain text on ratatui's TestBackend.

#![allow(
    dead_code,
    reason = "shared by several test crates; each uses only part of it"
)]

use boxtop::app::state::{AppState, MapData, proc_id};
use boxtop::app::update::{Msg, update};
use boxtop::collect::Collector;
use boxtop::kernel::{Roots, maps};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::Path;
use std::sync::Arc;

pub(crate) fn fixture_roots(host: &str) -> Roots {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(host);
    Roots::new(dir.join("proc"), dir.join("cgroup"))
}

/// The pure-v2 fixture host at `w`x`h`, kernel threads shown, with process `select`
/// selected and its memory map (with smaps counters) loaded, as the poller would.
pub(crate) fn fixture_app_on(host: &str, w: u16, h: u16, select: i32) -> AppState {
    let roots = fixture_roots(host);
    let snap = Collector::new(roots.clone())
        .expect("fixture roots")
        .collect(None)
        .expect("collect");
    let mut app = AppState::new(1000);
    update(&mut app, Msg::Resize(w, h));
    app.processes.show_kernel_threads = true;
    update(&mut app, Msg::Snapshot(Arc::new(snap)));
    let row = app
        .visible
        .iter()
        .position(|r| app.snapshot.as_ref().unwrap().processes[r.process].pid == select)
        .expect("selected pid is in the fixture");
    boxtop::app::panes::processes::select_row(&mut app, row);
    let id = proc_id(app.selected_process().expect("selected"));
    let mut map = maps::read_memory_map(&roots, id.0, id.1)
        .map_err(|e| boxtop::app::poller::map_error_text(id.0, &e));
    if let Ok(m) = map.as_mut() {
        let _ = maps::fill_smaps_counters(&roots, m);
    }
    update(
        &mut app,
        Msg::Map(MapData {
            for_proc: id,
            map: map.map(Arc::new),
        }),
    );
    app
}

/// The v2 fixture, 160x45, the multi-threaded `worker` (pid 402, which has a memory map).
pub(crate) fn fixture_app() -> AppState {
    fixture_app_on("cgroup-v2", 160, 45, 402)
}

/// The whole screen as text, one line per row (trailing spaces trimmed).
pub(crate) fn render(app: &AppState) -> String {
    buffer_text(&render_buffer(app))
}

/// The screen's buffer, to look at styles.
pub(crate) fn render_buffer(app: &AppState) -> ratatui::buffer::Buffer {
    let (w, h) = app.size;
    let mut term = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
    term.draw(|f| boxtop::ui::draw(f, app)).expect("draw");
    term.backend().buffer().clone()
}

pub(crate) fn buffer_text(buf: &ratatui::buffer::Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        for x in 0..buf.area.width {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Sends a key as if typed.
pub(crate) fn key(
    app: &mut AppState,
    code: ratatui::crossterm::event::KeyCode,
) -> Vec<boxtop::app::update::Effect> {
    use ratatui::crossterm::event::{KeyEvent, KeyModifiers};
    update(app, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

pub(crate) fn chars(app: &mut AppState, s: &str) {
    for c in s.chars() {
        key(app, ratatui::crossterm::event::KeyCode::Char(c));
    }
}

/// `i` on `pane`'s selected row, as the dashboard works it out (the selection of that
/// pane, explained from the snapshot); None when nothing is selected there.
#[allow(dead_code, reason = "not every view test explains a row")]
pub(crate) fn explain_in(
    app: &AppState,
    pane: boxtop::app::state::PaneId,
) -> Option<(String, Vec<String>)> {
    let mut app = app.clone();
    app.focus = pane;
    let sel = boxtop::app::selection::selection(&app);
    if matches!(sel, boxtop::explain::Selection::Nothing) {
        return None;
    }
    let e = boxtop::explain::explain(app.snapshot.as_deref()?, sel);
    Some((e.title, e.lines))
}
