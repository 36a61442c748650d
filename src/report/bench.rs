//! `boxtop collect-bench`: the live collector's own cost, measured from inside (used by
//! benches/refresh.rs, which compares it with a plain /proc loop in the same run).

use crate::collect::Collector;
use crate::kernel::Roots;
use crate::kernel::own_usage::{cpu_usec, max_rss_kib};
use std::time::Duration;

/// How `collect-bench` runs: refreshes to measure, the pause between them, and the slow
/// period (1 reads everything every time).
#[derive(Debug, Clone, Copy)]
pub struct BenchParams {
    pub ticks: u32,
    pub interval_ms: u64,
    pub slow_period: u64,
    /// Read every process's threads too (`H`).
    pub threads: bool,
}

/// Prints one JSON object: refreshes measured, processes seen, CPU per refresh (mean and
/// each), and the peak resident set of this process.
pub fn run_collect_bench(roots: &Roots, args: BenchParams) -> color_eyre::Result<()> {
    crate::malloc_tuning::tune();
    let mut collector = Collector::new(roots.clone())?;
    collector.set_slow_period(args.slow_period);
    collector.set_threads(crate::collect::ThreadScope {
        all: args.threads,
        selected: false,
    });
    // Warm-up: first sight of every process (and thread), timed on its own.
    let (cpu0, wall0) = (cpu_usec(), std::time::Instant::now());
    let mut snap = collector.collect(None)?;
    let first_cpu = cpu_usec().saturating_sub(cpu0);
    let first_wall = u64::try_from(wall0.elapsed().as_micros()).unwrap_or(u64::MAX);
    let mut per_tick = Vec::with_capacity(args.ticks as usize);
    for _ in 0..args.ticks {
        std::thread::sleep(Duration::from_millis(args.interval_ms));
        let before = cpu_usec();
        snap = collector.collect(None)?;
        per_tick.push(cpu_usec().saturating_sub(before));
    }
    let maxrss_kib = max_rss_kib();
    let mean = per_tick.iter().sum::<u64>() as f64 / per_tick.len().max(1) as f64;
    let out = serde_json::json!({
        "refreshes": per_tick.len(),
        "processes": snap.processes.len(),
        "cgroups": snap.cgroups.hierarchies.iter().map(|h| h.cgroups.len()).sum::<usize>(),
        "cpu_usec_per_refresh_mean": mean,
        "cpu_usec_per_refresh": per_tick,
        "max_rss_kib": maxrss_kib,
        "first_cpu_usec": first_cpu,
        "first_wall_usec": first_wall,
        "slow_period": args.slow_period,
        "threads": snap.threads.iter().map(|g| g.threads.len()).sum::<usize>(),
    });
    Ok(super::print(format!("{out}\n").as_bytes())?)
}
