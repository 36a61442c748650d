//! Parsers of a thread's files: /proc/PID/task/TID/{stat,schedstat,wchan}. See
//! proc_pid_stat(5), proc_pid_wchan(5) and Documentation/scheduler/sched-stats.rst.

use crate::kernel::procs::stat::{parse_uint, split_stat};

/// The fields of a thread's stat that its row shows. `comm` borrows from the buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct TaskStat<'a> {
    pub tid: i32,
    pub comm: &'a [u8],
    pub state: u8,
    /// Fields 14 and 15, clock ticks.
    pub utime: u64,
    pub stime: u64,
    /// Field 39: the CPU the thread last ran on (absent on kernels before 2.2.8).
    pub processor: Option<u32>,
}

/// Parses one task stat line; None if it is malformed or truncated before field 15.
pub(super) fn parse_task_stat(buf: &[u8]) -> Option<TaskStat<'_>> {
    let (tid, comm, rest) = split_stat(buf)?;
    // Fields 3.. numbered from 0: state is 0, utime (14) is 11, stime 12, processor (39) 36.
    let mut state = None;
    let mut utime = None;
    let mut stime = None;
    let mut processor = None;
    for (i, field) in rest.enumerate().take(37) {
        match i {
            0 => state = Some(field),
            11 => utime = Some(parse_uint(field)?),
            12 => stime = Some(parse_uint(field)?),
            36 => processor = parse_uint(field).and_then(|n| u32::try_from(n).ok()),
            _ => {}
        }
    }
    let state = match state? {
        [c] => *c,
        _ => return None,
    };
    Some(TaskStat {
        tid,
        comm,
        state,
        utime: utime?,
        stime: stime?,
        processor,
    })
}

/// What says whether a thread ran since it was last read: schedstat's time on a CPU (ns,
/// the first field) and its count of times scheduled onto one (`pcount`, the third). Both,
/// not the count alone: a thread that keeps its CPU (nothing else wants it) is not
/// scheduled again, but its time grows at every tick.
pub(super) fn parse_schedstat_run(buf: &[u8]) -> Option<(u64, u64)> {
    let mut fields = buf.split(u8::is_ascii_whitespace).filter(|f| !f.is_empty());
    let run_ns = parse_uint(fields.next()?)?;
    let pcount = parse_uint(fields.nth(1)?)?;
    Some((run_ns, pcount))
}

/// A wchan file's text: the kernel function the thread sleeps in, or None for "0" or
/// nothing (running, or a sleep the kernel names no function for; a kernel that hides it
/// from this reader writes "0" too).
pub(super) fn wchan_name(buf: &[u8]) -> Option<&[u8]> {
    let name = buf.trim_ascii();
    (!name.is_empty() && name != b"0").then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    // A real line of a sleeping thread (Linux 6.18), 52 fields.
    const LINE: &[u8] = b"4242 (bx-worker-1) S 4200 4200 4100 34817 4200 1077936192 12 0 0 0 7 3 0 0 20 0 4 0 98765 23420928 412 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 -1 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n";

    #[test]
    fn reads_state_times_and_processor() {
        let s = parse_task_stat(LINE).unwrap();
        assert_eq!(s.tid, 4242);
        assert_eq!(s.comm, b"bx-worker-1");
        assert_eq!(s.state, b'S');
        assert_eq!((s.utime, s.stime), (7, 3));
        assert_eq!(s.processor, Some(1));
    }

    #[test]
    fn hostile_comm_and_short_lines() {
        let line = b"5 (a) R (x) R 1 1 1 0 -1 0 0 0 0 0 9 8 0 0 20 0 1 0 1 0 0\n";
        let s = parse_task_stat(line).unwrap();
        assert_eq!(s.comm, b"a) R (x");
        assert_eq!(s.state, b'R');
        assert_eq!((s.utime, s.stime), (9, 8));
        assert_eq!(s.processor, None, "the line ends before field 39");
        assert_eq!(parse_task_stat(b"5 (a) S 1 1 1 0 -1 0 0 0 0 0 9"), None);
        assert_eq!(parse_task_stat(b"5 (a) SS 1 1 1 0 -1 0 0 0 0 0 9 8"), None);
        assert_eq!(parse_task_stat(b""), None);
    }

    #[test]
    fn schedstat_time_and_count() {
        assert_eq!(
            parse_schedstat_run(b"158550118 50821943 348\n"),
            Some((158_550_118, 348))
        );
        assert_eq!(parse_schedstat_run(b"1 2\n"), None);
        assert_eq!(parse_schedstat_run(b"x 2 3\n"), None);
    }

    #[test]
    fn wchan_zero_and_empty_are_none() {
        assert_eq!(wchan_name(b"do_nanosleep"), Some(&b"do_nanosleep"[..]));
        assert_eq!(wchan_name(b"0"), None);
        assert_eq!(wchan_name(b""), None);
        assert_eq!(wchan_name(b"\n"), None);
    }

    proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = parse_task_stat(&bytes);
            let _ = parse_schedstat_run(&bytes);
            let _ = wchan_name(&bytes);
        }
    }
}
