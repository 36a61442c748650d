//! Signal forwarding, for the helper and for boxtop's init: SIGINT, SIGTERM, SIGHUP and
//! SIGQUIT sent to them are passed on to the process they wait for, as tini does; the ones
//! the terminal raises already reach the command (it is in the same process group).
//!
//! The order avoids every race: the signals are blocked, the handlers installed, then the
//! fork; the child puts back the old dispositions and unblocks; the parent stores the
//! child's pid and unblocks, so a signal that came in between is forwarded then.

use nix::sys::signal::{
    SaFlags, SigAction, SigHandler, SigSet, SigmaskHow, Signal, sigaction, sigprocmask,
};
use std::sync::atomic::{AtomicI32, Ordering};

pub(super) const FORWARDED: [Signal; 4] = [
    Signal::SIGINT,
    Signal::SIGTERM,
    Signal::SIGHUP,
    Signal::SIGQUIT,
];

/// The pid signals go to; 0 until the fork has returned.
static TARGET: AtomicI32 = AtomicI32::new(0);

extern "C" fn forward(sig: libc::c_int, info: *mut libc::siginfo_t, _: *mut libc::c_void) {
    // A signal the terminal raised (Ctrl-C, Ctrl-\, a hangup: si_code SI_KERNEL) went to the
    // whole foreground process group, which the command is in too: passing it on would
    // deliver it twice. Only what a process sent to us by pid (kill, timeout, systemd) is
    // forwarded.
    // SAFETY: the kernel hands an SA_SIGINFO handler a valid siginfo.
    if !info.is_null() && unsafe { (*info).si_code } == libc::SI_KERNEL {
        return;
    }
    let pid = TARGET.load(Ordering::Relaxed);
    if pid > 0 {
        // SAFETY: kill(2) is async-signal-safe.
        unsafe {
            libc::kill(pid, sig);
        }
    }
}

/// What to put back: the dispositions and the signal mask before ours.
pub(super) struct Saved {
    actions: Vec<(Signal, SigAction)>,
    mask: SigSet,
}

fn forwarded_set() -> SigSet {
    let mut set = SigSet::empty();
    for s in FORWARDED {
        set.add(s);
    }
    set
}

/// Before fork: blocks the forwarded signals and installs the forwarding handler.
pub(super) fn prepare() -> Saved {
    let mut mask = SigSet::empty();
    let _ = sigprocmask(
        SigmaskHow::SIG_BLOCK,
        Some(&forwarded_set()),
        Some(&mut mask),
    );
    let action = SigAction::new(
        SigHandler::SigAction(forward),
        SaFlags::SA_RESTART | SaFlags::SA_SIGINFO,
        SigSet::empty(),
    );
    let actions = FORWARDED
        .iter()
        // SAFETY: the handler only reads an atomic and calls kill(2).
        .filter_map(|s| unsafe { sigaction(*s, &action) }.ok().map(|old| (*s, old)))
        .collect();
    Saved { actions, mask }
}

/// In the parent after fork: forward to `pid` from now on.
pub(super) fn forward_to(pid: i32, saved: &Saved) {
    TARGET.store(pid, Ordering::Relaxed);
    let _ = sigprocmask(SigmaskHow::SIG_SETMASK, Some(&saved.mask), None);
}

/// In the child after fork: the dispositions the command should inherit. SIGPIPE goes back
/// to the default too: the Rust runtime ignores it, and an ignored signal stays ignored
/// across execve(2) (std's Command resets it the same way).
pub(super) fn restore(saved: &Saved) {
    TARGET.store(0, Ordering::Relaxed);
    for (s, old) in &saved.actions {
        // SAFETY: puts back a disposition this process had.
        let _ = unsafe { sigaction(*s, old) };
    }
    let default = SigAction::new(SigHandler::SigDfl, SaFlags::empty(), SigSet::empty());
    // SAFETY: the default disposition.
    let _ = unsafe { sigaction(Signal::SIGPIPE, &default) };
    let _ = sigprocmask(SigmaskHow::SIG_SETMASK, Some(&saved.mask), None);
}
