//! Recordings as a user meets them: `boxtop record` on this kernel and on fixture hosts,
//! `replay --info` / `--dump` and `snapshot --at --from` on what it wrote, a recording cut
//! mid-frame, and the recording of an earlier release kept in tests/fixtures/recording-v1
//! (made by this release's `boxtop record` on two fixture hosts; it must stay readable).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

#[path = "support/fixture.rs"]
mod fixture;
#[path = "support/live.rs"]
mod live;

use boxtop::collect::Collector;
use boxtop::collect::events::between;
use boxtop::kernel::Roots;
use boxtop::store::Recording;
use boxtop::store::sample::{SAMPLE_VERSION, Sample, SampleRef};
use fixture::fixture;
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

fn boxtop(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_boxtop"))
        .args(args)
        .output()
        .expect("run boxtop")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The two JSON trees are the same; numbers equal as f32 where they are fractions (cpu %
/// is an f32, which JSON holds in decimal).
fn same_json(a: &Value, b: &Value, at: &str) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let kx: Vec<_> = x.keys().collect();
            let ky: Vec<_> = y.keys().collect();
            assert_eq!(kx, ky, "keys at {at}");
            for (k, v) in x {
                same_json(v, &y[k], &format!("{at}.{k}"));
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            assert_eq!(x.len(), y.len(), "length at {at}");
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                same_json(v, w, &format!("{at}[{i}]"));
            }
        }
        (Value::Number(x), Value::Number(y)) if x.is_f64() || y.is_f64() => {
            #[allow(
                clippy::cast_possible_truncation,
                reason = "compared as the f32 it was"
            )]
            let (p, q) = (x.as_f64().unwrap() as f32, y.as_f64().unwrap() as f32);
            assert!(
                p == q || (p - q).abs() <= f32::EPSILON * p.abs().max(1.0),
                "{at}: {p} != {q}"
            );
        }
        _ => assert_eq!(a, b, "at {at}"),
    }
}

/// A sample written and read back is the same sample, field by field.
fn round_trip(sample: &SampleRef<'_>) {
    let written = sample.to_json().unwrap();
    let read = Sample::from_json(&written).unwrap();
    let again = SampleRef {
        version: read.version,
        snapshot: &read.snapshot,
        events: &read.events,
    }
    .to_json()
    .unwrap();
    let (a, b): (Value, Value) = (
        serde_json::from_slice(&written).unwrap(),
        serde_json::from_slice(&again).unwrap(),
    );
    same_json(&a, &b, "sample");
}

#[test]
fn every_field_of_a_live_sample_reads_back() {
    let mut collector = Collector::new(Roots::live()).unwrap();
    let first = collector.collect(None).unwrap();
    // A process that starts and ends between two samples gives events to carry.
    let mut child = Command::new("sleep").arg("30").spawn().unwrap();
    let second = collector
        .collect(Some(std::process::id().cast_signed()))
        .unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    let third = collector.collect(None).unwrap();
    assert!(second.memory_map.is_some(), "our own memory map was read");
    for (prev, next) in [(&first, &second), (&second, &third)] {
        let events = between(prev, next);
        assert!(
            !events.is_empty(),
            "a process started or ended between them"
        );
        round_trip(&SampleRef {
            version: SAMPLE_VERSION,
            snapshot: next,
            events: &events,
        });
    }
}

#[test]
fn every_field_of_a_fixture_host_sample_reads_back() {
    for host in [
        "cgroup-hybrid",
        "cgroup-v1",
        "cgroup-v2",
        "containers-hybrid",
        "containers-v1",
        "containers-v2",
    ] {
        let dir = fixture(host);
        let snap = Collector::new(Roots::new(dir.join("proc"), dir.join("cgroup")))
            .unwrap()
            .collect(None)
            .unwrap();
        assert!(!snap.processes.is_empty(), "{host}");
        round_trip(&SampleRef {
            version: SAMPLE_VERSION,
            snapshot: &snap,
            events: &[],
        });
    }
}

