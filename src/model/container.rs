//! Containers: not a kernel object, a grouping boxtop infers from cgroup paths and namespaces
//! (the rules are in `collect::containers`). Plain data.

pub mod cells;

use serde::{Deserialize, Serialize};

/// Who made the container, as its cgroup path (or its namespaces) tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PodRef {
    /// The pod's UID, with dashes (systemd's slice names spell them `_`).
    pub uid: String,
    /// `guaranteed` (no QoS level in the path), `burstable` or `besteffort`.
    pub qos: String,
}

/// What one cgroup path says about a container, innermost first where they nest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContainerIdentity {
    pub runtime: Runtime,
    /// The runtime's id: 64 hex digits for Docker, Podman, containerd and CRI-O; the name for
    /// LXC and nspawn (which have no other id); Proxmox's VMID.
    pub id: String,
    /// A human name when the path holds one (LXC, nspawn, libvirt-lxc).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// An LXD project, a containerd namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod: Option<PodRef>,
    /// The container's own cgroup: the path through the component that matched.
    pub cgroup: String,
    /// The rule that matched, in words, for `i`.
    pub rule: std::borrow::Cow<'static, str>,
    /// Containers it runs inside (Docker in LXC), outermost first: runtime and id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
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

/// Where a container's shown name came from, weakest last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NameSource {
    /// The runtime put the name in the cgroup path (LXC, nspawn, libvirt-lxc).
    CgroupPath,
    /// Docker's `containers/ID/config.v2.json` (compose's project/service where set).
    DockerConfig,
    /// podman's storage, `containers.json`.
    PodmanStorage,
    /// The kubelet's log links, `/var/log/containers`: namespace/pod/container.
    KubernetesLogs,
    /// The host name its own UTS namespace gives it (what `hostname` prints inside).
    UtsHostname,
    /// A sandbox is named after its root process.
    RootProcess,
    /// Nothing better was found: the short id.
    ShortId,
}

impl NameSource {
    /// As JSON spells it (`podman_storage`): the exporter's `name_source` label.
    pub fn word(self) -> &'static str {
        match self {
            NameSource::CgroupPath => "cgroup_path",
            NameSource::DockerConfig => "docker_config",
            NameSource::PodmanStorage => "podman_storage",
            NameSource::KubernetesLogs => "kubernetes_logs",
            NameSource::UtsHostname => "uts_hostname",
            NameSource::RootProcess => "root_process",
            NameSource::ShortId => "short_id",
        }
    }
}

/// One container: its identity, its member processes, and the namespaces its main process
/// is in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Container {
    pub runtime: Runtime,
    /// The full id (`short_id` in tables).
    pub id: String,
    pub name: String,
    pub name_source: NameSource,
    /// The image it runs, where the runtime's state says it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod: Option<PodRef>,
    /// Its cgroup path, in the hierarchy whose path named it (`hierarchy_id`; 0 is v2). A
    /// sandbox has none of its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cgroup: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hierarchy_id: Option<u32>,
    /// The rule that named it, for `i`.
    pub rule: std::borrow::Cow<'static, str>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outer: Vec<(Runtime, String)>,
    /// Member processes, ascending (a runtime's monitor is not one).
    pub pids: Vec<i32>,
    /// The member whose parent is not a member (its init), the lowest such pid.
    pub main_pid: i32,
    /// The main process's namespaces: type -> inode (the `*_for_children` links left out).
    pub namespaces: std::collections::BTreeMap<std::borrow::Cow<'static, str>, u64>,
    /// What the kernel counts for it.
    pub measures: ContainerMeasures,
    /// Its network namespace's traffic; absent when its links could not be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network: Option<ContainerNetwork>,
}

