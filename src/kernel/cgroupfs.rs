//! cgroupfs: mode detection from mountinfo, the tree walk, typed control-file parsers.
//!
//! See <https://docs.kernel.org/admin-guide/cgroup-v2.html>, cgroups(7) and
//! <https://docs.kernel.org/admin-guide/cgroup-v1/>.
//!
//! - [`mountinfo`]: /proc/self/mountinfo lines, with their octal escapes.
//! - [`mode`]: which hierarchies exist (v1 / v2 / hybrid / none) and their ids.
//! - [`walk`]: every cgroup of a hierarchy, one readdir per directory.
//! - [`files`]: the control files we know, and a reusable read buffer.
//! - [`parse`]: typed parsers for their contents.
//! - [`v1`], [`v2`]: which file gives what in each version.
//! - [`write`], [`limit_value`], [`probe`]: the writes, the text they write, and what a plan
//!   checks before it writes.

pub mod container_stats;
pub mod files;
pub mod limit_value;
pub mod mode;
mod mountinfo;
mod parse;
pub mod probe;
mod v1;
mod v2;
mod walk;

pub use walk::{CgroupAt, Reading};
pub mod watch;
pub mod write;

use super::{KernelError, Roots};
use crate::model::{CgroupSnapshot, CpusetState, Hierarchy, PidsStats, Pressure};
use files::{CgroupFiles, Ctl, FileReader};
use parse::{parse_cpu_list, parse_limit, parse_u64};

/// Reads every hierarchy mounted (per /proc/self/mountinfo, or found by probing the cgroup
/// root when mountinfo names none there) and every cgroup in it.
///
/// Errors only with [`KernelError::NotATree`] when there is no cgroup filesystem at all; a
/// cgroup that vanishes mid-walk is skipped, a denied file is listed in
/// [`crate::model::CgroupNode::denied`].
pub fn read_cgroups(roots: &Roots) -> Result<CgroupSnapshot, KernelError> {
    read_cgroups_with(roots, None, &mut FileReader::new(), &|_| Reading::ALL)
}

/// [`read_cgroups`] through `reader` (one made with [`FileReader::keeping`] keeps the files
/// open for the next call; its caller marks the passes), reading of each cgroup what `choose` says (given where it is), and given every visible pid (ascending) so that the root cgroups' members need
/// not be read (see [`walk::walk`]).
pub fn read_cgroups_with(
    roots: &Roots,
    all_pids: Option<&[i32]>,
    reader: &mut FileReader,
    choose: &dyn Fn(&CgroupAt<'_>) -> Reading,
) -> Result<CgroupSnapshot, KernelError> {
    let (mode, mounts) = if reader.keeps() {
        let mut kept = reader.discovery.take();
        let found = mode::discover_kept(roots, reader, &mut kept);
        reader.discovery = kept;
        found?
    } else {
        mode::discover(roots, reader)?
    };
    let mut pids = Vec::new();
    // Root member lists worked out from the process list, shared between hierarchies.
    let mut shared_root = None;
    let hierarchies = mounts
        .into_iter()
        .filter_map(|h| {
            let cgroups = walk::walk(
                &h,
                reader,
                &mut pids,
                all_pids,
                &mut shared_root,
                mode,
                choose,
            );
            // The whole hierarchy went away (unmounted) between discovery and walk.
            if cgroups.is_empty() {
                return None;
            }
            Some(Hierarchy {
                id: h.id,
                version: h.version,
                controllers: h.controllers,
                name: h.name,
                mount_point: h.mount_point,
                mount_root: h.mount_root,
                cgroups,
            })
        })
        .collect();
    Ok(CgroupSnapshot { mode, hierarchies })
}

/// pids.current and pids.max: the same files in v1 and v2.
fn pids(f: &mut CgroupFiles<'_>) -> Option<PidsStats> {
    let p = PidsStats {
        current: f.get(Ctl::PidsCurrent, parse_u64),
        max: f.get(Ctl::PidsMax, parse_limit),
        // pids.events `max`: forks refused for the limit, here or above (v1 and v2 alike).
        max_events: f.get(Ctl::PidsEvents, |b| parse::flat_get(b, "max")),
    };
    (p != PidsStats::default()).then_some(p)
}

/// The PSI files, the same in v2 and (when enabled) v1.
/// cpuset.cpus and cpuset.mems, and the effective sets, whose file names differ: v1
/// `cpuset.effective_cpus`, v2 `cpuset.cpus.effective`.
fn cpuset(
    f: &mut CgroupFiles<'_>,
    effective_cpus: Ctl,
    effective_mems: Ctl,
) -> Option<CpusetState> {
    let c = CpusetState {
        cpus: f.get(Ctl::CpusetCpus, parse_cpu_list),
        mems: f.get(Ctl::CpusetMems, parse_cpu_list),
        effective_cpus: f.get(effective_cpus, parse_cpu_list),
        effective_mems: f.get(effective_mems, parse_cpu_list),
    };
    (c != CpusetState::default()).then_some(c)
}

fn pressure(f: &mut CgroupFiles<'_>) -> Option<Pressure> {
    let p = Pressure {
        cpu: f.get(Ctl::CpuPressure, parse::parse_psi),
        memory: f.get(Ctl::MemPressure, parse::parse_psi),
        io: f.get(Ctl::IoPressure, parse::parse_psi),
    };
    (p != Pressure::default()).then_some(p)
}
