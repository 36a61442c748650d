//! End-to-end: the action keys of the real binary in tmux, on the tests' own processes and
//! cgroups only (created under the test's own cgroups, removed even when a test fails).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

#[macro_use]
#[path = "support/tmux.rs"]
mod tmux;
#[path = "support/own_cgroups.rs"]
mod own_cgroups;

use own_cgroups::{Guard, make, own_sleep, raw};
use tmux::*;

/// Filters the table to `pid` and waits until it is selected.
fn select(t: &Tmux, pid: u32, comm: &str) {
    t.keys(&["/"]);
    t.wait_text("Filter:");
    t.run(&["send-keys", "-t", "e2e", "-l", &format!("pid:{pid}")]);
    t.keys(&["Enter"]);
    t.wait_for("the test's process selected", |s| {
        s.contains(&format!("selected {pid} ({comm})"))
    });
}

/// A v2 cgroup this test creates under its own, with a `sleep` of its own (in a session of
/// its own, so that boxtop does not protect it), thawed, emptied and removed on drop.
struct OwnFrozenGroup {
    dir: std::path::PathBuf,
    child: std::process::Child,
}

impl Drop for OwnFrozenGroup {
    fn drop(&mut self) {
        let _ = std::fs::write(self.dir.join("cgroup.freeze"), "0");
        let _ = self.child.kill();
        let _ = self.child.wait();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(3);
        while std::fs::remove_dir(&self.dir).is_err()
            && self.dir.exists()
            && std::time::Instant::now() < deadline
        {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
}

fn own_v2_group() -> Option<OwnFrozenGroup> {
    if !nix::unistd::geteuid().is_root() {
        eprintln!("SKIP freeze from the keyboard: needs root");
        return None;
    }
    let snap = boxtop::kernel::cgroupfs::read_cgroups(&boxtop::kernel::Roots::live()).ok()?;
    let Some(v2) = snap.hierarchies.iter().find(|h| h.version == 2) else {
        eprintln!("SKIP freeze from the keyboard: no cgroup2 mount");
        return None;
    };
    let own = std::fs::read_to_string("/proc/self/cgroup")
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("0::").map(str::to_string))?;
    let mount = boxtop::kernel::Roots::live().cgroup_mount(&v2.mount_point)?;
    let rel = format!(
        "{}/boxtop-e2e-{}",
        own.trim_end_matches('/'),
        std::process::id()
    );
    let dir = boxtop::kernel::Roots::cgroup_dir(&mount, &rel);
    std::fs::create_dir(&dir).ok()?;
    let child = std::process::Command::new("setsid")
        .args(["sleep", "300"])
        .stdin(std::process::Stdio::null())
        .spawn()
        .ok()?;
    let group = OwnFrozenGroup { dir, child };
    std::fs::write(group.dir.join("cgroup.procs"), group.child.id().to_string()).ok()?;
    Some(group)
}

/// Select the test's own process, press f, see the write it will make, confirm with y, and
/// see the kernel report the cgroup frozen; then F and y thaw it.
#[test]
fn freeze_and_thaw_from_the_keyboard() {
    require_tmux!();
    let Some(group) = own_v2_group() else { return };
    let pid = group.child.id();
    let events = || std::fs::read_to_string(group.dir.join("cgroup.events")).unwrap_or_default();
    let t = Tmux::start();
    t.start_boxtop("");
    select(&t, pid, "sleep");
    t.keys(&["f"]);
    t.wait_for("the freeze's plan", |s| {
        s.contains("cgroup.freeze") && s.contains("echo 1 >")
    });
    assert!(
        !events().contains("frozen 1"),
        "nothing is written before y"
    );
    t.keys(&["y"]);
    t.wait_text(": frozen");
    assert!(events().contains("frozen 1"), "{}", events());
    t.keys(&["F"]);
    t.wait_text("Will write");
    t.keys(&["y"]);
    t.wait_text(": thawed");
    assert!(events().contains("frozen 0"), "{}", events());
    t.keys(&["q"]);
}

/// l on the test's own process (alone in its own v1 pids cgroup): the form, the preview, y,
/// the kernel file; then u puts the old value back, and the event log shows both.
#[test]
fn limit_and_undo_from_the_keyboard() {
    require_tmux!();
    if !nix::unistd::geteuid().is_root() {
        eprintln!("SKIP limit from the keyboard: needs root");
        return;
    }
    let snap =
        boxtop::kernel::cgroupfs::read_cgroups(&boxtop::kernel::Roots::live()).expect("cgroups");
    // pids.max: in v2 if the v2 hierarchy has the pids controller, else in v1's pids.
    let Some(h) = snap
        .hierarchies
        .iter()
        .filter(|h| h.controllers.iter().any(|c| c == "pids"))
        .max_by_key(|h| h.version)
    else {
        eprintln!("SKIP limit from the keyboard: no pids controller");
        return;
    };
    let mut guard = Guard::default();
    let g = make(h, &mut guard).expect("own cgroup");
    let pid = own_sleep(&mut guard);
    std::fs::write(guard.groups[g].dir.join("cgroup.procs"), pid.to_string()).expect("move");
    let dir = guard.groups[g].dir.clone();
    assert_eq!(raw(&dir, "pids.max"), "max");

    let t = Tmux::start();
    t.start_boxtop("");
    select(&t, pid, "sleep");
    t.keys(&["l"]);
    t.wait_text("memory high");
    t.keys(&["Tab", "Tab", "Tab"]);
    t.run(&["send-keys", "-t", "e2e", "-l", "7"]);
    t.keys(&["Enter"]);
    t.wait_for("the limit's plan", |s| {
        s.contains("pids.max: max") && s.contains("echo 7 >")
    });
    assert_eq!(raw(&dir, "pids.max"), "max", "nothing is written before y");
    t.keys(&["y"]);
    t.wait_for("the limit in the timeline", |s| {
        s.lines()
            .any(|l| l.contains("action") && l.contains(" limit ") && l.contains("ok:"))
    });
    assert_eq!(raw(&dir, "pids.max"), "7");
    t.keys(&["u"]);
    t.wait_for("the undo's plan", |s| {
        s.contains("pids.max: 7") && s.contains("echo max >")
    });
    t.keys(&["y"]);
    let s = t.wait_for("the undo in the timeline", |s| {
        s.lines()
            .any(|l| l.contains("action") && l.contains(" undo ") && l.contains("ok:"))
    });
    assert_eq!(raw(&dir, "pids.max"), "max");
    assert!(s.contains("limit ") && s.contains("undo "), "{s}");
    t.keys(&["q"]);
}

/// Processes started through the dashboard's `n`, found by their unique argument: the
/// command and its helper (its parent, a boxtop) are killed when the test ends.
struct Launched(String);

impl Launched {
    fn pids(&self) -> Vec<(i32, i32)> {
        let mut out = Vec::new();
        for e in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
            let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else {
                continue;
            };
            let cmd = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            if cmd == format!("sleep\0{}\0", self.0).as_bytes() {
                let ppid = stat_fields(pid).map_or(0, |(_, p)| p);
                out.push((pid, ppid));
            }
        }
        out
    }
}