/// Fields a later release adds are skipped; a sample with no events field reads.
#[test]
fn unknown_fields_are_skipped_and_missing_events_are_none() {
    let dir = fixture("containers-v2");
    let snap = Collector::new(Roots::new(dir.join("proc"), dir.join("cgroup")))
        .unwrap()
        .collect(None)
        .unwrap();
    let mut v: Value = serde_json::to_value(SampleRef {
        version: SAMPLE_VERSION,
        snapshot: &snap,
        events: &[],
    })
    .unwrap();
    v["version"] = 99.into();
    v["from_the_future"] = serde_json::json!({"a": [1, 2]});
    v["snapshot"]["processes"][0]["new_counter"] = 7.into();
    v["snapshot"]["containers"][0]["new_field"] = "x".into();
    v.as_object_mut().unwrap().remove("events");
    let read = Sample::from_json(v.to_string().as_bytes()).unwrap();
    assert_eq!(read.version, 99);
    assert!(read.events.is_empty());
    assert_eq!(read.snapshot, snap);
}

/// The recording kept from the first release of the format: two parts (a containers host,
/// then a host with a memory map), five samples.
#[test]
fn the_recording_of_an_earlier_release_reads() {
    let dir = fixture("recording-v1");
    let mut rec = Recording::open(&dir).unwrap();
    assert!(rec.losses.is_empty(), "{:?}", rec.losses);
    assert_eq!(rec.parts.len(), 2);
    assert_eq!(rec.entries.len(), 5);
    let samples: Vec<Sample> = (0..5)
        .map(|i| Sample::from_json(&rec.read(i).unwrap()).unwrap())
        .collect();
    assert!(samples.iter().all(|s| s.version == 1));
    let times: Vec<u64> = samples
        .iter()
        .map(|s| s.snapshot.taken_at_unix_ms)
        .collect();
    assert!(times.is_sorted(), "{times:?}");
    // The containers host: its LXC, podman and nspawn containers, by name.
    let names: Vec<String> = samples[0]
        .snapshot
        .containers
        .iter()
        .map(|c| c.name.clone())
        .collect();
    assert!(names.iter().any(|n| n == "bxdemo"), "{names:?}");
    // The maps host: process 6716's address space.
    let map = samples[4].snapshot.memory_map.as_ref().expect("a map");
    assert_eq!(map.pid, 6716);
    assert!(!map.mappings.is_empty());
}

/// The map of the earlier release's recording says nothing of the end of user space and
/// counts the hole below [vsyscall]; the replay places it again before the pane shows it.
#[test]
fn the_replay_places_an_old_recordings_map_in_its_address_space() {
    use boxtop::app::replay::{ReplayCtl, spawn};
    use boxtop::app::update::Msg;
    use boxtop::model::MappingKind;
    let dir = fixture("recording-v1");
    let mut rec = Recording::open(&dir).unwrap();
    let recorded = Sample::from_json(&rec.read(4).unwrap()).unwrap();
    let old = recorded.snapshot.memory_map.expect("a map");
    assert_eq!(old.user_space, None, "recorded before the end was known");
    assert!(old.gaps.iter().any(|g| g.end == 0xffff_ffff_ff60_0000));
    let (tx, rx) = std::sync::mpsc::channel();
    let ctl = spawn(rec, 4, tx);
    ctl.send(ReplayCtl::Select(Some((old.pid, old.start_time_ticks))))
        .unwrap();
    let map = std::iter::from_fn(|| rx.recv_timeout(std::time::Duration::from_secs(10)).ok())
        .flat_map(|m| match m {
            Msg::Together(parts) => parts,
            m => vec![m],
        })
        .find_map(|m| match m {
            Msg::Map(data) => data.map.ok(),
            _ => None,
        })
        .expect("the recorded map is sent");
    if cfg!(target_arch = "x86_64") {
        let u = map.user_space.expect("placed");
        assert_eq!(u.top, 0x7fff_ffff_f000);
        assert!(map.gaps.iter().all(|g| g.end <= u.top));
        let last = map.mappings.last().unwrap();
        assert_eq!(
            (last.path.as_deref(), last.kind),
            (Some("[vsyscall]"), MappingKind::KernelHalf)
        );
    }
}

