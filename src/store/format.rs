//! The bytes of a recording, as docs/recording-format.md describes them: the two file
//! headers, the record that frames one sample inside a compressed segment, and the index
//! entry. Pure encoding and decoding; no file is touched here.

/// A data file begins with these 8 bytes, then the format version and a CRC of both.
pub const DATA_MAGIC: [u8; 8] = *b"BOXTOPR\n";
/// An index file begins with these 8 bytes, then the same version and CRC.
pub const INDEX_MAGIC: [u8; 8] = *b"BOXTOPI\n";
/// The file format this build writes. A reader reads every version up to its own; a file
/// of a later version is refused with a sentence (its layout may have changed), while the
/// sample JSON inside tolerates unknown fields on its own.
pub const FORMAT_VERSION: u32 = 1;
/// Magic, version, CRC-32 of the 12 bytes before it.
pub const HEADER_LEN: usize = 16;
/// Payload length, payload CRC-32, time: the 16 bytes before each sample's JSON in the
/// decompressed stream of a segment.
pub const RECORD_HEAD_LEN: usize = 16;
/// One index entry: see `IndexEntry`.
pub const INDEX_ENTRY_LEN: usize = 40;
/// The `record` of the index entry a writer adds when it closes a part: its `data_end` is
/// the data file's final length (a reader that finds the file that long need not read it
/// through). Not a sample.
pub const CLOSED_RECORD: u32 = u32::MAX;
/// A sample larger than this is not a sample but a corrupt length: refused before any
/// allocation (5,000 processes make about 4 MB of JSON).
pub const MAX_PAYLOAD: u32 = 256 << 20;

pub fn header(magic: [u8; 8]) -> [u8; HEADER_LEN] {
    let mut h = [0u8; HEADER_LEN];
    h[..8].copy_from_slice(&magic);
    h[8..12].copy_from_slice(&FORMAT_VERSION.to_le_bytes());
    let crc = crc32fast::hash(&h[..12]);
    h[12..].copy_from_slice(&crc.to_le_bytes());
    h
}

/// Why a header was refused, in words.
pub fn check_header(magic: [u8; 8], h: &[u8]) -> Result<u32, String> {
    if h.len() < HEADER_LEN {
        return Err(format!("too short for a header ({} bytes)", h.len()));
    }
    if h[..8] != magic {
        return Err("not a boxtop recording (bad magic)".into());
    }
    if crc32fast::hash(&h[..12]) != le_u32(&h[12..16]) {
        return Err("its header's checksum does not match".into());
    }
    let version = le_u32(&h[8..12]);
    if version > FORMAT_VERSION {
        return Err(format!(
            "format version {version}, newer than this boxtop reads ({FORMAT_VERSION}): upgrade boxtop"
        ));
    }
    Ok(version)
}

/// The head of a record: written before the payload in the segment's stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordHead {
    pub len: u32,
    pub crc: u32,
    pub time_unix_ms: u64,
}

impl RecordHead {
    pub fn of(payload: &[u8], time_unix_ms: u64) -> Result<RecordHead, String> {
        let len = u32::try_from(payload.len())
            .ok()
            .filter(|l| *l <= MAX_PAYLOAD)
            .ok_or_else(|| format!("a sample of {} bytes is too large", payload.len()))?;
        Ok(RecordHead {
            len,
            crc: crc32fast::hash(payload),
            time_unix_ms,
        })
    }

    pub fn encode(&self) -> [u8; RECORD_HEAD_LEN] {
        let mut b = [0u8; RECORD_HEAD_LEN];
        b[..4].copy_from_slice(&self.len.to_le_bytes());
        b[4..8].copy_from_slice(&self.crc.to_le_bytes());
        b[8..].copy_from_slice(&self.time_unix_ms.to_le_bytes());
        b
    }

    pub fn decode(b: &[u8; RECORD_HEAD_LEN]) -> Result<RecordHead, String> {
        let head = RecordHead {
            len: le_u32(&b[..4]),
            crc: le_u32(&b[4..8]),
            time_unix_ms: le_u64(&b[8..16]),
        };
        if head.len > MAX_PAYLOAD {
            return Err(format!("a record claims {} bytes", head.len));
        }
        Ok(head)
    }
}

