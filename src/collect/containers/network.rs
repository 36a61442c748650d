//! Containers' network traffic: one read of `/proc/PID/net/dev` per network namespace per
//! refresh (from the container's main process; a pod's containers share the namespace, and
//! the read), and rates against the previous refresh's totals of the same namespace. A
//! container in the host's network namespace says so instead of claiming the host's traffic.

use super::pair_rates::PairRates;
use crate::kernel::Roots;
use crate::kernel::net_dev::read_net_dev;
use crate::model::{Container, ContainerNetwork, NetInterface, NsKind, Snapshot};
use std::collections::HashMap;

/// The previous refresh's totals, by network namespace inode: (rx, tx) bytes.
#[derive(Debug, Default)]
pub struct NetRates {
    totals: PairRates<u64>,
}

impl NetRates {
    /// Fills each container's `network`, reading each namespace's counters once.
    pub fn measure(&mut self, roots: &Roots, snap: &Snapshot, containers: &mut [Container]) {
        self.totals.start();
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
            let sum = |f: fn(&NetInterface) -> u64| interfaces.iter().map(f).sum::<u64>();
            let totals = (sum(|i| i.rx_bytes), sum(|i| i.tx_bytes));
            // A pod's containers share the namespace: the same totals, the same rates.
            let (rx_bytes_per_sec, tx_bytes_per_sec) = self.totals.record(netns, totals);
            c.network = Some(ContainerNetwork {
                netns,
                shared_with_host: false,
                interfaces,
                rx_bytes_per_sec,
                tx_bytes_per_sec,
            });
        }
        self.totals.finish();
    }
}
