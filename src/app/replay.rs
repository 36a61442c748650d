//! The replay source: in `boxtop replay`, this thread takes the poller's place. It reads the
//! recording's samples (`store`) and sends them as the poller sends live ones, so every
//! pane works on the past unchanged; the state learns where in the recording it is from
//! `Msg::Replay`. Nothing here reads the kernel or acts on it.

use super::state::{MapData, ProcId};
use super::update::Msg;
use crate::app::timeline::entries_of;
use crate::kernel::clock::{local_datetime_at, resolve};
use crate::model::KernelEvent;
use crate::model::when::When;
use crate::store::Recording;
use crate::store::sample::Sample;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

/// What the dashboard asks of the replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplayCtl {
    /// This many samples forward (negative: back), stopping at either end.
    Step(i64),
    /// A time as typed (`10:42`, `-5m`): the last sample at or before it.
    Seek(String),
    /// Play from here at the recording's own pace, or stop.
    Play(bool),
    /// The selected process, whose recorded memory map the map pane shows.
    Select(Option<ProcId>),
}

/// Where the replay is, for the time bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplayPos {
    pub index: usize,
    pub count: usize,
    pub first_ms: u64,
    pub last_ms: u64,
    pub time_ms: u64,
    /// The sample's local date and time (formatted here: views read no clock or zone).
    pub time_text: String,
    pub playing: bool,
}

/// Played samples are shown at the recording's pace, but a gap (the recorder was stopped
/// overnight) is crossed in this long at most.
const MAX_PLAY_WAIT: Duration = Duration::from_secs(2);

/// At most this many events of the samples read are kept for the timeline (a step back
/// shows what came before without reading those samples again); the samples farthest from
/// the shown one go first.
const EVENTS_KEPT: usize = 10_000;

/// A jump reads the events of up to this many samples before it (two minutes at the usual
/// interval), and no more than this much JSON.
const BACKFILL_SAMPLES: usize = 120;
const BACKFILL_BYTES: usize = 32 << 20;

/// Starts the replay at sample `start`; it stops when either channel closes.
pub fn spawn(rec: Recording, start: usize, out: Sender<Msg>) -> Sender<ReplayCtl> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("boxtop-replay".into())
        .spawn(move || replay_loop(rec, start, &out, &rx))
        .ok();
    tx
}

struct Player {
    rec: Recording,
    index: usize,
    playing: bool,
    selected: Option<ProcId>,
    /// The shown sample's recorded memory map, if it holds one.
    map: Option<Arc<crate::model::MemoryMap>>,
    /// The events of the samples shown so far, by index: the timeline holds the run of
    /// shown samples that ends at the one on screen.
    events: BTreeMap<usize, Vec<KernelEvent>>,
}

fn replay_loop(rec: Recording, start: usize, out: &Sender<Msg>, rx: &Receiver<ReplayCtl>) {
    let mut p = Player {
        index: start.min(rec.entries.len().saturating_sub(1)),
        rec,
        playing: false,
        selected: None,
        map: None,
        events: BTreeMap::new(),
    };
    if !p.show(None, out) {
        return;
    }
    loop {
        let wait = if p.playing {
            p.until_next()
        } else {
            Duration::from_secs(3600)
        };
        let ctl = match rx.recv_timeout(wait) {
            Ok(ctl) => ctl,
            Err(RecvTimeoutError::Timeout) if p.playing => ReplayCtl::Step(1),
            Err(RecvTimeoutError::Timeout) => continue,
            Err(RecvTimeoutError::Disconnected) => return,
        };
        let sent = match ctl {
            ReplayCtl::Step(n) => {
                let last = p.rec.entries.len().saturating_sub(1);
                let to = p
                    .index
                    .saturating_add_signed(isize::try_from(n).unwrap_or(0))
                    .min(last);
                // Played to the end: stop there, as a video player does.
                if p.playing && to == last {
                    p.playing = false;
                }
                p.go(to, out)
            }
            ReplayCtl::Seek(text) => match p.index_at(&text) {
                Ok(to) => p.go(to, out),
                Err(why) => out.send(Msg::Note(why)).is_ok(),
            },
            ReplayCtl::Play(on) => {
                p.playing = on && p.index + 1 < p.rec.entries.len();
                out.send(Msg::Replay(p.position())).is_ok()
            }
            ReplayCtl::Select(sel) => {
                p.selected = sel;
                p.send_map(out)
            }
        };
        if !sent {
            return;
        }
    }
}

impl Player {
    fn position(&self) -> ReplayPos {
        let time = |i: usize| self.rec.entries.get(i).map_or(0, |e| e.at.time_unix_ms);
        ReplayPos {
            index: self.index,
            count: self.rec.entries.len(),
            first_ms: time(0),
            last_ms: time(self.rec.entries.len().saturating_sub(1)),
            time_ms: time(self.index),
            time_text: local_datetime_at(time(self.index)),
            playing: self.playing,
        }
    }

    /// The time from the shown sample to the next, as recorded.
    fn until_next(&self) -> Duration {
        let at = |i: usize| self.rec.entries.get(i).map(|e| e.at.time_unix_ms);
        match (at(self.index), at(self.index + 1)) {
            (Some(a), Some(b)) => Duration::from_millis(b.saturating_sub(a)).min(MAX_PLAY_WAIT),
            _ => MAX_PLAY_WAIT,
        }
    }

