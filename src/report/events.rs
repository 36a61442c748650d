//! `boxtop events`: what the kernel did, as two snapshots one interval apart tell it
//! (`collect::events`), once or (`--follow`) on every refresh; one line per event, or one
//! JSON object per line (docs/events-json.md).
//!
//! Between refreshes it sleeps on inotify (`kernel::cgroupfs::watch`): a change to any v2
//! cgroup's `cgroup.events` or `memory.events` (a freeze, an OOM kill, a cgroup emptied)
//! takes the next snapshot at once, so such an event is printed within a moment of the
//! kernel's file changing, and nothing is read while nothing happens. Processes and v1 files
//! have no such signal: they are compared every interval.

use crate::collect::Collector;
use crate::collect::events::{between, unreadable};
use crate::kernel::Roots;
use crate::kernel::cgroupfs::watch::EventFiles;
use crate::kernel::clock::local_hms_at;
use crate::model::{KernelEvent, Snapshot};
use std::time::Duration;

/// What `boxtop events` was asked.
#[derive(Debug, Clone, Copy)]
pub struct EventsRequest {
    pub json: bool,
    /// The columns to fit each line to (None: whole lines).
    pub width: Option<usize>,
    pub follow: bool,
    pub interval_ms: u64,
}

/// Samples, compares and prints until one interval has passed (or, following, until the
/// reader of the output goes away).
pub fn run_events(roots: &Roots, req: EventsRequest) -> color_eyre::Result<()> {
    let mut collector = Collector::new(roots.clone())?;
    let mut prev = collector.collect(None)?;
    let cannot = unreadable(&prev);
    if !cannot.is_empty() {
        eprintln!("boxtop: cannot read {}", cannot.join("; "));
    }
    let interval = Duration::from_millis(req.interval_ms.max(100));
    // Without inotify (a fixture's files, no instance left), the interval alone.
    let mut watch = EventFiles::new().ok();
    loop {
        match watch.as_mut() {
            Some(w) => {
                w.follow(&v2_dirs(roots, &prev));
                if w.wait(interval)? {
                    // A freeze or an OOM changes many files in a burst: one refresh for it.
                    std::thread::sleep(SETTLE);
                }
            }
            None => std::thread::sleep(interval),
        }
        let next = collector.collect(None)?;
        let mut text = Vec::new();
        for e in between(&prev, &next) {
            if req.json {
                serde_json::to_writer(&mut text, &e)?;
                text.push(b'\n');
            } else {
                let one = crate::text::fit_lines(line(&e), req.width);
                text.extend_from_slice(one.as_bytes());
            }
        }
        super::print(&text)?;
        if !req.follow {
            return Ok(());
        }
        prev = next;
    }
}

/// How long after the first change of a burst the snapshot is taken.
const SETTLE: Duration = Duration::from_millis(50);

/// The directory of every v2 cgroup of `snap`, whose event files are watched.
fn v2_dirs(roots: &Roots, snap: &Snapshot) -> Vec<std::path::PathBuf> {
    snap.cgroups
        .hierarchies
        .iter()
        .filter(|h| h.version == 2)
        .filter_map(|h| Some((roots.cgroup_mount(&h.mount_point)?, h)))
        .flat_map(|(mount, h)| {
            h.cgroups
                .iter()
                .map(move |n| Roots::cgroup_dir(&mount, &n.path))
        })
        .collect()
}

/// `14:02:11  oom_kill  docker/web  /system.slice/docker-….scope  pid 501  oom_kill 0 -> 1: …`
fn line(e: &KernelEvent) -> String {
    let mut parts = vec![
        local_hms_at(e.time_unix_ms / 1000),
        e.kind.word().to_string(),
    ];
    parts.extend(e.container.clone());
    parts.extend(e.cgroup.clone());
    parts.extend(e.pid.map(|p| format!("pid {p}")));
    parts.push(e.detail.clone());
    parts.join("  ") + "\n"
}
