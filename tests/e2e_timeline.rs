//! The live timeline as a person sees it: the dashboard runs in tmux while the test freezes
//! and thaws a cgroup of its own, starts a process in it and ends one. The freeze opens
//! the pane by itself; `v` shows the exec and the exit. Root, tmux and a freezer (v2
//! cgroup.freeze or the v1 freezer) are needed; everything made is removed, pass or fail.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

#[macro_use]
#[path = "support/tmux.rs"]
mod tmux;
#[path = "support/live.rs"]
mod live;
#[path = "support/own_cgroups.rs"]
mod own_cgroups;

use own_cgroups::{Guard, freezable, own_sleep};
use tmux::*;

/// A row of the timeline: the pane's rows start with the time; `kind` and `with` on it.
fn has_row(screen: &str, kind: &str, with: &str) -> bool {
    screen.lines().any(|l| {
        l.contains(&format!(" {kind} "))
            && l.contains(with)
            && l.contains(':')
            && l.starts_with('│')
    })
}

#[test]
fn freezes_execs_and_exits_appear_in_the_timeline_as_they_happen() {
    require_tmux!();
    if !live::need_root("freeze a cgroup of the test's own under the dashboard") {
        return;
    }
    let mut guard = Guard::default();
    let Some((dir, file, frozen, thawed)) = freezable(&live::snapshot(), &mut guard) else {
        eprintln!("SKIP: no freezer hierarchy in which the test can make a cgroup");
        return;
    };
    let name = dir.file_name().unwrap().to_string_lossy().into_owned();
    let t = Tmux::start();
    t.start_boxtop("");

    // A process of the test's own, in its own session and cgroup, started under the
    // dashboard's eyes.
    let pid = own_sleep(&mut guard);
    std::fs::write(dir.join("cgroup.procs"), pid.to_string()).unwrap();

    // The freeze opens the pane by itself, at the test's cgroup.
    std::fs::write(dir.join(file), frozen).unwrap();
    t.wait_for("the freeze in the timeline", |s| {
        s.contains("6 Events") && has_row(s, "frozen", &name)
    });
    std::fs::write(dir.join(file), thawed).unwrap();
    t.wait_for("the thaw in the timeline", |s| has_row(s, "thawed", &name));

    // The exec and the exit are process events: v shows them.
    t.keys(&["6", "v"]);
    t.wait_for("the exec of the test's process", |s| {
        s.contains("with process events") && has_row(s, "exec", &pid.to_string())
    });
    for c in &mut guard.children {
        c.kill().unwrap();
        c.wait().unwrap();
    }
    guard.children.clear();
    t.wait_for("the exit of the test's process", |s| {
        has_row(s, "exit", &pid.to_string())
    });
    // That older events stay is checked on the filtered timeline below: unfiltered, the
    // exits of whatever else the host runs meanwhile can push the freeze off the pane.

    // The filter narrows it to the test's cgroup: its four cgroup events (a process's
    // events name its deepest cgroup, which may be in another hierarchy).
    t.keys(&["/"]);
    t.type_line(&format!("cgroup:{name}"));
    let s = t.wait_for("the filtered timeline", |s| {
        s.contains(&format!("(filter: cgroup:{name})")) && !s.contains(" Events: ")
    });
    for kind in ["frozen", "thawed", "populated", "emptied"] {
        assert!(
            has_row(&s, kind, &name),
            "{kind} in the filtered timeline:\n{s}"
        );
    }
    assert!(!has_row(&s, "exec", &pid.to_string()), "{s}");
    t.keys(&["q"]);
    t.wait_text(PROMPT_SHOWN);
}
