//! The timeline: what the kernel did (`collect::events`, sent by the poller or the replay)
//! and what boxtop's own actions did, in one stream, newest first on screen. Plain data and
//! pure functions: the entries arrive with their time already in words.
//!
//! Bounded: a busy host starts and ends processes every second, so the oldest entries go
//! once there are `CAPACITY` (the title says how many went).

use super::state::LogEntry;
use crate::model::{EventKind, KernelEvent};
use std::collections::VecDeque;

mod filter;
pub use filter::TimelineFilter;

/// Entries kept in each of the two rings (process events, the rest): about 300 bytes an
/// entry, 3 MB at most.
pub const CAPACITY: usize = 5_000;

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Kernel(KernelEvent),
    Action(LogEntry),
}

/// One line of the timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Local wall-clock time, HH:MM:SS (made by the poller or the replay, not the view).
    pub time: String,
    pub item: Item,
}

impl Entry {
    /// The kind's word (`oom_kill`, `exec`), `action` for one of boxtop's own.
    pub fn kind_word(&self) -> &'static str {
        match &self.item {
            Item::Kernel(e) => e.kind.word(),
            Item::Action(_) => "action",
        }
    }

    pub fn pid(&self) -> Option<i32> {
        match &self.item {
            Item::Kernel(e) => e.pid,
            Item::Action(_) => None,
        }
    }

    pub fn container(&self) -> Option<&str> {
        match &self.item {
            Item::Kernel(e) => e.container.as_deref(),
            Item::Action(_) => None,
        }
    }

    /// The cgroup and its hierarchy, where the event names one.
    pub fn cgroup(&self) -> Option<(Option<u32>, &str)> {
        match &self.item {
            Item::Kernel(e) => e.cgroup.as_deref().map(|c| (e.hierarchy_id, c)),
            Item::Action(_) => None,
        }
    }

    /// A process event: an exec, an exit, a command line changed, a cgroup populated or
    /// emptied, a namespace new or gone (a container's start is six of them): see
    /// [`Timeline`]'s churn.
    pub fn is_churn(&self) -> bool {
        matches!(
            &self.item,
            Item::Kernel(KernelEvent {
                kind: EventKind::Exec
                    | EventKind::Exit
                    | EventKind::CommandChanged
                    | EventKind::Populated
                    | EventKind::Emptied
                    | EventKind::NamespaceNew
                    | EventKind::NamespaceGone,
                ..
            })
        )
    }

    /// What a free word of the filter is looked for in.
    fn words(&self) -> [&str; 4] {
        match &self.item {
            Item::Kernel(e) => [
                e.kind.word(),
                e.container.as_deref().unwrap_or(""),
                e.cgroup.as_deref().unwrap_or(""),
                &e.detail,
            ],
            Item::Action(a) => ["action", &a.action, &a.target, &a.result],
        }
    }
}

/// The timeline's entries and its pane's state.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    /// Actions and kernel events but process churn, oldest first, each with its arrival
    /// number (to merge the two rings in order).
    events: VecDeque<(u64, Entry)>,
    /// Process events (execs, exits, command changes, cgroups populated and emptied,
    /// namespaces new and gone): many a second on a busy host, so in a ring of their own,
    /// where they never push an OOM kill out.
    churn: VecDeque<(u64, Entry)>,
    arrived: u64,
    /// Entries let go at `CAPACITY` (either ring).
    pub dropped: u64,
    /// `v`: the churn is shown too (a `kind:` in the filter shows it whatever `v` says).
    pub all: bool,
    /// The pane is on screen (`L`, `6`, the first action, or the first event worth an
    /// operator's look: an OOM kill, a limit hit, a freeze).
    pub shown: bool,
    /// `L` hid the pane: no event opens it again by itself.
    pub dismissed: bool,
    /// Events (but churn) that came while the pane was hidden.
    pub unseen: usize,
    /// The selected row of the shown list, newest first: 0 follows the newest.
    pub cursor: usize,
    pub offset: usize,
    pub page: usize,
    pub filter: TimelineFilter,
    /// While `/` is being typed in the timeline.
    pub filter_input: Option<String>,
    /// The time of the first event it holds since it was last cleared (a replay's seek).
    pub since: Option<String>,
    /// Entries that came while the screen was paused (Space), added on resume.
    pub held: Vec<Entry>,
    /// What the snapshot on screen could not read that events come from, in words
    /// (`collect::events::unreadable`): the title says it.
    pub unreadable: Vec<String>,
}

impl Default for Timeline {
    fn default() -> Self {
        Timeline {
            events: VecDeque::new(),
            churn: VecDeque::new(),
            arrived: 0,
            dropped: 0,
            all: false,
            shown: false,
            dismissed: false,
            unseen: 0,
            cursor: 0,
            offset: 0,
            page: 4,
            filter: TimelineFilter::default(),
            filter_input: None,
            since: None,
            held: Vec::new(),
            unreadable: Vec::new(),
        }
    }
}