#[test]
fn snapshot_at_prints_the_recorded_snapshot() {
    let dir = fixture("recording-v1");
    let d = dir.to_str().unwrap();
    let mut rec = Recording::open(&dir).unwrap();
    let third = Sample::from_json(&rec.read(2).unwrap()).unwrap();
    let at = third.snapshot.taken_at_unix_ms.to_string();
    let out = boxtop(&["snapshot", "--json", "--at", &at, "--from", d]);
    assert!(out.status.success(), "{}", stderr(&out));
    let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
    same_json(
        &printed,
        &serde_json::to_value(&third.snapshot).unwrap(),
        "snapshot",
    );
    // The same through replay --dump, which prints the whole sample as written.
    let out = boxtop(&["replay", d, "--dump", "--at", &at]);
    assert!(out.status.success(), "{}", stderr(&out));
    let dumped: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(dumped["version"], 1);
    same_json(&dumped["snapshot"], &printed, "dump");
    // The summary, like a live `boxtop snapshot`.
    let out = boxtop(&["snapshot", "--at", "-0s", "--from", d]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("cgroup mode: v2"));
}

#[test]
fn bad_times_and_paths_get_one_clear_line() {
    let d = fixture("recording-v1");
    let d = d.to_str().unwrap();
    for (args, says) in [
        (
            vec!["snapshot", "--at", "yesterday", "--from", d],
            "is not a time",
        ),
        (
            vec!["snapshot", "--at", "1000000000000", "--from", d],
            "starts later",
        ),
        (
            vec!["replay", "/nonexistent/boxtop-rec", "--info"],
            "No such file",
        ),
        (
            vec!["replay", "Cargo.toml", "--info"],
            "no sample could be read",
        ),
    ] {
        let out = boxtop(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = stderr(&out);
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

fn record(dir: &Path, samples: &str) -> Output {
    boxtop(&[
        "record",
        "--output",
        dir.to_str().unwrap(),
        "--interval",
        "0.1",
        "--samples",
        samples,
    ])
}

/// A recording whose data file was cut mid-frame (a crash, a full disk) replays up to the
/// cut and says what was lost; nothing before the cut is lost.
#[test]
fn a_recording_cut_mid_frame_reads_up_to_the_cut() {
    let tmp = tempfile::tempdir().unwrap();
    let out = record(tmp.path(), "6");
    assert!(out.status.success(), "{}", stderr(&out));
    let whole = Recording::open(tmp.path()).unwrap();
    assert_eq!(whole.entries.len(), 6);
    let data = &whole.parts[0];
    // Cut inside the fifth sample's bytes.
    let fifth = whole.entries[4].at;
    let cut = fifth.data_end - 20;
    let f = std::fs::OpenOptions::new().write(true).open(data).unwrap();
    f.set_len(cut).unwrap();
    let d = tmp.path().to_str().unwrap();
    let out = boxtop(&["replay", d, "--info"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("4 samples from"), "{text}");
    assert!(stderr(&out).contains("cut off"), "{}", stderr(&out));
    // The last readable sample is the fourth, whole.
    let out = boxtop(&["replay", d, "--dump"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["snapshot"]["taken_at_unix_ms"],
        whole.entries[3].at.time_unix_ms
    );
    // A recorder started again appends a new part beside the damaged one.
    let out = record(tmp.path(), "2");
    assert!(out.status.success(), "{}", stderr(&out));
    let again = Recording::open(tmp.path()).unwrap();
    assert_eq!(again.entries.len(), 6);
    assert_eq!(again.parts.len(), 2);
}

/// SIGTERM (systemd's stop) ends the recorder cleanly: the part is closed, nothing lost.
#[test]
fn a_terminated_recorder_closes_its_recording() {
    let tmp = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_boxtop"))
        .args(["record", "--interval", "0.2", "--output"])
        .arg(tmp.path())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = nix::unistd::Pid::from_raw(child.id().cast_signed());
    let seen = live::wait_for(|| {
        Recording::open(tmp.path())
            .ok()
            .filter(|r| r.entries.len() >= 3)
    });
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM).unwrap();
    let status = child.wait().unwrap();
    assert!(seen.is_some(), "three samples written within 5 s");
    assert!(status.success(), "{status:?}");
    let rec = Recording::open(tmp.path()).unwrap();
    assert!(rec.losses.is_empty(), "{:?}", rec.losses);
    assert!(rec.entries.len() >= 3);
}
