//! Which container a cgroup path belongs to, from the path alone: the runtimes' own naming
//! conventions, no runtime API.
//!
//! Where each runtime puts its containers (v2, or any v1 hierarchy; the same paths):
//! - LXC ≥ 4, LXD, Incus: `/lxc.payload.NAME` (`lxc.monitor.NAME` is lxc-start's monitor);
//!   LXD projects name it `PROJECT_NAME`. LXC < 4 and Proxmox: `/lxc/NAME`,
//!   `/lxc.payload/NAME`, `/lxc/VMID`.
//! - Docker: `/docker/ID` (cgroupfs driver; with `--cgroup-parent` the last element is the
//!   64-hex id), `docker-ID.scope` (systemd driver; `*.mount` units carry ids too, and are
//!   not containers).
//! - Podman: `libpod-ID.scope` (under machine.slice, or a user's service when rootless; the
//!   payload may sit in a child `container`), `/libpod_parent/libpod-ID` (cgroupfs manager);
//!   `libpod-conmon-ID` is its monitor.
//! - Kubernetes: `kubepods.slice/kubepods-QOS.slice/kubepods-QOS-podUID.slice/RUNTIME-ID.scope`
//!   (systemd driver; Guaranteed pods have no QoS level, the UID has `_` for `-`),
//!   `/kubepods/QOS/podUID/ID` and `/kubepods/podUID/ID` (cgroupfs); `crio-conmon-ID` is
//!   CRI-O's monitor.
//! - containerd outside Kubernetes: `cri-containerd-ID.scope`, `/NAMESPACE/ID` for its
//!   namespaces `default`, `k8s.io` and `moby`.
//! - systemd-nspawn: `/machine.slice/machine-NAME.scope` (systemd's `\x2d` escapes; its
//!   `supervisor` child is the monitor); libvirt-lxc: `machine-lxc\x2dPID\x2dNAME.scope`.
//!
//! Nesting (Docker in LXC): the innermost match is the container, the outer ones are kept.
//! A path seen from inside a cgroup namespace starts with `/..` components; they are skipped.

use crate::model::{ContainerIdentity, PathMatch, PodRef, Runtime};

/// What `path` (a cgroup path inside its hierarchy, `/a/b`) says about a container; None
/// when no runtime's rule matches.
pub fn identify(path: &str) -> Option<PathMatch> {
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let mut found: Option<PathMatch> = None;
    let mut outer: Vec<(Runtime, String)> = Vec::new();
    let mut pod: Option<PodRef> = None;
    let mut i = 0;
    while i < parts.len() {
        let Some(hit) = component(&parts, i) else {
            i += 1;
            continue;
        };
        match hit {
            Hit::Pod(p) => pod = Some(p),
            Hit::Monitor(runtime, id) => {
                if let Some(PathMatch::Container(c)) = found.take() {
                    outer.push((c.runtime, c.id));
                }
                found = Some(PathMatch::Monitor { runtime, id });
            }
            Hit::Container {
                runtime,
                id,
                name,
                project,
                rule,
                last,
            } => {
                if let Some(PathMatch::Container(c)) = found.take() {
                    outer.push((c.runtime, c.id));
                }
                let cgroup = format!("/{}", parts[..=last].join("/"));
                found = Some(PathMatch::Container(ContainerIdentity {
                    runtime,
                    id,
                    name,
                    project,
                    pod: pod.take(),
                    cgroup,
                    rule: rule.into(),
                    outer: outer.clone(),
                }));
                i = last;
            }
        }
        i += 1;
    }
    found
}

/// What one path component (with its neighbours) is.
enum Hit {
    Container {
        runtime: Runtime,
        id: String,
        name: Option<String>,
        project: Option<String>,
        rule: &'static str,
        /// The index of the last component that belongs to the match.
        last: usize,
    },
    Monitor(Runtime, String),
    Pod(PodRef),
}

