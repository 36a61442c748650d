//! The themes and the config's layout on the fixture host's whole screen: monochrome has no
//! colour in any cell but keeps the selection reversed and the focus bold, the light theme
//! colours otherwise than the default, and columns and split sizes from a config file are
//! where they say, and the panes' hints name the keys in force.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

#[path = "support/ui.rs"]
mod ui;

use boxtop::app::AppState;
use boxtop::app::config;
use boxtop::app::theme::{Theme, ThemeName};
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};

fn in_theme(name: ThemeName) -> (AppState, Buffer) {
    let mut app = ui::fixture_app();
    app.theme = Theme::named(name);
    let buf = ui::render_buffer(&app);
    (app, buf)
}

/// The cell where `text` starts.
fn find(buf: &Buffer, text: &str) -> (u16, u16) {
    for y in 0..buf.area.height {
        let line: String = (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
        if let Some(at) = line.find(text) {
            let x = line[..at].chars().count();
            return (u16::try_from(x).unwrap(), y);
        }
    }
    panic!("{text:?} is not on screen");
}

#[test]
fn monochrome_has_no_colour_and_says_with_attributes_what_colours_said() {
    let (app, buf) = in_theme(ThemeName::Monochrome);
    for cell in &buf.content {
        assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "{cell:?}");
    }
    // The selected process's row is reversed, the focused pane's title bold.
    let pid = app.selected_process().unwrap().pid;
    let (_, y) = find(&buf, &format!("{pid:>7} "));
    assert!(buf[(3, y)].modifier.contains(Modifier::REVERSED));
    let (x, y) = find(&buf, " 1 Processes");
    assert!(buf[(x + 1, y)].modifier.contains(Modifier::BOLD));
    let (x, y) = find(&buf, " 2 Memory map");
    assert!(
        !buf[(x + 1, y)].modifier.contains(Modifier::BOLD),
        "not focused"
    );
    // The memory map's picture tells the kinds apart by letter.
    let text = ui::buffer_text(&buf);
    assert!(text.contains("Ttext") || text.contains("Llib"), "{text}");
}

#[test]
fn the_same_screen_in_the_default_theme_is_coloured() {
    // What the monochrome test checks is there to be found.
    let (_, buf) = in_theme(ThemeName::Default);
    assert!(buf.content.iter().any(|c| c.bg != Color::Reset));
    let (x, y) = find(&buf, " 1 Processes");
    assert_eq!(buf[(x + 1, y)].fg, Color::Cyan);
}

#[test]
fn the_light_theme_colours_otherwise() {
    let (_, light) = in_theme(ThemeName::Light);
    let (_, default) = in_theme(ThemeName::Default);
    assert_eq!(
        ui::buffer_text(&light),
        ui::buffer_text(&default),
        "same text"
    );
    let (x, y) = find(&light, " 1 Processes");
    assert_eq!(light[(x + 1, y)].fg, Color::Blue);
    // No text in white, gray or yellow on the terminal's own background.
    for cell in &light.content {
        if cell.bg == Color::Reset && cell.symbol() != " " {
            assert!(
                ![Color::White, Color::Gray, Color::Yellow].contains(&cell.fg),
                "{cell:?}"
            );
        }
    }
}

#[test]
fn an_override_changes_that_colour_only() {
    let mut app = ui::fixture_app();
    let c = config::parse("[theme]\nselection_bg = \"magenta\"\n").unwrap();
    c.apply(&mut app);
    let buf = ui::render_buffer(&app);
    let pid = app.selected_process().unwrap().pid;
    let (_, y) = find(&buf, &format!("{pid:>7} "));
    assert_eq!(buf[(3, y)].bg, Color::Magenta);
    let (x, y) = find(&buf, " 1 Processes");
    assert_eq!(buf[(x + 1, y)].fg, Color::Cyan, "the accent is the theme's");
}

#[test]
fn the_configured_columns_and_sizes_are_drawn() {
    let mut app = ui::fixture_app();
    let c = config::parse(
        "[processes]\ncolumns = [\"command\", \"pid\", \"state\"]\nsort = \"pid\"\n\
         [layout]\ntable_width = 80\n",
    )
    .unwrap();
    c.apply(&mut app);
    boxtop::app::panes::refresh_rows(&mut app);
    let text = ui::render(&app);
    let heading = text
        .lines()
        .find(|l| l.contains("COMMAND"))
        .expect("a heading");
    let at = |t: &str| heading.find(t).unwrap_or_else(|| panic!("{t}: {heading}"));
    assert!(
        at("COMMAND") < at("PID▲") && at("PID▲") < at(" S"),
        "{heading}"
    );
    assert!(!heading.contains("CPU%"));
    // The command column, first, leaves room for the two after it: the rows end in a state
    // letter inside the pane's border.
    let pid = app.selected_process().unwrap().pid;
    let row = text
        .lines()
        .find(|l| {
            l.contains(&format!(" {pid} ")) && l.contains("worker") && !l.contains("selected")
        })
        .expect("the selected row");
    assert!(
        row.contains(&format!("{pid} S │")) || row.contains(&format!("{pid} R │")),
        "{row}"
    );
    // The memory map starts at 80% of the width.
    let (x, _) = find(&ui::render_buffer(&app), " 2 Memory map");
    assert_eq!(x, 160 * 80 / 100 + 1);
}

/// The panes' hints name the keys in force, as the help and the key bar do.
#[test]
fn the_hints_name_the_keys_in_force() {
    let mut app = ui::fixture_app();
    let before = ui::render(&app);
    assert!(before.contains("Enter: members · i: explain"), "{before}");
    let c = config::parse("[keys]\nexplain = [\"X\"]\ntoggle_timeline = [\"J\"]\n").unwrap();
    c.apply(&mut app);
    app.timeline.shown = true;
    let text = ui::render(&app);
    assert!(text.contains("Enter: members · X: explain"), "{text}");
    assert!(text.contains("J hides"), "{text}");
    assert!(!text.contains("L hides"), "{text}");
}
