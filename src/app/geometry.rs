//! Where everything goes on the screen: the layout of the panes, the first row of each
//! pane's list, page sizes and hit testing. Both the pure update (paging, mouse clicks) and
//! the views (drawing) need it, so it lives here, below the views, and both import it.

use super::state::{AppState, PaneId};
use ratatui::layout::{Constraint, Direction, Layout, Rect};

/// Rows of the memory map pane's picture (the address space drawn as a bar).
pub const MAP_PICTURE_HEIGHT: u16 = 3;
/// The first row of each pane's list, from the pane's top: the border, then what the pane
/// draws above its list (column headings; the map's picture and headings).
pub const PROCESS_LIST_TOP: u16 = 2;
pub const MAP_LIST_TOP: u16 = 1 + MAP_PICTURE_HEIGHT + 1;
pub const NS_LIST_TOP: u16 = 3;
pub const CGROUP_LIST_TOP: u16 = 2;
pub const CONTAINER_LIST_TOP: u16 = 2;
pub const EVENTS_LIST_TOP: u16 = 1;
const EVENTS_FOCUSED_MIN_ROWS: u16 = 8;

/// How the screen is split between the panes (the config's `[layout]`): the top row's share
/// of the height, the table's share of the top row, the namespaces pane's of the bottom row
/// (percentages), and the rows of events the timeline shows while another pane has the
/// focus (plus its border; focused, it takes a third of the screen).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaneSizes {
    pub top_height: u16,
    pub table_width: u16,
    pub namespaces_width: u16,
    pub timeline_rows: u16,
}

impl PaneSizes {
    /// The range each percentage may take: every pane keeps some room.
    pub const PERCENT: std::ops::RangeInclusive<u16> = 10..=90;
    pub const TIMELINE_ROWS: std::ops::RangeInclusive<u16> = 1..=20;
}

impl Default for PaneSizes {
    fn default() -> Self {
        PaneSizes {
            top_height: 55,
            table_width: 60,
            namespaces_width: 45,
            timeline_rows: 4,
        }
    }
}

/// Below this size the panes cannot be read: a notice says so instead.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 15;

/// Where everything goes on a screen of `area`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScreenLayout {
    pub header: Rect,
    /// Each pane on screen and its place (the timeline once shown).
    pub panes: Vec<(PaneId, Rect)>,
    pub status: Rect,
    pub keybar: Rect,
    /// The tour's text, above the one pane of its step, while the tour is on screen.
    pub tour: Option<Rect>,
}

/// The layout for the app's terminal size; None when it is too small.
pub fn layout(app: &AppState) -> Option<ScreenLayout> {
    let area = Rect::new(0, 0, app.size.0, app.size.1);
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return None;
    }
    if let Some(tour) = app.tour.as_ref() {
        return Some(tour_layout(area, tour.current().pane()));
    }
    let zoomed = app.zoomed;
    let sizes = app.sizes;
    let log_rows = if !app.timeline.shown || zoomed {
        0
    } else if app.focus == PaneId::Events {
        (area.height.saturating_sub(3) / 3).max(EVENTS_FOCUSED_MIN_ROWS)
    } else {
        let most = sizes.timeline_rows.max(1);
        let n = app.timeline.visible_count(usize::from(most));
        u16::try_from(n).unwrap_or(most).clamp(1, most) + 2
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
    let mut panes = if zoomed {
        vec![(app.focus, body)]
    } else {
        let halves = Layout::default()
            .direction(Direction::Vertical)
            .constraints(split(sizes.top_height))
            .split(body);
        let top = Layout::default()
            .direction(Direction::Horizontal)
            .constraints(split(sizes.table_width))
            .split(halves[0]);
        let bottom = Layout::default()
            .direction(Direction::Horizontal)
            .constraints(split(sizes.namespaces_width))
            .split(halves[1]);
        vec![
            (app.table, top[0]),
            (PaneId::MemoryMap, top[1]),
            (PaneId::Namespaces, bottom[0]),
            (PaneId::Cgroups, bottom[1]),
        ]
    };
    if log_rows > 0 {
        panes.push((PaneId::Events, rows[2]));
    }
    Some(ScreenLayout {
        header: rows[0],
        panes,
        status: rows[3],
        keybar: rows[4],
        tour: None,
    })
}

/// The tour: its text on top (more than half of a small screen, where the text needs the
/// rows), the step's pane below.
fn tour_layout(area: Rect, pane: PaneId) -> ScreenLayout {
    let text = if area.height <= 30 { 55 } else { 45 };
    let rows = Layout::default()
        .direction(Direction::Vertical)
        .constraints([
            Constraint::Length(1),
            Constraint::Percentage(text),
            Constraint::Min(5),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .split(area);
    ScreenLayout {
        header: rows[0],
        panes: vec![(pane, rows[2])],
        status: rows[3],
        keybar: rows[4],
        tour: Some(rows[1]),
    }
}

/// `first` percent for the first part, the rest for the second.
fn split(first: u16) -> [Constraint; 2] {
    let first = first.min(100);
    [
        Constraint::Percentage(first),
        Constraint::Percentage(100 - first),
    ]
}

/// The first screen row of a pane's list (below its border and headings).
pub fn list_top(pane: PaneId, area: Rect) -> u16 {
    area.y
        + match pane {
            PaneId::Processes => PROCESS_LIST_TOP,
            PaneId::MemoryMap => MAP_LIST_TOP,
            PaneId::Namespaces => NS_LIST_TOP,
            PaneId::Cgroups => CGROUP_LIST_TOP,
            PaneId::Containers => CONTAINER_LIST_TOP,
            PaneId::Events => EVENTS_LIST_TOP,
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
    app.processes.page = rows(PaneId::Processes).unwrap_or(app.processes.page).max(1);
    app.memory_map.page = rows(PaneId::MemoryMap)
        .unwrap_or(app.memory_map.page)
        .max(1);
    app.namespaces.page = rows(PaneId::Namespaces)
        .unwrap_or(app.namespaces.page)
        .max(1);
    app.cgroups.page = rows(PaneId::Cgroups).unwrap_or(app.cgroups.page).max(1);
    app.containers.page = rows(PaneId::Containers)
        .unwrap_or(app.containers.page)
        .max(1);
    app.timeline
        .set_page(rows(PaneId::Events).unwrap_or(app.timeline.page));
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
