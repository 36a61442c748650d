//! Appending samples to a recording directory: each sample is one record in the open
//! segment (a zstd frame), flushed at once so that a crash loses nothing written before it,
//! then its index entry. A segment is closed after `frame_samples` records, so that a reader
//! seeking to a time decodes at most that many; compression across the samples of a segment
//! is what makes a sample small (consecutive snapshots differ in a few counters).

use super::format::{self, IndexEntry, RecordHead};
use super::parts::{self, Day, Part};
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// A recording's bounds unless told otherwise: `boxtop record`'s `--retain 7d` and
/// `--max-size 1G` (a test in cli.rs keeps those defaults equal to these), and the
/// dashboard's `--record`.
pub const DEFAULT_RETAIN_MS: u64 = 7 * 24 * 3600 * 1000;
pub const DEFAULT_MAX_SIZE: u64 = 1 << 30;

/// How a recording is written and bounded.
#[derive(Debug, Clone, PartialEq)]
pub struct WriteOptions {
    /// Records per segment: a reader decodes at most this many to reach one.
    pub frame_samples: u32,
    /// zstd level (BENCHMARKS.md, "Recording", says why this one).
    pub level: i32,
    /// Parts whose day ended longer ago than this are removed.
    pub retain_ms: Option<u64>,
    /// The directory's parts are kept under this many bytes, oldest removed first.
    pub max_size: Option<u64>,
}

impl Default for WriteOptions {
    fn default() -> Self {
        WriteOptions {
            frame_samples: 120,
            level: 3,
            retain_ms: None,
            max_size: None,
        }
    }
}

/// A `File` that counts what was written to it: the data file's length after each flush is
/// in the index (`IndexEntry::data_end`).
struct Counted {
    file: File,
    written: u64,
}

impl Write for Counted {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.file.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

struct Open {
    part: Part,
    encoder: Option<zstd::stream::write::Encoder<'static, Counted>>,
    index: File,
    frame_offset: u64,
    record: u32,
    last_time: u64,
}

pub struct Writer {
    dir: PathBuf,
    opts: WriteOptions,
    open: Option<Open>,
    /// Parts removed by retention, for the caller to report.
    pub removed: Vec<PathBuf>,
}

impl Writer {
    /// A writer on `dir` (created if missing). Nothing is opened until the first sample.
    pub fn new(dir: &Path, opts: WriteOptions) -> io::Result<Writer> {
        std::fs::create_dir_all(dir)?;
        Ok(Writer {
            dir: dir.to_path_buf(),
            opts,
            open: None,
            removed: Vec::new(),
        })
    }

    /// The data file being written, if any.
    pub fn current(&self) -> Option<&Path> {
        self.open.as_ref().map(|o| o.part.data.as_path())
    }

    /// Appends one sample taken at `time_unix_ms`.
    pub fn append(&mut self, time_unix_ms: u64, payload: &[u8]) -> io::Result<()> {
        let head = RecordHead::of(payload, time_unix_ms).map_err(io::Error::other)?;
        let day = Day::of_unix_ms(time_unix_ms);
        let part_limit = self.opts.max_size.map(|m| (m / 4).max(1));
        let rotate = self.open.as_ref().is_none_or(|o| {
            o.part.day != day
                || part_limit.is_some_and(|limit| {
                    o.encoder
                        .as_ref()
                        .is_some_and(|e| e.get_ref().written >= limit)
                })
        });
        if rotate {
            self.close()?;
            self.open = Some(self.open_part(day, payload.len())?);
            self.apply_retention(time_unix_ms)?;
        }
        let Some(open) = self.open.as_mut() else {
            return Err(io::Error::other("no part open"));
        };
        if open.record >= self.opts.frame_samples {
            let counted = finish(open.encoder.take())?;
            open.frame_offset = counted.written;
            open.encoder = Some(encoder(counted, self.opts.level, payload.len())?);
            open.record = 0;
        }
        let Some(enc) = open.encoder.as_mut() else {
            return Err(io::Error::other("no segment open"));
        };
        enc.write_all(&head.encode())?;
        enc.write_all(payload)?;
        // ZSTD_e_flush: every byte of this sample reaches the file now, in blocks a reader
        // can decode without the rest of the frame.
        enc.flush()?;
        let entry = IndexEntry {
            time_unix_ms,
            frame_offset: open.frame_offset,
            data_end: enc.get_ref().written,
            record: open.record,
            payload_len: head.len,
            payload_crc: head.crc,
        };
        open.index.write_all(&entry.encode())?;
        open.record += 1;
        open.last_time = time_unix_ms;
        Ok(())
    }

