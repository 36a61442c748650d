//! Containers' network traffic: one read of `/proc/PID/net/dev` per network namespace per
//! refresh (from the container's main process; a pod's containers share the namespace, and
//! the read), and rates against the previous refresh's totals of the same namespace. A
//! container in the host's network namespace says so instead of claiming the host's traffic.

use crate::kernel::Roots;
use crate::kernel::net_dev::read_net_dev;
use crate::model::{Container, ContainerNetwork, NetInterface, NsKind, Snapshot};
use std::collections::HashMap;
use std::time::Instant;

/// The previous refresh's totals, by network namespace inode: (rx, tx) bytes.
#[derive(Debug, Default)]
pub struct NetRates {
    at: Option<Instant>,
    totals: HashMap<u64, (u64, u64)>,
}

impl NetRates {
    /// Fills each container's `network`, reading each namespace's counters once.
    pub fn measure(&mut self, roots: &Roots, snap: &Snapshot, containers: &mut [Container]) {
        let now = Instant::now();
        let host_net = snap.host_namespaces().get(NsKind::Net);
        let mut read: HashMap<u64, Option<Vec<NetInterface>>> = HashMap::new();
        for c in containers.iter_mut() {
            let Some(&netns) = c.namespaces.get(NsKind::Net.file_name()) else {
                continue;
            };
            if Some(netns) == host_net {
                c.network = Some(ContainerNetwork {
                    netns,
                    shared_with_host: true,
                    interfaces: Vec::new(),
                    rx_bytes_per_sec: None,
                    tx_bytes_per_sec: None,
                });
                continue;
            }
            let pid = c.main_pid;
            let Some(interfaces) = read
                .entry(netns)
                .or_insert_with(|| read_net_dev(roots, pid).ok())
                .clone()
            else {
                continue;
            };
            c.network = Some(ContainerNetwork {
                netns,
                shared_with_host: false,
                interfaces,
                rx_bytes_per_sec: None,
                tx_bytes_per_sec: None,
            });
        }
        let elapsed = self.at.map(|t| now.duration_since(t).as_secs_f64());
        let mut totals = HashMap::new();
        for c in containers.iter_mut() {
            let Some(net) = c.network.as_mut().filter(|n| !n.shared_with_host) else {
                continue;
            };
            let sum = |f: fn(&NetInterface) -> u64| net.interfaces.iter().map(f).sum::<u64>();
            let now_totals = (sum(|i| i.rx_bytes), sum(|i| i.tx_bytes));
            totals.insert(net.netns, now_totals);
            if let (Some(secs), Some(before)) = (elapsed, self.totals.get(&net.netns))
                && secs > 0.0
            {
                // A counter that went down (an interface removed) gives no rate, not a
                // negative one.
                let rate = |now: u64, then: u64| now.checked_sub(then).map(|d| rate_of(d, secs));
                net.rx_bytes_per_sec = rate(now_totals.0, before.0);
                net.tx_bytes_per_sec = rate(now_totals.1, before.1);
            }
        }
        self.totals = totals;
        self.at = Some(now);
    }
}

#[allow(
    clippy::cast_precision_loss,
    reason = "a byte count per refresh is far below 2^52: exact in f64"
)]
fn rate_of(bytes: u64, secs: f64) -> f64 {
    bytes as f64 / secs
}
