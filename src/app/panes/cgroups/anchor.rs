//! What the cgroup pane's cursor is on, by name rather than by row, so that a new snapshot
//! (cgroups created or removed above it) keeps the cursor on the same cgroup, as htop keeps
//! its selection on the same process. An action key acts on the cgroup under the cursor:
//! the cursor must not slide onto a neighbour between two looks.

use super::CgroupsState;
use super::rows::{RowRef, effective_offset, visible_rows};
use crate::model::CgroupSnapshot;

/// A row named by hierarchy id (stable across snapshots, unlike the index) and path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Anchor {
    Heading(u32),
    Cgroup(u32, String),
}

/// The anchor of the row under the cursor.
pub fn anchor_of(cg: &CgroupSnapshot, st: &CgroupsState) -> Option<Anchor> {
    match *visible_rows(cg, st).get(st.cursor)? {
        RowRef::Heading { h } => Some(Anchor::Heading(cg.hierarchies.get(h)?.id)),
        RowRef::Cgroup { h, node } => {
            let hier = cg.hierarchies.get(h)?;
            Some(Anchor::Cgroup(
                hier.id,
                hier.cgroups.get(node)?.path.clone(),
            ))
        }
    }
}

/// Puts the cursor back on `anchor` in a new snapshot's rows. A cgroup that is gone (or
/// now inside a folded one) leaves the cursor on its nearest shown ancestor, as removing a
/// directory leaves a file manager in its parent; a hierarchy that is gone leaves the
/// cursor where it was (clamped).
pub fn follow(cg: &CgroupSnapshot, st: &mut CgroupsState, anchor: &Anchor) {
    let rows = visible_rows(cg, st);
    let find = |hid: u32, path: Option<&str>| {
        rows.iter().position(|r| match (*r, path) {
            (RowRef::Heading { h }, None) => cg.hierarchies.get(h).is_some_and(|x| x.id == hid),
            (RowRef::Cgroup { h, node }, Some(p)) => cg
                .hierarchies
                .get(h)
                .filter(|x| x.id == hid)
                .and_then(|x| x.cgroups.get(node))
                .is_some_and(|n| n.path == p),
            _ => false,
        })
    };
    let pos = match anchor {
        Anchor::Heading(hid) => find(*hid, None),
        Anchor::Cgroup(hid, path) => {
            let mut path = path.as_str();
            loop {
                if let Some(pos) = find(*hid, Some(path)) {
                    break Some(pos);
                }
                match parent(path) {
                    Some(p) => path = p,
                    None => break find(*hid, None),
                }
            }
        }
    };
    st.cursor = pos.unwrap_or(st.cursor).min(rows.len().saturating_sub(1));
    st.offset = effective_offset(st.offset, st.cursor, rows.len(), st.page);
}

/// `/a/b` -> `/a`, `/a` -> `/`, `/` -> None.
fn parent(path: &str) -> Option<&str> {
    if path == "/" {
        return None;
    }
    match path.rfind('/') {
        Some(0) => Some("/"),
        Some(i) => Some(&path[..i]),
        None => Some("/"),
    }
}

#[cfg(test)]
mod tests {
    use super::parent;

    #[test]
    fn parents() {
        assert_eq!(parent("/a/b"), Some("/a"));
        assert_eq!(parent("/a"), Some("/"));
        assert_eq!(parent("/"), None);
        assert_eq!(parent("rel"), Some("/"));
    }
}