    /// Closes the open segment and part (the frame's end is written, and both files are
    /// synced). A writer dropped without it leaves a segment a reader still reads.
    pub fn close(&mut self) -> io::Result<()> {
        if let Some(mut open) = self.open.take() {
            let counted = finish(open.encoder.take())?;
            counted.file.sync_data()?;
            let closed = IndexEntry {
                time_unix_ms: open.last_time,
                frame_offset: counted.written,
                data_end: counted.written,
                record: format::CLOSED_RECORD,
                payload_len: 0,
                payload_crc: 0,
            };
            open.index.write_all(&closed.encode())?;
            open.index.sync_data()?;
        }
        Ok(())
    }

    /// A new part of `day`: numbered after every part of that day already here, so that a
    /// possibly torn tail of an earlier writer is never appended to.
    fn open_part(&self, day: Day, first_len: usize) -> io::Result<Open> {
        let seq = parts::list(&self.dir)?
            .iter()
            .filter(|p| p.day == day)
            .map(|p| p.seq + 1)
            .max()
            .unwrap_or(0);
        let part = Part::new(&self.dir, day, seq);
        let create = |path: &Path| OpenOptions::new().write(true).create_new(true).open(path);
        let mut data = create(&part.data)?;
        let mut index = create(&part.index())?;
        data.write_all(&format::header(format::DATA_MAGIC))?;
        index.write_all(&format::header(format::INDEX_MAGIC))?;
        let counted = Counted {
            file: data,
            written: format::HEADER_LEN as u64,
        };
        Ok(Open {
            part,
            encoder: Some(encoder(counted, self.opts.level, first_len)?),
            index,
            frame_offset: format::HEADER_LEN as u64,
            record: 0,
            last_time: 0,
        })
    }

    fn apply_retention(&mut self, now_unix_ms: u64) -> io::Result<()> {
        if self.opts.retain_ms.is_none() && self.opts.max_size.is_none() {
            return Ok(());
        }
        let sized: Vec<(Part, u64)> = parts::list(&self.dir)?
            .into_iter()
            .map(|p| {
                let size = file_len(&p.data) + file_len(&p.index());
                (p, size)
            })
            .collect();
        let current = self.open.as_ref().map(|o| &o.part);
        for part in parts::to_remove(
            &sized,
            current,
            now_unix_ms,
            self.opts.retain_ms,
            self.opts.max_size,
        ) {
            // The index first: a data file without one is still read (scanned), an index
            // without its data is nothing.
            let _ = std::fs::remove_file(part.index());
            std::fs::remove_file(&part.data)?;
            self.removed.push(part.data);
        }
        Ok(())
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        let _ = self.close();
    }
}

fn file_len(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

/// The window of a segment whose first sample is `sample_len` bytes: four samples, so that
/// each sample is compressed against the one before it, between 1 MiB and 64 MiB.
///
/// Consecutive samples differ in a few counters, but a sample of 5,000 processes is about
/// 6.7 MB of JSON: with zstd level 3's own window (2 MiB at most for such input) nothing of
/// the sample before is in reach, and compressing across samples gains nothing, as gzip's
/// 32 KiB window gains nothing on the idle host (BENCHMARKS.md, "Recording"). The window
/// costs its size in memory while the recorder runs, and the same to a reader. (zstd's
/// long-distance matching, tried on the same samples, made them larger: BENCHMARKS.md.)
pub fn window_log(sample_len: usize) -> u32 {
    let want = sample_len.saturating_mul(4).max(1);
    let log = usize::BITS - (want - 1).leading_zeros();
    log.clamp(MIN_WINDOW_LOG, MAX_WINDOW_LOG)
}

const MIN_WINDOW_LOG: u32 = 20;
const MAX_WINDOW_LOG: u32 = 26;

fn encoder(
    counted: Counted,
    level: i32,
    sample_len: usize,
) -> io::Result<zstd::stream::write::Encoder<'static, Counted>> {
    let mut enc = zstd::stream::write::Encoder::new(counted, level)?;
    let log = window_log(sample_len);
    enc.window_log(log)?;
    // The frame's content checksum: a reader finds a segment damaged at rest, not only one
    // cut short.
    enc.include_checksum(true)?;
    Ok(enc)
}

fn finish(enc: Option<zstd::stream::write::Encoder<'static, Counted>>) -> io::Result<Counted> {
    enc.ok_or_else(|| io::Error::other("no segment open"))?
        .finish()
}
