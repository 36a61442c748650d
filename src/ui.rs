//! Pure views: state in, frame out. No I/O, no clock, no channel (DESIGN.md rule 6).

pub mod cgroup_tree;
pub mod chrome;
pub mod dialogs;
pub mod event_log;
pub mod explain;
pub mod memory_map;
pub mod namespaces;
pub mod overlay;
pub mod process_table;
pub mod theme;

use crate::app::state::{AppState, PaneId};
use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};

/// Below this size the panes cannot be read: a notice says so instead.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 15;

/// Where everything goes on a screen of `area`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScreenLayout {
    pub header: Rect,
    pub panes: Vec<(PaneId, Rect)>,
    /// The event log, once there are events (and `L` has not hidden it).
    pub events: Option<Rect>,
    pub status: Rect,
    pub keybar: Rect,
}

/// The layout for the app's terminal size; None when it is too small.
pub fn layout(app: &AppState) -> Option<ScreenLayout> {
    let area = Rect::new(0, 0, app.size.0, app.size.1);
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return None;
    }
    let log_rows = if app.show_events && !app.events.is_empty() {
        let n = u16::try_from(app.events.len()).unwrap_or(u16::MAX);
        n.min(event_log::ROWS) + 2
    } else {
        0
    };
    let rows = Layout::default()
        .direction(Direction::Vertical)
        .constraints([
            Constraint::Length(1),
            Constraint::Min(5),
            Constraint::Length(log_rows),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .split(area);
    let body = rows[1];
    let panes = if app.zoomed {
        vec![(app.focus, body)]
    } else {
        let halves = Layout::default()
            .direction(Direction::Vertical)
            .constraints([Constraint::Percentage(55), Constraint::Percentage(45)])
            .split(body);
        let top = Layout::default()
            .direction(Direction::Horizontal)
            .constraints([Constraint::Percentage(60), Constraint::Percentage(40)])
            .split(halves[0]);
        let bottom = Layout::default()
            .direction(Direction::Horizontal)
            .constraints([Constraint::Percentage(45), Constraint::Percentage(55)])
            .split(halves[1]);
        vec![
            (PaneId::Processes, top[0]),
            (PaneId::MemoryMap, top[1]),
            (PaneId::Namespaces, bottom[0]),
            (PaneId::Cgroups, bottom[1]),
        ]
    };
    Some(ScreenLayout {
        header: rows[0],
        panes,
        events: (log_rows > 0).then_some(rows[2]),
        status: rows[3],
        keybar: rows[4],
    })
}

/// The first screen row of a pane's list (below its border and headings).
pub fn list_top(pane: PaneId, area: Rect) -> u16 {
    area.y
        + match pane {
            PaneId::Processes => process_table::LIST_TOP,
            PaneId::MemoryMap => memory_map::LIST_TOP,
            PaneId::Namespaces => namespaces::LIST_TOP,
            PaneId::Cgroups => cgroup_tree::LIST_TOP,
        }
}

/// Rows each pane's list can show, stored in the state so that paging works.
pub fn apply_layout(app: &mut AppState) {
    let Some(l) = layout(app) else { return };
    let rows = |pane: PaneId| {
        l.panes
            .iter()
            .find(|(p, _)| *p == pane)
            .map(|(p, a)| usize::from((a.y + a.height).saturating_sub(list_top(*p, *a) + 1)))
    };
    app.procs.page = rows(PaneId::Processes).unwrap_or(app.procs.page).max(1);
    app.map.page = rows(PaneId::MemoryMap).unwrap_or(app.map.page).max(1);
    app.ns.page = rows(PaneId::Namespaces).unwrap_or(app.ns.page).max(1);
    app.cgroups.page = rows(PaneId::Cgroups).unwrap_or(app.cgroups.page).max(1);
}

/// The pane under a screen cell, its area, and the first row of its list.
pub fn hit(app: &AppState, col: u16, row: u16) -> Option<(PaneId, Rect, Option<u16>)> {
    let l = layout(app)?;
    l.panes
        .into_iter()
        .find(|(_, a)| col >= a.x && col < a.x + a.width && row >= a.y && row < a.y + a.height)
        .map(|(p, a)| {
            (
                p,
                a,
                Some(list_top(p, a)).filter(|t| *t < a.y + a.height.saturating_sub(1)),
            )
        })
}

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

/// What a pane says before the first snapshot has arrived: what it is reading.
pub fn waiting(f: &mut Frame, inner: Rect, what: &str) {
    f.render_widget(
        ratatui::widgets::Paragraph::new(format!("reading {what} ...")),
        inner,
    );
}

pub fn draw(f: &mut Frame, app: &AppState) {
    let Some(l) = layout(app) else {
        chrome::too_small(f, app);
        return;
    };
    chrome::header(f, l.header, app);
    for (pane, area) in &l.panes {
        let focused = *pane == app.focus;
        match pane {
            PaneId::Processes => process_table::render(f, *area, app, focused),
            PaneId::MemoryMap => memory_map::render(f, *area, app, focused),
            PaneId::Namespaces => namespaces::render(f, *area, app, focused),
            PaneId::Cgroups => cgroup_tree::render(f, *area, app, focused),
        }
    }
    if let Some(area) = l.events {
        event_log::render(f, area, app);
    }
    chrome::status_line(f, l.status, app);
    chrome::key_bar(f, l.keybar, app);
    overlay::render(f, app);
}