impl Drop for Launched {
    fn drop(&mut self) {
        for (pid, helper) in self.pids() {
            let comm = std::fs::read_to_string(format!("/proc/{helper}/comm")).unwrap_or_default();
            if helper > 1 && comm.trim() == "boxtop" {
                let _ = nix::sys::signal::kill(
                    nix::unistd::Pid::from_raw(helper),
                    nix::sys::signal::Signal::SIGKILL,
                );
            }
            let _ = nix::sys::signal::kill(
                nix::unistd::Pid::from_raw(pid),
                nix::sys::signal::Signal::SIGKILL,
            );
        }
    }
}

/// n opens the unshare window; Enter starts `sleep` in new mnt/uts/ipc/net/pid namespaces;
/// it appears selected, and the namespace pane shows its namespaces as new.
#[test]
fn unshare_from_the_keyboard_starts_a_process_in_new_namespaces() {
    require_tmux!();
    if !nix::unistd::geteuid().is_root() {
        eprintln!("SKIP unshare from the keyboard: needs root (new namespaces)");
        return;
    }
    let secs = format!("{}", 900_000 + std::process::id() % 99_999);
    let launched = Launched(secs.clone());
    let t = Tmux::start();
    t.start_boxtop("");
    t.keys(&["n"]);
    // The window, whole (a capture can catch a frame half drawn).
    t.wait_for("the unshare window", |s| {
        s.contains("Start a command in new namespaces")
            && s.contains("[x] pid")
            && s.contains("[ ] user")
    });
    t.keys(&["Up", "C-u"]);
    t.run(&["send-keys", "-t", "e2e", "-l", &format!("sleep {secs}")]);
    t.keys(&["Enter"]);
    // The helper's steps, shown before anything starts.
    t.wait_for("the helper's steps", |s| {
        s.contains("mount -t proc") && s.contains("unshare(CLONE_NEW")
    });
    assert!(launched.pids().is_empty(), "nothing starts before y");
    t.keys(&["y"]);
    let s = t.wait_text("started as pid");
    let pid = launched
        .pids()
        .first()
        .map(|p| p.0)
        .unwrap_or_else(|| panic!("the sleep runs:\n{s}"));
    // Both the title and the namespace pane: a capture can catch a frame half drawn, the
    // title already new and the pane below not yet.
    let s = t.wait_for("the new process selected, its namespaces shown", |s| {
        s.contains(&format!("selected {pid} (sleep)"))
            && s.contains(&format!("{pid} sleep · NSpid"))
    });
    // The kernel agrees: new pid and net namespaces, and pid 1 inside.
    let ns = |p: String, n: &str| std::fs::read_link(format!("/proc/{p}/ns/{n}")).ok();
    for n in ["pid", "net", "uts", "ipc", "mnt"] {
        assert_ne!(ns(pid.to_string(), n), ns("self".into(), n), "{n}");
    }
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let nspid = status
        .lines()
        .find(|l| l.starts_with("NSpid:"))
        .unwrap_or("");
    assert!(nspid.ends_with("\t1"), "{nspid}");
    // The command gets the environment boxtop was started with: not the
    // RUST_LIB_BACKTRACE=0 the dashboard sets for itself.
    if std::env::var_os("RUST_LIB_BACKTRACE").is_none() {
        let environ = std::fs::read(format!("/proc/{pid}/environ")).unwrap_or_default();
        assert!(
            !environ
                .split(|b| *b == 0)
                .any(|v| v.starts_with(b"RUST_LIB_BACKTRACE=")),
            "{}",
            String::from_utf8_lossy(&environ)
        );
    }
    // The namespace pane says which are new.
    assert!(s.contains("new"), "{s}");
    assert!(s.contains("unshare "), "the event log: {s}");
    t.keys(&["q"]);
}

