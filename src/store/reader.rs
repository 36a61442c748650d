//! Reading a recording: every part's index, checked against its data file, and any sample
//! by number. What could not be read is collected as sentences (`Recording::losses`), never
//! an error of the whole: a torn tail after a crash loses at most the samples it cut.

use super::format::{self, IndexEntry, RecordHead};
use super::parts;
use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// One sample's place: which part, and where in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub part: usize,
    pub at: IndexEntry,
}

type FrameDecoder = zstd::stream::read::Decoder<'static, BufReader<File>>;

/// A decoder left after the last read, for the next sample of the same segment.
struct Cursor {
    part: usize,
    frame_offset: u64,
    next_record: u32,
    decoder: FrameDecoder,
}

pub struct Recording {
    pub parts: Vec<PathBuf>,
    /// Every readable sample, oldest first.
    pub entries: Vec<Entry>,
    /// What was lost or skipped, in words (a torn tail, a damaged index, a foreign file).
    pub losses: Vec<String>,
    cursor: Option<Cursor>,
}

impl Recording {
    /// A directory of parts, or one part's data file.
    pub fn open(path: &Path) -> io::Result<Recording> {
        let files: Vec<PathBuf> = if path.is_dir() {
            parts::list(path)?.into_iter().map(|p| p.data).collect()
        } else {
            // Opened to say "no such file" now rather than as a loss.
            File::open(path)?;
            vec![path.to_path_buf()]
        };
        let mut rec = Recording {
            parts: Vec::new(),
            entries: Vec::new(),
            losses: Vec::new(),
            cursor: None,
        };
        for file in files {
            match read_part(&file) {
                Ok((entries, losses)) => {
                    let part = rec.parts.len();
                    rec.parts.push(file);
                    rec.entries
                        .extend(entries.into_iter().map(|at| Entry { part, at }));
                    rec.losses.extend(losses);
                }
                Err(why) => rec
                    .losses
                    .push(format!("{}: {why}; skipped", file.display())),
            }
        }
        // Parts are in name order (day, then sequence), which is time order; a clock set
        // back makes it otherwise, and the samples are shown in time order regardless.
        rec.entries.sort_by_key(|e| e.at.time_unix_ms);
        Ok(rec)
    }

    /// The payload of sample `i` (its JSON), its checksum checked.
    pub fn read(&mut self, i: usize) -> io::Result<Vec<u8>> {
        let e = *self
            .entries
            .get(i)
            .ok_or_else(|| io::Error::other(format!("no sample {i}")))?;
        let reuse = self.cursor.as_ref().is_some_and(|c| {
            c.part == e.part && c.frame_offset == e.at.frame_offset && c.next_record <= e.at.record
        });
        let mut cursor = match self.cursor.take().filter(|_| reuse) {
            Some(c) => c,
            None => Cursor {
                part: e.part,
                frame_offset: e.at.frame_offset,
                next_record: 0,
                decoder: frame_decoder(&self.parts[e.part], e.at.frame_offset)?,
            },
        };
        while cursor.next_record < e.at.record {
            let head = read_head(&mut cursor.decoder)?;
            io::copy(
                &mut (&mut cursor.decoder).take(u64::from(head.len)),
                &mut io::sink(),
            )?;
            cursor.next_record += 1;
        }
        let head = read_head(&mut cursor.decoder)?;
        let mut payload = vec![0u8; usize::try_from(head.len).unwrap_or(0)];
        cursor.decoder.read_exact(&mut payload)?;
        cursor.next_record += 1;
        if crc32fast::hash(&payload) != head.crc || head.crc != e.at.payload_crc {
            return Err(io::Error::other(format!(
                "the sample of {} is damaged (its checksum does not match)",
                parts::utc_text(e.at.time_unix_ms)
            )));
        }
        self.cursor = Some(cursor);
        Ok(payload)
    }

    /// The size of part `n`'s data file now, in bytes.
    pub fn part_bytes(&self, n: usize) -> Option<u64> {
        std::fs::metadata(self.parts.get(n)?).ok().map(|m| m.len())
    }

