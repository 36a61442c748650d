//! The event log pane: every action's time, name, target and result, newest at the bottom,
//! so that a demo can be followed step by step.

use crate::app::state::AppState;
use crate::ui::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub(super) fn render(f: &mut Frame, area: Rect, app: &AppState) {
    let inner = crate::ui::pane_block(
        f,
        area,
        format!(" Events ({}; L hides) ", app.events.len()),
        false,
    );
    let rows = usize::from(inner.height);
    let first = app.events.len().saturating_sub(rows);
    let lines: Vec<Line> = app.events[first..]
        .iter()
        .map(|e| {
            let style = if e.ok { theme::dim() } else { theme::warn() };
            Line::from(vec![
                Span::raw(format!("{} ", e.time)),
                Span::styled(format!("{:<8} ", e.action), theme::title(true)),
                Span::raw(format!("{}  ", e.target)),
                Span::styled(
                    format!("{} {}", if e.ok { "ok:" } else { "failed:" }, e.result),
                    style,
                ),
            ])
        })
        .collect();
    f.render_widget(Paragraph::new(lines), inner);
}