/// Two of the test's own sleeps share the test's own v2 cgroup. f on one says so and offers
/// m: move it into a cgroup of its own (boxtop-PID, created under the shared one), freeze
/// only that. The kernel then has it frozen and the other not.
#[test]
fn freezing_a_process_that_shares_its_cgroup_moves_it_first() {
    require_tmux!();
    if !nix::unistd::geteuid().is_root() {
        eprintln!("SKIP freeze alone: needs root");
        return;
    }
    let snap =
        boxtop::kernel::cgroupfs::read_cgroups(&boxtop::kernel::Roots::live()).expect("cgroups");
    let Some(v2) = snap.hierarchies.iter().find(|h| h.version == 2) else {
        eprintln!("SKIP freeze alone: no cgroup2 mount");
        return;
    };
    let mut guard = Guard::default();
    let g = make(v2, &mut guard).expect("own v2 cgroup");
    let shared = guard.groups[g].dir.clone();
    let (one, other) = (own_sleep(&mut guard), own_sleep(&mut guard));
    for pid in [one, other] {
        std::fs::write(shared.join("cgroup.procs"), pid.to_string()).expect("move");
    }
    // boxtop's cgroup for it: removed by the guard (children first: it is pushed last).
    let alone = shared.join(format!("boxtop-{one}"));
    guard.groups.push(own_cgroups::Made {
        dir: alone.clone(),
        rel: String::new(),
    });

    let t = Tmux::start();
    t.start_boxtop("");
    select(&t, one, "sleep");
    t.keys(&["f"]);
    t.wait_for("the offer to move it first", |s| {
        s.contains("move it into a cgroup of its own first")
            && s.contains("shares cgroup")
            && s.contains("1 other")
    });
    t.keys(&["m"]);
    let s = t.wait_for("the plan with the new cgroup", |s| {
        s.contains("Will create") && s.contains("cgroup.freeze: (new cgroup) ->")
    });
    assert!(s.contains(&format!("echo {one} >")), "{s}");
    assert!(!alone.exists(), "nothing is created before y");
    t.keys(&["y"]);
    t.wait_text(": frozen");
    assert!(raw(&alone, "cgroup.events").contains("frozen 1"));
    assert_eq!(raw(&alone, "cgroup.procs"), one.to_string());
    assert!(raw(&shared, "cgroup.events").contains("frozen 0"));
    assert_eq!(raw(&shared, "cgroup.procs"), other.to_string());
    t.keys(&["q"]);
}
