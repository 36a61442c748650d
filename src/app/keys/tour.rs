//! The tour's keys, looked up before the main table while the tour is on screen (as the
//! replay's are): Space, Left/Right, `q` and Esc mean something else there. The key that
//! opens the tour (`w`) is in the main table.

use super::Binding;
use crate::app::keymap::Command as C;
use ratatui::crossterm::event::{KeyCode, KeyEvent};

pub static TOUR_BINDINGS: &[Binding] = &[
    super::bind(
        &[super::key(KeyCode::Right), super::ch(' ')],
        super::Global,
        C::TourNext,
    )
    .help("→  Space", "in the tour: the next step"),
    super::bind(&[super::key(KeyCode::Left)], super::Global, C::TourBack)
        .help("←", "in the tour: the step before"),
    super::bind(
        &[super::key(KeyCode::PageDown)],
        super::Global,
        C::TourScrollDown,
    )
    .help("PgDn  PgUp", "in the tour: scroll its text"),
    super::bind(
        &[super::key(KeyCode::PageUp)],
        super::Global,
        C::TourScrollUp,
    ),
    super::bind(&[super::ch('d')], super::Global, C::TourDemo).help(
        "d",
        "in the tour: the step's demo (previewed like any action)",
    ),
    super::bind(
        &[super::ch('q'), super::key(KeyCode::Esc)],
        super::Global,
        C::TourLeave,
    )
    .help(
        "q  Esc",
        "in the tour: leave it (what its demos started is removed)",
    ),
];

/// The tour command a key gives, if it has one.
pub fn tour_command(event: &KeyEvent) -> Option<C> {
    TOUR_BINDINGS
        .iter()
        .find(|b| b.keys.iter().any(|k| k.matches(event)))
        .map(|b| b.command)
}
