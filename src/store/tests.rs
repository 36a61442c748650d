//! The writer and the reader together, on real files in a temporary directory: what is
//! written reads back, and every kind of damage is survived and said.

use super::parts::{self, Day};
use super::{Recording, WriteOptions, Writer};
use std::path::Path;

const T0: u64 = 1_796_248_417_000; // 2026-12-02T21:53:37Z

fn payload(i: u64) -> Vec<u8> {
    // Like consecutive snapshots: mostly the same, a counter moving.
    format!(
        "{{\"version\":1,\"n\":{i},\"rows\":\"{}\"}}",
        "row ".repeat(200)
    )
    .into_bytes()
}

fn write(dir: &Path, n: u64, frame: u32) {
    let opts = WriteOptions {
        frame_samples: frame,
        ..WriteOptions::default()
    };
    let mut w = Writer::new(dir, opts).unwrap();
    for i in 0..n {
        w.append(T0 + i * 1000, &payload(i)).unwrap();
    }
    w.close().unwrap();
}

fn only_part(dir: &Path) -> parts::Part {
    let mut all = parts::list(dir).unwrap();
    assert_eq!(all.len(), 1, "{all:?}");
    all.remove(0)
}

#[test]
fn every_sample_reads_back_in_any_order_across_segments() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), 10, 4);
    let mut rec = Recording::open(dir.path()).unwrap();
    assert!(rec.losses.is_empty(), "{:?}", rec.losses);
    assert_eq!(rec.entries.len(), 10);
    for i in [0usize, 1, 2, 9, 3, 5, 4, 8, 7, 6] {
        assert_eq!(rec.read(i).unwrap(), payload(i as u64), "sample {i}");
    }
    assert_eq!(rec.at_or_before(T0 + 4500), Some(4));
    assert_eq!(rec.at_or_before(T0 - 1), Some(0));
    assert_eq!(rec.at_or_before(T0 + 99_000), Some(9));
    // One part's data file names it too.
    let one = Recording::open(&only_part(dir.path()).data).unwrap();
    assert_eq!(one.entries.len(), 10);
}

#[test]
fn consecutive_samples_compress_across_each_other() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), 60, 60);
    let part = only_part(dir.path());
    let size = std::fs::metadata(&part.data).unwrap().len();
    let raw: usize = (0..60).map(|i| payload(i).len()).sum();
    // Each sample alone is ~840 bytes; across samples a sample costs a few dozen.
    assert!(size * 10 < raw as u64, "{size} bytes for {raw} raw");
}

#[test]
fn a_file_cut_mid_frame_reads_up_to_the_cut_and_says_what_was_lost() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), 12, 5);
    let part = only_part(dir.path());
    let full = std::fs::read(&part.data).unwrap();
    // Cut in the middle of the third segment.
    let rec = Recording::open(dir.path()).unwrap();
    let third = usize::try_from(rec.entries[10].at.frame_offset).expect("a small file");
    let cut = third + (full.len() - third) / 2;
    std::fs::write(&part.data, &full[..cut]).unwrap();
    let mut rec = Recording::open(dir.path()).unwrap();
    assert!(
        rec.entries.len() >= 10 && rec.entries.len() < 12,
        "{}",
        rec.entries.len()
    );
    assert!(
        rec.losses.iter().any(|l| l.contains("cut off")),
        "{:?}",
        rec.losses
    );
    for i in 0..rec.entries.len() {
        assert_eq!(rec.read(i).unwrap(), payload(i as u64));
    }
}

#[test]
fn a_cut_at_any_byte_never_fails_the_whole_recording() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), 6, 3);
    let part = only_part(dir.path());
    let full = std::fs::read(&part.data).unwrap();
    let mut last = usize::MAX;
    for cut in (16..full.len()).rev().step_by(7) {
        std::fs::write(&part.data, &full[..cut]).unwrap();
        let mut rec = Recording::open(dir.path()).unwrap();
        let n = rec.entries.len();
        assert!(n <= last, "a shorter file read more samples ({n} at {cut})");
        last = n;
        if n < 6 {
            assert!(
                !rec.losses.is_empty(),
                "cut at {cut}: {n} samples, nothing said"
            );
        }
        for i in 0..n {
            assert_eq!(rec.read(i).unwrap(), payload(i as u64), "cut {cut}");
        }
    }
}

#[test]
fn without_its_index_a_part_is_read_through() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), 9, 4);
    std::fs::remove_file(only_part(dir.path()).index()).unwrap();
    let mut rec = Recording::open(dir.path()).unwrap();
    assert_eq!(rec.entries.len(), 9);
    assert!(
        rec.losses.iter().any(|l| l.contains("read")),
        "{:?}",
        rec.losses
    );
    assert_eq!(rec.read(8).unwrap(), payload(8));
}

