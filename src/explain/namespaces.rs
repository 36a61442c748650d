//! `i` on the namespace pane: what the selected type isolates and how to look inside it.

use crate::model::ns_marks as marks;
use crate::model::{HostReference, NamespaceEntry, NsKind, ProcessRow, Snapshot};

/// What a namespace of this type gives its members their own copy of.
fn isolates(kind: NsKind) -> [&'static str; 2] {
    match kind {
        NsKind::Cgroup => [
            "its own view of the cgroup tree: /proc/self/cgroup and a cgroupfs mounted inside",
            "show the namespace's cgroup as the root \"/\", hiding where it sits on the host.",
        ],
        NsKind::Ipc => [
            "its own System V IPC objects (shared memory, semaphores, message queues) and",
            "POSIX message queues: ipcs inside lists only the namespace's objects.",
        ],
        NsKind::Mnt => [
            "its own list of mount points: mounts made inside are invisible outside (with",
            "private propagation), which is how a container gets its own root filesystem.",
        ],
        NsKind::Net => [
            "its own network stack: interfaces, addresses, routes, firewall rules, sockets",
            "and ports. A new one holds only a downed loopback until someone adds a veth.",
        ],
        NsKind::Pid | NsKind::PidForChildren => [
            "its own pid numbers: the first process in it is pid 1 there (and reaps orphans);",
            "the same process has another pid in each enclosing pid namespace (NSpid).",
        ],
        NsKind::Time | NsKind::TimeForChildren => [
            "its own offsets for CLOCK_MONOTONIC and CLOCK_BOOTTIME (uptime), so a restored",
            "container's clocks do not jump; wall-clock time is never namespaced.",
        ],
        NsKind::User => [
            "its own user and group ids and capabilities: uid 0 inside can map to an ordinary",
            "uid outside (uid_map / gid_map), with root's powers only over its own namespaces.",
        ],
        NsKind::Uts => [
            "its own hostname and NIS domain name (uname -n): sethostname inside changes",
            "only the namespace's name.",
        ],
    }
}

/// Which process's namespaces count as the host's, in a sentence.
fn reference_long(host: HostReference) -> String {
    match host {
        HostReference::Pid1 => "pid 1 (init)".into(),
        HostReference::KernelThread { pid } => format!(
            "kernel thread {pid} (pid 1 cannot be read; kernel threads always live in the \
             initial namespaces)"
        ),
        HostReference::MostShared => {
            "per type the namespace most processes share (neither pid 1 nor a kernel thread \
             could be read: likely inside a container)"
                .into()
        }
        HostReference::None => "none: no process's namespaces could be read".into(),
    }
}

fn common(kind: NsKind, pid: i32, host: HostReference) -> Vec<String> {
    let [a, b] = isolates(kind);
    let mut l = vec![
        format!("A {} namespace gives its members", kind.file_name()),
        format!("  {a}"),
        format!("  {b}"),
        String::new(),
        format!(
            "File: /proc/{pid}/ns/{}: readlink shows {}:[INODE]; two processes share a",
            kind.file_name(),
            kind.file_name()
        ),
        "  namespace exactly when the inodes are equal (same device: nsfs).".into(),
        format!(
            "Created by clone(2) or unshare(2) with {}; joined with setns(2).",
            kind.clone_flag()
        ),
        format!(
            "Enter it: nsenter -t {pid} --{flag} (as root), e.g. nsenter -t {pid} --{flag} sh",
            flag = kind.util_linux_option()
        ),
    ];
    if kind.is_for_children() {
        l.push(String::new());
        l.push(format!(
            "{} is where this process's future children will be: after unshare({})",
            kind.file_name(),
            kind.clone_flag()
        ));
        l.push("  the caller stays put and only its next child enters the new namespace.".into());
    }
    l.push(String::new());
    l.push(format!(
        "\"host\": the same namespace as the reference, {}.",
        reference_long(host)
    ));
    l.push("\"new\": not the host's, and only this process or processes in exactly its".into());
    l.push("  namespaces (its container) are in it.".into());
    l.push("\"shared\": not the host's, but processes with other namespaces share it too.".into());
    l
}

/// `i` on one namespace type of a process.
pub(super) fn of_process(snap: &Snapshot, p: &ProcessRow, kind: NsKind) -> (String, Vec<String>) {
    let r = marks::row(snap, &snap.host_namespaces(), p, kind);
    let mut l = vec![
        format!(
            "{} of process {} ({}): inode {}, {}, {} process(es) in it.",
            kind.file_name(),
            p.pid,
            p.comm,
            r.inode.map(|i| i.to_string()).unwrap_or_else(|| "?".into()),
            r.mark.label(),
            r.entry.map(|e| e.nprocs).unwrap_or(0)
        ),
        format!(
            "{}: the NSpid line of /proc/{}/status, outermost pid namespace first.",
            p.nspid_text(),
            p.pid
        ),
        String::new(),
    ];
    l.extend(common(kind, p.pid, snap.host_reference));
    if kind == NsKind::User {
        l.push(String::new());
        l.extend(id_map_lines(snap, p.pid));
        l.push(format!(
            "  from /proc/{}/uid_map and gid_map: lines \"INSIDE OUTSIDE COUNT\".",
            p.pid
        ));
    }
    (format!("Namespace {} of {}", kind.file_name(), p.pid), l)
}

/// `i` on a row of the host's namespace table.
pub(super) fn of_host(snap: &Snapshot, e: &NamespaceEntry) -> (String, Vec<String>) {
    let mut l = vec![
        format!(
            "{} namespace {}: {} process(es); the lowest pid is {} ({}).",
            e.kind.file_name(),
            e.inode,
            e.nprocs,
            e.lowest_pid,
            e.command
        ),
        "Listed like lsns(8): one row per namespace seen in any /proc/PID/ns; threads".into(),
        "  are not counted, and a namespace with no process (kept alive by a bind mount".into(),
        "  or an open file) is not seen. Enter shows its processes (filter ns:TYPE:INODE).".into(),
        String::new(),
    ];
    l.extend(common(e.kind, e.lowest_pid, snap.host_reference));
    (format!("Namespace {}:[{}]", e.kind.file_name(), e.inode), l)
}

/// "uid_map 0→1000 ×1" lines for the selected process's user namespace.
pub fn id_map_lines(snap: &Snapshot, pid: i32) -> Vec<String> {
    let Some(maps) = snap.id_maps.as_ref().filter(|m| m.pid == pid) else {
        return vec![format!("uid_map / gid_map of {pid}: not readable")];
    };
    let show = |name: &str, ranges: &[crate::model::IdMapRange]| {
        let text: Vec<String> = ranges
            .iter()
            .map(|r| {
                if r.is_identity() {
                    "every id to itself (the initial user namespace)".to_string()
                } else {
                    format!("{}→{} ×{}", r.inside, r.outside, r.count)
                }
            })
            .collect();
        let text = if text.is_empty() {
            "empty: no id is mapped yet".to_string()
        } else {
            text.join(", ")
        };
        format!("{name} (inside→outside ×count): {text}")
    };
    vec![
        show("uid_map", &maps.uid_map),
        show("gid_map", &maps.gid_map),
    ]
}
