//! Colours and styles, in one place: how each thing the views colour is drawn in the theme
//! in force (its colours are data, `app::theme`). Monochrome draws with attributes only, so
//! that nothing the colours told is lost: the selection reversed, the focused pane bold,
//! headings underlined.
//!
//! The theme is the state's (`AppState::theme`); [`draw_with`] makes it the one these
//! functions read for the length of one frame, so that the hundred places that ask for a
//! style need no argument. It is a thread-local, set and put back around the frame: the
//! views stay a function of the state (docs/ARCHITECTURE.md, "Views are pure"), and tests
//! drawing other themes on other threads do not see each other's.

use crate::app::theme::{Slot, Theme};
use crate::model::MappingKind;
use ratatui::style::{Color, Modifier, Style};
use std::cell::Cell;

thread_local! {
    static THEME: Cell<Theme> = Cell::new(Theme::default());
}

/// Runs `draw` with `theme` as the theme of every style here, then puts the one before
/// back (also when `draw` unwinds).
pub fn draw_with<R>(theme: Theme, draw: impl FnOnce() -> R) -> R {
    struct PutBack(Theme);
    impl Drop for PutBack {
        fn drop(&mut self) {
            THEME.with(|t| t.set(self.0));
        }
    }
    let _put_back = PutBack(THEME.with(|t| t.replace(theme)));
    draw()
}

fn theme() -> Theme {
    THEME.with(Cell::get)
}

fn monochrome() -> bool {
    theme().monochrome()
}

/// Text in the slot's colour; the terminal's own where the slot has none (monochrome).
fn fg(slot: Slot) -> Style {
    match theme().color(slot) {
        Color::Reset => Style::default(),
        c => Style::default().fg(c),
    }
}

/// Text and background in the two slots' colours, or (monochrome, where both are the
/// terminal's own) `instead`.
fn on(fg_slot: Slot, bg_slot: Slot, instead: Modifier) -> Style {
    let t = theme();
    if t.monochrome() {
        return Style::default().add_modifier(instead);
    }
    Style::default().fg(t.color(fg_slot)).bg(t.color(bg_slot))
}

pub fn border(focused: bool) -> Style {
    if focused {
        fg(Slot::Accent).add_modifier(Modifier::BOLD)
    } else {
        fg(Slot::Border)
    }
}

pub fn title(focused: bool) -> Style {
    if focused {
        fg(Slot::Accent).add_modifier(Modifier::BOLD)
    } else {
        fg(Slot::Title)
    }
}

/// A note worth reading before confirming (no force needed).
pub fn note() -> Style {
    if monochrome() {
        return Style::default().add_modifier(Modifier::BOLD);
    }
    fg(Slot::Note)
}

/// Column headings. Monochrome underlines them, so that they do not look like the
/// selection (reversed) when it is the first row.
pub fn heading() -> Style {
    on(
        Slot::HeadingFg,
        Slot::HeadingBg,
        Modifier::BOLD | Modifier::UNDERLINED,
    )
}

pub fn selected(focused: bool) -> Style {
    if focused {
        on(Slot::SelectionFg, Slot::SelectionBg, Modifier::REVERSED)
    } else {
        Style::default().add_modifier(Modifier::REVERSED)
    }
}

/// Marks a whole row as selected: every span takes the selection's colours (patched over
/// its own, keeping bold and the like), so that no coloured text disappears on the
/// selection bar.
pub fn select_line(
    line: ratatui::text::Line<'static>,
    focused: bool,
) -> ratatui::text::Line<'static> {
    let sel = selected(focused);
    let line = patch_spans(line, sel);
    let style = line.style.patch(sel);
    line.style(style)
}

/// `style` patched over every span of a row (each keeps what `style` does not set).
fn patch_spans(line: ratatui::text::Line<'static>, style: Style) -> ratatui::text::Line<'static> {
    let spans = line.spans.into_iter().map(|s| {
        let patched = s.style.patch(style);
        s.style(patched)
    });
    ratatui::text::Line::from(spans.collect::<Vec<_>>()).style(line.style)
}

/// A row the timeline's selected event names (in the other panes), or an event of the
/// selected process (in the timeline).
pub fn marked() -> Style {
    Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
}

/// [`marked`] over every span of a row.
pub fn mark_line(line: ratatui::text::Line<'static>) -> ratatui::text::Line<'static> {
    patch_spans(line, marked())
}

/// A value that changed since the previous refresh.
pub fn changed() -> Style {
    fg(Slot::Changed).add_modifier(Modifier::BOLD)
}

pub fn dim() -> Style {
    if monochrome() {
        return Style::default().add_modifier(Modifier::DIM);
    }
    fg(Slot::Dim)
}

pub fn warn() -> Style {
    fg(Slot::Warn).add_modifier(Modifier::BOLD)
}

/// The keys on the key bar and the labels of the input lines.
pub fn key() -> Style {
    on(Slot::KeyFg, Slot::KeyBg, Modifier::REVERSED)
}

/// "new" namespaces (not the host's) stand out.
pub fn ns_new() -> Style {
    fg(Slot::NsNew).add_modifier(Modifier::BOLD)
}

pub fn ns_host() -> Style {
    fg(Slot::NsHost)
}

/// A thread's name under its process (`H`), set apart as htop colours threads.
pub fn thread() -> Style {
    if monochrome() {
        return Style::default().add_modifier(Modifier::ITALIC);
    }
    fg(Slot::Accent)
}

/// A hierarchy's heading row in the cgroup tree.
pub fn hierarchy() -> Style {
    fg(Slot::Hierarchy).add_modifier(Modifier::BOLD)
}

/// A cgroup that holds the selected process.
pub fn holds_selected() -> Style {
    fg(Slot::HoldsSelected).add_modifier(Modifier::BOLD)
}

/// One colour per kind of mapping, shared by the list and the address-space picture.
pub fn mapping(kind: MappingKind) -> Style {
    match theme().mapping(kind) {
        Color::Reset => Style::default(),
        c => Style::default().fg(c),
    }
}

/// What the address-space picture fills a run of `kind` with: one block in every colour,
/// or, where there is no colour to tell the kinds apart, a letter each (the legend says
/// which).
pub fn mapping_glyph(kind: MappingKind) -> &'static str {
    if !monochrome() {
        return "█";
    }
    match kind {
        MappingKind::Text => "T",
        MappingKind::Data => "D",
        MappingKind::Heap => "H",
        MappingKind::Anonymous => "a",
        MappingKind::Library => "L",
        MappingKind::File => "F",
        MappingKind::Shared => "M",
        MappingKind::Stack => "S",
        MappingKind::Special => "k",
        MappingKind::KernelHalf => "K",
    }
}

/// Monochrome leaves no colour in the frame, whatever a view set: every cell goes back to
/// the terminal's own colours. The styles above set none, so this only catches a colour
/// set elsewhere; NO_COLOR is a promise.
pub fn strip_colours(buf: &mut ratatui::buffer::Buffer) {
    if !monochrome() {
        return;
    }
    for cell in &mut buf.content {
        cell.set_fg(Color::Reset);
        cell.set_bg(Color::Reset);
    }
}
