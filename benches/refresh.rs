//! Refresh cost of boxtop's collector against a plain /proc loop, in the same run.
//!
//! Run by hand (as root, on an otherwise idle machine): `cargo bench --bench refresh`.
//! Options through the environment: BOXTOP_BENCH_SIZES (default "1000,5000"),
//! BOXTOP_BENCH_TICKS (default 10), BOXTOP_BENCH_INTERVAL_MS (default 1000),
//! BOXTOP_BENCH_CONTAINERS (default 0): that many container-shaped cgroups
//! (`lxc.payload.boxtop-bench-I` below the bench's own v2 cgroup, as `benches/dashboard.sh
//! CONTAINERS=N` makes them), each holding one `sleep` in new net and uts namespaces, counted
//! among the extra processes: what boxtop names, measures and reads the network counters of.
//!
//! For each size it starts that many extra `sleep` processes, then measures CPU time (user +
//! system, from getrusage) per refresh of:
//! - the baseline: a plain loop that lists /proc and opens, reads and closes
//!   /proc/PID/stat and /proc/PID/statm of every process (what the cheapest top-like tool does);
//! - boxtop's live collector (`boxtop collect-bench`: processes with cpu %, context switches,
//!   namespaces, cgroup membership, and every cgroup tree), with its default staggered
//!   re-reading of rarely-changing fields, and with everything re-read every refresh;
//!
//! It reports boxtop's cost as a ratio of the baseline, and boxtop's peak RSS.

#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "a benchmark run by hand: a setup that fails stops it loudly"
)]

use std::fs::File;
use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn cpu_usec_self() -> u64 {
    // SAFETY: libc::rusage is plain integers; all-zero is a valid value of it.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage writes into the struct we own.
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &raw mut u) };
    // A CPU time is never negative.
    let us = |n: i64| u64::try_from(n).unwrap_or(0);
    let t = |tv: libc::timeval| us(tv.tv_sec) * 1_000_000 + us(tv.tv_usec);
    t(u.ru_utime) + t(u.ru_stime)
}

/// Kills and reaps the extra processes even if the bench panics.
struct Sleepers(Vec<Child>);
impl Drop for Sleepers {
    fn drop(&mut self) {
        for c in &mut self.0 {
            let _ = c.kill();
        }
        for c in &mut self.0 {
            let _ = c.wait();
        }
    }
}

fn spawn_sleepers(n: usize) -> Sleepers {
    let mut v = Sleepers(Vec::with_capacity(n));
    for _ in 0..n {
        match Command::new("sleep")
            .arg("3600")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
        {
            Ok(c) => v.0.push(c),
            Err(e) => panic!("could not start sleep #{}: {e}", v.0.len()),
        }
    }
    v
}

