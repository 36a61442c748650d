//! Reading a recording from the command line: `replay --info` (what it holds), `replay
//! --dump` (one sample as written) and `snapshot --at TIME --from PATH` (one sample's
//! snapshot, as `boxtop snapshot` prints a live one). Whatever the recording lost is said on
//! stderr first; it does not stop the rest from being read.

use crate::kernel::clock::{local_datetime_at, resolve};
use crate::model::when::When;
use crate::store::Recording;
use crate::store::sample::Sample;
use color_eyre::eyre::eyre;
use std::path::Path;

/// Opens a recording and says on stderr what of it could not be read.
pub fn open_recording(path: &Path) -> color_eyre::Result<Recording> {
    let rec = Recording::open(path).map_err(|e| eyre!("{}: {e}", path.display()))?;
    for loss in &rec.losses {
        eprintln!("boxtop: {loss}");
    }
    if rec.entries.is_empty() {
        return Err(eyre!("{}: no sample could be read", path.display()));
    }
    Ok(rec)
}

/// The number of the sample a typed time names: the last one at or before it; `None`, the
/// last sample. A time before the first sample is an error that says where it starts.
pub fn sample_at(rec: &Recording, at: Option<&str>) -> color_eyre::Result<usize> {
    let (Some(first), Some(last)) = (rec.entries.first(), rec.entries.last()) else {
        return Err(eyre!("the recording holds no sample"));
    };
    let Some(text) = at else {
        return Ok(rec.entries.len() - 1);
    };
    let when = When::parse(text).map_err(|e| eyre!("--at: {e}"))?;
    let ms = resolve(when, last.at.time_unix_ms).map_err(|e| eyre!("--at: {e}"))?;
    // `10:42` typed for a recording that began at 10:42:00.300 means its first sample.
    if ms < first.at.time_unix_ms && first.at.time_unix_ms - ms >= TYPED_PRECISION_MS {
        return Err(eyre!(
            "--at {text}: the recording starts later, at {}",
            local_datetime_at(first.at.time_unix_ms)
        ));
    }
    rec.at_or_before(ms)
        .ok_or_else(|| eyre!("the recording holds no sample"))
}

/// How far before the first sample a typed time may fall and still name it: a clock time is
/// typed to the minute or the second, a sample is taken within it.
const TYPED_PRECISION_MS: u64 = 60_000;

/// Sample `i`, read and decoded.
pub fn read_sample(rec: &mut Recording, i: usize) -> color_eyre::Result<Sample> {
    let bytes = rec.read(i).map_err(|e| eyre!("{e}"))?;
    Sample::from_json(&bytes).map_err(|e| eyre!("{e}"))
}

/// `replay --dump`: the sample as it was written (every field, known to this build or not).
pub fn dump(path: &Path, at: Option<&str>) -> color_eyre::Result<()> {
    let mut rec = open_recording(path)?;
    let i = sample_at(&rec, at)?;
    let mut bytes = rec.read(i).map_err(|e| eyre!("{e}"))?;
    bytes.push(b'\n');
    Ok(super::print(&bytes)?)
}

/// `snapshot --at TIME --from PATH`: the sample's snapshot, as JSON or the summary.
pub fn snapshot_at(path: &Path, at: &str, json: bool) -> color_eyre::Result<()> {
    let mut rec = open_recording(path)?;
    let i = sample_at(&rec, Some(at))?;
    let sample = read_sample(&mut rec, i)?;
    let text = if json {
        let mut v = serde_json::to_vec(&sample.snapshot)?;
        v.push(b'\n');
        v
    } else {
        super::summary(&sample.snapshot).into_bytes()
    };
    Ok(super::print(&text)?)
}

/// `replay --info`: the files, the span, the number of samples and what was lost.
pub fn info(path: &Path) -> color_eyre::Result<()> {
    let rec = open_recording(path)?;
    let mut out = String::new();
    let (Some(first), Some(last)) = (rec.entries.first(), rec.entries.last()) else {
        return Err(eyre!("the recording holds no sample"));
    };
    out.push_str(&format!(
        "{} samples from {} to {}\n",
        rec.entries.len(),
        local_datetime_at(first.at.time_unix_ms),
        local_datetime_at(last.at.time_unix_ms)
    ));
    for (n, part) in rec.parts.iter().enumerate() {
        let count = rec.entries.iter().filter(|e| e.part == n).count();
        let bytes = rec.part_bytes(n).unwrap_or(0);
        out.push_str(&format!(
            "  {}  {count} samples, {}\n",
            part.display(),
            crate::text::format_bytes(bytes)
        ));
    }
    if rec.losses.is_empty() {
        out.push_str("nothing lost\n");
    } else {
        out.push_str(&format!("{} loss(es), said above\n", rec.losses.len()));
    }
    Ok(super::print(out.as_bytes())?)
}
