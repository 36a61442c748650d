//! `boxtop events --follow --json` on the real kernel (root), on the test's own cgroups and
//! processes only: a freeze and a thaw of its own v2 cgroup, its process's exit, and an OOM
//! kill in its own memory cgroup with a 16 MiB limit (v1 where the memory controller is
//! there, as on a hybrid host; else v2), each seen as one event naming the cgroup (and the
//! killed process), within a few refreshes of the kernel file changing; forks refused by
//! pids.max; an exec and an exit inside a sandbox of its own, named with their container.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

#[path = "support/live.rs"]
mod live;
#[path = "support/own_cgroups.rs"]
mod own_cgroups;

use own_cgroups::{Guard, make, own_sleep};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// `boxtop events --follow --json` running, its lines on a channel; killed on drop.
struct Follow {
    child: std::process::Child,
    lines: Receiver<Value>,
}

impl Follow {
    fn start() -> Follow {
        Follow::every("0.2")
    }

    /// Following with a refresh every `seconds`.
    fn every(seconds: &str) -> Follow {
        let mut child = Command::new(env!("CARGO_BIN_EXE_boxtop"))
            .args(["events", "--follow", "--json", "--interval", seconds])
            .stdout(Stdio::piped())
            .stdin(Stdio::null())
            .spawn()
            .expect("boxtop events");
        let out = child.stdout.take().expect("its stdout");
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                let v: Value = serde_json::from_str(&line).expect("one JSON object per line");
                if tx.send(v).is_err() {
                    break;
                }
            }
        });
        // Its first snapshot is the reference: wait until it has taken it.
        std::thread::sleep(Duration::from_millis(600));
        Follow { child, lines }
    }

    /// The first event that `want` accepts, within 5 s.
    fn wait(&self, what: &str, want: impl Fn(&Value) -> bool) -> Value {
        self.wait_at_most(Duration::from_secs(5), what, want)
    }

    fn wait_at_most(&self, most: Duration, what: &str, want: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + most;
        let mut seen = Vec::new();
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(v) if want(&v) => return v,
                Ok(v) => seen.push(v),
                Err(_) => break,
            }
        }
        panic!("no {what} event; saw {seen:#?}");
    }
}

