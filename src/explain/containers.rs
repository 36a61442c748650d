//! `i` on a container: how boxtop named it without asking its runtime (which rule matched
//! which cgroup path, where the name came from), which processes are in it, which namespaces
//! set it apart, and the kernel file behind every column.

use crate::model::host::ns_letter;
use crate::model::{Container, NameSource, NsKind, Runtime, Snapshot, cells};

pub(super) fn container(snap: &Snapshot, c: &Container) -> (String, Vec<String>) {
    let mut l = vec![
        "A container is not a kernel object: it is processes in namespaces of their own, in a"
            .to_string(),
        "cgroup the runtime made, on a root filesystem. boxtop finds it from those alone.".into(),
        String::new(),
    ];
    match &c.cgroup {
        Some(path) => {
            let hierarchy = match c.hierarchy_id {
                Some(0) | None => "the v2 hierarchy".to_string(),
                Some(id) => format!("v1 hierarchy {id}"),
            };
            l.push(format!("Cgroup {path} (in {hierarchy}),"));
            l.push(format!("  named by the rule: {}.", c.rule));
        }
        None => {
            l.push(format!("No runtime's cgroup: {}.", c.rule));
            l.push("  A sandbox is a process tree whose namespaces are not the host's.".into());
        }
    }
    for (runtime, id) in &c.outer {
        l.push(format!(
            "  Inside {} container {} (nesting: the innermost names it).",
            runtime.name(),
            crate::model::short_id(id)
        ));
    }
    l.push(format!("Name {}: {}.", c.name, name_source(c.name_source)));
    l.push(format!("Id {} (shown as {}).", c.id, c.short_id()));
    if let Some(pod) = &c.pod {
        l.push(format!(
            "Kubernetes pod {} (QoS {}), from the kubepods slice in its path.",
            pod.uid, pod.qos
        ));
    }
    l.push(String::new());
    l.push(format!(
        "PROCS {}: every process whose cgroup is the container's or below it (a runtime's",
        c.pids.len()
    ));
    l.push("  monitor, lxc-start or conmon, sits beside it and is not counted).".into());
    l.push(format!(
        "  Main process {}: the member whose parent is not a member, its init.",
        c.main_pid
    ));
    l.push(format!("  Members: {}", pid_list(&c.pids)));
    l.push(String::new());
    l.push(format!(
        "NS {}: the main process's namespaces (readlink /proc/{}/ns/*) against the host's:",
        cells::own_namespaces(c, &snap.host_namespaces()),
        c.main_pid
    ));
    let host = snap.host_namespaces();
    for kind in NsKind::ALL.into_iter().filter(|k| !k.is_for_children()) {
        let mine = c.namespaces.get(kind.file_name()).copied();
        let mark = if mine.is_some() && mine == host.get(kind) {
            "host"
        } else {
            "own"
        };
        l.push(format!(
            "  {} {:<7} {:>12}  {mark}",
            ns_letter(kind),
            kind.file_name(),
            mine.map_or_else(|| "?".into(), |i| i.to_string()),
        ));
    }
    l.push(String::new());
    l.extend(measures(c));
    l.push(String::new());
    l.extend(runtime_commands(c));
    (format!("{} container {}", c.runtime.name(), c.name), l)
}

/// A pod's heading row.
pub(super) fn pod(snap: &Snapshot, uid: &str) -> (String, Vec<String>) {
    let members: Vec<&Container> = snap
        .containers
        .iter()
        .filter(|c| c.pod.as_ref().is_some_and(|p| p.uid == uid))
        .collect();
    let mut l = vec![
        format!("Kubernetes pod {uid}: its containers share a pod cgroup"),
        "  (kubepods[-QOS]-podUID.slice, or /kubepods/QOS/podUID), and the pod's network".into(),
        "  namespace, held by its pause (sandbox) container.".into(),
        String::new(),
        format!("{} containers:", members.len()),
    ];
    for c in &members {
        l.push(format!(
            "  {} {} ({} processes) {}",
            c.runtime.name(),
            c.name,
            c.pids.len(),
            c.cgroup.as_deref().unwrap_or("-")
        ));
    }
    l.push(String::new());
    l.push("Actions here act on the pod's cgroup: all of its containers at once.".into());
    (format!("pod {uid}"), l)
}

