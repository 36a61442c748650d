//! The poller thread: the only place the dashboard reads the kernel (docs/ARCHITECTURE.md, "Data flow").

use super::state::{MapData, ProcId};
use super::update::Msg;
use crate::collect::Collector;
use crate::kernel::{Roots, maps};
use crate::model::{KernelEvent, Snapshot};
use crate::store::Writer;
use crate::store::sample::{SAMPLE_VERSION, SampleRef};
use std::sync::Arc;
use std::sync::mpsc::{RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

pub mod perform;

pub enum PollerCtl {
    /// The selected process changed: read its map now and keep it fresh.
    Select(Option<ProcId>),
    /// Whose threads are on screen (`H`, the threads view): read them from now on, or stop.
    Threads(crate::collect::ThreadScope),
    /// Plan an action, for confirmation.
    Plan(crate::app::action_keys::PlanRequest),
    /// Make a confirmed plan, then poll at once.
    Apply(crate::actions::plan::Plan),
    /// What to read for the tour's step on screen, every refresh until changed.
    TourProbe(crate::app::tour::Probe),
    /// Stop and remove what the tour's demos started.
    TourCleanup(crate::actions::tour_cleanup::Cleanup),
}

/// Per-mapping counters (smaps) are re-read every refresh only below this many mappings;
/// above it, once per selection (the kernel needs ~300 ms for 60,000 of them).
const SMAPS_EVERY_REFRESH_MAX: usize = 5_000;

struct StopNotice(Sender<Msg>);

impl Drop for StopNotice {
    fn drop(&mut self) {
        let _ = self.0.send(Msg::PollerStopped);
    }
}

/// The poller's thread: drop the sender, then join, and a recording it writes is closed.
pub struct Poller {
    pub ctl: Sender<PollerCtl>,
    pub thread: Option<std::thread::JoinHandle<()>>,
}

/// Starts the poller; it stops when either channel is closed. With `record`, every
/// snapshot it shows is also written there, with its events and the selected process's
/// memory map (`--record`).
pub fn spawn(
    collector: Collector,
    interval: Duration,
    out: Sender<Msg>,
    record: Option<Writer>,
) -> Poller {
    let (ctl_tx, ctl_rx) = std::sync::mpsc::channel();
    let thread = std::thread::Builder::new()
        .name("boxtop-poller".into())
        .spawn(move || {
            // Tells the UI if this thread ends, also by a panic in a build that unwinds (the
            // tests'; Drop runs while unwinding); otherwise the UI would wait forever on a
            // channel the input thread keeps open. The release build aborts on a panic, after
            // the panic hook has restored the terminal and printed the report.
            let _notice = StopNotice(out.clone());
            poll_loop(collector, interval, out, ctl_rx, record);
        })
        .ok();
    Poller {
        ctl: ctl_tx,
        thread,
    }
}

/// Appends one sample to the dashboard's recording; why not, in words.
fn record(w: &mut Writer, snap: &Snapshot, events: &[KernelEvent]) -> Result<(), String> {
    let sample = SampleRef {
        version: SAMPLE_VERSION,
        snapshot: snap,
        events,
    };
    let json = sample.to_json().map_err(|e| e.to_string())?;
    w.append(snap.taken_at_unix_ms, &json)
        .map_err(|e| e.to_string())
}

fn poll_loop(
    mut collector: Collector,
    interval: Duration,
    out: Sender<Msg>,
    ctl: std::sync::mpsc::Receiver<PollerCtl>,
    mut recorder: Option<Writer>,
) {
    let mut selected: Option<ProcId> = None;
    let mut counters_for: Option<ProcId> = None;
    // The UI has said what is selected (until then `selected` is None for want of news).
    let mut told = false;
    // The snapshot shown last, to tell what the kernel did since (the timeline). The UI holds
    // it too: keeping the Arc costs no copy.
    let mut shown: Option<Arc<Snapshot>> = None;
    let mut tour_probe = crate::app::tour::Probe::default();
    // The first snapshot is shown as soon as it is read, so that the screen fills at once: its
    // cpu % is not yet known (shown as "-", never as 0) and fills in on the next refresh, a
    // normal interval later. That second sample makes the one copy of every row that went idle
    // (its cpu % goes from unknown to 0 while the UI still holds the first snapshot); the rows
    // are shared again from then on.
    loop {
        let started = Instant::now();
        // Only an unreadable proc root fails a whole poll: the screen then keeps the last
        // good snapshot and the next refresh tries again.
        // Until the UI says what it selected, the map read is boxtop's own, which the UI
        // selects first: a recording's first sample then holds the map it shows.
        let map_of = match selected {
            Some((pid, _)) => Some(pid),
            None if recorder.is_some() && !told => i32::try_from(std::process::id()).ok(),
            None => None,
        };
        if let Ok(mut snap) = collector.collect(map_of) {
            let events = shown
                .as_deref()
                .map(|prev| crate::collect::events::between(prev, &snap))
                .unwrap_or_default();
            // Written with the selected process's map, before the map goes its own way.
            if let Some(w) = recorder.as_mut()
                && let Err(why) = record(w, &snap, &events)
            {
                recorder = None;
                if out.send(Msg::RecordingStopped(why)).is_err() {
                    return;
                }
            }
            let map = snap.memory_map.take();
            let snap = Arc::new(snap);
            // The first snapshot shown starts the timeline: it says "since" then.
            let since = shown
                .is_none()
                .then(|| crate::kernel::clock::local_hms_at(snap.taken_at_unix_ms / 1000));
            shown = Some(snap.clone());
            // One message for the whole refresh (snapshot, events, map), so that the screen
            // is drawn once for it, not once for each part (a draw is ~1 ms at 160x45).
            let mut refresh = vec![Msg::Snapshot(snap)];
            if !events.is_empty() || since.is_some() {
                refresh.push(Msg::Events {
                    entries: crate::app::timeline::entries_of(events),
                    reset: false,
                    since,
                });
            }
            // Test hook (debug builds only): prove that a panic in this thread restores the
            // terminal and ends the program with a message (tests/e2e_tmux.rs).
            #[allow(clippy::panic, reason = "the test hook's whole point is this panic")]
            if cfg!(debug_assertions) && std::env::var_os("BOXTOP_TEST_PANIC_IN_POLLER").is_some() {
                panic!("test panic in the poller thread");
            }
            if let Some(sel) = selected {
                let full = counters_for != Some(sel);
                refresh.push(Msg::Map(finish_map(collector.roots(), sel, map, full)));
                counters_for = Some(sel);
            }
            if tour_probe != crate::app::tour::Probe::default() {
                refresh.push(Msg::TourFacts(tour_facts(collector.roots(), &tour_probe)));
            }
            if out.send(Msg::Together(refresh)).is_err() {
                return;
            }
        }
        // Wait for the next refresh, or act on a new selection at once.
        let deadline = started + interval;
        loop {
            let now = Instant::now();
            let Some(left) = deadline.checked_duration_since(now) else {
                break;
            };
            match ctl.recv_timeout(left) {
                Ok(PollerCtl::Select(sel)) => {
                    selected = sel;
                    told = true;
                    if let Some(sel) = sel {
                        let data = read_map_now(collector.roots(), sel);
                        counters_for = Some(sel);
                        if out.send(Msg::Map(data)).is_err() {
                            return;
                        }
                    }
                }
                Ok(PollerCtl::Threads(scope)) => {
                    collector.set_threads(scope);
                    // Poll now, so that the threads appear (or go) at once.
                    if !scope.is_none() {
                        break;
                    }
                }
                Ok(PollerCtl::Plan(req)) => {
                    if out.send(perform::plan(collector.roots(), req)).is_err() {
                        return;
                    }
                }
                Ok(PollerCtl::TourProbe(probe)) => {
                    tour_probe = probe;
                    let facts = tour_facts(collector.roots(), &tour_probe);
                    if out.send(Msg::TourFacts(facts)).is_err() {
                        return;
                    }
                }
                Ok(PollerCtl::TourCleanup(what)) => {
                    let said = clean_up_tour(collector.roots(), &what);
                    if out.send(Msg::TourCleaned(said)).is_err() {
                        return;
                    }
                    break; // poll now: the screen shows what is gone
                }
                Ok(PollerCtl::Apply(plan)) => {
                    if out.send(perform::apply(collector.roots(), plan)).is_err() {
                        return;
                    }
                    break; // nothing is applied to the state optimistically: poll now
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
    }
}

/// Stops and removes what the tour's demos started (`actions::tour_cleanup`): here when the
/// dashboard goes on, from the run loop when the program ends.
pub fn clean_up_tour(roots: &Roots, what: &crate::actions::tour_cleanup::Cleanup) -> Vec<String> {
    crate::actions::tour_cleanup::run(roots, what)
}

/// What the tour's step shows beside the snapshot (`kernel::tour_facts`).
fn tour_facts(roots: &Roots, probe: &crate::app::tour::Probe) -> crate::app::tour::Facts {
    use crate::app::tour::{DirLine, Facts, SandboxFacts};
    use crate::kernel::tour_facts;
    let layout = probe.layout_of.as_ref().and_then(|dir| {
        let lines = tour_facts::listing(roots, dir)?
            .into_iter()
            .map(|(name, mode)| DirLine { name, mode })
            .collect();
        Some((dir.clone(), lines))
    });
    let sandboxes = probe
        .sandboxes
        .iter()
        .map(|&pid| {
            let inside = tour_facts::inside(roots, pid);
            SandboxFacts {
                pid,
                hostname: inside.hostname,
                proc_pids: inside.proc_pids,
                root: inside.root,
            }
        })
        .collect();
    Facts { layout, sandboxes }
}

/// The map for a just-selected process: the list first (fast), with counters.
fn read_map_now(roots: &Roots, sel: ProcId) -> MapData {
    match maps::read_memory_map(roots, sel.0, sel.1) {
        Ok(map) => finish_map(roots, sel, Some(map), true),
        Err(e) => MapData {
            for_proc: sel,
            map: Err(map_error_text(sel.0, &e)),
        },
    }
}

fn finish_map(
    roots: &Roots,
    sel: ProcId,
    map: Option<crate::model::MemoryMap>,
    full: bool,
) -> MapData {
    let map = match map {
        Some(mut m) if m.start_time_ticks == sel.1 => {
            if full || m.mappings.len() <= SMAPS_EVERY_REFRESH_MAX {
                let _ = maps::fill_smaps_counters(roots, &mut m);
            }
            Ok(Arc::new(m))
        }
        Some(_) => Err("the process has exited (its pid was reused)".to_string()),
        None => match maps::read_memory_map(roots, sel.0, sel.1) {
            Ok(m) => Ok(Arc::new(m)),
            Err(e) => Err(map_error_text(sel.0, &e)),
        },
    };
    MapData { for_proc: sel, map }
}

/// What the memory map pane says when the map cannot be read: a sentence, with the file
/// as /proc shows it (not the root it was read under).
pub fn map_error_text(pid: i32, e: &crate::kernel::KernelError) -> String {
    use crate::kernel::KernelError;
    match e {
        KernelError::Gone { .. } | KernelError::NoSuchProcess { .. } => "it has exited".to_string(),
        KernelError::Denied { .. } => format!("permission denied reading /proc/{pid}/maps"),
        // display text, not a path read
        KernelError::Parse { what, .. } => format!("/proc/{pid}/maps: cannot parse {what}"),
        // display text, not a path read
        KernelError::Io { source, .. } => format!("/proc/{pid}/maps: {source}"),
        KernelError::NotATree { why, .. } => why.clone(),
    }
}