fn container(runtime: Runtime, id: &str, rule: &'static str, last: usize) -> Hit {
    Hit::Container {
        runtime,
        id: id.to_string(),
        name: None,
        project: None,
        rule,
        last,
    }
}

fn named(runtime: Runtime, name: &str, rule: &'static str, last: usize) -> Hit {
    Hit::Container {
        runtime,
        id: name.to_string(),
        name: Some(name.to_string()),
        project: None,
        rule,
        last,
    }
}

fn component(parts: &[&str], i: usize) -> Option<Hit> {
    let c = *parts.get(i)?;
    let parent = i.checked_sub(1).and_then(|p| parts.get(p)).copied();
    let child = parts.get(i + 1).copied();
    if c == ".." || c.ends_with(".mount") {
        return None;
    }
    // LXC ≥ 4 (and LXD, Incus): lxc.payload.NAME, lxc.monitor.NAME.
    if let Some(name) = c.strip_prefix("lxc.payload.").filter(|n| !n.is_empty()) {
        // LXD puts a project's containers at PROJECT_NAME (names cannot hold `_`).
        return Some(match name.split_once('_') {
            Some((project, short)) if !short.is_empty() => Hit::Container {
                runtime: Runtime::Lxc,
                id: name.to_string(),
                name: Some(short.to_string()),
                project: Some(project.to_string()),
                rule: "lxc.payload.PROJECT_NAME: an LXD project's container",
                last: i,
            },
            _ => named(
                Runtime::Lxc,
                name,
                "lxc.payload.NAME: LXC ≥ 4, LXD, Incus",
                i,
            ),
        });
    }
    if let Some(name) = c.strip_prefix("lxc.monitor.").filter(|n| !n.is_empty()) {
        return Some(Hit::Monitor(Runtime::Lxc, name.to_string()));
    }
    // LXC < 4 and Proxmox: /lxc/NAME, /lxc.payload/NAME; their monitors /lxc.monitor/NAME.
    if c == "lxc" || c == "lxc.payload" {
        let name = child?;
        let rule = if name.bytes().all(|b| b.is_ascii_digit()) {
            "/lxc/VMID: a Proxmox container"
        } else {
            "/lxc/NAME or /lxc.payload/NAME: LXC < 4"
        };
        return Some(named(Runtime::Lxc, name, rule, i + 1));
    }
    if c == "lxc.monitor" {
        return child.map(|n| Hit::Monitor(Runtime::Lxc, n.to_string()));
    }
    // Kubernetes pods: the pod's own cgroup, then its containers below.
    if let Some(p) = pod_slice(c).or_else(|| pod_dir(c, parent)) {
        return Some(Hit::Pod(p));
    }
    // Monitors before the payloads whose prefixes they share.
    if let Some(id) = unit_id(c, "libpod-conmon-") {
        return Some(Hit::Monitor(Runtime::Podman, id.to_string()));
    }
    if let Some(id) = unit_id(c, "crio-conmon-") {
        return Some(Hit::Monitor(Runtime::CriO, id.to_string()));
    }
    if let Some(id) = unit_id(c, "libpod-") {
        return Some(container(Runtime::Podman, id, "libpod-ID: podman", i));
    }
    if let Some(id) = unit_id(c, "docker-") {
        return Some(container(
            Runtime::Docker,
            id,
            "docker-ID.scope: Docker, systemd driver",
            i,
        ));
    }
    if let Some(id) = unit_id(c, "cri-containerd-") {
        return Some(container(
            Runtime::Containerd,
            id,
            "cri-containerd-ID.scope: containerd",
            i,
        ));
    }
    if let Some(id) = unit_id(c, "crio-") {
        return Some(container(Runtime::CriO, id, "crio-ID.scope: CRI-O", i));
    }
    // systemd-nspawn and libvirt-lxc register a machine: machine-NAME.scope.
    if let Some(name) = c
        .strip_prefix("machine-")
        .and_then(|n| n.strip_suffix(".scope"))
        .map(unescape_unit)
    {
        if child == Some("supervisor") {
            return Some(Hit::Monitor(Runtime::Nspawn, name));
        }
        if let Some(rest) = name.strip_prefix("lxc-")
            && let Some((pid, short)) = rest.split_once('-')
            && pid.bytes().all(|b| b.is_ascii_digit())
        {
            return Some(Hit::Container {
                runtime: Runtime::LibvirtLxc,
                id: name.clone(),
                name: Some(short.to_string()),
                project: None,
                rule: "machine-lxc\\x2dPID\\x2dNAME.scope: libvirt-lxc",
                last: i,
            });
        }
        // qemu machines are virtual machines, not containers.
        if name.starts_with("qemu-") {
            return None;
        }
        return Some(named(
            Runtime::Nspawn,
            &name,
            "machine-NAME.scope: systemd-nspawn",
            i,
        ));
    }
    if is_long_id(c) {
        return Some(match parent {
            Some("docker") => {
                container(Runtime::Docker, c, "/docker/ID: Docker, cgroupfs driver", i)
            }
            Some(p) if pod_dir(p, None).is_some() => container(
                Runtime::Kubernetes,
                c,
                "/kubepods/…/podUID/ID: a pod's container (cgroupfs driver; the runtime is not in the path)",
                i,
            ),
            Some(ns @ ("default" | "k8s.io" | "moby")) => Hit::Container {
                runtime: Runtime::Containerd,
                id: c.to_string(),
                name: None,
                project: Some(ns.to_string()),
                rule: "/NAMESPACE/ID: containerd",
                last: i,
            },
            _ if child.is_none() => container(
                Runtime::Docker,
                c,
                "a 64-hex last element: Docker with --cgroup-parent",
                i,
            ),
            _ => return None,
        });
    }
    None
}