#[test]
fn a_torn_index_entry_is_reported_and_the_samples_found_in_the_data() {
    let dir = tempfile::tempdir().unwrap();
    // Not closed: as if the writer was killed with the last index entry half written.
    let mut w = Writer::new(dir.path(), WriteOptions::default()).unwrap();
    for i in 0..5 {
        w.append(T0 + i * 1000, &payload(i)).unwrap();
    }
    let part = only_part(dir.path());
    std::mem::forget(w);
    let idx = std::fs::read(part.index()).unwrap();
    std::fs::write(part.index(), &idx[..idx.len() - 13]).unwrap();
    let mut rec = Recording::open(dir.path()).unwrap();
    assert_eq!(rec.entries.len(), 5, "{:?}", rec.losses);
    assert!(
        rec.losses.iter().any(|l| l.contains("torn")),
        "{:?}",
        rec.losses
    );
    assert_eq!(rec.read(4).unwrap(), payload(4));
}

#[test]
fn a_damaged_payload_is_an_error_of_that_sample_only() {
    let dir = tempfile::tempdir().unwrap();
    let opts = WriteOptions {
        level: 1,
        ..WriteOptions::default()
    };
    let mut w = Writer::new(dir.path(), opts).unwrap();
    // Incompressible payloads, so a flipped byte in the file is a flipped byte of a sample.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        // xorshift64: noise zstd cannot shrink.
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x.to_le_bytes()[0]
    };
    let noise: Vec<Vec<u8>> = (0..3)
        .map(|_| (0..4000).map(|_| next()).collect())
        .collect();
    for (i, p) in noise.iter().enumerate() {
        w.append(T0 + i as u64, p).unwrap();
    }
    w.close().unwrap();
    let part = only_part(dir.path());
    let mut bytes = std::fs::read(&part.data).unwrap();
    let len = bytes.len();
    bytes[len - 2000] ^= 0xff;
    std::fs::write(&part.data, &bytes).unwrap();
    let mut rec = Recording::open(dir.path()).unwrap();
    assert_eq!(rec.read(0).unwrap(), noise[0]);
    assert!(rec.read(2).is_err());
    assert_eq!(rec.read(1).unwrap(), noise[1]);
}

#[test]
fn a_second_writer_starts_a_part_of_its_own_and_other_files_are_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    write(dir.path(), 3, 4);
    let mut w = Writer::new(dir.path(), WriteOptions::default()).unwrap();
    w.append(T0 + 10_000, &payload(10)).unwrap();
    w.close().unwrap();
    let all = parts::list(dir.path()).unwrap();
    assert_eq!(all.iter().map(|p| p.seq).collect::<Vec<_>>(), vec![0, 1]);
    let mut rec = Recording::open(dir.path()).unwrap();
    assert_eq!(rec.entries.len(), 4);
    assert_eq!(rec.read(3).unwrap(), payload(10));
    assert!(dir.path().join("notes.txt").exists());
}

#[test]
fn a_new_day_is_a_new_part_and_retention_removes_whole_old_ones() {
    let dir = tempfile::tempdir().unwrap();
    let day = 86_400_000;
    let opts = WriteOptions {
        retain_ms: Some(day),
        ..WriteOptions::default()
    };
    let mut w = Writer::new(dir.path(), opts).unwrap();
    for d in 0..4 {
        w.append(T0 + d * day, &payload(d)).unwrap();
    }
    w.close().unwrap();
    let days: Vec<Day> = parts::list(dir.path())
        .unwrap()
        .iter()
        .map(|p| p.day)
        .collect();
    // Days 0 and 1 ended more than a day before the last sample.
    assert_eq!(
        days,
        vec![Day::of_unix_ms(T0 + 2 * day), Day::of_unix_ms(T0 + 3 * day)]
    );
    assert_eq!(w.removed.len(), 2);
}

#[test]
fn max_size_keeps_the_directory_under_its_bound() {
    let dir = tempfile::tempdir().unwrap();
    let opts = WriteOptions {
        max_size: Some(6_000),
        level: 1,
        frame_samples: 1,
        ..WriteOptions::default()
    };
    let mut w = Writer::new(dir.path(), opts).unwrap();
    for i in 0..200 {
        w.append(T0 + i * 1000, &payload(i)).unwrap();
    }
    w.close().unwrap();
    let total: u64 = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum();
    // One part's share (a quarter) may be over while it is written.
    assert!(total <= 6_000 + 6_000 / 4 + 1_000, "{total} bytes");
    let mut rec = Recording::open(dir.path()).unwrap();
    let last = rec.entries.len() - 1;
    assert_eq!(rec.read(last).unwrap(), payload(199));
    assert!(!w.removed.is_empty());
}

#[test]
fn the_window_holds_four_samples_within_its_bounds() {
    use super::writer::window_log;
    assert_eq!(window_log(0), 20);
    assert_eq!(window_log(10_000), 20, "1 MiB at least");
    assert_eq!(window_log(1 << 20), 22, "four 1 MiB samples: 4 MiB");
    assert_eq!(window_log((1 << 20) + 1), 23);
    assert_eq!(window_log(6_727_519), 25, "5,000 processes: 32 MiB");
    assert_eq!(window_log(usize::MAX), 26, "64 MiB at most");
}