impl Timeline {
    /// Adds entries (oldest first). The selection stays on its entry unless it follows
    /// the newest.
    pub fn push(&mut self, new: impl IntoIterator<Item = Entry>) {
        for e in new {
            if self.since.is_none() {
                self.since = Some(e.time.clone());
            }
            let churn = e.is_churn();
            if let Item::Kernel(k) = &e.item {
                if notable(k.kind) && !self.dismissed {
                    self.shown = true;
                }
                if !self.shown && !churn {
                    self.unseen += 1;
                }
            }
            if self.cursor > 0 && self.shows(&e) {
                self.cursor += 1;
                self.offset += 1;
            }
            self.arrived += 1;
            let ring = if churn {
                &mut self.churn
            } else {
                &mut self.events
            };
            ring.push_back((self.arrived, e));
            if ring.len() > CAPACITY {
                ring.pop_front();
                self.dropped += 1;
            }
        }
        self.clamp();
    }

    /// Forgets every entry (a replay that jumped: what it holds is of another time).
    pub fn clear(&mut self) {
        self.events.clear();
        self.churn.clear();
        self.dropped = 0;
        self.unseen = 0;
        self.cursor = 0;
        self.offset = 0;
        self.since = None;
        self.held.clear();
    }

    /// Entries held, churn included.
    pub fn len(&self) -> usize {
        self.events.len() + self.churn.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Process events held but not shown (`v` shows them).
    pub fn churn_hidden(&self) -> usize {
        if self.with_churn() {
            0
        } else {
            self.churn.len()
        }
    }

    fn with_churn(&self) -> bool {
        self.all || self.filter.names_kind()
    }

    fn shows(&self, e: &Entry) -> bool {
        (self.with_churn() || !e.is_churn()) && self.filter.matches(e)
    }

    /// Both rings merged, newest first (the churn only when shown).
    fn newest_first(&self) -> impl Iterator<Item = &Entry> {
        let mut a = self.events.iter().rev().peekable();
        let take = if self.with_churn() { usize::MAX } else { 0 };
        let mut b = self.churn.iter().rev().take(take).peekable();
        std::iter::from_fn(move || {
            let first = match (a.peek(), b.peek()) {
                (Some(x), Some(y)) => x.0 > y.0,
                (Some(_), None) => true,
                (None, _) => false,
            };
            if first { a.next() } else { b.next() }.map(|(_, e)| e)
        })
    }

    /// The entries shown (view and filter), newest first.
    pub fn visible(&self) -> Vec<&Entry> {
        self.shown_entries().collect()
    }

    /// How many entries are shown, counted up to `most` (the layout needs no more).
    pub fn visible_count(&self, most: usize) -> usize {
        self.shown_entries().take(most).count()
    }

    pub fn selected(&self) -> Option<&Entry> {
        self.shown_entries().nth(self.cursor)
    }

    fn shown_entries(&self) -> impl Iterator<Item = &Entry> {
        self.newest_first().filter(|e| self.filter.matches(e))
    }

    /// Selects row `row` of the shown list (a click).
    pub fn select(&mut self, row: usize) {
        self.cursor = row;
        self.clamp();
    }

    /// The rows the pane shows (from the layout).
    pub fn set_page(&mut self, page: usize) {
        self.page = page.max(1);
        self.clamp();
    }

    pub fn set_filter(&mut self, filter: TimelineFilter) {
        self.filter = filter;
        self.cursor = 0;
        self.offset = 0;
    }

    /// `v`: with or without the churn.
    pub fn toggle_churn(&mut self) {
        self.all = !self.all;
        self.cursor = 0;
        self.offset = 0;
    }

    fn clamp(&mut self) {
        let n = self.visible_count(usize::MAX);
        self.cursor = self.cursor.min(n.saturating_sub(1));
        self.offset = crate::app::panes::scroll_to(self.offset, self.cursor, self.page.max(1), n);
    }
}

/// Events that open the hidden pane by themselves: the kernel refused or killed something,
/// or froze it. Execs and exits are many a second on a busy host, and only counted.
fn notable(kind: EventKind) -> bool {
    matches!(
        kind,
        EventKind::OomKill
            | EventKind::Oom
            | EventKind::MemoryMax
            | EventKind::PidsMax
            | EventKind::SwapMax
            | EventKind::SwapFail
            | EventKind::Frozen
            | EventKind::Thawed
    )
}

/// The timeline's entries for kernel events, with their local time.
pub fn entries_of(events: Vec<KernelEvent>) -> Vec<Entry> {
    events
        .into_iter()
        .map(|e| Entry {
            time: crate::kernel::clock::local_hms_at(e.time_unix_ms / 1000),
            item: Item::Kernel(e),
        })
        .collect()
}

#[cfg(test)]
mod tests;
