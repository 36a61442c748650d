//! `boxtop record`: the collector's snapshots and the events between them, one sample per
//! interval, appended to a recording (`store`) until SIGINT, SIGTERM or SIGHUP. The files
//! and their bounds are the store's (docs/recording-format.md).

use crate::collect::Collector;
use crate::collect::events::between;
use crate::kernel::Roots;
use crate::kernel::stop_signals::StopSignals;
use crate::store::sample::{SAMPLE_VERSION, SampleRef};
use crate::store::{WriteOptions, Writer};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Time between the silent first sample and the first one recorded.
const FIRST_SAMPLE_GAP: Duration = Duration::from_millis(250);

/// What `boxtop record` was asked.
#[derive(Debug, Clone)]
pub struct RecordRequest {
    pub dir: PathBuf,
    pub interval_ms: u64,
    pub retain_ms: u64,
    pub max_size: u64,
    /// The process whose memory map goes into every sample.
    pub pid: Option<i32>,
    /// Stop after this many samples; 0: until a signal.
    pub samples: u64,
}

/// Records until stopped; the last frame is closed and synced before it returns, so a
/// stopped recorder leaves nothing to repair.
pub fn run_record(roots: &Roots, req: &RecordRequest) -> color_eyre::Result<()> {
    // Before the collector starts any thread, so that every thread inherits the mask.
    let stop = StopSignals::block()?;
    let opts = WriteOptions {
        retain_ms: Some(req.retain_ms),
        max_size: Some(req.max_size),
        ..WriteOptions::default()
    };
    let mut writer = Writer::new(&req.dir, opts)
        .map_err(|e| color_eyre::eyre::eyre!("{}: {e}", req.dir.display()))?;
    let mut collector = Collector::new(roots.clone())?;
    let interval = Duration::from_millis(req.interval_ms.max(100));
    // A first, silent sample a moment before the first recorded one, as the dashboard
    // takes: the first sample then has cpu % (a rate needs two readings).
    let mut prev = collector.collect(req.pid)?;
    if stop.sleep(FIRST_SAMPLE_GAP.min(interval)) {
        return Ok(());
    }
    let mut written = 0u64;
    eprintln!(
        "boxtop: recording every {} ms to {} (Ctrl-C stops)",
        req.interval_ms,
        req.dir.display()
    );
    loop {
        let began = Instant::now();
        let snap = collector.collect(req.pid)?;
        let events = between(&prev, &snap);
        let sample = SampleRef {
            version: SAMPLE_VERSION,
            snapshot: &snap,
            events: &events,
        };
        writer
            .append(snap.taken_at_unix_ms, &sample.to_json()?)
            .map_err(|e| color_eyre::eyre::eyre!("{}: {e}", req.dir.display()))?;
        for gone in writer.removed.drain(..) {
            eprintln!("boxtop: removed {} (retention)", gone.display());
        }
        prev = snap;
        written += 1;
        if req.samples != 0 && written >= req.samples {
            break;
        }
        // The interval is from one sample's start to the next, as the dashboard's is.
        if stop.sleep(interval.saturating_sub(began.elapsed())) {
            break;
        }
    }
    writer
        .close()
        .map_err(|e| color_eyre::eyre::eyre!("{}: {e}", req.dir.display()))?;
    eprintln!("boxtop: {written} samples recorded");
    Ok(())
}
