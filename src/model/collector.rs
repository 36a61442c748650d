//! Turns raw samples into a Snapshot.
pub struct Collector;
