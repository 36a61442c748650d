//! The kernel's per-task statistics over generic netlink (`CONFIG_TASKSTATS`; see
//! Documentation/accounting/taskstats.rst and taskstats-struct.rst): for a whole thread
//! group, the sums over its threads of schedstat's run count (`cpu_count`) and time on a CPU
//! (`cpu_run_virtual_total`, ns), exited threads included. One question per process says
//! whether any of its threads ran since the last one, where schedstat needs a file per
//! thread (`procs::threads` uses it so).
//!
//! Formats: netlink(7), genetlink (`include/uapi/linux/genetlink.h`), and
//! `include/uapi/linux/taskstats.h` (`struct taskstats`; the two fields read have been at the
//! same offsets since its first version). Asking needs CAP_NET_ADMIN (the command is
//! `GENL_ADMIN_PERM`): [`TaskStats::open`] proves it can ask before it is used.

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

const NETLINK_GENERIC: i32 = 16;
const GENL_ID_CTRL: u16 = 0x10;
const CTRL_CMD_GETFAMILY: u8 = 3;
const CTRL_ATTR_FAMILY_ID: u16 = 1;
const CTRL_ATTR_FAMILY_NAME: u16 = 2;
const TASKSTATS_CMD_GET: u8 = 1;
const TASKSTATS_CMD_ATTR_TGID: u16 = 2;
const TASKSTATS_TYPE_STATS: u16 = 3;
const TASKSTATS_TYPE_AGGR_TGID: u16 = 5;
const NLMSG_ERROR: u16 = 2;
const NLM_F_REQUEST: u16 = 1;
const NLMSG_HDRLEN: usize = 16;
const GENL_HDRLEN: usize = 4;
/// The flag bits of an attribute's type (NLA_F_NESTED, NLA_F_NET_BYTEORDER).
const NLA_TYPE_MASK: u16 = 0x3fff;
/// Offsets in `struct taskstats` of `cpu_count` and `cpu_run_virtual_total`.
const CPU_COUNT_AT: usize = 16;
const CPU_RUN_VIRTUAL_AT: usize = 72;

/// A generic netlink socket that asks the kernel for thread groups' statistics.
#[derive(Debug)]
pub struct TaskStats {
    fd: OwnedFd,
    family: u16,
    seq: u32,
    buf: Vec<u8>,
}

impl TaskStats {
    /// Opens the socket, finds the TASKSTATS family and asks once about this process: an
    /// error says why it cannot be used here (a kernel without it, no CAP_NET_ADMIN, a
    /// network namespace it is not in).
    pub fn open() -> io::Result<TaskStats> {
        // SAFETY: socket(2) with constant arguments; it returns a new descriptor or -1.
        let raw = unsafe {
            libc::socket(
                libc::AF_NETLINK,
                libc::SOCK_DGRAM | libc::SOCK_CLOEXEC,
                NETLINK_GENERIC,
            )
        };
        if raw < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `raw` is a descriptor socket(2) just returned, owned by nothing else.
        let fd = unsafe { OwnedFd::from_raw_fd(raw) };
        let mut ts = TaskStats {
            fd,
            family: 0,
            seq: 0,
            buf: vec![0; 4096],
        };
        let mut name = b"TASKSTATS\0".to_vec();
        let reply = ts.ask(
            GENL_ID_CTRL,
            CTRL_CMD_GETFAMILY,
            CTRL_ATTR_FAMILY_NAME,
            &mut name,
        )?;
        ts.family = attr(reply, CTRL_ATTR_FAMILY_ID)
            .and_then(|v| Some(u16::from_ne_bytes(v.get(..2)?.try_into().ok()?)))
            .ok_or_else(|| io::Error::other("no TASKSTATS family id in the reply"))?;
        let me = i32::try_from(std::process::id()).unwrap_or(-1);
        ts.group_run_checked(me)?;
        Ok(ts)
    }

    /// The sums over the threads of process `tgid` of their run counts and their time on a
    /// CPU (ns), as schedstat counts them; None if the kernel did not say (the process is
    /// gone, or the answer was not understood).
    pub fn group_run(&mut self, tgid: i32) -> Option<(u64, u64)> {
        self.group_run_checked(tgid).ok()
    }

    fn group_run_checked(&mut self, tgid: i32) -> io::Result<(u64, u64)> {
        let mut value = tgid.to_ne_bytes().to_vec();
        let family = self.family;
        let reply = self.ask(
            family,
            TASKSTATS_CMD_GET,
            TASKSTATS_CMD_ATTR_TGID,
            &mut value,
        )?;
        parse_group_run(reply).ok_or_else(|| io::Error::other("no statistics in the reply"))
    }