/// Container-shaped cgroups with a member each; the members are killed and the cgroups
/// removed on drop, even if the bench panics.
struct Containers {
    members: Sleepers,
    dirs: Vec<std::path::PathBuf>,
}
impl Drop for Containers {
    fn drop(&mut self) {
        drop(std::mem::replace(&mut self.members, Sleepers(Vec::new())));
        for d in &self.dirs {
            for _ in 0..50 {
                if std::fs::remove_dir(d).is_ok() || !d.exists() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        }
    }
}

/// `n` containers in the v2 hierarchy (pure v2, or a hybrid host's unified mount), below the
/// bench's own cgroup there.
fn spawn_containers(n: usize) -> Containers {
    let mut made = Containers {
        members: Sleepers(Vec::with_capacity(n)),
        dirs: Vec::with_capacity(n),
    };
    if n == 0 {
        return made;
    }
    let mountinfo = std::fs::read_to_string("/proc/self/mountinfo").expect("mountinfo");
    // mountinfo(5): field 5 is the mount point; after " - " comes the filesystem type.
    let v2 = mountinfo
        .lines()
        .find(|l| {
            l.split(" - ")
                .nth(1)
                .is_some_and(|t| t.starts_with("cgroup2 "))
        })
        .and_then(|l| l.split(' ').nth(4))
        .expect("a cgroup2 mount");
    let own = std::fs::read_to_string("/proc/self/cgroup")
        .expect("own cgroup")
        .lines()
        .find_map(|l| l.strip_prefix("0::").map(str::to_string))
        .expect("a v2 cgroup");
    for i in 0..n {
        let dir = std::path::Path::new(v2)
            .join(own.trim_start_matches('/'))
            .join(format!("lxc.payload.boxtop-bench-{i}"));
        std::fs::create_dir(&dir).expect("a container's cgroup");
        made.dirs.push(dir.clone());
        let child = Command::new("unshare")
            .args(["--net", "--uts", "sleep", "3600"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("unshare");
        std::fs::write(dir.join("cgroup.procs"), child.id().to_string()).expect("join it");
        made.members.0.push(child);
    }
    made
}

/// One refresh of the baseline loop; returns the number of processes read.
fn plain_loop(buf: &mut Vec<u8>) -> usize {
    let mut n = 0;
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .filter(|s| s.bytes().all(|b| b.is_ascii_digit()))
        else {
            continue;
        };
        for file in ["stat", "statm"] {
            buf.clear();
            if let Ok(mut f) = File::open(format!("/proc/{pid}/{file}")) {
                let _ = f.read_to_end(buf);
            }
        }
        n += 1;
    }
    n
}

fn measure_plain(ticks: u32, interval: Duration) -> (f64, usize) {
    let mut buf = Vec::with_capacity(4096);
    plain_loop(&mut buf);
    let mut total = 0;
    let mut procs = 0;
    for _ in 0..ticks {
        std::thread::sleep(interval);
        let before = cpu_usec_self();
        procs = plain_loop(&mut buf);
        total += cpu_usec_self() - before;
    }
    (total as f64 / f64::from(ticks), procs)
}

fn measure_boxtop(ticks: u32, interval: Duration, slow_period: u64) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_boxtop"))
        .args(["collect-bench", "--ticks", &ticks.to_string()])
        .args(["--interval-ms", &interval.as_millis().to_string()])
        .args(["--slow-period", &slow_period.to_string()])
        .output()
        .expect("run boxtop collect-bench");
    assert!(
        out.status.success(),
        "collect-bench failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("collect-bench prints JSON")
}

fn main() {
    // `cargo bench` passes --bench; any other argument filters nothing here.
    let sizes: Vec<usize> = std::env::var("BOXTOP_BENCH_SIZES")
        .unwrap_or_else(|_| "1000,5000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let ticks = env_or("BOXTOP_BENCH_TICKS", 10u32);
    let interval = Duration::from_millis(env_or("BOXTOP_BENCH_INTERVAL_MS", 1000u64));
    let containers = env_or("BOXTOP_BENCH_CONTAINERS", 0usize);
    println!(
        "refresh cost, CPU time per refresh (user+sys), {ticks} refreshes {interval:?} apart, \
         {containers} containers"
    );
    println!(
        "{:>7} {:>6} {:>12} {:>14} {:>7} {:>16} {:>7} {:>10}",
        "extra", "procs", "plain ms", "boxtop ms", "ratio", "boxtop all ms", "ratio", "peak RSS"
    );
    for &n in &sizes {
        let started = Instant::now();
        let boxes = spawn_containers(containers.min(n));
        let sleepers = spawn_sleepers(n - containers.min(n));
        eprintln!("started {n} sleepers in {:?}", started.elapsed());
        let (plain, procs) = measure_plain(ticks, interval);
        let staggered = measure_boxtop(ticks, interval, 10);
        let every = measure_boxtop(ticks, interval, 1);
        let ms = |v: &serde_json::Value| {
            v["cpu_usec_per_refresh_mean"].as_f64().unwrap_or(f64::NAN) / 1000.0
        };
        println!(
            "{:>7} {:>6} {:>12.1} {:>14.1} {:>7.2} {:>16.1} {:>7.2} {:>7} KiB",
            n,
            procs,
            plain / 1000.0,
            ms(&staggered),
            ms(&staggered) * 1000.0 / plain,
            ms(&every),
            ms(&every) * 1000.0 / plain,
            staggered["max_rss_kib"]
        );
        drop(sleepers);
        drop(boxes);
    }
}