    /// The sample at or before `time_unix_ms` (the first one if the time is earlier).
    pub fn at_or_before(&self, time_unix_ms: u64) -> Option<usize> {
        if self.entries.is_empty() {
            return None;
        }
        let after = self
            .entries
            .partition_point(|e| e.at.time_unix_ms <= time_unix_ms);
        Some(after.saturating_sub(1))
    }
}

fn frame_decoder(data: &Path, offset: u64) -> io::Result<FrameDecoder> {
    let mut file = File::open(data)?;
    file.seek(SeekFrom::Start(offset))?;
    let mut dec = zstd::stream::read::Decoder::with_buffer(BufReader::new(file))?.single_frame();
    // Accept any window a writer may have used (up to zstd's 2 GiB maximum for 64-bit).
    dec.window_log_max(31)?;
    Ok(dec)
}

fn read_head(r: &mut impl Read) -> io::Result<RecordHead> {
    let mut b = [0u8; format::RECORD_HEAD_LEN];
    r.read_exact(&mut b)?;
    RecordHead::decode(&b).map_err(io::Error::other)
}

/// A part's entries, and what of it was lost. An Err is a file that is not a part at all.
fn read_part(data: &Path) -> Result<(Vec<IndexEntry>, Vec<String>), String> {
    let name = data.display();
    let mut file = File::open(data).map_err(|e| e.to_string())?;
    let data_len = file.metadata().map_err(|e| e.to_string())?.len();
    let mut head = [0u8; format::HEADER_LEN];
    let got = read_up_to(&mut file, &mut head).map_err(|e| e.to_string())?;
    format::check_header(format::DATA_MAGIC, &head[..got])?;
    let mut losses = Vec::new();
    let mut index = read_index(&data.with_extension(parts::INDEX_EXT), &mut losses);
    // A part its writer closed ends in a marker; if the file is still that long, nothing
    // after the index's last sample needs reading.
    if let Some(last) = index.last().copied()
        && last.record == format::CLOSED_RECORD
    {
        index.pop();
        if last.data_end == data_len {
            return Ok((index, losses));
        }
    }
    // Entries whose sample ends past the end of the data file were cut off with it.
    let whole = index.partition_point(|e| e.data_end <= data_len);
    let whole_cut = whole < index.len();
    if whole_cut {
        let cut = &index[whole..];
        losses.push(format!(
            "{name}: the file ends at byte {data_len}: {} sample(s) from {} on were cut off",
            cut.len(),
            parts::utc_text(cut[0].time_unix_ms)
        ));
        index.truncate(whole);
    }
    // The last segment is read through: it may hold samples the index never got (a crash
    // between the two writes), and it is where a torn write would be.
    let from = index
        .last()
        .map_or(format::HEADER_LEN as u64, |e| e.frame_offset);
    let (tail, end) = scan(data, from).map_err(|e| e.to_string())?;
    let indexed_end = index.last().map(|e| e.data_end);
    index.retain(|e| e.frame_offset < from);
    index.extend(tail);
    match end {
        ScanEnd::Clean | ScanEnd::Open => {}
        // Already said, as samples cut off.
        ScanEnd::Cut { .. } if whole_cut => {}
        ScanEnd::Cut { after_ms } => losses.push(format!(
            "{name}: a sample after {} was cut mid-write and is lost",
            after_ms.map_or("its start".to_string(), parts::utc_text)
        )),
        ScanEnd::Damaged(why) => losses.push(format!("{name}: {why}; the rest of it is lost")),
    }
    if let (Some(end_ms), Some(last)) = (indexed_end, index.last())
        && last.data_end < end_ms
    {
        losses.push(format!(
            "{name}: the index names samples the data does not hold"
        ));
    }
    Ok((index, losses))
}

fn read_up_to(file: &mut File, buf: &mut [u8]) -> io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match file.read(&mut buf[got..])? {
            0 => break,
            n => got += n,
        }
    }
    Ok(got)
}

