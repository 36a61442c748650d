//! End-to-end: the containers pane of the real binary in tmux, with a real LXC container the
//! test starts (unique name, destroyed even when the test fails): listed by name, Enter
//! shows exactly its processes, `f` freezes it after the preview (which says LXC's own
//! `lxc-freeze` is run, and the freezer file it writes) and `lxc-info` agrees; `F` thaws it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

#[macro_use]
#[path = "support/tmux.rs"]
mod tmux;
#[path = "support/containers.rs"]
mod containers;
#[path = "support/live.rs"]
mod live;

use containers::{Lxc, run, text};
use tmux::*;

/// `lxc-info -s`: RUNNING, FROZEN, ...
fn lxc_state(name: &str) -> String {
    text(&run(&["lxc-info", "-n", name, "-s"], 10))
        .strip_prefix("State:")
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}

/// The pids in the container's v2 cgroup and below, as the kernel lists them.
fn members(name: &str) -> Vec<i32> {
    let snap = live::snapshot();
    let c = snap
        .containers
        .iter()
        .find(|c| c.name == name)
        .expect("boxtop's own collector finds it");
    let mut pids = c.pids.clone();
    pids.sort_unstable();
    pids
}

/// The row of the pane that names the container (its first cell: not the pane's title).
fn row<'a>(screen: &'a str, name: &str) -> Option<&'a str> {
    screen.lines().find(|l| {
        l.split_whitespace()
            .next()
            .map(|w| w.trim_start_matches('│'))
            == Some(name)
    })
}

#[test]
fn an_lxc_container_from_the_containers_pane() {
    require_tmux!();
    let Some(lxc) = Lxc::start() else { return };
    let init = lxc.init_pid();
    let name = lxc.name.clone();
    let t = Tmux::start();
    t.start_boxtop("");
    t.keys(&["5"]);
    let screen = t.wait_for("the LXC container listed by name, running", |s| {
        s.contains("┌ 5 Containers")
            && row(s, &name).is_some_and(|r| r.contains(" lxc ") && r.contains("running"))
    });
    assert!(
        row(&screen, &name).is_some(),
        "{name} is not listed:\n{screen}"
    );
    // Narrow the pane to it, so that the cursor is on it.
    t.keys(&["/"]);
    t.wait_text("Filter:");
    t.run(&["send-keys", "-t", "e2e", "-l", &format!("name:{name}")]);
    t.keys(&["Enter"]);
    t.wait_for("the container selected", |s| {
        s.contains(&format!("lxc {name} · main process {init}"))
    });
    // Enter: the process table shows exactly its processes (busybox's init and its children).
    t.keys(&["Enter"]);
    let want = members(&name);
    let screen = t.wait_for("only the container's processes", |s| {
        s.contains("┌ 1 Processes") && s.contains(&format!("({} shown", want.len()))
    });
    for pid in &want {
        assert!(
            screen
                .lines()
                .any(|l| l.trim_start_matches('│').split_whitespace().next()
                    == Some(&pid.to_string())),
            "pid {pid} of {want:?} is not in the table:\n{screen}"
        );
    }
    // Back to the pane; f shows the plan with LXC's own command, and writes nothing yet.
    t.keys(&["5"]);
    t.wait_text(&format!("lxc {name} · main process"));
    t.keys(&["f"]);
    let plan = t.wait_for("the freeze's plan", |s| s.contains("Will run"));
    assert!(plan.contains(&format!("lxc-freeze -n {name}")), "{plan}");
    assert_eq!(lxc_state(&name), "RUNNING", "nothing is written before y");
    t.keys(&["y"]);
    t.wait_text(": frozen");
    assert_eq!(lxc_state(&name), "FROZEN", "lxc-info agrees");
    t.wait_for("the pane shows it frozen", |s| {
        row(s, &name).is_some_and(|r| r.contains("frozen"))
    });
    t.keys(&["F"]);
    t.wait_text("Will run");
    t.keys(&["y"]);
    t.wait_text(": thawed");
    assert_eq!(lxc_state(&name), "RUNNING");
    t.wait_for("the pane shows it running", |s| {
        row(s, &name).is_some_and(|r| r.contains("running"))
    });
    t.keys(&["q"]);
}
