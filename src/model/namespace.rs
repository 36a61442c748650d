//! Namespaces: per-process inode sets and the system-wide table (like lsns(8)).

use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The namespace types of /proc/PID/ns, named as the files there. See namespaces(7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NsKind {
    Cgroup,
    Ipc,
    Mnt,
    Net,
    Pid,
    PidForChildren,
    Time,
    TimeForChildren,
    User,
    Uts,
}

impl NsKind {
    pub const ALL: [NsKind; 10] = [
        NsKind::Cgroup,
        NsKind::Ipc,
        NsKind::Mnt,
        NsKind::Net,
        NsKind::Pid,
        NsKind::PidForChildren,
        NsKind::Time,
        NsKind::TimeForChildren,
        NsKind::User,
        NsKind::Uts,
    ];

    /// The file name under /proc/PID/ns.
    pub fn file_name(self) -> &'static str {
        match self {
            NsKind::Cgroup => "cgroup",
            NsKind::Ipc => "ipc",
            NsKind::Mnt => "mnt",
            NsKind::Net => "net",
            NsKind::Pid => "pid",
            NsKind::PidForChildren => "pid_for_children",
            NsKind::Time => "time",
            NsKind::TimeForChildren => "time_for_children",
            NsKind::User => "user",
            NsKind::Uts => "uts",
        }
    }

    /// The long option util-linux's unshare(1) and nsenter(1) both take for this type
    /// (`--mount` for mnt), without its dashes.
    pub fn util_linux_option(self) -> &'static str {
        match self {
            NsKind::Cgroup => "cgroup",
            NsKind::Ipc => "ipc",
            NsKind::Mnt => "mount",
            NsKind::Net => "net",
            NsKind::Pid | NsKind::PidForChildren => "pid",
            NsKind::Time | NsKind::TimeForChildren => "time",
            NsKind::User => "user",
            NsKind::Uts => "uts",
        }
    }

    /// The clone(2)/unshare(2) flag that creates a namespace of this type.
    pub fn clone_flag(self) -> &'static str {
        match self {
            NsKind::Cgroup => "CLONE_NEWCGROUP",
            NsKind::Ipc => "CLONE_NEWIPC",
            NsKind::Mnt => "CLONE_NEWNS",
            NsKind::Net => "CLONE_NEWNET",
            NsKind::Pid | NsKind::PidForChildren => "CLONE_NEWPID",
            NsKind::Time | NsKind::TimeForChildren => "CLONE_NEWTIME",
            NsKind::User => "CLONE_NEWUSER",
            NsKind::Uts => "CLONE_NEWUTS",
        }
    }

    /// The `*_for_children` links describe where children will go, not a namespace the
    /// process is in; lsns(8) does not list them as separate namespaces.
    pub fn is_for_children(self) -> bool {
        matches!(self, NsKind::PidForChildren | NsKind::TimeForChildren)
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// The inode of each namespace a process is in; `None` where the link is absent (older
/// kernels lack `time`, a zombie has none) or could not be read.
///
/// Stored as plain inodes with 0 for "absent" (no namespace has inode 0): half the size of
/// `[Option<u64>; 10]`, which matters with one set per process.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct NsSet([u64; 10]);

impl NsSet {
    pub fn get(&self, kind: NsKind) -> Option<u64> {
        Some(self.0[kind.index()]).filter(|i| *i != 0)
    }
    pub fn set(&mut self, kind: NsKind, inode: Option<u64>) {
        self.0[kind.index()] = inode.unwrap_or(0);
    }
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|i| *i == 0)
    }
}

// Serialized as a map `{ "net": 4026531840, ... }` with absent links left out.
impl Serialize for NsSet {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let n = self.0.iter().filter(|i| **i != 0).count();
        let mut map = s.serialize_map(Some(n))?;
        for kind in NsKind::ALL {
            if let Some(inode) = self.get(kind) {
                map.serialize_entry(kind.file_name(), &inode)?;
            }
        }
        map.end()
    }
}

/// The same map; a type this build does not know (a later kernel's) is skipped.
impl<'de> Deserialize<'de> for NsSet {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let map = std::collections::BTreeMap::<String, u64>::deserialize(d)?;
        let mut set = NsSet::default();
        for (name, inode) in map {
            if let Some(kind) = NsKind::ALL.into_iter().find(|k| k.file_name() == name) {
                set.set(kind, Some(inode));
            }
        }
        Ok(set)
    }
}

/// One namespace of the host, like a row of lsns(8).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NamespaceEntry {
    pub kind: NsKind,
    pub inode: u64,
    /// Processes in it (threads are not counted, as with `lsns`).
    pub nprocs: usize,
    /// Member pids, ascending.
    pub pids: Vec<i32>,
    /// The lowest member pid, with its user and command (what lsns prints).
    pub lowest_pid: i32,
    pub user: Option<Arc<str>>,
    pub command: String,
    /// Whether this is the reference ("host") namespace of its type; see [`HostReference`].
    pub host: bool,
}

/// Which process's namespaces count as "the host's" (docs/ARCHITECTURE.md, "Identity").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "source")]
pub enum HostReference {
    /// pid 1's namespaces could be read: the usual meaning of "host".
    Pid1,
    /// pid 1 is hidden or denied; a kernel thread's were used instead. Kernel threads always
    /// live in the initial namespaces, so this is as good as pid 1 on a real host.
    KernelThread { pid: i32 },
    /// No kernel thread visible either (a container's /proc): the namespaces shared by the
    /// most processes, per type.
    MostShared,
    /// No process's namespaces could be read (not root on a locked-down host).
    None,
}

/// One line of /proc/PID/uid_map or gid_map: ids `inside..inside+count` in the process's
/// user namespace are `outside..` in its parent's. See user_namespaces(7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdMapRange {
    pub inside: u32,
    pub outside: u32,
    pub count: u32,
}

/// The uid and gid maps of the selected process (read for it alone, on each refresh).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdMaps {
    pub pid: i32,
    pub uid_map: Vec<IdMapRange>,
    pub gid_map: Vec<IdMapRange>,
}

impl IdMapRange {
    /// `0 0 4294967295`: the initial user namespace's map, every id to itself.
    pub fn is_identity(&self) -> bool {
        self.inside == 0 && self.outside == 0 && self.count == u32::MAX
    }
}