/// The index's entries up to the first one that does not read (torn, or a bad checksum).
fn read_index(path: &Path, losses: &mut Vec<String>) -> Vec<IndexEntry> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            losses.push(format!(
                "{}: {e}; the samples are found by reading the data file through",
                path.display()
            ));
            return Vec::new();
        }
    };
    if let Err(why) = format::check_header(format::INDEX_MAGIC, &bytes) {
        losses.push(format!(
            "{}: {why}; read the data file through instead",
            path.display()
        ));
        return Vec::new();
    }
    let body = &bytes[format::HEADER_LEN..];
    let mut out = Vec::with_capacity(body.len() / format::INDEX_ENTRY_LEN);
    for chunk in body.chunks(format::INDEX_ENTRY_LEN) {
        match IndexEntry::decode(chunk) {
            // Entries only go forward; one that does not is not ours.
            Some(e)
                if out
                    .last()
                    .is_none_or(|l: &IndexEntry| l.data_end < e.data_end) =>
            {
                out.push(e);
            }
            _ => {
                let left = body.len() - out.len() * format::INDEX_ENTRY_LEN;
                losses.push(format!(
                    "{}: {left} byte(s) after entry {} do not read (a torn write); the samples are found in the data file",
                    path.display(),
                    out.len()
                ));
                break;
            }
        }
    }
    out
}

/// How a scan of a data file's segments ended.
#[derive(Debug, PartialEq)]
enum ScanEnd {
    /// At the end of a closed segment.
    Clean,
    /// In a segment not closed (being written, or its writer was killed) at a record's end:
    /// nothing is lost.
    Open,
    /// A record was cut short.
    Cut {
        after_ms: Option<u64>,
    },
    Damaged(String),
}

/// Every record from the segment at `from` to the end of the file, as index entries
/// (`data_end` is where the segment's bytes read so far end, an upper bound).
fn scan(data: &Path, from: u64) -> io::Result<(Vec<IndexEntry>, ScanEnd)> {
    let len = std::fs::metadata(data)?.len();
    let mut out = Vec::new();
    let mut offset = from;
    while offset < len {
        let mut dec = frame_decoder(data, offset)?;
        let mut record = 0u32;
        loop {
            let mut b = [0u8; format::RECORD_HEAD_LEN];
            let got = match read_up_to_dec(&mut dec, &mut b) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
                    return Ok((out, ScanEnd::Open));
                }
                Err(e) => return Ok((out, ScanEnd::Damaged(e.to_string()))),
            };
            if got == 0 {
                break; // the frame's end
            }
            let after_ms = out.last().map(|e: &IndexEntry| e.time_unix_ms);
            if got < b.len() {
                return Ok((out, ScanEnd::Cut { after_ms }));
            }
            let head = match RecordHead::decode(&b) {
                Ok(h) => h,
                Err(why) => return Ok((out, ScanEnd::Damaged(why))),
            };
            let mut payload = vec![0u8; usize::try_from(head.len).unwrap_or(0)];
            match dec.read_exact(&mut payload) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
                    return Ok((out, ScanEnd::Cut { after_ms }));
                }
                Err(e) => return Ok((out, ScanEnd::Damaged(e.to_string()))),
            }
            if crc32fast::hash(&payload) != head.crc {
                return Ok((
                    out,
                    ScanEnd::Damaged(format!("the sample after {after_ms:?} ms is damaged")),
                ));
            }
            out.push(IndexEntry {
                time_unix_ms: head.time_unix_ms,
                frame_offset: offset,
                data_end: len,
                record,
                payload_len: head.len,
                payload_crc: head.crc,
            });
            record += 1;
        }
        // The next segment starts where this frame's bytes ended.
        let mut reader = dec.finish();
        offset = reader.stream_position()?;
    }
    Ok((out, ScanEnd::Clean))
}

/// Like `read_up_to`, but an end of input inside a not-ended frame is an error of its own:
/// zstd's decoder says UnexpectedEof only when the frame is incomplete.
fn read_up_to_dec(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match r.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::UnexpectedEof && got > 0 => return Ok(got),
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}
