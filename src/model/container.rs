//! Containers: not a kernel object, a grouping boxtop infers from cgroup paths and namespaces
//! (the rules are in `collect::containers`). Plain data.

use serde::Serialize;

/// Who made the container, as its cgroup path (or its namespaces) tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Runtime {
    /// LXC, LXD, Incus, Proxmox containers (`lxc.payload.NAME`, `/lxc/NAME`).
    Lxc,
    Docker,
    Podman,
    Containerd,
    /// CRI-O (Kubernetes).
    CriO,
    /// A Kubernetes pod's container whose runtime the path does not name (cgroupfs driver).
    Kubernetes,
    /// systemd-nspawn (`machine-NAME.scope`).
    Nspawn,
    /// libvirt's LXC driver (`machine-lxc\x2dPID\x2dNAME.scope`).
    LibvirtLxc,
    /// No runtime's cgroup: a process tree in namespaces of its own (`boxtop run`, `unshare`).
    Sandbox,
}

impl Runtime {
    /// The name a person knows it by.
    pub fn name(self) -> &'static str {
        match self {
            Runtime::Lxc => "lxc",
            Runtime::Docker => "docker",
            Runtime::Podman => "podman",
            Runtime::Containerd => "containerd",
            Runtime::CriO => "cri-o",
            Runtime::Kubernetes => "kubernetes",
            Runtime::Nspawn => "nspawn",
            Runtime::LibvirtLxc => "libvirt-lxc",
            Runtime::Sandbox => "sandbox",
        }
    }
}

/// A Kubernetes pod a container belongs to, from its cgroup path.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct PodRef {
    /// The pod's UID, with dashes (systemd's slice names spell them `_`).
    pub uid: String,
    /// `guaranteed` (no QoS level in the path), `burstable` or `besteffort`.
    pub qos: String,
}

/// What one cgroup path says about a container, innermost first where they nest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContainerIdentity {
    pub runtime: Runtime,
    /// The runtime's id: 64 hex digits for Docker, Podman, containerd and CRI-O; the name for
    /// LXC and nspawn (which have no other id); Proxmox's VMID.
    pub id: String,
    /// A human name when the path holds one (LXC, nspawn, libvirt-lxc).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// An LXD project, a containerd namespace.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pod: Option<PodRef>,
    /// The container's own cgroup: the path through the component that matched.
    pub cgroup: String,
    /// The rule that matched, in words, for `i`.
    pub rule: &'static str,
    /// Containers it runs inside (Docker in LXC), outermost first: runtime and id.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub outer: Vec<(Runtime, String)>,
}

impl ContainerIdentity {
    /// The id as shown in a table: 12 characters of a long hex id, the whole of a name.
    pub fn short_id(&self) -> &str {
        let hex = self.id.len() > 12 && self.id.bytes().all(|b| b.is_ascii_hexdigit());
        if hex {
            self.id.get(..12).unwrap_or(&self.id)
        } else {
            &self.id
        }
    }
}

/// What a cgroup path is, for grouping processes into containers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathMatch {
    /// A container's cgroup (or one below it): its processes are its members.
    Container(ContainerIdentity),
    /// A runtime's monitor beside a container (`lxc.monitor.NAME`, `libpod-conmon-ID`,
    /// `crio-conmon-ID`, an nspawn `supervisor`): its processes are not the container's.
    Monitor { runtime: Runtime, id: String },
}