impl Drop for Follow {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A cgroup of the test's own, with its guard, directory, path and hierarchy version: in the
/// hierarchy with `controller` (v1's where there is one, as on a hybrid host; else v2's), or
/// in v2 for None. None, said as a SKIP, when there is no such hierarchy or no cgroup can be
/// made.
fn own_group(controller: Option<&str>, what: &str) -> Option<(Guard, PathBuf, String, u8)> {
    if !live::need_root(what) {
        return None;
    }
    let snap = live::snapshot();
    let h = snap
        .cgroups
        .hierarchies
        .iter()
        .filter(|h| match controller {
            None => h.version == 2,
            Some(c) => h.version == 2 || h.controllers.iter().any(|n| n == c),
        })
        .min_by_key(|h| h.version);
    let Some(h) = h else {
        eprintln!("SKIP {what}: no hierarchy with {controller:?}");
        return None;
    };
    let mut guard = Guard::default();
    let Some(g) = make(h, &mut guard) else {
        eprintln!("SKIP {what}: cannot make a cgroup under the test's own");
        return None;
    };
    let (dir, rel) = (guard.groups[g].dir.clone(), guard.groups[g].rel.clone());
    Some((guard, dir, rel, h.version))
}

fn is(v: &Value, kind: &str, cgroup: &str) -> bool {
    v["kind"] == kind && v["cgroup"] == cgroup
}

#[test]
fn a_freeze_a_thaw_and_an_exit_are_followed() {
    let Some((mut guard, dir, rel, _)) = own_group(None, "events of the test's own cgroup") else {
        return;
    };
    let pid = own_sleep(&mut guard);
    std::fs::write(dir.join("cgroup.procs"), pid.to_string()).expect("move the sleep in");
    let follow = Follow::start();
    std::fs::write(dir.join("cgroup.freeze"), "1").expect("freeze");
    let frozen = follow.wait("frozen", |v| is(v, "frozen", &rel));
    assert_eq!(frozen["source"], "cgroup.events frozen");
    std::fs::write(dir.join("cgroup.freeze"), "0").expect("thaw");
    follow.wait("thawed", |v| is(v, "thawed", &rel));
    let child = guard
        .children
        .iter_mut()
        .find(|c| c.id() == pid)
        .expect("ours");
    child.kill().expect("kill our sleep");
    child.wait().expect("reap it");
    // The cgroup empties when its task exits, before /proc lets go of the reaped process:
    // the same refresh or an earlier one, and a refresh lists cgroup events first.
    follow.wait("emptied", |v| is(v, "emptied", &rel));
    follow.wait("exit", |v| v["kind"] == "exit" && v["pid"] == pid);
}

/// Refreshing only every 30 s, the follower still prints a freeze of a v2 cgroup within a
/// second: inotify on its cgroup.events wakes it.
#[test]
fn a_v2_change_wakes_the_follower_before_its_interval() {
    let Some((mut guard, dir, rel, _)) = own_group(None, "events of the test's own cgroup") else {
        return;
    };
    let pid = own_sleep(&mut guard);
    std::fs::write(dir.join("cgroup.procs"), pid.to_string()).expect("move the sleep in");
    let follow = Follow::every("30");
    let asked = Instant::now();
    std::fs::write(dir.join("cgroup.freeze"), "1").expect("freeze");
    follow.wait_at_most(Duration::from_secs(2), "frozen, woken by inotify", |v| {
        is(v, "frozen", &rel)
    });
    assert!(
        asked.elapsed() < Duration::from_secs(2),
        "{:?}",
        asked.elapsed()
    );
    std::fs::write(dir.join("cgroup.freeze"), "0").expect("thaw");
}

#[test]
fn an_oom_kill_names_the_cgroup_and_the_process() {
    if !live::have_tool("python3") {
        return;
    }
    let Some((mut guard, dir, rel, version)) =
        own_group(Some("memory"), "an OOM kill in the test's own cgroup")
    else {
        return;
    };
    let limit = if version == 2 {
        "memory.max"
    } else {
        "memory.limit_in_bytes"
    };
    if std::fs::write(dir.join(limit), "16777216").is_err() {
        eprintln!("SKIP OOM: {limit} cannot be set here");
        return;
    }
    let _ = std::fs::write(dir.join("memory.swap.max"), "0"); // v2: no swap to escape to
    let follow = Follow::start();
    // Joins the cgroup, lives through a refresh (so that boxtop knows it as a member), then
    // allocates and touches 64 MiB: the kernel kills it.
    let script = format!(
        "echo $$ > {}/cgroup.procs && sleep 1 && exec python3 -c 'b = bytearray(64 << 20)'",
        dir.display()
    );
    let child = Command::new("setsid")
        .args(["sh", "-c", &script])
        .stdin(Stdio::null())
        .spawn()
        .expect("the allocator");
    let pid = child.id();
    guard.children.push(child);
    let kill = follow.wait("oom_kill", |v| is(v, "oom_kill", &rel));
    assert_eq!(kill["pid"], pid, "the killed process is named: {kill}");
    let source = if version == 2 {
        "memory.events oom_kill"
    } else {
        "memory.oom_control oom_kill"
    };
    assert_eq!(kill["source"], source);
    let status = guard
        .children
        .iter_mut()
        .find(|c| c.id() == pid)
        .and_then(|c| c.wait().ok())
        .expect("its status");
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(
        status.signal(),
        Some(9),
        "the kernel's OOM killer sends SIGKILL"
    );
}

/// A fork bomb bounded by pids.max = 5 in the test's own pids cgroup: the forks refused are a
/// `pids_max` event at that cgroup.
#[test]
fn forks_refused_by_pids_max_are_an_event() {
    let Some((mut guard, dir, rel, _)) =
        own_group(Some("pids"), "a pids limit on the test's own cgroup")
    else {
        return;
    };
    if std::fs::write(dir.join("pids.max"), "5").is_err() {
        eprintln!("SKIP pids: pids.max cannot be set here");
        return;
    }
    let follow = Follow::start();
    // Joins, then starts ten short sleeps: the shell and four of them fit, the rest are
    // refused (the shell says so on its stderr, which is dropped).
    let script = format!(
        "echo $$ > {}/cgroup.procs && for i in 1 2 3 4 5 6 7 8 9 10; do sleep 2 & done; wait",
        dir.display()
    );
    let child = Command::new("setsid")
        .args(["sh", "-c", &script])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the bounded fork bomb");
    guard.children.push(child);
    let hit = follow.wait("pids_max", |v| is(v, "pids_max", &rel));
    assert_eq!(hit["source"], "pids.events max");
    assert!(
        hit["detail"]
            .as_str()
            .is_some_and(|d| d.starts_with("pids_max 0 -> ")),
        "{hit}"
    );
}

/// A sandbox of the test's own (`unshare` into new pid, net and uts namespaces): a process
/// started inside it after it is running is an `exec` of that container, and its end an
/// `exit` of it. The pid namespace's init is killed with `unshare` (--kill-child), and the
/// kernel ends everything in the namespace with it.
#[test]
fn an_exec_and_an_exit_in_a_sandbox_name_their_container() {
    if !live::need_root("a sandbox of the test's own (unshare)") {
        return;
    }
    let mut guard = Guard::default();
    let follow = Follow::start();
    let mark = format!("3{}", std::process::id());
    let script = format!("sleep 1; sleep {mark}; true");
    let child = Command::new("setsid")
        .args([
            "unshare",
            "--pid",
            "--fork",
            "--kill-child",
            "--net",
            "--uts",
            "sh",
            "-c",
        ])
        .arg(&script)
        .stdin(Stdio::null())
        .spawn()
        .expect("unshare");
    guard.children.push(child);
    let is_ours = |v: &Value| {
        v["detail"]
            .as_str()
            .is_some_and(|d| d.contains(&format!("sleep {mark}")))
    };
    let exec = follow.wait("exec in the sandbox", |v| v["kind"] == "exec" && is_ours(v));
    let pid = i32::try_from(exec["pid"].as_i64().expect("a pid")).expect("a pid");
    // The container the collector puts that process in, by its own reading.
    let label = live::snapshot()
        .containers
        .iter()
        .find(|c| c.pids.contains(&pid))
        .map(boxtop::model::Container::label)
        .expect("the sandbox is a container");
    assert!(label.starts_with("sandbox/"), "{label}");
    assert_eq!(exec["container"], label.as_str(), "{exec}");

    for c in &mut guard.children {
        c.kill().expect("kill unshare");
        c.wait().expect("reap it");
    }
    guard.children.clear();
    let exit = follow.wait("exit in the sandbox", |v| {
        v["kind"] == "exit" && v["pid"] == pid
    });
    assert_eq!(exit["container"], label.as_str(), "{exit}");
}
