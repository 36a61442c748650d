//! Signals to one process: kill(2).

use nix::sys::signal::Signal;

/// Sends `signal` to `pid`. The error is the kernel's (ESRCH: gone; EPERM: not ours).
pub fn send(pid: i32, signal: Signal) -> Result<(), nix::errno::Errno> {
    nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), signal)
}
