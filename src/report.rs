//! The report layer: headless output. `boxtop snapshot` (summary or JSON), `boxtop
//! containers` (a table or JSON) and the collector benchmark aid.

mod bench;
mod containers;
mod events;
mod record;
mod recorded;
mod summary;

pub use bench::{BenchParams, run_collect_bench};
pub use containers::containers_table;
pub use events::{EventsRequest, run_events};
pub use record::{RecordRequest, run_record};
pub use recorded::{
    dump as dump_sample, info as recording_info, open_recording, read_sample, sample_at,
    snapshot_at,
};
pub use summary::summary;

use crate::collect::Collector;
use crate::kernel::{KernelError, Roots, maps};
use crate::model::Snapshot;
use std::io::Write;
use std::time::Duration;

/// What `boxtop snapshot` prints: JSON or the summary, with the memory map of `pid`, cpu %
/// from two samples `cpu_sample_ms` apart (0: one sample, no cpu %).
#[derive(Debug, Clone, Copy)]
pub struct SnapshotRequest {
    pub json: bool,
    /// The columns to fit the text to (None: whole lines).
    pub width: Option<usize>,
    pub pid: Option<i32>,
    pub cpu_sample_ms: u64,
}

/// Reads everything once (twice, `cpu_sample_ms` apart, when cpu % is wanted) and prints it.
pub fn run_snapshot(roots: &Roots, args: SnapshotRequest) -> color_eyre::Result<()> {
    let snap = take_snapshot(roots, args.pid, args.cpu_sample_ms)?;
    let text = if args.json {
        let mut v = serde_json::to_vec(&snap)?;
        v.push(b'\n');
        v
    } else {
        crate::text::fit_lines(summary(&snap), args.width).into_bytes()
    };
    Ok(print(&text)?)
}

/// `boxtop containers`: the containers of one snapshot, as a table or a JSON array.
pub fn run_containers(roots: &Roots, args: SnapshotRequest) -> color_eyre::Result<()> {
    let snap = take_snapshot(roots, None, args.cpu_sample_ms)?;
    let text = if args.json {
        let mut v = serde_json::to_vec(&snap.containers)?;
        v.push(b'\n');
        v
    } else {
        crate::text::fit_lines(containers_table(&snap), args.width).into_bytes()
    };
    Ok(print(&text)?)
}

/// Writes all of `text` to stdout. A closed pipe (`| head`) comes back as an error the
/// commands layer ends on quietly (`kernel::broken_pipe`).
pub fn print(text: &[u8]) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text).and_then(|()| out.flush())
}

/// One snapshot of `roots`, with the memory map of `pid` if given (an error if that process
/// does not exist or its map cannot be read).
pub fn take_snapshot(
    roots: &Roots,
    pid: Option<i32>,
    cpu_sample_ms: u64,
) -> Result<Snapshot, KernelError> {
    if let Some(pid) = pid.filter(|p| *p <= 0) {
        return Err(KernelError::NoSuchProcess { pid });
    }
    let mut collector = Collector::new(roots.clone())?;
    if cpu_sample_ms > 0 {
        collector.collect(None)?;
        std::thread::sleep(Duration::from_millis(cpu_sample_ms));
    }
    let mut snap = collector.collect(None)?;
    if let Some(pid) = pid {
        let row = snap
            .process(pid)
            .ok_or(KernelError::NoSuchProcess { pid })?;
        let gone = |e| match e {
            KernelError::Gone { .. } => KernelError::NoSuchProcess { pid },
            other => other,
        };
        let mut map = maps::read_memory_map(roots, pid, row.start_time_ticks).map_err(gone)?;
        // Per-mapping counters: a denied smaps leaves them out (smaps_access says why)
        // rather than failing the command; the rest of the map is still worth printing.
        let _ = maps::fill_smaps_counters(roots, &mut map);
        snap.memory_map = Some(map);
        snap.id_maps = crate::kernel::namespaces::read_id_maps(roots, pid).ok();
    }
    Ok(snap)
}
