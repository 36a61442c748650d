//! Shared by the real-container tests: an LXC container (busybox template) and a podman
//! container (runc) that a test starts with a unique name and always removes, and what the
//! kernel says of them. Needs root, lxc, busybox-static, podman and runc; without one, the
//! container's `start` prints SKIP and returns None.

#![allow(
    dead_code,
    reason = "shared by several test crates; each uses only part of it"
)]

use crate::live::{have_tool, need_root, snapshot};
use boxtop::model::{Container, Runtime, Snapshot};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A unique name for this run: pid and a counter (the tests run in parallel threads).
pub(crate) fn unique(prefix: &str) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    format!(
        "{prefix}{}x{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// Runs a runtime's command, bounded in time (`timeout`), its output captured.
pub(crate) fn run(args: &[&str], secs: u32) -> Output {
    Command::new("timeout")
        .arg(secs.to_string())
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("timeout(1) runs")
}

pub(crate) fn text(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

/// Every pid in a cgroup and its descendants, as the kernel lists them.
pub(crate) fn procs_below(dir: &Path) -> Vec<i32> {
    let mut pids: Vec<i32> = std::fs::read_to_string(dir.join("cgroup.procs"))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.trim().parse().ok())
        .collect();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if e.path().is_dir() {
            pids.extend(procs_below(&e.path()));
        }
    }
    pids.sort_unstable();
    pids
}

/// The container's cgroup directory in the hierarchy whose path named it.
pub(crate) fn cgroup_dir(snap: &Snapshot, c: &Container) -> PathBuf {
    let id = c
        .hierarchy_id
        .expect("a runtime's container has a hierarchy");
    let h = snap
        .cgroups
        .hierarchies
        .iter()
        .find(|h| h.id == id)
        .expect("the hierarchy is in the snapshot");
    let rel = c.cgroup.as_deref().expect("and a cgroup");
    Path::new(&h.mount_point).join(rel.trim_start_matches('/'))
}

