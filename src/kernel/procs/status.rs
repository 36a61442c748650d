//! Parser of the few /proc/PID/status lines boxtop uses. See proc_pid_status(5).

use super::stat::{parse_int, parse_uint};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Status {
    /// Real uid (the first of the four `Uid:` values).
    pub uid: Option<u32>,
    /// `NSpid:`: the pid in each nested pid namespace, outermost first.
    pub nspid: Vec<i32>,
    pub voluntary_ctxt_switches: Option<u64>,
    pub nonvoluntary_ctxt_switches: Option<u64>,
    /// `VmRSS:` in KiB (absent for a kernel thread, which has no mm). The same sum of the
    /// mm's counters as statm's resident pages, read with them summed over the CPUs.
    pub rss_kib: Option<u64>,
}

/// Parses the lines we need and ignores the rest (the file gains lines across kernels).
pub(super) fn parse_status(buf: &[u8]) -> Status {
    let mut st = Status::default();
    for line in buf.split(|b| *b == b'\n') {
        let Some(colon) = line.iter().position(|b| *b == b':') else {
            continue;
        };
        let (key, value) = (&line[..colon], &line[colon + 1..]);
        let mut values = value
            .split(|b| *b == b'\t' || *b == b' ')
            .filter(|v| !v.is_empty());
        match key {
            b"Uid" => {
                st.uid = values
                    .next()
                    .and_then(parse_uint)
                    .and_then(|n| u32::try_from(n).ok());
            }
            b"NSpid" => st.nspid = values.map_while(parse_int).collect(),
            b"voluntary_ctxt_switches" => {
                st.voluntary_ctxt_switches = values.next().and_then(parse_uint);
            }
            b"nonvoluntary_ctxt_switches" => {
                st.nonvoluntary_ctxt_switches = values.next().and_then(parse_uint);
            }
            b"VmRSS" => st.rss_kib = values.next().and_then(parse_uint),
            _ => {}
        }
    }
    st
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const STATUS: &[u8] = b"Name:\tsleep\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t9\nNgid:\t0\nPid:\t9\nPPid:\t1\nTracerPid:\t0\nUid:\t1000\t1001\t1002\t1003\nGid:\t0\t0\t0\t0\nNSpid:\t9\t1\nNSpgid:\t9\t1\nVmRSS:\t    1676 kB\nThreads:\t1\nvoluntary_ctxt_switches:\t12\nnonvoluntary_ctxt_switches:\t3\n";

    #[test]
    fn reads_uid_nspid_and_switches() {
        let st = parse_status(STATUS);
        assert_eq!(st.uid, Some(1000));
        assert_eq!(st.nspid, vec![9, 1]);
        assert_eq!(st.voluntary_ctxt_switches, Some(12));
        assert_eq!(st.nonvoluntary_ctxt_switches, Some(3));
        assert_eq!(st.rss_kib, Some(1676));
    }

    #[test]
    fn missing_lines_are_absent_not_zero() {
        let st = parse_status(b"Name:\tx\nUid:\tnope\n");
        assert_eq!(st, Status::default());
    }

    proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = parse_status(&bytes);
        }
    }
}