/// Where one sample is: its segment (a zstd frame) starts at `frame_offset` in the data
/// file, and it is record number `record` in that frame's stream. `data_end` is the data
/// file's length once the sample was flushed: a file shorter than that was cut, and the
/// sample is lost. The entry's own CRC finds a torn index write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexEntry {
    pub time_unix_ms: u64,
    pub frame_offset: u64,
    pub data_end: u64,
    pub record: u32,
    pub payload_len: u32,
    pub payload_crc: u32,
}

impl IndexEntry {
    pub fn encode(&self) -> [u8; INDEX_ENTRY_LEN] {
        let mut b = [0u8; INDEX_ENTRY_LEN];
        b[..8].copy_from_slice(&self.time_unix_ms.to_le_bytes());
        b[8..16].copy_from_slice(&self.frame_offset.to_le_bytes());
        b[16..24].copy_from_slice(&self.data_end.to_le_bytes());
        b[24..28].copy_from_slice(&self.record.to_le_bytes());
        b[28..32].copy_from_slice(&self.payload_len.to_le_bytes());
        b[32..36].copy_from_slice(&self.payload_crc.to_le_bytes());
        let crc = crc32fast::hash(&b[..36]);
        b[36..].copy_from_slice(&crc.to_le_bytes());
        b
    }

    /// None when the entry's checksum does not match (a torn or overwritten write).
    pub fn decode(b: &[u8]) -> Option<IndexEntry> {
        if b.len() < INDEX_ENTRY_LEN || crc32fast::hash(&b[..36]) != le_u32(&b[36..40]) {
            return None;
        }
        Some(IndexEntry {
            time_unix_ms: le_u64(&b[..8]),
            frame_offset: le_u64(&b[8..16]),
            data_end: le_u64(&b[16..24]),
            record: le_u32(&b[24..28]),
            payload_len: le_u32(&b[28..32]),
            payload_crc: le_u32(&b[32..36]),
        })
    }
}

fn le_u32(b: &[u8]) -> u32 {
    let mut a = [0u8; 4];
    a.copy_from_slice(&b[..4]);
    u32::from_le_bytes(a)
}

fn le_u64(b: &[u8]) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[..8]);
    u64::from_le_bytes(a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_reads_back_and_a_damaged_one_is_named() {
        let h = header(DATA_MAGIC);
        assert_eq!(check_header(DATA_MAGIC, &h), Ok(FORMAT_VERSION));
        assert!(check_header(INDEX_MAGIC, &h).unwrap_err().contains("magic"));
        let mut bad = h;
        bad[9] ^= 1;
        assert!(
            check_header(DATA_MAGIC, &bad)
                .unwrap_err()
                .contains("checksum")
        );
        assert!(
            check_header(DATA_MAGIC, &h[..10])
                .unwrap_err()
                .contains("short")
        );
    }

    #[test]
    fn a_later_format_version_is_refused_with_what_to_do() {
        let mut h = header(DATA_MAGIC);
        h[8..12].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
        let crc = crc32fast::hash(&h[..12]);
        h[12..].copy_from_slice(&crc.to_le_bytes());
        assert!(
            check_header(DATA_MAGIC, &h)
                .unwrap_err()
                .contains("upgrade")
        );
    }

    #[test]
    fn an_index_entry_round_trips_and_a_flipped_bit_is_found() {
        let e = IndexEntry {
            time_unix_ms: 1_764_700_000_123,
            frame_offset: 16,
            data_end: 90_000,
            record: 7,
            payload_len: 123_456,
            payload_crc: 0xdead_beef,
        };
        let b = e.encode();
        assert_eq!(IndexEntry::decode(&b), Some(e));
        for i in 0..INDEX_ENTRY_LEN {
            let mut bad = b;
            bad[i] ^= 0x10;
            assert_eq!(IndexEntry::decode(&bad), None, "byte {i}");
        }
        assert_eq!(IndexEntry::decode(&b[..39]), None);
    }

    #[test]
    fn a_record_head_round_trips_and_refuses_a_huge_length() {
        let head = RecordHead::of(b"{}", 5).unwrap();
        assert_eq!(RecordHead::decode(&head.encode()), Ok(head));
        let mut b = head.encode();
        b[..4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(RecordHead::decode(&b).is_err());
    }
}