fn name_source(s: NameSource) -> &'static str {
    match s {
        NameSource::CgroupPath => "the runtime put it in the cgroup path",
        NameSource::DockerConfig => {
            "Docker's containers/ID/config.v2.json (compose's project/service where set)"
        }
        NameSource::PodmanStorage => "podman's storage, containers.json",
        NameSource::KubernetesLogs => {
            "the kubelet's log links in /var/log/containers: namespace/pod/container"
        }
        NameSource::UtsHostname => {
            "no runtime's file names it: the host name of its own UTS namespace (uname inside it)"
        }
        NameSource::RootProcess => "its root process's name (a sandbox has no other)",
        NameSource::ShortId => "nothing better was found: the short id",
    }
}

fn pid_list(pids: &[i32]) -> String {
    const SHOWN: usize = 16;
    let list: Vec<String> = pids.iter().take(SHOWN).map(i32::to_string).collect();
    if pids.len() > SHOWN {
        format!("{} … ({} more)", list.join(" "), pids.len() - SHOWN)
    } else {
        list.join(" ")
    }
}

/// Each column and the file it comes from.
fn measures(c: &Container) -> Vec<String> {
    let m = &c.measures;
    let mut l = vec![
        format!(
            "STATE {}: v2 cgroup.events `frozen`, v1 freezer.state (FROZEN is what docker",
            cells::state(c)
        ),
        "  pause, podman pause and lxc-freeze leave; on a hybrid host, frozen in either).".into(),
        format!(
            "CPU% {}: share of one CPU between two refreshes, v2 cpu.stat usage_usec or v1",
            cells::cpu(m)
        ),
        "  cpuacct.usage; after the slash its quota (cpu.max, cfs_quota_us/cfs_period_us) in %."
            .into(),
        format!(
            "MEMORY {}: v2 memory.current, v1 memory.usage_in_bytes, against memory.max.",
            cells::memory(m)
        ),
        format!(
            "WSET {}: the working set, usage less memory.stat inactive_file (page cache the",
            cells::working_set(m)
        ),
        "  kernel would drop first), as docker stats and the kubelet count memory.".into(),
        format!(
            "PIDS {}: pids.current against pids.max (tasks: threads count too).",
            cells::pids(m)
        ),
    ];
    match &c.network {
        Some(n) if n.shared_with_host => l.push(
            "NET host: it shares the host's network namespace, whose traffic is not its own."
                .into(),
        ),
        Some(n) => {
            l.push(format!(
                "NET {}: /proc/{}/net/dev of network namespace {}, loopback left out, as",
                cells::net(c),
                c.main_pid,
                n.netns
            ));
            l.push("  rates between two refreshes (a pod's containers share these).".into());
            for i in &n.interfaces {
                l.push(format!(
                    "  {:<12} rx {} bytes {} packets, tx {} bytes {} packets",
                    i.name, i.rx_bytes, i.rx_packets, i.tx_bytes, i.tx_packets
                ));
            }
        }
        None => l.push("NET -: its network namespace's counters could not be read.".into()),
    }
    l.push(format!(
        "DISK {}: v2 io.stat rbytes/wbytes, or v1 blkio.throttle.io_service_bytes_recursive",
        cells::disk(m)
    ));
    l.push("  (runc's order of fallbacks), summed over devices, as rates.".into());
    l.push(format!(
        "UP {}: /proc/uptime less the oldest member's start time (stat field 22).",
        cells::uptime(m)
    ));
    l
}

/// What its runtime's own tools would say, and the commands boxtop's keys equal.
fn runtime_commands(c: &Container) -> Vec<String> {
    let n = &c.name;
    let id = c.short_id();
    let inspect = match c.runtime {
        Runtime::Lxc => format!("lxc-info -n {n}"),
        Runtime::Podman => format!("podman inspect {id}"),
        Runtime::Docker => format!("docker inspect {id}"),
        Runtime::Containerd | Runtime::CriO | Runtime::Kubernetes => {
            format!("crictl inspect {id}")
        }
        Runtime::Nspawn | Runtime::LibvirtLxc => format!("machinectl status {n}"),
        Runtime::Sandbox => format!("lsns -p {}", c.main_pid),
    };
    let pause = match (c.pause_command(true), c.pause_command(false)) {
        (Some(f), Some(t)) => format!("{} / {}", f.join(" "), t.join(" ")),
        _ => match c.runtime {
            Runtime::Containerd | Runtime::CriO | Runtime::Kubernetes => {
                "the kernel's freezer (CRI has no pause)".to_string()
            }
            Runtime::Sandbox => "a sandbox has no cgroup of its own to freeze".to_string(),
            _ => "the kernel's freezer".to_string(),
        },
    };
    let lines = [("inspect", inspect), ("f / F", pause)];
    let mut l = vec!["Its runtime's own tools:".to_string()];
    l.extend(lines.iter().map(|(what, cmd)| format!("  {what:<8} {cmd}")));
    l
}