    fn index_at(&self, text: &str) -> Result<usize, String> {
        let when = When::parse(text)?;
        let last = self.position().last_ms;
        let ms = resolve(when, last)?;
        self.rec
            .at_or_before(ms)
            .ok_or_else(|| "the recording holds no sample".to_string())
    }

    fn go(&mut self, to: usize, out: &Sender<Msg>) -> bool {
        if to == self.index {
            return out.send(Msg::Replay(self.position())).is_ok();
        }
        let from = self.index;
        self.index = to;
        if self.show(Some(from), out) {
            return true;
        }
        // Unreadable (damaged): stay where we were, say why (show did), and stop playing.
        self.index = from;
        self.playing = false;
        out.send(Msg::Replay(self.position())).is_ok()
    }

    /// Reads and sends the sample at `index`: the snapshot, its map, where we are, its
    /// events (`from`: the sample shown before). False when the dashboard has gone, or when
    /// the sample does not read (said as a note).
    fn show(&mut self, from: Option<usize>, out: &Sender<Msg>) -> bool {
        let bytes = self.rec.read(self.index).map_err(|e| e.to_string());
        let size = bytes.as_ref().map_or(0, Vec::len);
        let sample = bytes.and_then(|b| Sample::from_json(&b));
        let mut sample = match sample {
            Ok(s) => s,
            Err(why) => {
                let _ = out.send(Msg::Note(why));
                return false;
            }
        };
        self.map = sample.snapshot.memory_map.take().map(|mut map| {
            // Recorded before boxtop said where user space ends: its gaps ran up to
            // [vsyscall]. Placed again, it is shown as a live map is.
            if map.user_space.is_none() {
                crate::kernel::maps::place_in_address_space(&mut map);
            }
            Arc::new(map)
        });
        if from.is_none()
            && let Some(m) = &self.map
            && out.send(Msg::Prefer(m.pid)).is_err()
        {
            return false;
        }
        // The sample first: reading the events before a jump must not hold up the screen.
        if !(out.send(Msg::Snapshot(Arc::new(sample.snapshot))).is_ok()
            && out.send(Msg::Replay(self.position())).is_ok()
            && self.send_map(out))
        {
            return false;
        }
        let events = self.timeline(from, sample.events, size);
        out.send(events).is_ok()
    }

    /// The timeline's change for the sample at `index` (`size` bytes of JSON): the next one
    /// adds its events; any other move (a jump, a step back) replaces the timeline with the
    /// run of samples ending here whose events are known, the samples just before a jump
    /// read for their events first.
    fn timeline(&mut self, from: Option<usize>, events: Vec<KernelEvent>, size: usize) -> Msg {
        let index = self.index;
        let next = from.is_some_and(|f| f + 1 == index);
        self.events.insert(index, events.clone());
        if next {
            self.forget_far_events();
            return Msg::Events {
                entries: entries_of(events),
                reset: false,
                since: None,
            };
        }
        self.read_events_before(size);
        self.forget_far_events();
        let first = (0..=index)
            .rev()
            .take_while(|i| self.events.contains_key(i))
            .last()
            .unwrap_or(index);
        let run = self
            .events
            .range(first..=index)
            .flat_map(|(_, e)| e.iter().cloned())
            .collect();
        // The run's first events happened after the sample before it.
        let since = self
            .rec
            .entries
            .get(first.saturating_sub(1))
            .map(|e| local_datetime_at(e.at.time_unix_ms));
        Msg::Events {
            entries: entries_of(run),
            reset: true,
            since,
        }
    }

    /// Reads the events of the samples before the shown one that are not known yet: up to
    /// [`BACKFILL_SAMPLES`], fewer when the samples are large (`size`, the shown one's
    /// JSON), so that a jump on a host of 5,000 processes stays quick. A sample that does
    /// not read ends the run there.
    fn read_events_before(&mut self, size: usize) {
        let n = (BACKFILL_BYTES / size.max(1)).min(BACKFILL_SAMPLES);
        let index = self.index;
        for i in index.saturating_sub(n)..index {
            if self.events.contains_key(&i) {
                continue;
            }
            match self
                .rec
                .read(i)
                .map_err(|e| e.to_string())
                .and_then(|b| Sample::events_from_json(&b))
            {
                Ok(events) => {
                    self.events.insert(i, events);
                }
                Err(_) => {
                    // Forget what came before the gap: the run must be unbroken.
                    self.events.retain(|k, _| *k > i);
                }
            }
        }
    }

    fn forget_far_events(&mut self) {
        let index = self.index;
        while self.events.values().map(Vec::len).sum::<usize>() > EVENTS_KEPT
            && self.events.len() > 1
        {
            let (Some(lo), Some(hi)) = (
                self.events.keys().next().copied(),
                self.events.keys().next_back().copied(),
            ) else {
                break;
            };
            let far = if index - lo.min(index) >= hi.max(index) - index {
                lo
            } else {
                hi
            };
            self.events.remove(&far);
        }
    }

    fn send_map(&self, out: &Sender<Msg>) -> bool {
        let Some(sel) = self.selected else {
            return true;
        };
        let map = match &self.map {
            Some(m) if (m.pid, m.start_time_ticks) == sel => Ok(m.clone()),
            Some(m) => Err(format!(
                "not recorded (this recording holds process {}'s map only)",
                m.pid
            )),
            None => Err("not recorded (record --pid N keeps one process's map)".into()),
        };
        out.send(Msg::Map(MapData { for_proc: sel, map })).is_ok()
    }
}
