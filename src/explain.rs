//! The explain layer: `i`, in plain text. Where a selected row's values come from (which
//! kernel file, which field), what they mean, and how cgroup v1 and v2 name them.
//!
//! Pure functions over (snapshot, selection): no terminal, no state of the dashboard, so
//! the same words can serve the dashboard's window, a tour, or a test. The dashboard works
//! out what is selected ([`Selection`]) and shows the [`Explanation`] in a window.

mod cgroups;
mod containers;
mod events;
mod memory_map;
mod namespaces;
mod process;
mod thread;

pub use namespaces::id_map_lines;

use crate::model::{
    CgroupNode, Container, Hierarchy, KernelEvent, MemoryMap, NamespaceEntry, NsKind, ProcessRow,
    Snapshot, ThreadRow,
};

/// What `i` is asked about.
#[derive(Debug, Clone, Copy)]
pub enum Selection<'a> {
    /// Nothing is selected in the focused pane.
    Nothing,
    Process(&'a ProcessRow),
    /// A thread's row under its process (`H`).
    Thread {
        process: &'a ProcessRow,
        thread: &'a ThreadRow,
    },
    /// `map.mappings[index]`.
    Mapping {
        map: &'a MemoryMap,
        index: usize,
    },
    /// An unused range of user space: between two mappings, or up to the end.
    Gap {
        map: &'a MemoryMap,
        start: u64,
        end: u64,
    },
    /// The row where the map's user space ends.
    UserSpaceEnd {
        map: &'a MemoryMap,
    },
    /// One namespace type of a process.
    ProcessNamespace {
        process: &'a ProcessRow,
        kind: NsKind,
    },
    /// A row of the host's namespace table.
    HostNamespace(&'a NamespaceEntry),
    /// The heading row of a cgroup hierarchy.
    Hierarchy(&'a Hierarchy),
    Cgroup {
        hierarchy: &'a Hierarchy,
        node: &'a CgroupNode,
    },
    Container(&'a Container),
    /// A Kubernetes pod's heading row, by its uid.
    Pod(&'a str),
    /// A row of the timeline.
    Event(&'a KernelEvent),
}

/// A title and its lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    pub title: String,
    pub lines: Vec<String>,
}

/// The explanation of `sel`, as seen in `snap`.
pub fn explain(snap: &Snapshot, sel: Selection<'_>) -> Explanation {
    let (title, lines) = match sel {
        Selection::Nothing => ("Explain".into(), vec!["Nothing is selected here.".into()]),
        Selection::Process(p) => process::explain(snap, p),
        Selection::Thread { process, thread } => thread::explain(process, thread),
        Selection::Mapping { map, index } => memory_map::mapping(map, index),
        Selection::Gap { map, start, end } => memory_map::gap(map, start, end),
        Selection::UserSpaceEnd { map } => memory_map::user_space_end(map),
        Selection::ProcessNamespace { process, kind } => {
            namespaces::of_process(snap, process, kind)
        }
        Selection::HostNamespace(e) => namespaces::of_host(snap, e),
        Selection::Hierarchy(h) => cgroups::hierarchy(h),
        Selection::Cgroup { hierarchy, node } => cgroups::cgroup(hierarchy, node),
        Selection::Container(c) => containers::container(snap, c),
        Selection::Pod(uid) => containers::pod(snap, uid),
        Selection::Event(e) => events::event(e),
    };
    Explanation { title, lines }
}
