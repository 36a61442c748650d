//! The cgroup pane: a collapsible tree per hierarchy.

pub mod anchor;
pub mod rows;
#[cfg(test)]
mod tests;

use crate::app::keymap::Command;
use crate::app::state::AppState;
use crate::app::update::Effect;
use crate::model::Snapshot;
use rows::{AUTO_FOLD_DEPTH, RowRef, ancestors, cgroups_of, has_children, visible_rows};
use std::collections::BTreeSet;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CgroupsState {
    pub cursor: usize,
    pub offset: usize,
    /// Collapsed cgroups, by (hierarchy id, path).
    pub collapsed: BTreeSet<(u32, String)>,
    /// Cgroups opened by hand (or by `reveal_selected`) at or below
    /// [`rows::AUTO_FOLD_DEPTH`], where cgroups start folded.
    pub expanded: BTreeSet<(u32, String)>,
    pub page: usize,
}

/// Keys for the focused cgroup pane.
pub fn handle(app: &mut AppState, cmd: &Command) -> Vec<Effect> {
    let Some(snap) = app.snapshot.clone() else {
        return Vec::new();
    };
    let rows = visible_rows(&snap.cgroups, &app.cgroups);
    let st = &mut app.cgroups;
    st.cursor = st.cursor.min(rows.len().saturating_sub(1));
    let here = rows.get(st.cursor).copied();
    match (cmd, here) {
        (Command::Left, Some(RowRef::Cgroup { h, node })) => {
            let Some(hier) = snap.cgroups.hierarchies.get(h) else {
                return Vec::new();
            };
            let Some(n) = hier.cgroups.get(node) else {
                return Vec::new();
            };
            let key = (hier.id, n.path.clone());
            let folded = rows::is_collapsed(st, hier.id, &n.path, n.depth);
            if has_children(hier, node) && !folded {
                st.expanded.remove(&key);
                st.collapsed.insert(key);
            } else {
                // Go to the parent (or to the hierarchy's heading from its root).
                let target = match n.parent {
                    Some(p) => RowRef::Cgroup { h, node: p },
                    None => RowRef::Heading { h },
                };
                if let Some(pos) = rows.iter().position(|r| *r == target) {
                    st.cursor = pos;
                }
            }
        }
        (Command::Right, Some(RowRef::Cgroup { h, node })) => {
            let Some(hier) = snap.cgroups.hierarchies.get(h) else {
                return Vec::new();
            };
            if let Some(n) = hier.cgroups.get(node) {
                let key = (hier.id, n.path.clone());
                st.collapsed.remove(&key);
                if n.depth >= AUTO_FOLD_DEPTH {
                    st.expanded.insert(key);
                }
            }
        }
        (Command::Enter, Some(RowRef::Cgroup { h, node })) => {
            let path = snap
                .cgroups
                .hierarchies
                .get(h)
                .and_then(|hier| hier.cgroups.get(node))
                .map(|n| n.path.clone())
                .unwrap_or_default();
            filter_to(app, &path);
            return Vec::new();
        }
        _ => {
            if let Some(c) = crate::app::panes::move_cursor(st.cursor, rows.len(), st.page, cmd) {
                st.cursor = c;
            }
        }
    }
    st.offset = rows::effective_offset(st.offset, st.cursor, rows.len(), st.page);
    Vec::new()
}

/// The path of the cgroup under the cursor (None on a hierarchy heading).
pub fn selected_path(app: &AppState) -> Option<String> {
    let snap = app.snapshot.as_ref()?;
    match anchor::anchor_of(&snap.cgroups, &app.cgroups)? {
        anchor::Anchor::Cgroup(_, path) => Some(path),
        anchor::Anchor::Heading(_) => None,
    }
}

/// Enter on a cgroup: show only its processes. The filter matches a substring of the path
/// in any hierarchy, so the root ("/", which every path contains) clears the filter, and a
/// path with a space (the filter splits words on spaces) filters by what comes before it.
fn filter_to(app: &mut AppState, path: &str) {
    if path == "/" || path.is_empty() {
        crate::app::panes::processes::apply_filter(app, "");
        app.status = Some("root cgroup: every process is shown".into());
        return;
    }
    match path.split_once(char::is_whitespace) {
        Some((head, _)) => {
            crate::app::panes::processes::apply_filter(app, &format!("cgroup:{head}"));
            app.status = Some(format!(
                "the path has a space; showing cgroups under {head}…"
            ));
        }
        None => crate::app::panes::processes::apply_filter(app, &format!("cgroup:{path}")),
    }
}

/// Opens the tree to the selected process's cgroups (its ancestors are expanded) and puts
/// the cursor on its cgroup in the first hierarchy where it is not in the root (else v2).
pub fn reveal_selected(app: &mut AppState) {
    let Some(snap) = app.snapshot.clone() else {
        return;
    };
    let Some(hits) = app.selected_process().map(|p| cgroups_of(&snap.cgroups, p)) else {
        return;
    };
    let node_of = |(h, i): &(usize, usize)| {
        snap.cgroups
            .hierarchies
            .get(*h)
            .and_then(|hier| Some((hier, hier.cgroups.get(*i)?)))
    };
    let target = hits
        .iter()
        .find(|r| node_of(r).is_some_and(|(_, n)| n.depth > 0))
        .or_else(|| {
            hits.iter()
                .find(|r| node_of(r).is_some_and(|(h, _)| h.version == 2))
        })
        .or(hits.first());
    open_to(&snap, &mut app.cgroups, &hits);
    if let Some(&target) = target {
        put_cursor(&snap, &mut app.cgroups, target);
    }
}

/// Opens the tree to the cgroup at `path` in the hierarchy `hierarchy_id` (0 is v2; None:
/// the first hierarchy that has the path, as a process's event names its deepest cgroup
/// without saying where) and puts the cursor on it (the timeline's Enter). False when this
/// snapshot has no such cgroup.
pub fn reveal_cgroup(app: &mut AppState, hierarchy_id: Option<u32>, path: &str) -> bool {
    let Some(snap) = app.snapshot.clone() else {
        return false;
    };
    let found = snap
        .cgroups
        .hierarchies
        .iter()
        .enumerate()
        .filter(|(_, h)| hierarchy_id.is_none_or(|id| h.id == id))
        .find_map(|(h, hier)| Some((h, hier.cgroups.iter().position(|n| n.path == path)?)));
    let Some(target) = found else {
        return false;
    };
    open_to(&snap, &mut app.cgroups, &[target]);
    put_cursor(&snap, &mut app.cgroups, target);
    true
}

/// Expands the ancestors of each `(hierarchy, node)` so that it is on screen.
fn open_to(snap: &Snapshot, st: &mut CgroupsState, hits: &[(usize, usize)]) {
    for &(h, node) in hits {
        let Some(hier) = snap.cgroups.hierarchies.get(h) else {
            continue;
        };
        for a in ancestors(hier, node).into_iter().skip(1) {
            if let Some(n) = hier.cgroups.get(a) {
                let key = (hier.id, n.path.clone());
                st.collapsed.remove(&key);
                if n.depth >= AUTO_FOLD_DEPTH {
                    st.expanded.insert(key);
                }
            }
        }
    }
}

fn put_cursor(snap: &Snapshot, st: &mut CgroupsState, (h, node): (usize, usize)) {
    let rows = visible_rows(&snap.cgroups, st);
    if let Some(pos) = rows.iter().position(|r| *r == RowRef::Cgroup { h, node }) {
        st.cursor = pos;
        st.offset = rows::effective_offset(st.offset, pos, rows.len(), st.page);
    }
}
