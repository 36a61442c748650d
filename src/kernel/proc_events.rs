//! The kernel's process events connector (`CONFIG_PROC_EVENTS`): a netlink socket on which
//! the kernel reports every fork, exec and exit as it happens, as `forkstat(8)` reads it.
//! `boxtop serve` keeps its list of processes current with it instead of listing /proc on
//! every scrape (5.3 ms at 5,000 processes on this machine, BENCHMARKS.md).
//!
//! Formats: `include/uapi/linux/connector.h` (`struct cn_msg`) and
//! `include/uapi/linux/cn_proc.h` (`struct proc_event`), each after a `struct nlmsghdr`
//! (netlink(7)). Every number is in the host's byte order; pids are as the initial pid
//! namespace sees them.
//!
//! Older kernels send these events only to listeners with CAP_NET_ADMIN in the initial user
//! namespace (this machine's 6.18 lets any user listen, as a run of `boxtop serve` as nobody
//! shows), and every kernel silently sends nothing to one outside the initial pid namespace
//! (`drivers/connector/cn_proc.c`). A subscription is therefore proved before it is used:
//! [`ProcEvents::subscribe`] starts a thread and waits for the kernel to report it.

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::time::{Duration, Instant};

/// One event, with the pids (thread ids) and thread-group ids (process ids) it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProcEvent {
    /// A new task: a process when `child_pid == child_tgid`, else a thread.
    Fork {
        parent_tgid: i32,
        child_pid: i32,
        child_tgid: i32,
    },
    /// A task ran execve(2): its process has a new program (its pid is the tgid by now).
    Exec { pid: i32, tgid: i32 },
    /// A task exited: its process ended when `pid == tgid` (its /proc entry stays until its
    /// parent reaps it).
    Exit { pid: i32, tgid: i32 },
}

/// What [`ProcEvents::drain`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drained {
    /// Every event the kernel queued.
    Complete,
    /// The socket's buffer overflowed (ENOBUFS): events were lost, the caller must look at
    /// /proc again.
    Lost,
}

// netlink(7), connector.h, cn_proc.h.
const NETLINK_CONNECTOR: i32 = 11;
const CN_IDX_PROC: u32 = 1;
const CN_VAL_PROC: u32 = 1;
const PROC_CN_MCAST_LISTEN: u32 = 1;
const NLMSG_DONE: u16 = 3;
const NLMSG_HDRLEN: usize = 16;
const CN_MSG_LEN: usize = 20;
/// `what`, `cpu`, `timestamp_ns`: the header of `struct proc_event` before its union.
const EVENT_HEADER_LEN: usize = 16;
const PROC_EVENT_FORK: u32 = 0x0000_0001;
const PROC_EVENT_EXEC: u32 = 0x0000_0002;
const PROC_EVENT_EXIT: u32 = 0x8000_0000;

/// A subscribed connector socket.
#[derive(Debug)]
pub struct ProcEvents {
    fd: OwnedFd,
    buf: Vec<u8>,
}

impl ProcEvents {
    /// Subscribes, then proves that events arrive (a thread of ours must be reported within
    /// `proof`). An error says why the connector cannot be used here: not root, outside the
    /// initial namespaces, a kernel without it.
    pub fn subscribe(proof: Duration) -> io::Result<ProcEvents> {
        // SAFETY: socket(2) with constant arguments; it returns a new descriptor or -1.
        let raw = unsafe {
            libc::socket(
                libc::AF_NETLINK,
                libc::SOCK_DGRAM | libc::SOCK_CLOEXEC | libc::SOCK_NONBLOCK,
                NETLINK_CONNECTOR,
            )
        };
        if raw < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `raw` is a descriptor socket(2) just returned, owned by nothing else.
        let fd = unsafe { OwnedFd::from_raw_fd(raw) };
        let addr = nix::sys::socket::NetlinkAddr::new(0, CN_IDX_PROC);
        nix::sys::socket::bind(fd.as_raw_fd(), &addr).map_err(io::Error::from)?;
        let mut events = ProcEvents {
            fd,
            buf: vec![0; 64 * 1024],
        };
        events.send_listen()?;
        events.prove(proof)?;
        Ok(events)
    }

