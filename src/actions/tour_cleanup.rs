//! What leaving the tour undoes: the processes its demos started are killed (each checked by
//! its start time first, so that a pid reused by someone else is never signalled), then the
//! cgroups its moves made are removed, deepest first, then its root directory. Bounded: a
//! cgroup still busy after two seconds, or a root someone put files in, is left and said.

use crate::kernel::Roots;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// A process a demo started: pid, and start time where a snapshot had it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Started {
    pub pid: i32,
    pub start_time: Option<u64>,
}

/// What the tour made.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cleanup {
    pub processes: Vec<Started>,
    /// Deepest first.
    pub cgroups: Vec<PathBuf>,
    pub root: Option<PathBuf>,
}

impl Cleanup {
    pub fn is_empty(&self) -> bool {
        self.processes.is_empty() && self.cgroups.is_empty() && self.root.is_none()
    }

    /// In words, for the panel: what leaving will stop and remove.
    pub fn describe(&self) -> String {
        let mut parts: Vec<String> = self
            .processes
            .iter()
            .map(|p| format!("process {}", p.pid))
            .collect();
        parts.extend(self.cgroups.iter().map(|c| c.display().to_string()));
        parts.extend(self.root.iter().map(|r| r.display().to_string()));
        parts.join(", ")
    }
}

/// How long the cleanup waits for the processes to end and their cgroups to empty.
const WAIT: Duration = Duration::from_secs(2);

/// Does it; one line per thing done or left.
pub fn run(roots: &Roots, what: &Cleanup) -> Vec<String> {
    use crate::kernel::procs::{read_start_time, signal};
    let mut said = Vec::new();
    let mut killed = Vec::new();
    for p in &what.processes {
        let now = read_start_time(roots, p.pid).ok();
        // Unknown start time (it never reached a snapshot): the launch reported it moments
        // ago, and nothing else can have taken the pid while it runs.
        if now.is_none() || (p.start_time.is_some() && now != p.start_time) {
            continue;
        }
        match signal::send(p.pid, nix::sys::signal::Signal::SIGKILL) {
            Ok(()) => {
                said.push(format!("Killed process {}", p.pid));
                killed.push(*p);
            }
            Err(e) => said.push(format!("Could not kill process {}: {}", p.pid, e.desc())),
        }
    }
    let deadline = Instant::now() + WAIT;
    // A killed task leaves its cgroup when it exits; its helper (the parent) reaps it.
    while killed
        .iter()
        .any(|p| read_start_time(roots, p.pid).ok() == p.start_time && p.start_time.is_some())
        && Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(20));
    }
    // Run twice (the poller's cleanup cut short by the program's end), what is gone is
    // skipped silently.
    for dir in what.cgroups.iter().filter(|d| d.exists()) {
        let removed = loop {
            match crate::kernel::cgroupfs::write::remove_cgroup(dir) {
                Ok(()) => break Ok(()),
                Err(e) if Instant::now() >= deadline => break Err(e),
                Err(e) if e.access() == crate::model::Access::Gone => break Err(e),
                Err(_) => std::thread::sleep(Duration::from_millis(20)),
            }
        };
        match removed {
            Ok(()) => said.push(format!("Removed {}", dir.display())),
            Err(e) => said.push(format!("Left {}: {e}", dir.display())),
        }
    }
    if let Some(root) = what.root.as_ref().filter(|r| r.exists()) {
        match crate::kernel::scratch_root::remove(root) {
            Ok(()) => said.push(format!("Removed {}", root.display())),
            Err(e) => said.push(format!("Left {}: {e}", root.display())),
        }
    }
    said
}
