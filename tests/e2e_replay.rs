//! Record, then replay, as a person would: `boxtop record` runs while the test starts a
//! process of its own in a cgroup of its own, freezes that cgroup, thaws it and ends the
//! process; then `boxtop replay` in tmux shows the process at the time it existed and not
//! after, the frozen state at its time, and the time bar. Root, tmux and a freezer (v2
//! cgroup.freeze or v1 freezer) are needed; everything made is removed, pass or fail.

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

use boxtop::store::Recording;
use own_cgroups::{Guard, freezable, own_sleep};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};
use tmux::*;

/// A recorder of the test's own; stopped (SIGTERM, as systemd does) on drop.
struct Recorder(Child);

impl Recorder {
    fn start(dir: &Path) -> Recorder {
        let child = Command::new(BOXTOP)
            .args(["record", "--interval", "0.2", "--output"])
            .arg(dir)
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("boxtop record");
        Recorder(child)
    }

    fn stop(&mut self) {
        let pid = nix::unistd::Pid::from_raw(self.0.id().cast_signed());
        let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM);
        let _ = self.0.wait();
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Waits until the recording holds samples taken after `after_ms`, `n` of them.
fn samples_after(dir: &Path, after_ms: u64, n: usize) {
    let seen = live::wait_for(|| {
        let rec = Recording::open(dir).ok()?;
        let later = rec
            .entries
            .iter()
            .filter(|e| e.at.time_unix_ms > after_ms)
            .count();
        (later >= n).then_some(())
    });
    assert!(seen.is_some(), "{n} samples after {after_ms} within 5 s");
}

fn now_ms() -> u64 {
    u64::try_from(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_millis(),
    )
    .unwrap()
}

#[test]
fn a_replay_shows_each_moment_as_it_was() {
    require_tmux!();
    if !live::need_root("record and replay a freeze of the test's own cgroup") {
        return;
    }
    let mut guard = Guard::default();
    let Some((dir, file, frozen, thawed)) = freezable(&live::snapshot(), &mut guard) else {
        eprintln!("SKIP: no freezer hierarchy in which the test can make a cgroup");
        return;
    };
    let rec_dir = tempfile::tempdir().unwrap();
    let mut recorder = Recorder::start(rec_dir.path());
    samples_after(rec_dir.path(), 0, 2);

    // Seen: a process of the test's own, in its own session and cgroup.
    let pid = own_sleep(&mut guard);
    std::fs::write(dir.join("cgroup.procs"), pid.to_string()).unwrap();
    let started = now_ms();
    samples_after(rec_dir.path(), started, 3);
    let alive_at = now_ms();

    // Frozen.
    std::fs::write(dir.join(file), frozen).unwrap();
    let froze = now_ms();
    samples_after(rec_dir.path(), froze + 300, 3);
    let frozen_at = now_ms();

    // Thawed and gone.
    std::fs::write(dir.join(file), thawed).unwrap();
    for c in &mut guard.children {
        c.kill().unwrap();
        c.wait().unwrap();
    }
    guard.children.clear();
    let ended = now_ms();
    samples_after(rec_dir.path(), ended + 300, 3);
    let gone_at = now_ms();
    recorder.stop();

    let t = Tmux::start();
    t.type_line(&format!(
        "{BOXTOP} replay {} --at {alive_at}",
        rec_dir.path().display()
    ));
    // The time bar, once the first sample is on screen.
    t.wait_for("the time bar", |s| {
        s.contains("REPLAY") && s.contains('●') && s.contains("paused")
    });
    // The process, picked out by its pid.
    t.keys(&["/"]);
    t.type_line(&format!("pid:{pid}"));
    let s = t.wait_text(&format!("selected {pid} (sleep)"));
    assert!(!s.contains(" · frozen "), "not frozen yet:\n{s}");

    // At the freeze: the same process, frozen.
    t.keys(&["t"]);
    t.type_line(&frozen_at.to_string());
    t.wait_text(&format!("selected {pid} (sleep) · frozen"));
    // The timeline there holds the freeze, at the test's cgroup: the samples before a jump
    // are read for their events.
    let name = dir.file_name().unwrap().to_string_lossy().into_owned();
    t.wait_for("the freeze in the replay's timeline", |s| {
        s.contains("6 Events")
            && s.lines()
                .any(|l| l.contains(" frozen ") && l.contains(&name))
    });

    // After it ended: not there.
    t.keys(&["t"]);
    t.type_line(&gone_at.to_string());
    let s = t.wait_for("the process gone", |s| {
        s.contains("REPLAY")
            && !s.lines().any(|l| l.contains(&format!("│ {pid:>6} ")))
            && s.contains(&format!("process {pid} has exited"))
    });
    assert!(!s.contains(&format!("selected {pid} (sleep)")), "{s}");

    // One sample back at a time, the process comes back before its end.
    t.keys(&["t"]);
    t.type_line(&ended.saturating_sub(1).to_string());
    t.wait_text(&format!("{pid:>6} root"));
    // An action is refused with a sentence, and nothing is written.
    t.keys(&["f"]);
    t.wait_text("replay: this is a recording");
    assert_eq!(
        own_cgroups::raw(&dir, file),
        thawed,
        "the replay wrote nothing"
    );
    t.keys(&["q"]);
    t.wait_text(PROMPT_SHOWN);
}

/// `boxtop --record DIR`: the dashboard writes what it shows, the selected process's memory
/// map with it (boxtop itself, selected first), and quitting closes the recording whole; its
/// replay shows that map, where a `boxtop record` without --pid says "not recorded".
#[test]
fn the_dashboard_records_what_it_shows_with_the_selected_map() {
    require_tmux!();
    let rec_dir = tempfile::tempdir().unwrap();
    let t = Tmux::start();
    let pid = t.start_boxtop(&format!("--record {}", rec_dir.path().display()));
    let s = t.wait_text("● REC");
    assert!(s.contains(&format!("selected {pid} (boxtop)")), "{s}");
    samples_after(rec_dir.path(), 0, 2);
    t.keys(&["q"]);
    t.wait_text(PROMPT_SHOWN);
    wait_gone(pid);

    let mut rec = Recording::open(rec_dir.path()).unwrap();
    assert!(
        rec.losses.is_empty(),
        "quitting closed it: {:?}",
        rec.losses
    );
    let last = rec.entries.len() - 1;
    let sample = boxtop::store::sample::Sample::from_json(&rec.read(last).unwrap()).unwrap();
    let map = sample
        .snapshot
        .memory_map
        .as_ref()
        .expect("the selected process's map");
    assert_eq!(map.pid, pid);
    assert!(
        map.mappings
            .iter()
            .any(|m| m.path.as_deref().is_some_and(|p| p.contains("boxtop"))),
        "boxtop's own text is mapped"
    );
    assert!(
        sample.snapshot.process(pid).is_some(),
        "and the snapshot it was shown with"
    );

    t.type_line(&format!("{BOXTOP} replay {}", rec_dir.path().display()));
    let s = t.wait_for("the replay on boxtop's recorded map", |s| {
        s.contains("REPLAY") && s.contains(&format!("Memory map · pid {pid}"))
    });
    assert!(!s.contains("not recorded"), "{s}");
    t.keys(&["q"]);
    t.wait_text(PROMPT_SHOWN);
    // A subcommand with --record is refused, not ignored.
    let out = Command::new(BOXTOP)
        .args(["--record", "/nonexistent", "snapshot"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("boxtop record --output"));
}
