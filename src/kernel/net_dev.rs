//! A network namespace's interface counters: `/proc/PID/net/dev`, which shows the counters of
//! the network namespace PID is in (proc(5), "/proc/net/dev"; the file is the same for every
//! process of that namespace). Two heading lines, then one line per interface:
//! `  eth0: RXBYTES RXPACKETS errs drop fifo frame compressed multicast TXBYTES TXPACKETS ...`.

use super::{KernelError, Roots};
use crate::model::NetInterface;
use crate::text::display_safe;

/// The interfaces of the network namespace `pid` is in, loopback left out (its traffic never
/// leaves the namespace).
pub fn read_net_dev(roots: &Roots, pid: i32) -> Result<Vec<NetInterface>, KernelError> {
    let path = roots.pid_file(pid, "net/dev");
    let buf = std::fs::read(&path).map_err(|e| KernelError::from_io(&path, e))?;
    Ok(parse_net_dev(&buf))
}

/// Every interface line that parses; a line that does not is skipped.
pub fn parse_net_dev(buf: &[u8]) -> Vec<NetInterface> {
    buf.split(|b| *b == b'\n')
        .skip(2)
        .filter_map(|line| {
            let colon = line.iter().position(|b| *b == b':')?;
            let (name, rest) = line.split_at(colon);
            let name = name.trim_ascii();
            if name.is_empty() || name == b"lo" {
                return None;
            }
            let fields: Vec<u64> = rest
                .get(1..)?
                .split(u8::is_ascii_whitespace)
                .filter(|f| !f.is_empty())
                .map(|f| std::str::from_utf8(f).ok()?.parse().ok())
                .collect::<Option<Vec<u64>>>()?;
            if fields.len() < 10 {
                return None;
            }
            Some(NetInterface {
                name: display_safe(name),
                rx_bytes: fields[0],
                rx_packets: fields[1],
                tx_bytes: fields[8],
                tx_packets: fields[9],
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const DEV: &[u8] = b"Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:  133849    2313    0    0    0     0          0         0   133849    2313    0    0    0     0       0          0
  eth0: 1970 23 0 0 0 0 0 0 1618 19 0 0 0 0 0 0
veth-a\x1b: 5 1 0 0 0 0 0 0 7 2 0 0 0 0 0 0
  bad: 1 2 3
";

    #[test]
    fn interfaces_without_loopback() {
        let got = parse_net_dev(DEV);
        assert_eq!(
            got,
            vec![
                NetInterface {
                    name: "eth0".into(),
                    rx_bytes: 1970,
                    rx_packets: 23,
                    tx_bytes: 1618,
                    tx_packets: 19,
                },
                NetInterface {
                    name: "veth-a\\x1b".into(),
                    rx_bytes: 5,
                    rx_packets: 1,
                    tx_bytes: 7,
                    tx_packets: 2,
                },
            ]
        );
        assert!(parse_net_dev(b"").is_empty());
    }

    proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = parse_net_dev(&bytes);
        }
    }
}