    fn send_listen(&self) -> io::Result<()> {
        let mut msg = Vec::with_capacity(NLMSG_HDRLEN + CN_MSG_LEN + 4);
        let total = u32::try_from(NLMSG_HDRLEN + CN_MSG_LEN + 4).unwrap_or(u32::MAX);
        msg.extend_from_slice(&total.to_ne_bytes()); // nlmsg_len
        msg.extend_from_slice(&NLMSG_DONE.to_ne_bytes()); // nlmsg_type
        msg.extend_from_slice(&0u16.to_ne_bytes()); // nlmsg_flags
        msg.extend_from_slice(&0u32.to_ne_bytes()); // nlmsg_seq
        msg.extend_from_slice(&std::process::id().to_ne_bytes()); // nlmsg_pid
        msg.extend_from_slice(&CN_IDX_PROC.to_ne_bytes()); // cn_msg.id.idx
        msg.extend_from_slice(&CN_VAL_PROC.to_ne_bytes()); // cn_msg.id.val
        msg.extend_from_slice(&0u32.to_ne_bytes()); // seq
        msg.extend_from_slice(&0u32.to_ne_bytes()); // ack
        msg.extend_from_slice(&4u16.to_ne_bytes()); // len
        msg.extend_from_slice(&0u16.to_ne_bytes()); // flags
        msg.extend_from_slice(&PROC_CN_MCAST_LISTEN.to_ne_bytes());
        let kernel = nix::sys::socket::NetlinkAddr::new(0, 0);
        nix::sys::socket::sendto(
            self.fd.as_raw_fd(),
            &msg,
            &kernel,
            nix::sys::socket::MsgFlags::empty(),
        )
        .map_err(io::Error::from)?;
        Ok(())
    }

    /// Starts a thread that ends at once and waits for its fork event: one whose child is in
    /// our thread group. (Its `parent_tgid` is not ours: a thread's parent is the parent of
    /// its process, `real_parent` in the kernel.)
    fn prove(&mut self, within: Duration) -> io::Result<()> {
        let me = i32::try_from(std::process::id()).unwrap_or(-1);
        std::thread::Builder::new()
            .name("boxtop-probe".into())
            .spawn(|| {})?
            .join()
            .map_err(|_| io::Error::other("the probe thread panicked"))?;
        let deadline = Instant::now() + within;
        let mut seen = Vec::new();
        while Instant::now() < deadline {
            seen.clear();
            self.drain(&mut seen);
            if seen
                .iter()
                .any(|e| matches!(e, ProcEvent::Fork { child_tgid, .. } if *child_tgid == me))
            {
                // What came before the proof is not the caller's business.
                return Ok(());
            }
            let mut poll = [nix::poll::PollFd::new(
                std::os::fd::AsFd::as_fd(&self.fd),
                nix::poll::PollFlags::POLLIN,
            )];
            let left = deadline.saturating_duration_since(Instant::now());
            let ms = u16::try_from(left.as_millis()).unwrap_or(u16::MAX);
            let _ = nix::poll::poll(&mut poll, nix::poll::PollTimeout::from(ms));
        }
        Err(io::Error::other(
            "the kernel sent no process events (outside the initial pid namespace?)",
        ))
    }

    /// Appends every event queued since the last call, without waiting.
    pub fn drain(&mut self, out: &mut Vec<ProcEvent>) -> Drained {
        loop {
            let got = nix::sys::socket::recvfrom::<nix::sys::socket::NetlinkAddr>(
                self.fd.as_raw_fd(),
                &mut self.buf,
            );
            match got {
                // Only the kernel (port 0) may speak here; anything else is ignored.
                Ok((n, Some(from))) if from.pid() == 0 => {
                    parse_datagram(self.buf.get(..n).unwrap_or_default(), out);
                }
                Ok(_) | Err(nix::errno::Errno::EINTR) => {}
                Err(nix::errno::Errno::ENOBUFS) => return Drained::Lost,
                Err(_) => return Drained::Complete, // EAGAIN: nothing more queued
            }
        }
    }
}

