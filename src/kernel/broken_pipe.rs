//! Ending as a Unix tool does when its reader goes away (`boxtop snapshot | head`).
//!
//! Rust ignores SIGPIPE, so a write to a closed pipe fails with EPIPE instead of killing
//! the process, and the error would reach the user as a message. `cat`, `ls` or `ps` die of
//! the signal, silently: the shell sees 141 (128 + SIGPIPE) and `set -o pipefail` scripts
//! know what happened. boxtop does the same, at the end: its writes (an action's above all)
//! are never cut short by the signal, only the printing that comes after.

use nix::sys::signal::{SigHandler, Signal, raise, signal};

/// Whether `e` is a write to a pipe (or socket) nobody reads any more.
pub fn is_broken_pipe(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::BrokenPipe
}

/// Ends the process by SIGPIPE, as the write would have if the signal were not ignored.
/// Returns only if the signal is blocked: then the status to exit with, the same number.
pub fn end_by_sigpipe() -> std::process::ExitCode {
    // SAFETY: SIG_DFL is no handler: nothing runs in signal context.
    let _ = unsafe { signal(Signal::SIGPIPE, SigHandler::SigDfl) };
    let _ = raise(Signal::SIGPIPE);
    std::process::ExitCode::from(141) // 128 + SIGPIPE (13)
}
