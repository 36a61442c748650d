//! cgroupfs: mode detection from mountinfo, the tree walk, typed control-file parsers.
//! See Documentation/admin-guide/cgroup-v2.rst and cgroups(7).

use super::{KernelError, Roots};
use crate::model::{CgroupMode, CgroupSnapshot};

/// Reads every hierarchy mounted (per /proc/self/mountinfo) and every cgroup in it.
pub fn read_cgroups(_roots: &Roots) -> Result<CgroupSnapshot, KernelError> {
    // Placeholder until the cgroupfs reader lands.
    Ok(CgroupSnapshot {
        mode: CgroupMode::None,
        hierarchies: Vec::new(),
    })
}