/// What the kernel counts for a container, each from the first hierarchy (v2, then v1) whose
/// copy of its cgroup has the counter; a sandbox (no cgroup of its own) has its processes'
/// cpu % summed and nothing else. Absent is absent, never zero.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct ContainerMeasures {
    /// Share of one CPU between the last two samples (v2 cpu.stat, v1 cpuacct.usage).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_percent: Option<f64>,
    /// Its CPU limit in CPUs (cpu.max, or cfs_quota_us / cfs_period_us); absent: no limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_limit_cpus: Option<f64>,
    /// v2 memory.current, v1 memory.usage_in_bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_current_bytes: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_max: Option<super::Limit>,
    /// Usage less the inactive page cache (memory.stat `inactive_file`), as `docker stats`
    /// and the kubelet count it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_working_set_bytes: Option<u64>,
    /// pids.current, pids.max.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pids_current: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pids_max: Option<super::Limit>,
    /// Bytes read and written by its processes (v2 io.stat; v1 blkio), and per second since
    /// the last refresh.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disk_read_bytes: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disk_write_bytes: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disk_read_bytes_per_sec: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disk_write_bytes_per_sec: Option<f64>,
    /// Frozen as the kernel says it: v2 cgroup.events `frozen`, v1 freezer.state FROZEN
    /// (what `docker pause`, `podman pause` and `lxc-freeze` do). On a hybrid host, frozen
    /// in either.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frozen: Option<bool>,
    /// Seconds since its oldest member started (/proc/uptime less that member's start time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uptime_seconds: Option<u64>,
}

impl Container {
    /// `runtime/name`, as events name their container (`lxc/web`, `podman/db`).
    pub fn label(&self) -> String {
        format!("{}/{}", self.runtime.name(), self.name)
    }

    /// The id as shown in a table: 12 characters of a long hex id, the whole of a name.
    pub fn short_id(&self) -> &str {
        short_id(&self.id)
    }

    /// The runtime's own command that freezes (`freeze`) or thaws it, for the runtimes that
    /// have one: `lxc-freeze -n NAME` / `lxc-unfreeze`, `podman pause ID` / `unpause`,
    /// `docker pause ID` / `unpause`. The program is the first word.
    pub fn pause_command(&self, freeze: bool) -> Option<Vec<String>> {
        let verb = if freeze { "pause" } else { "unpause" };
        let argv: Vec<&str> = match self.runtime {
            Runtime::Lxc if freeze => vec!["lxc-freeze", "-n", &self.name],
            Runtime::Lxc => vec!["lxc-unfreeze", "-n", &self.name],
            Runtime::Podman => vec!["podman", verb, self.short_id()],
            Runtime::Docker => vec!["docker", verb, self.short_id()],
            _ => return None,
        };
        Some(argv.into_iter().map(str::to_string).collect())
    }
}

/// 12 characters of a long hex id (as `docker ps` shows it), a sandbox's first namespace
/// (`pid:4026532202` of `pid:4026532202,net:4026532204`), the whole of anything else.
pub fn short_id(id: &str) -> &str {
    let hex = id.len() > 12 && id.bytes().all(|b| b.is_ascii_hexdigit());
    if hex {
        id.get(..12).unwrap_or(id)
    } else {
        id.split(',').next().unwrap_or(id)
    }
}

/// One network interface's counters (`/proc/PID/net/dev`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetInterface {
    /// Display-safe.
    pub name: String,
    pub rx_bytes: u64,
    pub rx_packets: u64,
    pub tx_bytes: u64,
    pub tx_packets: u64,
}

/// A container's network: the counters of its network namespace (a pod's containers share
/// one), or that it shares the host's, whose traffic is not its own to claim.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContainerNetwork {
    /// The network namespace's inode.
    pub netns: u64,
    pub shared_with_host: bool,
    /// Its interfaces, loopback left out; empty when shared with the host.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interfaces: Vec<NetInterface>,
    /// Bytes per second over all its interfaces since the last refresh (absent on the first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rx_bytes_per_sec: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tx_bytes_per_sec: Option<f64>,
}
