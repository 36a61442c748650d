//! `boxtop kill`: a signal to one process, or every process of a v2 cgroup.

use super::command::{apply_all, guard, look, resolve};
use crate::cli::KillArgs;
use crate::kernel::Roots;
use crate::kernel::cgroupfs::write::plan_kill;
use color_eyre::eyre::{Result, bail, eyre};

/// `kill --pid` sends a signal to one process; `kill --cgroup` writes v2 `cgroup.kill`.
pub fn run_kill(roots: &Roots, args: &KillArgs) -> Result<()> {
    let t = &args.target;
    let (snap, hierarchies) = look(roots, t)?;
    let Some(pid) = t.pid else {
        let target = resolve(&snap, &hierarchies, t, &["cgroup.kill"])?;
        guard(&snap, t, &target)?;
        return apply_all(roots, &snap, t, &[plan_kill(&target.dir)]);
    };
    let signal = parse_signal(&args.signal)?;
    let start = snap.process(pid).map(|p| p.start_time_ticks);
    if t.dry_run {
        let short = signal.as_str().trim_start_matches("SIG");
        println!("Would send {signal} to process {pid}\n  kill -{short} {pid}");
        return Ok(());
    }
    // Identity right before the signal: a reused pid is never hit.
    if start.is_none() || start != crate::kernel::procs::read_start_time(roots, pid).ok() {
        bail!(
            "process {pid} has exited (or its pid was reused) since it was looked up; nothing sent"
        );
    }
    nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), signal)
        .map_err(|e| eyre!("process {pid}: {signal} not sent: {}", e.desc()))?;
    println!("Sent {signal} to process {pid}");
    Ok(())
}

/// `TERM`, `SIGTERM`, `term` or `15`.
fn parse_signal(text: &str) -> Result<nix::sys::signal::Signal> {
    use nix::sys::signal::Signal;
    let t = text.trim();
    if let Ok(n) = t.parse::<i32>() {
        return Signal::try_from(n).map_err(|_| eyre!("{t}: not a signal number"));
    }
    let upper = t.to_ascii_uppercase();
    let name = if upper.starts_with("SIG") {
        upper
    } else {
        format!("SIG{upper}")
    };
    name.parse::<Signal>()
        .map_err(|_| eyre!("{t}: not a signal name (TERM, KILL, HUP, INT, STOP, CONT, USR1, ...)"))
}
