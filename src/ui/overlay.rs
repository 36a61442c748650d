//! Windows drawn over the panes: help, explanations, and the action windows.

use crate::app::state::{AppState, Overlay};
use crate::ui::{dialogs, theme};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

pub(super) fn render(f: &mut Frame, app: &AppState) {
    match &app.overlay {
        Overlay::None => {}
        Overlay::Help { scroll } => window(f, " Keys (Esc closes) ", help(app), *scroll),
        Overlay::Confirm {
            plan,
            asked_again,
            scroll,
        } => dialogs::confirm(f, plan, *asked_again, *scroll),
        Overlay::Form(form) => dialogs::form(f, form),
        Overlay::Signals {
            target,
            what,
            cursor,
        } => dialogs::signals(f, what, target, *cursor),
        Overlay::Threads { of, scroll } => {
            let (title, lines) = super::threads::lines(app, *of);
            window(f, &format!("{title}(Esc closes) "), lines, *scroll);
        }
        Overlay::Explain {
            title,
            lines,
            scroll,
        } => {
            let lines = lines.iter().map(|l| Line::from(l.as_str())).collect();
            window(f, &format!(" {title} (Esc closes) "), lines, *scroll);
        }
    }
}

/// The help screen: the table of keys, one line per group of keys, the keys right-aligned.
fn help(app: &AppState) -> Vec<Line<'static>> {
    let lines = app.keys.help_lines();
    let width = lines
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    lines
        .into_iter()
        .map(|(k, what)| {
            Line::from(vec![
                Span::styled(format!("{k:>width$}  "), theme::title(true)),
                Span::raw(what),
            ])
        })
        .collect()
}

fn window(f: &mut Frame, title: &str, lines: Vec<Line>, scroll: usize) {
    window_with_footer(f, title, lines, Vec::new(), Scroll::Rows(scroll));
}

/// How a window's body is scrolled: by rows the user asked for, or so that one line (a
/// form's focused field, the picked signal) is in sight.
#[derive(Debug, Clone, Copy)]
pub(super) enum Scroll {
    Rows(usize),
    Show(usize),
}

fn window_width(area: Rect) -> u16 {
    area.width.saturating_sub(8).clamp(20, 100)
}

/// Columns inside a window's borders on a screen of `area`: what a line may take unwrapped.
pub(super) fn inner_width(area: Rect) -> u16 {
    window_width(area).saturating_sub(2)
}

/// A window whose `footer` (cautions, the keys) stays in sight below a body that scrolls:
/// on a small terminal or with a long plan (deep paths wrap) the user must still see what
/// `y` will do and what it risks before pressing it.
pub(super) fn window_with_footer<'a>(
    f: &mut Frame,
    title: &str,
    body: Vec<Line<'a>>,
    footer: Vec<Line<'a>>,
    scroll: Scroll,
) {
    let area = f.area();
    let w = window_width(area);
    let inner = inner_width(area);
    let paragraph = |lines: Vec<Line<'a>>| Paragraph::new(lines).wrap(Wrap { trim: false });
    // Rows once wrapped, as the paragraph itself will wrap them.
    let shown_through = match scroll {
        Scroll::Show(i) if i < body.len() => Some(paragraph(body[..=i].to_vec()).line_count(inner)),
        _ => None,
    };
    let body = paragraph(body);
    let body_rows = body.line_count(inner);
    let footer = (!footer.is_empty()).then(|| paragraph(footer));
    let footer_rows = footer.as_ref().map_or(0, |p| p.line_count(inner));
    let h = u16::try_from(body_rows + footer_rows + 2)
        .unwrap_or(u16::MAX)
        .min(area.height.saturating_sub(2))
        .max(3);
    let rect = Rect::new(
        area.x + (area.width.saturating_sub(w)) / 2,
        area.y + (area.height.saturating_sub(h)) / 2,
        w,
        h,
    );
    f.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::border(true))
        .title(Span::styled(title.to_string(), theme::title(true)));
    let inside = block.inner(rect);
    f.render_widget(block, rect);
    // The footer keeps its rows; the body gets the rest (at least one row).
    let footer_h = u16::try_from(footer_rows)
        .unwrap_or(u16::MAX)
        .min(inside.height.saturating_sub(1));
    let body_rect = Rect {
        height: inside.height - footer_h,
        ..inside
    };
    let footer_rect = Rect {
        y: inside.y + body_rect.height,
        height: footer_h,
        ..inside
    };
    let visible = usize::from(body_rect.height);
    let scroll = match (scroll, shown_through) {
        (Scroll::Rows(n), _) => n,
        // The line's last row at the bottom of the body, or no scroll while it fits.
        (Scroll::Show(_), Some(through)) => through.saturating_sub(visible),
        (Scroll::Show(_), None) => 0,
    };
    // Scrolled no further than the body's last row at the bottom of its area.
    let scroll = scroll.min(body_rows.saturating_sub(visible));
    let scroll = u16::try_from(scroll).unwrap_or(u16::MAX);
    f.render_widget(body.scroll((scroll, 0)), body_rect);
    if let Some(footer) = footer.filter(|_| footer_h > 0) {
        f.render_widget(footer, footer_rect);
    }
}