    /// Sends one request of one attribute and returns the attributes of its reply. The
    /// kernel answers a genetlink request while it is sent, so the reply is read without
    /// waiting: the poller never blocks here.
    fn ask(
        &mut self,
        family: u16,
        cmd: u8,
        attr_type: u16,
        value: &mut Vec<u8>,
    ) -> io::Result<&[u8]> {
        self.seq = self.seq.wrapping_add(1);
        let seq = self.seq;
        let msg = request(family, cmd, seq, attr_type, value);
        let kernel = nix::sys::socket::NetlinkAddr::new(0, 0);
        nix::sys::socket::sendto(
            self.fd.as_raw_fd(),
            &msg,
            &kernel,
            nix::sys::socket::MsgFlags::empty(),
        )
        .map_err(io::Error::from)?;
        loop {
            let n = nix::sys::socket::recv(
                self.fd.as_raw_fd(),
                &mut self.buf,
                nix::sys::socket::MsgFlags::MSG_DONTWAIT,
            )
            .map_err(io::Error::from)?;
            let reply = self.buf.get(..n).unwrap_or_default();
            // Anything else is an earlier request's late answer: read on.
            match reply_of(reply, seq) {
                Reply::Other => {}
                Reply::Error(errno) => return Err(io::Error::from_raw_os_error(errno)),
                Reply::Attrs(range) => {
                    return Ok(self.buf.get(range).unwrap_or_default());
                }
            }
        }
    }
}

/// One netlink request: header, genetlink header, one attribute.
fn request(family: u16, cmd: u8, seq: u32, attr_type: u16, value: &mut Vec<u8>) -> Vec<u8> {
    let attr_len = 4 + value.len();
    value.resize(value.len().next_multiple_of(4), 0);
    let total = NLMSG_HDRLEN + GENL_HDRLEN + 4 + value.len();
    let mut msg = Vec::with_capacity(total);
    msg.extend_from_slice(&u32::try_from(total).unwrap_or(u32::MAX).to_ne_bytes());
    msg.extend_from_slice(&family.to_ne_bytes());
    msg.extend_from_slice(&NLM_F_REQUEST.to_ne_bytes());
    msg.extend_from_slice(&seq.to_ne_bytes());
    msg.extend_from_slice(&0u32.to_ne_bytes()); // nlmsg_pid: the kernel fills ours in
    msg.extend_from_slice(&[cmd, 1, 0, 0]); // genlmsghdr: cmd, version, reserved
    msg.extend_from_slice(&u16::try_from(attr_len).unwrap_or(u16::MAX).to_ne_bytes());
    msg.extend_from_slice(&attr_type.to_ne_bytes());
    msg.extend_from_slice(value);
    msg
}

/// What a datagram says to request `seq`.
#[derive(Debug, PartialEq, Eq)]
enum Reply {
    /// Its attributes, as a range of the datagram.
    Attrs(std::ops::Range<usize>),
    /// The kernel refused it (a positive errno).
    Error(i32),
    /// Not the answer to `seq`.
    Other,
}

fn reply_of(data: &[u8], seq: u32) -> Reply {
    let len = u32_at(data, 0).and_then(|l| usize::try_from(l).ok());
    let Some(len) = len.filter(|l| *l >= NLMSG_HDRLEN && *l <= data.len()) else {
        return Reply::Other;
    };
    if u32_at(data, 8) != Some(seq) {
        return Reply::Other;
    }
    if u16_at(data, 4) == Some(NLMSG_ERROR) {
        let errno = u32_at(data, NLMSG_HDRLEN).map(|e| i32::from_ne_bytes(e.to_ne_bytes()));
        return Reply::Error(errno.map_or(libc::EIO, |e| e.saturating_neg().max(1)));
    }
    match NLMSG_HDRLEN + GENL_HDRLEN {
        start if start <= len => Reply::Attrs(start..len),
        _ => Reply::Other,
    }
}

/// The sums of a TASKSTATS reply for a thread group: its nested statistics' run count and
/// time on a CPU.
fn parse_group_run(attrs: &[u8]) -> Option<(u64, u64)> {
    let stats = attr(attr(attrs, TASKSTATS_TYPE_AGGR_TGID)?, TASKSTATS_TYPE_STATS)?;
    Some((
        u64_at(stats, CPU_COUNT_AT)?,
        u64_at(stats, CPU_RUN_VIRTUAL_AT)?,
    ))
}

/// The value of the first attribute of type `want` in a run of attributes.
fn attr(mut data: &[u8], want: u16) -> Option<&[u8]> {
    while data.len() >= 4 {
        let len = usize::from(u16_at(data, 0)?);
        let kind = u16_at(data, 2)? & NLA_TYPE_MASK;
        if len < 4 || len > data.len() {
            return None;
        }
        if kind == want {
            return data.get(4..len);
        }
        data = data.get(len.next_multiple_of(4)..).unwrap_or_default();
    }
    None
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_ne_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_ne_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_ne_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

#[cfg(test)]
mod tests;
