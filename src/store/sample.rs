//! What one sample of a recording holds: the snapshot (with its containers, and the
//! selected process's memory map when the dashboard records), and the events since the
//! sample before. Written as JSON, the same fields as `boxtop snapshot --json`
//! (docs/snapshot-json.md) and `boxtop events --json` (docs/events-json.md), with a version.

use crate::model::{KernelEvent, Snapshot};
use serde::{Deserialize, Serialize};

/// The sample format this build writes. A reader takes any version: fields it does not know
/// are skipped and fields it misses take their defaults (docs/recording-format.md).
pub const SAMPLE_VERSION: u32 = 1;

/// A sample to write, borrowing what the collector made.
#[derive(Debug, Serialize)]
pub struct SampleRef<'a> {
    pub version: u32,
    pub snapshot: &'a Snapshot,
    pub events: &'a [KernelEvent],
}

impl SampleRef<'_> {
    pub fn to_json(&self) -> serde_json::Result<Vec<u8>> {
        serde_json::to_vec(self)
    }
}

/// A sample read back. Any field this build does not know is skipped; `events` may be
/// missing (a sample written before events were recorded would have none).
#[derive(Debug, Deserialize)]
pub struct Sample {
    pub version: u32,
    pub snapshot: Snapshot,
    #[serde(default)]
    pub events: Vec<KernelEvent>,
}

impl Sample {
    pub fn from_json(bytes: &[u8]) -> Result<Sample, String> {
        serde_json::from_slice(bytes).map_err(|e| format!("a sample that does not read: {e}"))
    }

    /// Only the events of a sample: the snapshot is scanned past, not built (the replay's
    /// timeline reads the samples before a jump this way).
    pub fn events_from_json(bytes: &[u8]) -> Result<Vec<KernelEvent>, String> {
        #[derive(Deserialize)]
        struct EventsOnly {
            #[serde(default)]
            events: Vec<KernelEvent>,
        }
        serde_json::from_slice::<EventsOnly>(bytes)
            .map(|s| s.events)
            .map_err(|e| format!("a sample that does not read: {e}"))
    }
}
