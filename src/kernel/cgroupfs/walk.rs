//! The tree walk: one readdir per cgroup directory, parents before children, siblings
//! sorted by name, the root first.
//!
//! A cgroup can be removed at any moment (rmdir by its owner); its directory then vanishes
//! or its files fail with ENODEV. Such a cgroup is skipped with its sub-tree, never an error.

use super::files::{CgroupFiles, Ctl, FileReader, Present};
use super::mode::HierarchyMount;
use super::parse::parse_pids;
use super::{v1, v2};
use crate::kernel::KernelError;
use crate::model::{Access, CgroupMode, CgroupNode};
use crate::text::display_safe;
use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;

/// What a walk reads of one cgroup (every cgroup is listed, for its path and children).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    /// cgroup.procs; when not read, the node's `pids_access` is [`Access::NotRead`].
    pub members: bool,
    /// Which of the control files of [`v1::fill`] and [`v2::fill`] (none: the counters are
    /// not read).
    pub files: Present,
}

impl Reading {
    /// Everything, as the dashboard reads.
    pub const ALL: Reading = Reading {
        members: true,
        files: Present::ALL,
    };
}

/// Where a cgroup is, for the chooser of a walk.
#[derive(Debug, Clone, Copy)]
pub struct CgroupAt<'a> {
    /// The host's layout (whether a v2 hierarchy exists beside v1 ones).
    pub mode: CgroupMode,
    pub version: u8,
    pub path: &'a str,
    pub depth: usize,
}

/// A directory waiting to be read.
struct Pending {
    /// Raw path inside the hierarchy (`/a/b`), bytes as the kernel gave them.
    rel: Vec<u8>,
    depth: usize,
    parent: Option<usize>,
}

/// What one readdir says about a cgroup directory.
struct Listing {
    present: Present,
    children: Vec<OsString>,
}

fn list(dir: &std::path::Path, reader: &mut FileReader) -> Result<Listing, KernelError> {
    let mut present = Present::default();
    let mut children = Vec::new();
    reader.list_dir(dir, &mut |e| {
        if e.is_dir {
            children.push(OsString::from(std::ffi::OsStr::from_bytes(e.name)));
        } else if let Some(c) = Ctl::from_name(e.name) {
            present.insert(c);
        }
    })?;
    children.sort_unstable_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
    Ok(Listing { present, children })
}

/// Every cgroup of one hierarchy, as a flat pre-order list.
///
/// `all_pids` (ascending), when given, is every process the caller sees. For a hierarchy
/// mounted at its real root, the root cgroup's members are then worked out as "every
/// process that is in no other cgroup" instead of reading the root's cgroup.procs: each
/// process is in exactly one cgroup per hierarchy, and on a v1 host with 5,000 processes
/// reading the nine root cgroup.procs files (which the kernel builds and sorts on every
/// read) costs ~30 ms, half of a whole refresh.
pub(super) fn walk(
    h: &HierarchyMount,
    reader: &mut FileReader,
    pids: &mut Vec<i32>,
    all_pids: Option<&[i32]>,
    shared_root: &mut Option<std::sync::Arc<[i32]>>,
    mode: CgroupMode,
    choose: &dyn Fn(&CgroupAt<'_>) -> Reading,
) -> Vec<CgroupNode> {
    let derive_root = all_pids.filter(|_| h.mount_root == "/");
    let mut out: Vec<CgroupNode> = Vec::new();
    let mut stack = vec![Pending {
        rel: Vec::new(),
        depth: 0,
        parent: None,
    }];
    let mut dir = PathBuf::new();
    while let Some(p) = stack.pop() {
        dir.clear();
        dir.push(&h.dir);
        if !p.rel.is_empty() {
            dir.push(std::ffi::OsStr::from_bytes(
                p.rel.get(1..).unwrap_or_default(),
            ));
        }
        let mut node = CgroupNode {
            path: if p.rel.is_empty() {
                "/".to_string()
            } else {
                display_safe(&p.rel)
            },
            name: match p.rel.iter().rposition(|&c| c == b'/') {
                Some(i) => display_safe(p.rel.get(i + 1..).unwrap_or_default()),
                None => "/".to_string(),
            },
            depth: p.depth,
            parent: p.parent,
            ..CgroupNode::default()
        };
        let listing = match list(&dir, reader) {
            Ok(l) => l,
            Err(KernelError::Denied { .. }) => {
                // We may not list it: show it, say so, do not descend.
                node.pids_access = Access::Denied;
                out.push(node);
                continue;
            }
            Err(_) => continue, // removed mid-walk (or unreadable): skip it and its sub-tree
        };
        let reading = choose(&CgroupAt {
            mode,
            version: h.version,
            path: &node.path,
            depth: node.depth,
        });
        let mut files = CgroupFiles {
            dir: &dir,
            present: listing.present,
            reader,
            denied: Vec::new(),
        };
        if p.rel.is_empty() && derive_root.is_some() {
            // filled in after the walk
        } else if !reading.members {
            node.pids_access = Access::NotRead;
        } else if files.has(Ctl::Procs) {
            // v2's member list is built anew by a read at offset 0; v1's is not (see
            // `read_in_unkept`).
            let read = if h.version == 2 {
                files.reader.read_in(&dir, Ctl::Procs.name())
            } else {
                files.reader.read_in_unkept(&dir, Ctl::Procs.name())
            };
            match read {
                Ok(b) => {
                    parse_pids(b, pids);
                    node.pids = std::sync::Arc::from(pids.as_slice());
                }
                Err(KernelError::Denied { .. }) => {
                    node.pids_access = Access::Denied;
                    files.denied.push(Ctl::Procs.name().to_string());
                }
                Err(KernelError::Gone { .. }) => continue, // rmdir'd between readdir and read
                // EOPNOTSUPP: a v2 threaded cgroup ("domain invalid") has no process list.
                Err(_) => {}
            }
        }
        files.present = files.present.and(reading.files);
        if reading.files.is_empty() {
            // listed only
        } else if h.version == 2 {
            v2::fill(&mut node, &mut files);
        } else {
            v1::fill(&mut node, &mut files);
        }
        node.denied = files.denied;
        let index = out.len();
        out.push(node);
        // Reverse order on the stack, so the first name is read first.
        for child in listing.children.iter().rev() {
            let mut rel = Vec::with_capacity(p.rel.len() + 1 + child.len());
            rel.extend_from_slice(&p.rel);
            rel.push(b'/');
            rel.extend_from_slice(child.as_bytes());
            stack.push(Pending {
                rel,
                depth: p.depth + 1,
                parent: Some(index),
            });
        }
    }
    if let (Some(all), Some(_)) = (derive_root, out.first()) {
        let mut placed: Vec<i32> = out
            .iter()
            .skip(1)
            .flat_map(|n| n.pids.iter().copied())
            .collect();
        placed.sort_unstable();
        let root_pids: Vec<i32> = all
            .iter()
            .copied()
            .filter(|p| placed.binary_search(p).is_err())
            .collect();
        let root_pids = match shared_root.as_ref().filter(|prev| ***prev == *root_pids) {
            Some(prev) => std::sync::Arc::clone(prev),
            None => std::sync::Arc::from(root_pids),
        };
        *shared_root = Some(std::sync::Arc::clone(&root_pids));
        if let Some(root) = out.first_mut() {
            root.pids = root_pids;
        }
    }
    out
}
