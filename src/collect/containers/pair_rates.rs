//! Two byte counters per key (received and sent, read and written) and their rates between
//! one refresh and the next: the state the network and disk measures share.

use std::collections::HashMap;
use std::hash::Hash;
use std::time::Instant;

/// The previous refresh's totals, by key, and when they were taken.
#[derive(Debug)]
pub(super) struct PairRates<K> {
    at: Option<Instant>,
    before: HashMap<K, (u64, u64)>,
    now: HashMap<K, (u64, u64)>,
    /// Seconds since the previous refresh, set by [`PairRates::start`].
    elapsed: Option<f64>,
}

impl<K> Default for PairRates<K> {
    fn default() -> Self {
        PairRates {
            at: None,
            before: HashMap::new(),
            now: HashMap::new(),
            elapsed: None,
        }
    }
}

impl<K: Hash + Eq> PairRates<K> {
    /// A refresh begins.
    pub(super) fn start(&mut self) {
        let now = Instant::now();
        self.elapsed = self
            .at
            .map(|t| now.duration_since(t).as_secs_f64())
            .filter(|s| *s > 0.0);
        self.at = Some(now);
        self.now.clear();
    }

    /// Records this refresh's totals for `key`; the two rates per second against the previous
    /// refresh's, where there was one. A counter that went down (an interface removed, a
    /// cgroup made anew) gives no rate, never a negative one.
    pub(super) fn record(&mut self, key: K, totals: (u64, u64)) -> (Option<f64>, Option<f64>) {
        let rates = match (self.elapsed, self.before.get(&key)) {
            (Some(secs), Some(before)) => (
                per_second(totals.0, before.0, secs),
                per_second(totals.1, before.1, secs),
            ),
            _ => (None, None),
        };
        self.now.insert(key, totals);
        rates
    }

    /// The refresh is over: what it recorded is what the next compares with (keys not
    /// recorded, containers gone, are forgotten).
    pub(super) fn finish(&mut self) {
        std::mem::swap(&mut self.before, &mut self.now);
    }
}

#[allow(
    clippy::cast_precision_loss,
    reason = "a byte count per refresh is far below 2^52: exact in f64"
)]
fn per_second(now: u64, then: u64, secs: f64) -> Option<f64> {
    now.checked_sub(then).map(|d| d as f64 / secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_need_a_previous_sample_and_never_go_negative() {
        let mut r = PairRates::default();
        r.start();
        assert_eq!(r.record("a", (100, 50)), (None, None), "the first refresh");
        r.finish();
        std::thread::sleep(std::time::Duration::from_millis(20));
        r.start();
        let (rx, tx) = r.record("a", (300, 40));
        assert!(rx.is_some_and(|v| v > 0.0), "{rx:?}");
        assert_eq!(tx, None, "a counter that went down");
        assert_eq!(r.record("b", (1, 1)), (None, None), "a key first seen now");
        r.finish();
        r.start();
        r.finish();
        r.start();
        assert_eq!(
            r.record("a", (400, 50)),
            (None, None),
            "forgotten when not recorded"
        );
    }
}
