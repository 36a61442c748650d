//! A loop that sleeps between samples and stops cleanly on SIGINT, SIGTERM or SIGHUP
//! (`boxtop record` under systemd gets SIGTERM on stop): the signals are blocked and the
//! sleep is sigtimedwait(2), which returns early when one is pending. No handler, no flag,
//! no polling; a signal that came while the loop worked is seen at the next sleep.

use nix::sys::signal::{SigSet, Signal};
use std::time::Duration;

pub struct StopSignals {
    set: SigSet,
}

impl StopSignals {
    /// Blocks the three signals in this thread (call it before other threads start, so
    /// that they inherit the mask and none of them is killed by one instead).
    pub fn block() -> nix::Result<StopSignals> {
        let mut set = SigSet::empty();
        for s in [Signal::SIGINT, Signal::SIGTERM, Signal::SIGHUP] {
            set.add(s);
        }
        set.thread_block()?;
        Ok(StopSignals { set })
    }

    /// Sleeps for `d`; true when a stop signal came (now or while the caller worked).
    pub fn sleep(&self, d: Duration) -> bool {
        let ts = libc::timespec {
            tv_sec: libc::time_t::try_from(d.as_secs()).unwrap_or(libc::time_t::MAX),
            tv_nsec: libc::c_long::from(d.subsec_nanos().min(999_999_999).cast_signed()),
        };
        // SAFETY: the set and the timespec are ours and alive for the call; a null siginfo
        // is allowed.
        let r =
            unsafe { libc::sigtimedwait(self.set.as_ref(), std::ptr::null_mut(), &raw const ts) };
        // -1 with EAGAIN: the time passed. With EINTR: another signal (SIGCHLD) cut the
        // sleep short, which only means an early sample.
        r > 0
    }
}
