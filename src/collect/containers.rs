//! Containers, inferred: which processes belong to which container. First by cgroup path
//! ([`naming`]: a runtime's own layout), then by namespaces: a process tree whose namespaces
//! differ from the host's and that no runtime's path claims is a sandbox (`boxtop run`,
//! plain `unshare`), named after its root process.
//!
//! Each refresh identifies each distinct cgroup path once (a host has far fewer paths than
//! processes), from the snapshot the collector just made; grouping reads nothing more.
//! Better names than an id come after, from the runtimes' state files ([`Names`], once per
//! container).

mod disk;
mod measures;
mod names;
pub mod naming;
mod network;
mod pair_rates;

pub use disk::DiskRates;
pub use names::Names;
pub use network::NetRates;

use crate::kernel::Roots;
use crate::kernel::cgroupfs::files::FileReader;
use crate::model::{
    Container, ContainerIdentity, NameSource, NsKind, NsSet, PathMatch, ProcCgroup, ProcessRow,
    Runtime, Snapshot, short_id,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What is read for the containers once they are grouped, kept between refreshes: names
/// from the runtimes' files, network and disk totals (with rates), uptimes.
#[derive(Debug, Default)]
pub struct Readers {
    names: Names,
    net: NetRates,
    disk: DiskRates,
}

impl Readers {
    /// The containers of `snap`, named and measured; cgroup files read through `files`.
    pub fn find(
        &mut self,
        roots: &Roots,
        files: &mut FileReader,
        snap: &Snapshot,
    ) -> Vec<Container> {
        let mut found = group(snap);
        let host_uts = snap.host_namespaces().get(NsKind::Uts);
        self.names.name(roots, host_uts, &mut found);
        self.net.measure(roots, snap, &mut found);
        self.disk.measure(roots, files, snap, &mut found);
        // One small read, for the containers' uptimes only.
        if !found.is_empty()
            && let Ok(up) = crate::kernel::uptime::read_uptime(roots)
        {
            let hz = crate::kernel::uptime::ticks_per_second();
            set_uptimes(snap, &mut found, up, hz);
        }
        found
    }
}

/// The containers of `snap`, sorted by runtime, then name.
pub fn group(snap: &Snapshot) -> Vec<Container> {
    let mut paths: HashMap<&str, Option<PathMatch>> = HashMap::new();
    // The process reader shares one cgroup list between the processes that have the same
    // (most of a host's): what a list says is worked out once, by its address.
    let mut sets: HashMap<usize, Option<(PathMatch, u32)>> = HashMap::new();
    let mut by_id: BTreeMap<(Runtime, String), (ContainerIdentity, u32, Vec<i32>)> =
        BTreeMap::new();
    let mut claimed: BTreeSet<i32> = BTreeSet::new();
    // A process whose cgroups were not read (an outline of `boxtop serve`, a kernel thread)
    // is claimed by no path: skipped before any lookup.
    for p in snap
        .processes
        .iter()
        .filter(|p| !p.kernel_thread && !p.cgroups.is_empty())
    {
        let found = sets
            .entry(p.cgroups.as_ptr().addr())
            .or_insert_with(|| first_match(p, &mut paths));
        let Some((hit, hierarchy_id)) = found.clone() else {
            continue;
        };
        claimed.insert(p.pid);
        if let PathMatch::Container(identity) = hit {
            let key = (identity.runtime, identity.id.clone());
            by_id
                .entry(key)
                .or_insert_with(|| (identity.clone(), hierarchy_id, Vec::new()))
                .2
                .push(p.pid);
        }
    }
    let mut out: Vec<Container> = by_id
        .into_values()
        .map(|(identity, hierarchy_id, pids)| from_path(snap, identity, hierarchy_id, pids))
        .collect();
    out.extend(sandboxes(snap, &claimed));
    out.sort_by(|a, b| (a.runtime, &a.name, &a.id).cmp(&(b.runtime, &b.name, &b.id)));
    out
}

/// What the first of the process's cgroup paths that a rule knows says: the v2 path, then
/// the v1 ones (systemd's named hierarchy first, as runtimes always place it). A root path,
/// or one already looked at for this process (v1 hierarchies mostly repeat one path), is not
/// looked up: this runs for every process on every refresh.
fn first_match<'a>(
    p: &'a ProcessRow,
    paths: &mut HashMap<&'a str, Option<PathMatch>>,
) -> Option<(PathMatch, u32)> {
    let systemd = |c: &ProcCgroup| c.controllers.iter().any(|n| n == "name=systemd");
    let v2 = p.cgroups.iter().filter(|c| c.hierarchy_id == 0);
    let named = p
        .cgroups
        .iter()
        .filter(|c| c.hierarchy_id != 0 && systemd(c));
    let rest = p
        .cgroups
        .iter()
        .filter(|c| c.hierarchy_id != 0 && !systemd(c));
    let mut tried: Option<&str> = None;
    for c in v2.chain(named).chain(rest) {
        if c.path == "/" || tried == Some(c.path.as_str()) {
            continue;
        }
        tried = Some(c.path.as_str());
        let hit = paths
            .entry(c.path.as_str())
            .or_insert_with(|| naming::identify(&c.path));
        if let Some(h) = hit {
            return Some((h.clone(), c.hierarchy_id));
        }
    }
    None
}

