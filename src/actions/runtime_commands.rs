//! What a container's runtime would run for the same action (`lxc-freeze`, `podman pause`,
//! `docker update`, ...). A runtime keeps its own record of a container's state, which a
//! write made here does not change (seen with LXC 5.0 and podman 4.3 with runc,
//! tests/container_actions_kernel.rs): a freeze or thaw is therefore asked of the runtime's
//! own tool where it is installed and knows the container ([`freeze_argv`]), and written to
//! the freezer directly otherwise, with notes that say what the runtime will not know
//! (docs/ARCHITECTURE.md, "Actions"). Limits and signals are the kernel's alone.

use super::limits::LimitRequest;
use crate::kernel::cgroupfs::write::PlannedWrite;
use crate::kernel::{Roots, runtime_tools};
use crate::model::{Container, Limit, NameSource, Runtime, short_id};
use nix::sys::signal::Signal;

/// The id a runtime's command takes: LXC's name, a long id's 12 characters (docker, podman and
/// ctr take those too, but ctr wants the whole id).
fn short(c: &Container) -> &str {
    short_id(&c.id)
}

/// A Kubernetes pod's container: the kubelet, not a person, runs it.
fn in_kubernetes(c: &Container) -> bool {
    c.pod.is_some() || matches!(c.runtime, Runtime::CriO | Runtime::Kubernetes)
}

/// The containerd namespace (`ctr -n`): the path's, else Kubernetes' `k8s.io`, else `default`.
fn ctr_namespace(c: &Container) -> &str {
    match (&c.project, &c.pod) {
        (Some(p), _) => p,
        (None, Some(_)) => "k8s.io",
        (None, None) => "default",
    }
}

/// The systemd unit that holds it (`machine-box.scope`), from its cgroup path.
fn unit(c: &Container) -> Option<&str> {
    let last = c.cgroup.as_deref()?.rsplit('/').next()?;
    (last.ends_with(".scope") || last.ends_with(".service")).then_some(last)
}

/// The runtime's own command that freezes (`freeze`) or thaws `c`, when boxtop should ask the
/// runtime rather than write the freezer behind its back: on the live host, the tool
/// installed, and the runtime knowing the container (LXC's lxcpath holds it; podman's or
/// Docker's state files named it). None: the freezer file is written directly.
pub(super) fn freeze_argv(roots: &Roots, c: &Container, freeze: bool) -> Option<Vec<String>> {
    if !roots.is_live() {
        return None; // a fixture's containers are not the runtime's
    }
    let knows = match c.runtime {
        Runtime::Lxc => runtime_tools::lxc_knows(roots, &c.name),
        Runtime::Podman => c.name_source == NameSource::PodmanStorage,
        Runtime::Docker => c.name_source == NameSource::DockerConfig,
        _ => false,
    };
    let argv = c.pause_command(freeze).filter(|_| knows)?;
    runtime_tools::find_on_path(argv.first()?).map(|_| argv)
}

/// The notes of a freeze or thaw made through the runtime's own command.
pub(super) fn freeze_via_runtime(c: &Container, argv: &[String]) -> Vec<String> {
    let (who, record) = match c.runtime {
        Runtime::Lxc => ("LXC", format!("lxc-info -n {} -s", c.name)),
        Runtime::Podman => ("podman", format!("podman inspect {}", short(c))),
        _ => ("Docker", format!("docker inspect {}", short(c))),
    };
    vec![format!(
        "boxtop asks {who} itself ({}): it writes the same freezer and keeps its own record of \
         the state, which {record} reports; a freeze written behind its back would leave that \
         record saying running, and {who}'s own unpause refusing",
        argv.join(" ")
    )]
}

/// The notes of a freeze (`freeze`) or thaw of `c` written to its freezer directly.
pub(super) fn freeze(c: &Container, freeze: bool) -> Vec<String> {
    let name = &c.name;
    let id = short(c);
    let mut out = Vec::new();
    let kube = "Kubernetes has no pause: the kubelet is not told, and a liveness probe that \
                times out while it is frozen restarts the container";
    if let Some(argv) = c.pause_command(freeze) {
        out.push(format!(
            "{}'s own command: {} (it writes the same freezer)",
            c.runtime.name(),
            argv.join(" ")
        ));
    }
    match (c.runtime, freeze) {
        (Runtime::Lxc, true) => {
            out.push(format!(
                "LXC is not told of a freeze made here: lxc-info -n {name} -s keeps saying \
                 RUNNING, and lxc-unfreeze does nothing (both go by lxc-start's record of the \
                 state); thaw it with boxtop thaw"
            ));
        }
        (Runtime::Lxc, false) => {
            out.push(format!(
                "if lxc-freeze froze it, lxc-info -n {name} -s keeps saying FROZEN after a thaw \
                 made here, until lxc-unfreeze -n {name}"
            ));
        }
        (Runtime::Podman, true) => {
            out.push(format!(
                "podman is not told of a freeze made here: podman inspect and podman ps keep \
                 saying running (runc state {} says paused), and podman unpause refuses it; thaw \
                 it with boxtop thaw",
                c.id
            ));
        }
        (Runtime::Podman, false) => {
            out.push(format!(
                "if podman pause froze it, thaw it with podman unpause {id} instead: after a \
                 thaw made here podman keeps saying paused, and its unpause and rm -f fail \
                 (runc finds it not paused) until it is frozen again"
            ));
        }
        (Runtime::Docker, _) => {
            out.push(
                "dockerd keeps its own record of paused containers, which a write made here \
                 does not change"
                    .into(),
            );
        }
        (Runtime::Containerd, f) => {
            let verb = if f { "pause" } else { "resume" };
            out.push(format!(
                "containerd's own command: ctr -n {} task {verb} {}",
                ctr_namespace(c),
                c.id
            ));
            if in_kubernetes(c) {
                out.push(kube.into());
            }
        }
        (Runtime::CriO | Runtime::Kubernetes, _) => {
            out.push(format!("{kube}; crictl has no pause either"));
        }
        (Runtime::Nspawn, f) => {
            let verb = if f { "freeze" } else { "thaw" };
            let cmd = unit(c).map_or_else(String::new, |u| {
                format!("; systemd's own is systemctl {verb} {u} (cgroup v2)")
            });
            out.push(format!("machinectl has no {verb}{cmd}"));
        }
        (Runtime::LibvirtLxc, f) => {
            let verb = if f { "suspend" } else { "resume" };
            out.push(format!(
                "libvirt's own command: virsh -c lxc:/// {verb} {name}"
            ));
        }
        (Runtime::Sandbox, _) => {}
    }
    out
}