/// The events of one datagram: netlink messages, each a `cn_msg` holding a `proc_event`.
/// Anything short or of another kind is skipped.
pub fn parse_datagram(mut data: &[u8], out: &mut Vec<ProcEvent>) {
    while data.len() >= NLMSG_HDRLEN {
        let len = u32_at(data, 0).and_then(|l| usize::try_from(l).ok());
        let Some(len) = len.filter(|l| *l >= NLMSG_HDRLEN && *l <= data.len()) else {
            return;
        };
        if let Some(e) = data
            .get(NLMSG_HDRLEN..len)
            .and_then(|m| m.get(CN_MSG_LEN..))
            .and_then(parse_event)
        {
            out.push(e);
        }
        // Messages are aligned to 4 bytes (NLMSG_ALIGN).
        let next = (len + 3) & !3;
        data = data.get(next..).unwrap_or_default();
    }
}

fn parse_event(ev: &[u8]) -> Option<ProcEvent> {
    let what = u32_at(ev, 0)?;
    let data = ev.get(EVENT_HEADER_LEN..)?;
    let i = |n: usize| i32_at(data, n * 4);
    match what {
        PROC_EVENT_FORK => Some(ProcEvent::Fork {
            parent_tgid: i(1)?,
            child_pid: i(2)?,
            child_tgid: i(3)?,
        }),
        PROC_EVENT_EXEC => Some(ProcEvent::Exec {
            pid: i(0)?,
            tgid: i(1)?,
        }),
        PROC_EVENT_EXIT => Some(ProcEvent::Exit {
            pid: i(0)?,
            tgid: i(1)?,
        }),
        _ => None,
    }
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_ne_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn i32_at(b: &[u8], at: usize) -> Option<i32> {
    Some(i32::from_ne_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A datagram as the kernel lays it out: nlmsghdr, cn_msg, proc_event.
    fn message(what: u32, words: &[i32]) -> Vec<u8> {
        let mut ev = Vec::new();
        ev.extend_from_slice(&what.to_ne_bytes());
        ev.extend_from_slice(&0u32.to_ne_bytes()); // cpu
        ev.extend_from_slice(&0u64.to_ne_bytes()); // timestamp
        for w in words {
            ev.extend_from_slice(&w.to_ne_bytes());
        }
        let mut m = Vec::new();
        let len = u32::try_from(NLMSG_HDRLEN + CN_MSG_LEN + ev.len()).unwrap();
        m.extend_from_slice(&len.to_ne_bytes());
        m.extend_from_slice(&[0; NLMSG_HDRLEN - 4]);
        m.extend_from_slice(&[0; CN_MSG_LEN]);
        m.extend_from_slice(&ev);
        while m.len() % 4 != 0 {
            m.push(0);
        }
        m
    }

    #[test]
    fn parses_fork_exec_and_exit_and_skips_the_rest() {
        let mut data = message(PROC_EVENT_FORK, &[10, 10, 11, 11]);
        data.extend(message(PROC_EVENT_EXEC, &[11, 11]));
        data.extend(message(0x0000_0200, &[11, 11, 0, 0])); // comm: not ours
        data.extend(message(PROC_EVENT_EXIT, &[12, 11, 0, 9, 10, 10]));
        let mut out = Vec::new();
        parse_datagram(&data, &mut out);
        assert_eq!(
            out,
            vec![
                ProcEvent::Fork {
                    parent_tgid: 10,
                    child_pid: 11,
                    child_tgid: 11
                },
                ProcEvent::Exec { pid: 11, tgid: 11 },
                ProcEvent::Exit { pid: 12, tgid: 11 },
            ]
        );
    }

    #[test]
    fn short_or_lying_lengths_end_the_parse_without_panic() {
        let mut out = Vec::new();
        let good = message(PROC_EVENT_EXEC, &[5, 5]);
        for cut in 0..good.len() {
            parse_datagram(good.get(..cut).unwrap(), &mut out);
        }
        let mut lying = good.clone();
        lying[0..4].copy_from_slice(&9999u32.to_ne_bytes());
        parse_datagram(&lying, &mut out);
        lying[0..4].copy_from_slice(&3u32.to_ne_bytes());
        parse_datagram(&lying, &mut out);
        assert!(out.is_empty(), "{out:?}");
    }
}
