//! The Namespaces pane.

use crate::app::state::AppState;
use crate::ui::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Paragraph};

/// The first row of the list, below the border (and any headings).
pub const LIST_TOP: u16 = 1;

pub fn render(f: &mut Frame, area: Rect, app: &AppState, focused: bool) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::border(focused))
        .title(Span::styled(" 3 Namespaces ", theme::title(focused)));
    let _ = app;
    f.render_widget(Paragraph::new("").block(block), area);
}

/// Lines for `i` on this pane's selected row.
pub fn explain(app: &AppState) -> Option<(String, Vec<String>)> {
    let _ = app;
    None
}