fn from_path(
    snap: &Snapshot,
    identity: ContainerIdentity,
    hierarchy_id: u32,
    pids: Vec<i32>,
) -> Container {
    let main_pid = main_pid(snap, &pids);
    let measures = measures::of_cgroup(snap, &identity.cgroup);
    let (name, name_source) = match &identity.name {
        Some(n) => (n.clone(), NameSource::CgroupPath),
        None => (short_id(&identity.id).to_string(), NameSource::ShortId),
    };
    Container {
        runtime: identity.runtime,
        id: identity.id,
        name,
        name_source,
        image: None,
        project: identity.project,
        pod: identity.pod,
        cgroup: Some(identity.cgroup),
        hierarchy_id: Some(hierarchy_id),
        rule: identity.rule,
        outer: identity.outer,
        namespaces: namespaces_of(snap, main_pid),
        measures,
        network: None,
        pids,
        main_pid,
    }
}

/// Processes that no runtime's path claims, in namespaces of their own, grouped as trees:
/// a child joins its parent's sandbox ([`same_sandbox`]); the group is named by its root's
/// own namespaces.
fn sandboxes(snap: &Snapshot, claimed: &BTreeSet<i32>) -> Vec<Container> {
    let host = snap.host_namespaces();
    if host.is_empty() {
        return Vec::new(); // nothing to compare with: no sandbox can be told apart
    }
    let in_sandbox = |p: &ProcessRow| !p.kernel_thread && !claimed.contains(&p.pid);
    let mut groups: BTreeMap<Vec<(NsKind, u64)>, Vec<i32>> = BTreeMap::new();
    for p in snap.processes.iter().filter(|p| in_sandbox(p)) {
        let own = differing(&p.namespaces, &host);
        if own.is_empty() {
            continue;
        }
        // Up the tree while the parent is the same sandbox: `unshare --net --fork --pid`
        // moves itself into the new net namespace, its child also into the pid namespace the
        // parent made for its children. Bounded: a parent chain ends at pid 1.
        let mut root = (&**p, own);
        for _ in 0..snap.processes.len() {
            let Some(parent) = snap.process(root.0.ppid).filter(|q| in_sandbox(q)) else {
                break;
            };
            let parent_own = differing(&parent.namespaces, &host);
            if parent_own.is_empty() || !same_sandbox(root.0, &root.1, parent, &parent_own) {
                break;
            }
            root = (parent, parent_own);
        }
        groups.entry(root.1).or_default().push(p.pid);
    }
    groups
        .into_iter()
        .map(|(own, pids)| {
            let main_pid = main_pid(snap, &pids);
            let root = snap.process(main_pid);
            let id = sandbox_id(&own);
            Container {
                runtime: Runtime::Sandbox,
                id,
                name: root.map_or_else(|| main_pid.to_string(), |r| r.comm.to_string()),
                name_source: NameSource::RootProcess,
                image: None,
                project: None,
                pod: None,
                cgroup: None,
                hierarchy_id: None,
                rule: "namespaces that differ from the host's, no runtime's cgroup".into(),
                outer: Vec::new(),
                namespaces: namespaces_of(snap, main_pid),
                measures: measures::of_processes(snap, &pids),
                network: None,
                pids,
                main_pid,
            }
        })
        .collect()
}

/// Which of a sandbox's own namespaces come first in its id: what says most about it (a tree
/// of its own, its own ids, its own network), then the rest in their usual order.
const SANDBOX_ID_ORDER: [NsKind; 4] = [NsKind::Pid, NsKind::User, NsKind::Net, NsKind::Mnt];

/// `pid:4026532202,net:4026532205`: every namespace that sets the sandbox apart, so that a
/// child that unshared again is told from its parent.
fn sandbox_id(own: &[(NsKind, u64)]) -> String {
    let rank = |k: NsKind| {
        SANDBOX_ID_ORDER
            .iter()
            .position(|o| *o == k)
            .unwrap_or(usize::MAX)
    };
    let mut parts: Vec<&(NsKind, u64)> = own.iter().collect();
    parts.sort_by_key(|(k, _)| (rank(*k), k.index()));
    let parts: Vec<String> = parts
        .iter()
        .map(|(k, inode)| format!("{}:{inode}", k.file_name()))
        .collect();
    parts.join(",")
}

