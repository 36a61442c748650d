//! Windows drawn over the panes: help, explanations, and the action windows.

use crate::app::keymap::HELP;
use crate::app::state::{AppState, Overlay};
use crate::ui::{dialogs, theme};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

pub fn render(f: &mut Frame, app: &AppState) {
    match &app.overlay {
        Overlay::None => {}
        Overlay::Help { scroll } => {
            let lines: Vec<Line> = HELP
                .iter()
                .map(|(k, what)| {
                    Line::from(vec![
                        Span::styled(format!("{k:>22}  "), theme::title(true)),
                        Span::raw(*what),
                    ])
                })
                .collect();
            window(f, " Keys (Esc closes) ", lines, *scroll);
        }
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

pub fn window(f: &mut Frame, title: &str, lines: Vec<Line>, scroll: usize) {
    let area = f.area();
    let w = area.width.saturating_sub(8).clamp(20, 100);
    // Rows the lines take once wrapped to the window's inner width.
    let inner = usize::from(w.saturating_sub(2)).max(1);
    let rows: usize = lines.iter().map(|l| l.width().max(1).div_ceil(inner)).sum();
    let h = u16::try_from(rows + 2)
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
    let scroll = u16::try_from(scroll).unwrap_or(u16::MAX);
    f.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        rect,
    );
}
