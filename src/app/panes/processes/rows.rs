//! The process table's rows: processes in their order, and with `H` each one's threads right
//! under it (as htop's tree shows them), in the table's sort order within the process.

use super::Column;
use crate::model::{ProcThreads, ThreadRow, Wchan};
use crate::model::{ProcessRow, Snapshot};
use std::cmp::Ordering;

/// One row of the process table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableRow {
    /// Index into `snapshot.processes`: the process, or the thread's process.
    pub process: usize,
    /// Tree depth; a thread sits one deeper than its process.
    pub depth: u16,
    /// A thread row: its process's group in `snapshot.threads` and its index in the group.
    pub thread: Option<(u32, u32)>,
}

impl TableRow {
    pub fn of_process(process: usize, depth: u16) -> TableRow {
        TableRow {
            process,
            depth,
            thread: None,
        }
    }

    pub fn process<'a>(&self, snap: &'a Snapshot) -> Option<&'a ProcessRow> {
        snap.processes.get(self.process).map(|p| &**p)
    }

    /// The thread this row shows, if it is a thread's.
    pub fn thread<'a>(&self, snap: &'a Snapshot) -> Option<&'a ThreadRow> {
        let (group, index) = self.thread?;
        let group = snap.threads.get(usize::try_from(group).ok()?)?;
        group.threads.get(usize::try_from(index).ok()?)
    }
}

/// `order` (processes with their depth) as table rows, each process followed by its threads
/// other than the main one when `threads` is on, sorted by `sort` (`descending`), tid last.
pub(super) fn with_threads(
    snap: &Snapshot,
    order: &[(usize, u16)],
    threads: bool,
    (sort, descending): (Column, bool),
    out: &mut Vec<TableRow>,
) {
    out.clear();
    for &(i, depth) in order {
        out.push(TableRow::of_process(i, depth));
        if !threads {
            continue;
        }
        let Some((g, group)) = snap.processes.get(i).and_then(|p| group_of(snap, p)) else {
            continue;
        };
        let Ok(g) = u32::try_from(g) else {
            continue;
        };
        let mut mine: Vec<(usize, &ThreadRow)> = group.others().collect();
        mine.sort_by(|(_, a), (_, b)| {
            let o = thread_cmp(sort, a, b);
            let o = if descending { o.reverse() } else { o };
            o.then(a.tid.cmp(&b.tid))
        });
        out.extend(mine.into_iter().filter_map(|(t, _)| {
            Some(TableRow {
                process: i,
                depth: depth.saturating_add(1),
                thread: Some((g, u32::try_from(t).ok()?)),
            })
        }));
    }
}

/// The threads read of process `p`, if they are this process's (same start time).
pub fn group_of<'a>(snap: &'a Snapshot, p: &ProcessRow) -> Option<(usize, &'a ProcThreads)> {
    snap.threads_of(p.pid)
        .filter(|(_, g)| g.start_time_ticks == p.start_time_ticks)
}

/// The main thread's row of process `p`, where its threads were read: what the thread
/// columns show on the process's own row.
pub fn main_thread<'a>(snap: &'a Snapshot, p: &ProcessRow) -> Option<&'a ThreadRow> {
    group_of(snap, p)?.1.main_thread()
}

/// Two threads by a column of the table; columns a thread has no value of of its own (user,
/// RSS, thread count, namespaces, cgroup) leave them equal.
pub fn thread_cmp(col: Column, a: &ThreadRow, b: &ThreadRow) -> Ordering {
    let rate = |r: Option<f32>| r.unwrap_or(-1.0);
    match col {
        Column::Pid => a.tid.cmp(&b.tid),
        Column::State => a.state.cmp(&b.state),
        Column::Cpu => a.cpu_percent.sort_cmp(b.cpu_percent),
        Column::Ctxt => a.switches().cmp(&b.switches()),
        Column::LastCpu => a.processor.cmp(&b.processor),
        Column::VoluntaryRate => rate(a.voluntary_per_sec).total_cmp(&rate(b.voluntary_per_sec)),
        Column::InvoluntaryRate => {
            rate(a.nonvoluntary_per_sec).total_cmp(&rate(b.nonvoluntary_per_sec))
        }
        Column::Wchan => wchan_text(&a.wchan).cmp(wchan_text(&b.wchan)),
        Column::Command => a.comm.cmp(&b.comm),
        Column::User | Column::Rss | Column::Threads | Column::Ns | Column::Cgroup => {
            Ordering::Equal
        }
    }
}

/// A wait channel as the table writes it: the function, `-` for none, `?` where unreadable.
pub fn wchan_text(w: &Wchan) -> &str {
    match w {
        Wchan::None => "-",
        Wchan::At(name) => name,
        Wchan::Denied => "?",
    }
}

#[cfg(test)]
mod tests;
