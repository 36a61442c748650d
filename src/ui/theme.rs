//! Colours and styles, in one place.

use crate::model::MappingKind;
use ratatui::style::{Color, Modifier, Style};

pub fn border(focused: bool) -> Style {
    if focused {
        Style::default()
            .fg(Color::Cyan)
            .add_modifier(Modifier::BOLD)
    } else {
        Style::default().fg(Color::DarkGray)
    }
}

pub fn title(focused: bool) -> Style {
    if focused {
        Style::default()
            .fg(Color::Cyan)
            .add_modifier(Modifier::BOLD)
    } else {
        Style::default().fg(Color::Gray)
    }
}

/// A note worth reading before confirming (no force needed).
pub fn note() -> Style {
    Style::default().fg(Color::Yellow)
}

pub fn heading() -> Style {
    Style::default().fg(Color::Black).bg(Color::Green)
}

pub fn selected(focused: bool) -> Style {
    if focused {
        Style::default().fg(Color::Black).bg(Color::Cyan)
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
    Style::default()
        .fg(Color::Yellow)
        .add_modifier(Modifier::BOLD)
}

pub fn dim() -> Style {
    Style::default().fg(Color::DarkGray)
}

pub fn warn() -> Style {
    Style::default().fg(Color::Red).add_modifier(Modifier::BOLD)
}

pub fn key() -> Style {
    Style::default().fg(Color::Black).bg(Color::Cyan)
}

/// "new" namespaces (not the host's) stand out.
pub fn ns_new() -> Style {
    Style::default()
        .fg(Color::Magenta)
        .add_modifier(Modifier::BOLD)
}

pub fn ns_host() -> Style {
    Style::default().fg(Color::Green)
}

/// One colour per kind of mapping, shared by the list and the address-space picture.
pub fn mapping(kind: MappingKind) -> Color {
    match kind {
        MappingKind::Text => Color::Red,
        MappingKind::Data => Color::LightRed,
        MappingKind::Heap => Color::Yellow,
        MappingKind::Anonymous => Color::Gray,
        MappingKind::Library => Color::Blue,
        MappingKind::File => Color::Cyan,
        MappingKind::Shared => Color::Magenta,
        MappingKind::Stack => Color::Green,
        MappingKind::Special => Color::LightMagenta,
    }
}