/// Whether `child` (its own namespaces `own`) is in the sandbox its parent's own namespaces
/// make: the same ones, except the pid and time namespaces, which apply to children only
/// (pid_namespaces(7), time_namespaces(7)): the child may be in the ones its parent made
/// for its children. A child that unshared anything else is a sandbox of its own.
fn same_sandbox(
    child: &ProcessRow,
    own: &[(NsKind, u64)],
    parent: &ProcessRow,
    parent_own: &[(NsKind, u64)],
) -> bool {
    let for_children = |k: NsKind| matches!(k, NsKind::Pid | NsKind::Time);
    let rest = |set: &[(NsKind, u64)]| -> Vec<(NsKind, u64)> {
        set.iter()
            .copied()
            .filter(|(k, _)| !for_children(*k))
            .collect()
    };
    let inherited = |kind: NsKind, made: NsKind| {
        let mine = child.namespaces.get(kind);
        mine == parent.namespaces.get(kind) || mine == parent.namespaces.get(made)
    };
    rest(own) == rest(parent_own)
        && inherited(NsKind::Pid, NsKind::PidForChildren)
        && inherited(NsKind::Time, NsKind::TimeForChildren)
}

/// The namespaces (the kinds a process is created in) where `ns` is not the host's. A link
/// that could not be read is not a difference.
fn differing(ns: &NsSet, host: &NsSet) -> Vec<(NsKind, u64)> {
    own_kinds(ns, host).collect()
}

/// Whether a process in `ns` may be in a sandbox: it has a namespace of its own.
pub fn in_own_namespaces(ns: &NsSet, host: &NsSet) -> bool {
    own_kinds(ns, host).next().is_some()
}

fn own_kinds<'a>(ns: &'a NsSet, host: &'a NsSet) -> impl Iterator<Item = (NsKind, u64)> + 'a {
    NsKind::ALL
        .into_iter()
        .filter(|k| !k.is_for_children())
        .filter_map(|k| {
            let mine = ns.get(k)?;
            (host.get(k).is_some_and(|h| h != mine)).then_some((k, mine))
        })
}

/// Each container's uptime: the host's `uptime_secs` less its oldest member's start (stat
/// field 22, in `hz` ticks since boot). A member that started after the uptime was read
/// counts as just started.
pub fn set_uptimes(snap: &Snapshot, containers: &mut [Container], uptime_secs: f64, hz: u64) {
    for c in containers {
        let oldest = c
            .pids
            .iter()
            .filter_map(|pid| snap.process(*pid))
            .map(|p| p.start_time_ticks)
            .min();
        c.measures.uptime_seconds = oldest.map(|ticks| {
            #[allow(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                reason = "whole seconds of an uptime, clamped at 0"
            )]
            let up = uptime_secs.max(0.0) as u64;
            up.saturating_sub(ticks / hz.max(1))
        });
    }
}

/// The container's own cgroup in hierarchy `hierarchy_id` (0 is v2): where its main process
/// is there, cut back to the directory the runtime made (a runtime makes the same directory
/// in each hierarchy it uses, but the payload may sit in a child of it, as podman's
/// `libpod-ID.scope/container`). None for a sandbox, or where the main process's path there
/// does not name this container (a hierarchy the runtime left alone).
pub fn cgroup_in(snap: &Snapshot, c: &Container, hierarchy_id: u32) -> Option<String> {
    if c.hierarchy_id == Some(hierarchy_id) {
        return c.cgroup.clone();
    }
    c.cgroup.as_ref()?;
    let path = snap.process(c.main_pid)?.cgroup_in(hierarchy_id)?;
    match naming::identify(path)? {
        PathMatch::Container(found) if found.runtime == c.runtime && found.id == c.id => {
            Some(found.cgroup)
        }
        _ => None,
    }
}

/// The member whose parent is not a member: the container's init (the lowest such pid).
fn main_pid(snap: &Snapshot, pids: &[i32]) -> i32 {
    let members: BTreeSet<i32> = pids.iter().copied().collect();
    pids.iter()
        .copied()
        .find(|pid| {
            snap.process(*pid)
                .is_some_and(|p| !members.contains(&p.ppid))
        })
        .or_else(|| pids.first().copied())
        .unwrap_or(0)
}

fn namespaces_of(snap: &Snapshot, pid: i32) -> BTreeMap<std::borrow::Cow<'static, str>, u64> {
    let Some(p) = snap.process(pid) else {
        return BTreeMap::new();
    };
    NsKind::ALL
        .into_iter()
        .filter(|k| !k.is_for_children())
        .filter_map(|k| Some((k.file_name().into(), p.namespaces.get(k)?)))
        .collect()
}

#[cfg(test)]
mod tests;
