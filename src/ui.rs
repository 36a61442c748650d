//! The ui layer: pure views, state in, frame out. No I/O, no clock, no channel
//! (docs/ARCHITECTURE.md, "Views are pure"). Where things go on the screen is
//! [`crate::app::geometry`], which the update uses too (paging, mouse).

mod cgroups;
mod chrome;
mod containers;
mod dialogs;
mod memory_map;
mod namespaces;
mod overlay;
mod processes;
pub mod theme;
mod threads;
mod time_bar;
mod timeline;
mod tour;

use crate::app::geometry::layout;
use crate::app::state::{AppState, PaneId};
use ratatui::Frame;
use ratatui::layout::Rect;

/// Draws a pane's border and title, and returns the area inside it.
pub fn pane_block(f: &mut Frame, area: Rect, title: impl Into<String>, focused: bool) -> Rect {
    use ratatui::text::Span;
    use ratatui::widgets::{Block, Borders};
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::border(focused))
        .title(Span::styled(title.into(), theme::title(focused)));
    let inner = block.inner(area);
    f.render_widget(block, area);
    inner
}

/// The key in force for `command`, as the help spells it (the first of its keys), for the
/// hints the panes write ("L hides"); the command's config name where the config left it
/// no key.
pub fn key_name(app: &AppState, command: crate::app::Command) -> String {
    match app.keys.keys_for(command).first() {
        Some(k) => crate::app::keys::names::help_name(k),
        None => crate::app::config::COMMANDS
            .iter()
            .find(|(_, c, _)| *c == command)
            .map_or("?", |(name, _, _)| name)
            .to_string(),
    }
}

/// What a pane says before the first snapshot has arrived: what it is reading.
pub fn waiting(f: &mut Frame, inner: Rect, what: &str) {
    f.render_widget(
        ratatui::widgets::Paragraph::new(format!("reading {what} ...")),
        inner,
    );
}

/// Draws the whole screen in the state's theme.
pub fn draw(f: &mut Frame, app: &AppState) {
    theme::draw_with(app.theme, || {
        draw_screen(f, app);
        theme::strip_colours(f.buffer_mut());
    });
}

fn draw_screen(f: &mut Frame, app: &AppState) {
    let Some(l) = layout(app) else {
        chrome::too_small(f, app);
        return;
    };
    chrome::header(f, l.header, app);
    for (pane, area) in &l.panes {
        let focused = *pane == app.focus;
        match pane {
            PaneId::Processes => processes::render(f, *area, app, focused),
            PaneId::MemoryMap => memory_map::render(f, *area, app, focused),
            PaneId::Namespaces => namespaces::render(f, *area, app, focused),
            PaneId::Cgroups => cgroups::render(f, *area, app, focused),
            PaneId::Containers => containers::render(f, *area, app, focused),
            PaneId::Events => timeline::render(f, *area, app, focused),
        }
    }
    if let Some(area) = l.tour {
        tour::render(f, area, app);
    }
    chrome::status_line(f, l.status, app);
    chrome::key_bar(f, l.keybar, app);
    overlay::render(f, app);
}