/// Waits (bounded) until boxtop sees a container of `runtime` and `id` with `pid` in it.
pub(crate) fn seen(runtime: Runtime, id: &str, pid: i32) -> (Snapshot, Container) {
    let start = Instant::now();
    loop {
        let snap = snapshot();
        let found = snap
            .containers
            .iter()
            .find(|c| c.runtime == runtime && c.id == id && c.pids.contains(&pid))
            .cloned();
        if let Some(c) = found {
            return (snap, c);
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "boxtop does not see {runtime:?} {id} with {pid}: {:#?}",
            snap.containers
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// An LXC container made from the busybox template; stopped and destroyed on drop.
pub(crate) struct Lxc {
    pub(crate) name: String,
}

impl Lxc {
    pub(crate) fn start() -> Option<Lxc> {
        if !need_root("LXC container")
            || !["lxc-create", "lxc-start", "lxc-info", "lxc-ls", "busybox"]
                .iter()
                .all(|t| have_tool(t))
        {
            return None;
        }
        let lxc = Lxc {
            name: unique("boxtop-t"),
        };
        let made = run(&["lxc-create", "-t", "busybox", "-n", &lxc.name], 120);
        if !made.status.success() {
            eprintln!(
                "SKIP LXC container: lxc-create -t busybox failed: {}",
                String::from_utf8_lossy(&made.stderr).trim()
            );
            return None;
        }
        // No bridge on a test machine: a container without a network interface.
        let config = format!("/var/lib/lxc/{}/config", lxc.name);
        let conf = std::fs::read_to_string(&config).expect("the container's config");
        let conf: Vec<String> = conf
            .lines()
            .filter(|l| !l.trim_start().starts_with("lxc.net."))
            .map(str::to_string)
            .chain(["lxc.net.0.type = empty".to_string()])
            .collect();
        std::fs::write(&config, conf.join("\n") + "\n").expect("write the config");
        let started = run(&["lxc-start", "-n", &lxc.name, "-d"], 60);
        assert!(
            started.status.success(),
            "lxc-start: {}",
            String::from_utf8_lossy(&started.stderr)
        );
        Some(lxc)
    }

    /// The container's init, once lxc-info says RUNNING.
    pub(crate) fn init_pid(&self) -> i32 {
        let start = Instant::now();
        loop {
            // "State:          RUNNING" and "PID:            18672".
            let info = text(&run(&["lxc-info", "-n", &self.name, "-s", "-p"], 10));
            let field = |name: &str| {
                info.lines()
                    .find_map(|l| l.strip_prefix(name))
                    .map(|v| v.trim().to_string())
            };
            if field("State:").as_deref() == Some("RUNNING")
                && let Some(pid) = field("PID:").and_then(|p| p.parse().ok())
            {
                return pid;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "not running: {info}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// Thaws the container's own cgroups: those of `pid` whose path names the container
/// (`marker`), never another. A test that failed while the container was frozen can then
/// still stop it (a task frozen by the v1 freezer does not die of SIGKILL until thawed).
fn thaw_own(pid: Option<i32>, marker: &str) {
    let Some(pid) = pid.filter(|p| *p > 1) else {
        return;
    };
    let snap = snapshot();
    let Some(row) = snap.process(pid) else {
        return;
    };
    for c in row.cgroups.iter().filter(|c| c.path.contains(marker)) {
        let Some(h) = snap
            .cgroups
            .hierarchies
            .iter()
            .find(|h| h.id == c.hierarchy_id)
        else {
            continue;
        };
        let dir = Path::new(&h.mount_point).join(c.path.trim_start_matches('/'));
        for (file, value) in [("freezer.state", "THAWED"), ("cgroup.freeze", "0")] {
            if dir.join(file).is_file() {
                let _ = std::fs::write(dir.join(file), value);
            }
        }
    }
}

impl Drop for Lxc {
    fn drop(&mut self) {
        let pid = text(&run(&["lxc-info", "-n", &self.name, "-p", "-H"], 10))
            .parse()
            .ok();
        thaw_own(pid, &format!("lxc.payload.{}", self.name));
        let _ = run(&["lxc-stop", "-k", "-n", &self.name], 30);
        let _ = run(&["lxc-destroy", "-n", &self.name], 30);
    }
}

/// A podman container (runc, a busybox root the test makes); removed on drop.
pub(crate) struct Podman {
    pub(crate) name: String,
    _root: tempfile::TempDir,
}

impl Podman {
    pub(crate) fn start() -> Option<Podman> {
        if !need_root("podman container")
            || !["podman", "runc", "busybox"].iter().all(|t| have_tool(t))
        {
            return None;
        }
        let root = tempfile::tempdir().expect("a temp dir");
        let bin = root.path().join("bin");
        std::fs::create_dir(&bin).expect("bin");
        let busybox = Command::new("sh")
            .args(["-c", "command -v busybox"])
            .output()
            .map(|o| text(&o))
            .expect("busybox's path");
        std::fs::copy(&busybox, bin.join("busybox")).expect("copy busybox");
        std::os::unix::fs::symlink("busybox", bin.join("sleep")).expect("sleep");
        let podman = Podman {
            name: unique("boxtop-t"),
            _root: root,
        };
        let rootfs = podman._root.path().to_string_lossy().into_owned();
        // runc (crun refuses hybrid hosts); explicit rlimits (the defaults need
        // CAP_SYS_RESOURCE, which a test machine may lack).
        let out = run(
            &[
                "podman",
                "--runtime",
                "runc",
                "run",
                "-d",
                "--name",
                &podman.name,
                "--network",
                "none",
                "--ulimit",
                "nofile=1024:1024",
                "--ulimit",
                "nproc=1024:1024",
                "--rootfs",
                &rootfs,
                "/bin/sleep",
                "1000",
            ],
            120,
        );
        if !out.status.success() {
            eprintln!(
                "SKIP podman container: podman run failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            );
            return None;
        }
        Some(podman)
    }

    /// `podman inspect`'s id, the container's pid and conmon's pid.
    pub(crate) fn inspect(&self) -> (String, i32, i32) {
        let out = text(&run(
            &[
                "podman",
                "inspect",
                &self.name,
                "--format",
                "{{.Id}} {{.State.Pid}} {{.State.ConmonPid}}",
            ],
            30,
        ));
        let f: Vec<&str> = out.split_whitespace().collect();
        match f.as_slice() {
            [id, pid, conmon] => (
                (*id).to_string(),
                pid.parse().expect("a pid"),
                conmon.parse().expect("conmon's pid"),
            ),
            _ => panic!("podman inspect: {out}"),
        }
    }
}

impl Drop for Podman {
    fn drop(&mut self) {
        let out = text(&run(
            &[
                "podman",
                "inspect",
                &self.name,
                "--format",
                "{{.Id}} {{.State.Pid}}",
            ],
            30,
        ));
        if let Some((id, pid)) = out.split_once(' ') {
            thaw_own(pid.parse().ok(), &format!("libpod-{id}"));
        }
        let _ = run(&["podman", "rm", "-f", "-t", "0", &self.name], 60);
    }
}