/// The notes of setting `req` on `c`, whose writes are `writes`.
pub(super) fn limit(c: &Container, req: &LimitRequest, writes: &[&PlannedWrite]) -> Vec<String> {
    let mut out = Vec::new();
    let value = |l: Limit| match l {
        Limit::Value(v) => Some(v.to_string()),
        Limit::Max => None,
    };
    // docker and podman update: the flags that say exactly what was asked ("max" left out:
    // their spellings of it differ between versions).
    let flags = |pids: bool| {
        let mut f = Vec::new();
        if let Some(m) = req.memory.and_then(value) {
            f.push(format!("--memory {m}"));
        }
        if let Some(cpu) = req.cpu
            && let Some(q) = cpu.quota_usec
        {
            f.push(format!("--cpu-period {} --cpu-quota {q}", cpu.period_usec));
        }
        if pids && let Some(p) = req.pids.and_then(value) {
            f.push(format!("--pids-limit {p}"));
        }
        f.join(" ")
    };
    match c.runtime {
        Runtime::Lxc => {
            let lines: Vec<String> = writes
                .iter()
                .filter_map(|w| {
                    let file = w.file.file_name()?.to_string_lossy();
                    Some(format!("lxc-cgroup -n {} {file} {}", c.name, w.new))
                })
                .collect();
            if !lines.is_empty() {
                out.push(format!("LXC's own command: {}", lines.join("; ")));
            }
        }
        Runtime::Docker => {
            let f = flags(true);
            if !f.is_empty() {
                out.push(format!(
                    "Docker's own command: docker update {f} {} (it also keeps the limit in the \
                     container's configuration)",
                    short(c)
                ));
            }
        }
        Runtime::Podman => {
            let f = flags(false);
            if !f.is_empty() {
                out.push(format!(
                    "podman's own command: podman update {f} {}",
                    short(c)
                ));
            }
        }
        Runtime::Nspawn => {
            if let Some(u) = unit(c) {
                out.push(format!(
                    "systemd's own command: systemctl set-property {u} (MemoryMax=, CPUQuota=, \
                     TasksMax=)"
                ));
            }
        }
        _ => {}
    }
    if c.runtime != Runtime::Sandbox {
        out.push(
            "a limit written here lasts until the container is started again: its runtime then \
             sets the limits of its own configuration"
                .into(),
        );
    }
    out
}

/// The notes of sending `signal` to every process of `c`.
pub(super) fn signal(c: &Container, signal: Signal) -> Vec<String> {
    let short_name = signal.as_str().trim_start_matches("SIG");
    let kill = signal == Signal::SIGKILL;
    let id = short(c);
    let main_only = |tool: &str| {
        if kill {
            format!(
                "{tool}'s own command: {tool} kill {id} (SIGKILL to its main process, which \
                 ends every process of its pid namespace when it has its own)"
            )
        } else {
            format!(
                "{tool} kill --signal {short_name} {id} sends it to the main process only; \
                 boxtop sends it to every process of the container"
            )
        }
    };
    match c.runtime {
        Runtime::Lxc if kill => vec![format!(
            "LXC's own command: lxc-stop -k -n {} (kills its init, and so every process of its \
             pid namespace)",
            c.name
        )],
        Runtime::Podman => vec![main_only("podman")],
        Runtime::Docker => vec![main_only("docker")],
        Runtime::Containerd => vec![format!(
            "containerd's own command: ctr -n {} task kill --all --signal {short_name} {}",
            ctr_namespace(c),
            c.id
        )],
        Runtime::Nspawn => vec![format!(
            "systemd's own command: machinectl kill {} --signal={short_name} (every process of \
             the machine)",
            c.name
        )],
        _ => Vec::new(),
    }
}
