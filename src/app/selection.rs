//! What `i` is asked about: the focused pane's selected row, as the explain layer names it.

use super::panes::cgroups::rows::{RowRef, visible_rows};
use super::panes::memory_map::{rows::Row, selected_row};
use super::panes::namespaces::NsView;
use super::state::{AppState, Overlay, PaneId};
use crate::explain::{Selection, explain};
use crate::model::NsKind;

/// The selected row of the focused pane (Nothing when there is none, or no snapshot yet).
pub fn selection(app: &AppState) -> Selection<'_> {
    let Some(snap) = app.snapshot.as_deref() else {
        return Selection::Nothing;
    };
    let found = match app.focus {
        PaneId::Processes => app.selected_process().map(|process| {
            let thread = app.processes.selected_thread.and_then(|tid| {
                let (_, group) = super::panes::processes::group_of(snap, process)?;
                let i = group.threads.binary_search_by_key(&tid, |t| t.tid).ok()?;
                group.threads.get(i)
            });
            match thread {
                Some(thread) => Selection::Thread { process, thread },
                None => Selection::Process(process),
            }
        }),
        PaneId::MemoryMap => selected_row(app).map(|(map, row)| match row {
            Row::Mapping { index, .. } => Selection::Mapping { map, index },
            Row::Gap { start, end, .. } => Selection::Gap { map, start, end },
            Row::End(_) => Selection::UserSpaceEnd { map },
        }),
        PaneId::Namespaces => match app.namespaces.view {
            NsView::Process => {
                let kind = NsKind::ALL.get(app.namespaces.cursor.min(NsKind::ALL.len() - 1));
                app.selected_process().zip(kind).map(|(process, kind)| {
                    Selection::ProcessNamespace {
                        process,
                        kind: *kind,
                    }
                })
            }
            NsView::Host => snap
                .namespaces
                .get(
                    app.namespaces
                        .cursor
                        .min(snap.namespaces.len().saturating_sub(1)),
                )
                .map(Selection::HostNamespace),
        },
        PaneId::Cgroups => {
            let rows = visible_rows(&snap.cgroups, &app.cgroups);
            rows.get(app.cgroups.cursor.min(rows.len().saturating_sub(1)))
                .and_then(|row| match *row {
                    RowRef::Heading { h } => {
                        snap.cgroups.hierarchies.get(h).map(Selection::Hierarchy)
                    }
                    RowRef::Cgroup { h, node } => {
                        let hierarchy = snap.cgroups.hierarchies.get(h)?;
                        let node = hierarchy.cgroups.get(node)?;
                        Some(Selection::Cgroup { hierarchy, node })
                    }
                })
        }
        PaneId::Containers => match super::panes::containers::selected_row(app) {
            Some(super::panes::containers::Row::Pod { uid, .. }) => Some(Selection::Pod(uid)),
            Some(row) => {
                super::panes::containers::container_of(snap, row).map(Selection::Container)
            }
            None => None,
        },
        PaneId::Events => match app.timeline.selected().map(|e| &e.item) {
            Some(super::timeline::Item::Kernel(e)) => Some(Selection::Event(e)),
            _ => None,
        },
    };
    found.unwrap_or(Selection::Nothing)
}

/// `i`: the window explaining the selected row.
pub fn explain_overlay(app: &AppState) -> Overlay {
    let e = match app.snapshot.as_deref() {
        Some(snap) => explain(snap, selection(app)),
        None => crate::explain::Explanation {
            title: "Explain".into(),
            lines: vec!["Nothing is selected here.".into()],
        },
    };
    Overlay::Explain {
        title: e.title,
        lines: e.lines,
        scroll: 0,
    }
}