/// `PREFIXID` or `PREFIXID.scope` with ID 64 hex digits: the id.
fn unit_id<'a>(c: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = c.strip_prefix(prefix)?;
    let id = rest.strip_suffix(".scope").unwrap_or(rest);
    is_long_id(id).then_some(id)
}

/// A container id as runtimes make them: 64 lowercase hex digits.
fn is_long_id(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// systemd driver: `kubepods-podUID.slice` (Guaranteed) or `kubepods-QOS-podUID.slice`.
fn pod_slice(c: &str) -> Option<PodRef> {
    let rest = c.strip_prefix("kubepods-")?.strip_suffix(".slice")?;
    let (qos, uid) = match rest.split_once("-pod") {
        Some((qos, uid)) => (qos, uid),
        None => ("guaranteed", rest.strip_prefix("pod")?),
    };
    let uid = uid.replace('_', "-");
    is_uid(&uid).then(|| PodRef {
        uid,
        qos: qos.to_string(),
    })
}

/// cgroupfs driver: `/kubepods/QOS/podUID` or `/kubepods/podUID`.
fn pod_dir(c: &str, parent: Option<&str>) -> Option<PodRef> {
    let uid = c.strip_prefix("pod")?;
    if !is_uid(uid) {
        return None;
    }
    let qos = match parent {
        Some("besteffort" | "burstable") => parent.unwrap_or_default(),
        _ => "guaranteed",
    };
    Some(PodRef {
        uid: uid.to_string(),
        qos: qos.to_string(),
    })
}

/// A UUID as Kubernetes writes pod UIDs: 8-4-4-4-12 hex digits.
fn is_uid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// systemd's unit-name escapes (`\x2d` is `-`, `\xNN` any byte): systemd-escape(1).
fn unescape_unit(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = b
            .get(i + 2..i + 4)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (
            b.get(i..i + 2),
            hex.and_then(|h| u8::from_str_radix(h, 16).ok()),
        ) {
            (Some(b"\\x"), Some(byte)) => {
                out.push(byte);
                i += 4;
            }
            _ => {
                out.push(b[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests;
