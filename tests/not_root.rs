//! The whole command as an ordinary user on the live system: what is denied is marked
//! denied, and the rest is still shown.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

#[path = "support/live.rs"]
mod live;

use std::process::Command;

#[test]
fn denied_files_are_marked_and_the_rest_is_shown() {
    if !live::need_root("dropping to nobody") || !live::have_tool("setpriv") {
        return;
    }
    let out = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .arg(env!("CARGO_BIN_EXE_boxtop"))
        .args(["snapshot", "--json", "--cpu-sample-ms", "0"])
        .output()
        .expect("run boxtop as nobody");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let snap: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let procs = snap["processes"].as_array().unwrap();
    let me = i64::from(std::process::id());
    // This test runs as root: nobody may not read our namespace links.
    let own = procs
        .iter()
        .find(|p| p["pid"] == me)
        .expect("the test process is listed");
    assert_eq!(own["namespaces_access"], "denied");
    assert_eq!(own["namespaces"], serde_json::json!({}));
    // ... but stat is world-readable: the row is still there and full.
    assert_eq!(own["uid"], 0);
    assert!(own["rss_bytes"].as_u64().unwrap() > 0);
    // nobody's own boxtop process can read its own links.
    let theirs = procs
        .iter()
        .find(|p| p["uid"] == 65534 && p["comm"] == "boxtop")
        .expect("boxtop itself is listed");
    assert_eq!(theirs["namespaces_access"], "ok");
    assert!(
        snap["cgroups"]["hierarchies"]
            .as_array()
            .is_some_and(|h| !h.is_empty())
    );
}

/// `boxtop events` as nobody says which of its sources it cannot read (other users'
/// namespaces: their namespace events cannot be seen), then prints what it can.
#[test]
fn events_say_what_they_cannot_see() {
    if !live::need_root("dropping to nobody") || !live::have_tool("setpriv") {
        return;
    }
    let out = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .arg(env!("CARGO_BIN_EXE_boxtop"))
        .args(["events", "--interval", "0.2"])
        .output()
        .expect("run boxtop events as nobody");
    assert!(out.status.success(), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("boxtop: cannot read the namespaces of ")
            && err.contains("(namespace events)"),
        "{err}"
    );
}
