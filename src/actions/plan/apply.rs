//! Making a plan's steps, one at a time, and saying each thing done: what
//! [`super::Plan::apply`] runs.

use super::Step;
use super::kernel_errors::{migrate_error, mkdir_error, write_error};
use crate::kernel::Roots;
use crate::kernel::cgroupfs::write::{PlannedWrite, make_cgroup};
use color_eyre::eyre::{Result, bail, eyre};

/// What [`Plan::apply`] did: a line per thing done, how many steps were made, and the
/// error that stopped it, if one did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    pub done: Vec<String>,
    pub steps: usize,
    pub error: Option<String>,
    /// The pid of a command a Launch step started (the dashboard selects it).
    pub launched: Option<i32>,
}

impl Applied {
    /// Everything done, then the error: for the command's `Result`.
    pub fn into_result(self) -> Result<Vec<String>> {
        match self.error {
            None => Ok(self.done),
            Some(e) => Err(eyre!("{e}")),
        }
    }
}

pub(super) fn step(roots: &Roots, step: &Step, applied: &mut Applied) -> Result<()> {
    let done = &mut applied.done;
    match step {
        Step::Mkdir(dir) => {
            make_cgroup(dir).map_err(|e| eyre!("{}", mkdir_error(&e, dir)))?;
            done.push(format!("Created {}", dir.display()));
        }
        Step::Write(w) => write_and_say(w, done)?,
        Step::Move { write, dest } => {
            write
                .apply()
                .map_err(|e| eyre!("{}", migrate_error(&e, write, dest)))?;
            done.push(format!(
                "Moved process {} to {dest} ({})",
                write.new,
                write.file.display()
            ));
        }
        Step::Signal {
            pid,
            signal,
            start_time: Some(start),
        } => {
            let skipped = format!(
                "Skipped process {pid}: it has exited (or its pid now names another process) \
                 since it was looked up"
            );
            if crate::kernel::procs::read_start_time(roots, *pid).ok() != Some(*start) {
                done.push(skipped);
                return Ok(());
            }
            match crate::kernel::procs::signal::send(*pid, *signal) {
                Ok(()) => done.push(format!("Sent {signal} to process {pid}")),
                // Gone between the check and the signal (an earlier signal may have ended it).
                Err(nix::errno::Errno::ESRCH) => done.push(skipped),
                Err(e) => bail!("process {pid}: {signal} not sent: {}", e.desc()),
            }
        }
        Step::Signal {
            pid,
            signal,
            start_time: None,
        } => {
            crate::kernel::procs::signal::send(*pid, *signal)
                .map_err(|e| eyre!("process {pid}: {signal} not sent: {}", e.desc()))?;
            done.push(format!("Sent {signal} to process {pid}"));
        }
        Step::Freezer {
            write,
            dir,
            path,
            version,
            freeze,
        } => {
            write_and_say(write, done)?;
            done.push(crate::actions::freeze::wait_freezer(
                dir, path, *version, *freeze,
            )?);
        }
        Step::Runtime {
            argv,
            write,
            dir,
            path,
            version,
            freeze,
        } => {
            let shown = argv.join(" ");
            match crate::kernel::runtime_tools::run(argv, crate::kernel::runtime_tools::TIMEOUT) {
                Ok(()) => done.push(format!("Ran {shown}")),
                Err(e) if *freeze => bail!("{shown} failed, nothing frozen: {e}"),
                Err(e) => done.push(format!("{shown} refused: {e}")),
            }
            // A thaw is the way out: where the runtime did not thaw it (its record did not
            // know of a freeze made behind its back), the kernel's freezer is written.
            if !*freeze && crate::kernel::cgroupfs::write::is_frozen(dir, *version) == Some(true) {
                write
                    .apply()
                    .map_err(|e| eyre!("{}", write_error(&e, write)))?;
                done.push(format!(
                    "{} (still frozen after the runtime's command: a freeze it did not make)",
                    wrote(write)
                ));
            }
            done.push(crate::actions::freeze::wait_freezer(
                dir, path, *version, *freeze,
            )?);
        }
        Step::MakeRoot { dir, busybox } => {
            crate::kernel::scratch_root::make(dir, busybox)
                .map_err(|e| eyre!("{}: {e}", dir.display()))?;
            done.push(format!("Made {} (busybox as its /bin/sh)", dir.display()));
        }
        Step::Launch { req, .. } => {
            let l = crate::kernel::spawn::launch(roots, req, true)?;
            done.push(format!("Started pid {} (helper {})", l.pid, l.helper_pid));
            applied.launched = Some(l.pid);
        }
    }
    Ok(())
}

/// Makes a planned write and says it (or the error, with the file).
fn write_and_say(w: &PlannedWrite, done: &mut Vec<String>) -> Result<()> {
    w.apply().map_err(|e| eyre!("{}", write_error(&e, w)))?;
    done.push(wrote(w));
    Ok(())
}

/// What was written, and what the kernel reads back when that differs (memory limits are
/// rounded down to whole pages, cpu.max is shown as QUOTA PERIOD, v1's "no limit" is a
/// large number).
fn wrote(w: &PlannedWrite) -> String {
    let said = format!(
        "Wrote {}: {} -> {}",
        w.file.display(),
        w.old.as_deref().unwrap_or("?"),
        w.new
    );
    match PlannedWrite::to(&w.file, String::new()).old {
        Some(now) if now != w.new && !now.is_empty() => format!("{said} (reads back {now})"),
        _ => said,
    }
}
