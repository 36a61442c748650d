//! `boxtop collect-bench`: the live collector's own cost, measured from inside (used by
//! benches/refresh.rs, which compares it with a plain /proc loop in the same run).

use crate::cli::CollectBenchArgs;
use crate::kernel::Roots;
use crate::model::Collector;
use nix::sys::resource::{UsageWho, getrusage};
use std::time::Duration;

fn cpu_usec() -> u64 {
    match getrusage(UsageWho::RUSAGE_SELF) {
        Ok(u) => {
            // A CPU time is never negative.
            let us = |n: i64| u64::try_from(n).unwrap_or(0);
            let t = |tv: nix::sys::time::TimeVal| us(tv.tv_sec()) * 1_000_000 + us(tv.tv_usec());
            t(u.user_time()) + t(u.system_time())
        }
        Err(_) => 0,
    }
}

/// Prints one JSON object: refreshes measured, processes seen, CPU per refresh (mean and
/// each), and the peak resident set of this process.
pub fn run_collect_bench(roots: &Roots, args: &CollectBenchArgs) -> color_eyre::Result<()> {
    crate::malloc_tuning::tune();
    let mut collector = Collector::new(roots.clone())?;
    collector.set_slow_period(args.slow_period);
    let mut snap = collector.collect(None)?; // warm-up: first sight of every process
    let mut per_tick = Vec::with_capacity(args.ticks as usize);
    for _ in 0..args.ticks {
        std::thread::sleep(Duration::from_millis(args.interval_ms));
        let before = cpu_usec();
        snap = collector.collect(None)?;
        per_tick.push(cpu_usec().saturating_sub(before));
    }
    let maxrss_kib = getrusage(UsageWho::RUSAGE_SELF)
        .map(|u| u.max_rss())
        .unwrap_or(0);
    let mean = per_tick.iter().sum::<u64>() as f64 / per_tick.len().max(1) as f64;
    let out = serde_json::json!({
        "refreshes": per_tick.len(),
        "processes": snap.processes.len(),
        "cgroups": snap.cgroups.hierarchies.iter().map(|h| h.cgroups.len()).sum::<usize>(),
        "cpu_usec_per_refresh_mean": mean,
        "cpu_usec_per_refresh": per_tick,
        "max_rss_kib": maxrss_kib,
        "slow_period": args.slow_period,
    });
    println!("{out}");
    Ok(())
}
