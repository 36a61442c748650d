//! Shared by the real-kernel tests: root checks, children the test owns, polling.

#![allow(
    dead_code,
    reason = "shared by several test crates; each uses only part of it"
)]

use boxtop::collect::Collector;
use boxtop::kernel::Roots;
use boxtop::model::Snapshot;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// True if the test may go on; prints why not otherwise.
pub(crate) fn need_root(what: &str) -> bool {
    if nix::unistd::geteuid().is_root() {
        true
    } else {
        eprintln!("SKIP {what}: needs root");
        false
    }
}

pub(crate) fn have_tool(tool: &str) -> bool {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .stdout(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !found {
        eprintln!("SKIP: {tool} is not installed");
    }
    found
}

/// A child process this test started; killed and reaped on drop, even when the test fails.
pub(crate) struct Owned {
    pub child: Child,
    /// Further pids the test started through this child (e.g. the process unshare forked).
    pub extra: Vec<i32>,
}

impl Owned {
    pub(crate) fn spawn(cmd: &mut Command) -> Owned {
        let child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start child");
        Owned {
            child,
            extra: Vec::new(),
        }
    }
    pub(crate) fn pid(&self) -> i32 {
        i32::try_from(self.child.id()).unwrap()
    }
}

impl Drop for Owned {
    fn drop(&mut self) {
        for pid in &self.extra {
            let _ = nix::sys::signal::kill(
                nix::unistd::Pid::from_raw(*pid),
                nix::sys::signal::Signal::SIGKILL,
            );
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn snapshot() -> Snapshot {
    Collector::new(Roots::live())
        .expect("live roots")
        .collect(None)
        .expect("collect")
}

/// Polls until `f` finds something, for at most 5 s.
pub(crate) fn wait_for<T>(mut f: impl FnMut() -> Option<T>) -> Option<T> {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(5) {
        if let Some(v) = f() {
            return Some(v);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

/// The inode of one of our own namespaces, read directly (not through boxtop).
pub(crate) fn own_ns(name: &str) -> u64 {
    let target = std::fs::read_link(format!("/proc/self/ns/{name}")).expect("own ns link");
    let s = target.to_string_lossy();
    s.split('[')
        .nth(1)
        .and_then(|r| r.trim_end_matches(']').parse().ok())
        .expect("ns inode")
}
