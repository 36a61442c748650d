//! Which processes the host has, kept current without listing /proc each time: one listing,
//! then the kernel's fork and exit events ([`ProcEvents`]), with /proc listed again when
//! events were lost and every [`RELIST_EVERY`] refreshes. Where the connector cannot be used
//! (not root, outside the initial namespaces, a fixture tree), every refresh lists /proc.
//!
//! For `boxtop serve`, which needs to know every process only to count them, to count their
//! namespaces and to find sandboxes; the dashboard, which shows every process, lists /proc.

use crate::kernel::proc_events::{Drained, ProcEvent, ProcEvents};
use crate::kernel::{KernelError, Roots, procs};
use std::time::Duration;

/// Refreshes between two listings of /proc while events arrive: a net under the events
/// (a thread-group leader that exits while its threads go on is reported as an exit; its
/// process is found again here).
pub const RELIST_EVERY: u64 = 300;

/// How long a subscription has to prove itself.
const PROOF: Duration = Duration::from_millis(500);

#[derive(Debug)]
pub struct ProcessCensus {
    events: Option<ProcEvents>,
    /// Why there are no events (the connector's error), for `boxtop serve` to say once.
    pub no_events: Option<String>,
    /// The processes, ascending.
    pids: Vec<i32>,
    /// Processes that ran execve since the last refresh (their namespaces may have changed,
    /// as after `unshare -n CMD`), ascending.
    execs: Vec<i32>,
    refreshes: u64,
    buf: Vec<ProcEvent>,
}

impl ProcessCensus {
    /// Subscribes to the events when `roots` is the live kernel's.
    pub fn new(roots: &Roots) -> Self {
        let (events, no_events) = if roots.is_live() {
            match ProcEvents::subscribe(PROOF) {
                Ok(e) => (Some(e), None),
                Err(e) => (None, Some(e.to_string())),
            }
        } else {
            (None, Some("not the live /proc".to_string()))
        };
        ProcessCensus {
            events,
            no_events,
            pids: Vec::new(),
            execs: Vec::new(),
            refreshes: 0,
            buf: Vec::new(),
        }
    }

    /// Whether the kernel's events keep the list current.
    pub fn follows_events(&self) -> bool {
        self.events.is_some()
    }

    /// Brings the list up to date: the processes now, and those that exec'd since the last
    /// refresh (ascending both).
    pub fn refresh(&mut self, roots: &Roots) -> Result<(&[i32], &[i32]), KernelError> {
        self.execs.clear();
        let first = self.refreshes == 0;
        self.refreshes += 1;
        let lost = match &mut self.events {
            Some(ev) => {
                self.buf.clear();
                ev.drain(&mut self.buf) == Drained::Lost
            }
            None => true,
        };
        if first || lost || self.refreshes.is_multiple_of(RELIST_EVERY) {
            procs::list_pids(roots, &mut self.pids)?;
            self.pids.sort_unstable();
            // Events queued before the listing are in it already; those after, in the
            // next drain.
            self.buf.clear();
        } else {
            apply(&mut self.pids, &mut self.execs, &self.buf);
        }
        Ok((&self.pids, &self.execs))
    }
}

/// Applies events in order to the sorted list of processes; notes execs. Threads are not
/// processes: a fork whose child is not a group leader, or a thread's exit, changes nothing.
fn apply(pids: &mut Vec<i32>, execs: &mut Vec<i32>, events: &[ProcEvent]) {
    for e in events {
        match *e {
            ProcEvent::Fork {
                child_pid,
                child_tgid,
                ..
            } if child_pid == child_tgid => {
                if let Err(at) = pids.binary_search(&child_pid) {
                    pids.insert(at, child_pid);
                }
            }
            ProcEvent::Exec { tgid, .. } => {
                if let Err(at) = pids.binary_search(&tgid) {
                    pids.insert(at, tgid);
                }
                if let Err(at) = execs.binary_search(&tgid) {
                    execs.insert(at, tgid);
                }
            }
            ProcEvent::Exit { pid, tgid } if pid == tgid => {
                if let Ok(at) = pids.binary_search(&pid) {
                    pids.remove(at);
                }
                if let Ok(at) = execs.binary_search(&pid) {
                    execs.remove(at);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn processes_come_and_go_threads_do_not_count() {
        let mut pids = vec![1, 5, 9];
        let mut execs = Vec::new();
        apply(
            &mut pids,
            &mut execs,
            &[
                ProcEvent::Fork {
                    parent_tgid: 5,
                    child_pid: 7,
                    child_tgid: 7,
                },
                // A thread of 5: not a process.
                ProcEvent::Fork {
                    parent_tgid: 5,
                    child_pid: 8,
                    child_tgid: 5,
                },
                ProcEvent::Exec { pid: 7, tgid: 7 },
                ProcEvent::Exit { pid: 8, tgid: 5 },
                ProcEvent::Exit { pid: 9, tgid: 9 },
                // A process born and gone between two refreshes leaves no trace.
                ProcEvent::Fork {
                    parent_tgid: 1,
                    child_pid: 12,
                    child_tgid: 12,
                },
                ProcEvent::Exec { pid: 12, tgid: 12 },
                ProcEvent::Exit { pid: 12, tgid: 12 },
            ],
        );
        assert_eq!(pids, vec![1, 5, 7]);
        assert_eq!(execs, vec![7]);
    }

    #[test]
    fn a_fixture_tree_lists_every_time() {
        let dir = tempfile::tempdir().unwrap();
        for p in ["1", "42", "self", "net"] {
            std::fs::create_dir(dir.path().join(p)).unwrap();
        }
        let roots = Roots::new(dir.path(), dir.path());
        let mut c = ProcessCensus::new(&roots);
        assert!(!c.follows_events());
        assert_eq!(c.refresh(&roots).unwrap().0, [1, 42]);
        std::fs::create_dir(dir.path().join("7")).unwrap();
        assert_eq!(c.refresh(&roots).unwrap().0, [1, 7, 42]);
    }
}
