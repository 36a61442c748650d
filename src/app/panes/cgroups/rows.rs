//! The rows the cgroup tree shows: a heading per hierarchy, then its cgroups in tree order,
//! minus the sub-trees of folded cgroups. Pure and linear in the number of cgroups.

use super::CgroupsState;
use crate::model::{CgroupSnapshot, Hierarchy, ProcessRow};

/// Cgroups at this depth or deeper that have children start folded, so that a host with
/// hundreds of cgroups opens readable; `expanded` overrides it per cgroup.
pub const AUTO_FOLD_DEPTH: usize = 3;

/// One row of the tree, by index into the snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowRef {
    /// The heading of `hierarchies[h]`.
    Heading { h: usize },
    /// `hierarchies[h].cgroups[node]`.
    Cgroup { h: usize, node: usize },
}

/// Whether `hier.cgroups[node]` has children (they come right after it: the list is in
/// depth-first order).
pub fn has_children(hier: &Hierarchy, node: usize) -> bool {
    hier.cgroups
        .get(node + 1)
        .is_some_and(|c| c.parent == Some(node))
}

/// Whether a cgroup is folded, given its key, depth and whether it has children.
pub fn is_collapsed(st: &CgroupsState, hid: u32, path: &str, depth: usize) -> bool {
    let key = (hid, path.to_string());
    if st.collapsed.contains(&key) {
        return true;
    }
    depth >= AUTO_FOLD_DEPTH && !st.expanded.contains(&key)
}

/// The rows on screen, top to bottom.
pub fn visible_rows(cg: &CgroupSnapshot, st: &CgroupsState) -> Vec<RowRef> {
    let mut out = Vec::new();
    for (h, hier) in cg.hierarchies.iter().enumerate() {
        out.push(RowRef::Heading { h });
        // While Some(d): skipping the descendants of a folded cgroup at depth d.
        let mut hide_below: Option<usize> = None;
        for (i, node) in hier.cgroups.iter().enumerate() {
            if let Some(d) = hide_below {
                if node.depth > d {
                    continue;
                }
                hide_below = None;
            }
            out.push(RowRef::Cgroup { h, node: i });
            if has_children(hier, i) && is_collapsed(st, hier.id, &node.path, node.depth) {
                hide_below = Some(node.depth);
            }
        }
    }
    out
}

/// For each hierarchy, the cgroup that holds process `p`: the one at the path its
/// /proc/PID/cgroup line names (read with the row), else the one whose cgroup.procs lists
/// it (the path can be missing, or relative to another cgroup namespace).
pub fn cgroups_of(cg: &CgroupSnapshot, p: &ProcessRow) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (h, hier) in cg.hierarchies.iter().enumerate() {
        let by_path = p
            .cgroup_in(hier.id)
            .and_then(|path| hier.cgroups.iter().position(|n| n.path == path));
        let found = by_path.or_else(|| hier.cgroups.iter().position(|n| n.pids.contains(&p.pid)));
        if let Some(i) = found {
            out.push((h, i));
        }
    }
    out
}

/// The indices of `node` and all its ancestors.
pub fn ancestors(hier: &Hierarchy, node: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut cur = Some(node);
    // Bounded by the number of cgroups, in case a parent index ever points down.
    while let Some(i) = cur.filter(|_| out.len() <= hier.cgroups.len()) {
        out.push(i);
        cur = hier.cgroups.get(i).and_then(|n| n.parent);
    }
    out
}

/// The first row to draw: the stored offset, pulled up so that a short list does not leave
/// the pane half empty, and moved so that the cursor shows.
pub fn effective_offset(offset: usize, cursor: usize, len: usize, page: usize) -> usize {
    let page = page.max(1);
    crate::app::panes::scroll_to(offset, cursor, page, len)
}
