//! Writes to cgroup control files: planned first (file, old value, new value, the shell line
//! that does the same), applied only when confirmed.
//!
//! A write never creates a file: the control file is opened for writing without O_CREAT, so a
//! wrong path fails with ENOENT instead of leaving a regular file on some other filesystem.
//! Values arrive validated; [`super::limit_value`] gives their canonical text.

use super::limit_value::{CpuLimit, cpu_max_text, size_text};
use crate::kernel::KernelError;
use crate::model::Limit;
use crate::text::shell_quote;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// One control-file write, as shown before it is made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedWrite {
    pub file: PathBuf,
    /// The value now in the file (first line, trimmed); None if it could not be read.
    pub old: Option<String>,
    pub new: String,
}

impl PlannedWrite {
    fn plan(dir: &Path, name: &str, new: String) -> PlannedWrite {
        PlannedWrite::to(&dir.join(name), new)
    }

    /// A write of `new` to `file`, with the value the file holds now.
    pub fn to(file: &Path, new: String) -> PlannedWrite {
        let old = std::fs::read_to_string(file)
            .ok()
            .map(|s| s.lines().next().unwrap_or("").trim().to_string());
        PlannedWrite {
            file: file.to_path_buf(),
            old,
            new,
        }
    }

    /// The equivalent shell command, for the confirmation and for teaching.
    pub fn shell_line(&self) -> String {
        format!(
            "echo {} > {}",
            shell_quote(&self.new),
            shell_quote(&self.file.to_string_lossy())
        )
    }

    /// Makes the write: one write(2) of the whole value, on the existing file (opened as the
    /// shell's `>` does, with O_TRUNC, which cgroupfs ignores).
    pub fn apply(&self) -> Result<(), KernelError> {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .truncate(true)
            .open(&self.file)
            .map_err(|e| KernelError::from_io(&self.file, e))?;
        f.write_all(self.new.as_bytes())
            .map_err(|e| KernelError::from_io(&self.file, e))
    }
}

/// Creates one cgroup directory (the kernel fills it with its control files). Never with
/// parents: a missing parent means the tree changed since the plan, and is an error.
pub fn make_cgroup(dir: &Path) -> Result<(), KernelError> {
    std::fs::create_dir(dir).map_err(|e| KernelError::from_io(dir, e))
}

/// Removes an empty cgroup directory (rmdir(2): the kernel refuses one with processes or
/// children, EBUSY; its control files go with it).
pub fn remove_cgroup(dir: &Path) -> Result<(), KernelError> {
    std::fs::remove_dir(dir).map_err(|e| KernelError::from_io(dir, e))
}

/// Freeze or thaw: v2 `cgroup.freeze` (1/0), v1 `freezer.state` (FROZEN/THAWED).
pub fn plan_freeze(dir: &Path, version: u8, freeze: bool) -> PlannedWrite {
    match (version, freeze) {
        (2, f) => PlannedWrite::plan(dir, "cgroup.freeze", if f { "1" } else { "0" }.into()),
        (_, true) => PlannedWrite::plan(dir, "freezer.state", "FROZEN".into()),
        (_, false) => PlannedWrite::plan(dir, "freezer.state", "THAWED".into()),
    }
}

/// Whether the cgroup is frozen now, as the kernel says it (not what was asked): v2
/// `frozen` in cgroup.events, v1 freezer.state FROZEN (FREEZING is not yet). None when the
/// file cannot be read or parsed.
pub fn is_frozen(dir: &Path, version: u8) -> Option<bool> {
    use super::parse::{flat_get, parse_v1_freezer_state};
    if version == 2 {
        flat_get(&std::fs::read(dir.join("cgroup.events")).ok()?, "frozen").map(|v| v == 1)
    } else {
        parse_v1_freezer_state(&std::fs::read(dir.join("freezer.state")).ok()?)
            .map(|s| s == "FROZEN")
    }
}

/// The memory limit: v2 `memory.max`, v1 `memory.limit_in_bytes`.
pub fn plan_memory_max(dir: &Path, version: u8, limit: Limit) -> PlannedWrite {
    match version {
        2 => PlannedWrite::plan(dir, "memory.max", size_text(limit, false)),
        _ => PlannedWrite::plan(dir, "memory.limit_in_bytes", size_text(limit, true)),
    }
}

/// The memory throttle: v2 `memory.high` (no v1 equivalent).
pub fn plan_memory_high(dir: &Path, limit: Limit) -> PlannedWrite {
    PlannedWrite::plan(dir, "memory.high", size_text(limit, false))
}

/// The CPU limit: v2 `cpu.max` (one write), v1 `cpu.cfs_period_us` then `cpu.cfs_quota_us`
/// (the period first, so that the quota is checked against the period it belongs to).
pub fn plan_cpu_max(dir: &Path, version: u8, limit: CpuLimit) -> Vec<PlannedWrite> {
    match version {
        2 => vec![PlannedWrite::plan(dir, "cpu.max", cpu_max_text(limit))],
        _ => vec![
            PlannedWrite::plan(dir, "cpu.cfs_period_us", limit.period_usec.to_string()),
            PlannedWrite::plan(
                dir,
                "cpu.cfs_quota_us",
                limit
                    .quota_usec
                    .map_or_else(|| "-1".to_string(), |q| q.to_string()),
            ),
        ],
    }
}

/// v2 `cgroup.kill`: SIGKILL to every process in the cgroup and its descendants (Linux 5.14+).
pub fn plan_kill(dir: &Path) -> PlannedWrite {
    let mut w = PlannedWrite::plan(dir, "cgroup.kill", "1".into());
    w.old = None; // write-only: reading it fails
    w
}

/// Migration: writing a pid to `cgroup.procs` moves the whole process (all its threads).
pub fn plan_migrate(dir: &Path, pid: i32) -> PlannedWrite {
    PlannedWrite {
        file: dir.join("cgroup.procs"),
        old: None,
        new: pid.to_string(),
    }
}

/// `pids.max`, the same file in v1 and v2.
pub fn plan_pids_max(dir: &Path, limit: Limit) -> PlannedWrite {
    PlannedWrite::plan(dir, "pids.max", size_text(limit, false))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v2_dir() -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        for (name, text) in [
            ("cgroup.freeze", "0\n"),
            ("memory.max", "max\n"),
            ("cpu.max", "max 100000\n"),
            ("pids.max", "max\n"),
        ] {
            std::fs::write(d.path().join(name), text).unwrap();
        }
        d
    }

    fn written(w: &PlannedWrite) -> String {
        w.apply().unwrap();
        std::fs::read_to_string(&w.file).unwrap()
    }

    #[test]
    fn v2_writes_are_the_exact_canonical_bytes() {
        let d = v2_dir();
        let freeze = plan_freeze(d.path(), 2, true);
        assert_eq!(freeze.old.as_deref(), Some("0"));
        assert_eq!(
            freeze.shell_line(),
            format!("echo 1 > {}/cgroup.freeze", d.path().display())
        );
        assert_eq!(written(&freeze), "1");
        let mem = plan_memory_max(d.path(), 2, Limit::Value(64 << 20));
        assert_eq!(mem.old.as_deref(), Some("max"));
        assert_eq!(written(&mem), "67108864");
        let cpu = plan_cpu_max(
            d.path(),
            2,
            CpuLimit {
                quota_usec: Some(50_000),
                period_usec: 100_000,
            },
        );
        assert_eq!(cpu.len(), 1);
        assert_eq!(cpu[0].old.as_deref(), Some("max 100000"));
        assert_eq!(written(&cpu[0]), "50000 100000");
        assert_eq!(written(&plan_pids_max(d.path(), Limit::Value(64))), "64");
        assert_eq!(written(&plan_memory_max(d.path(), 2, Limit::Max)), "max");
    }

    #[test]
    fn v1_names_and_forms() {
        let d = tempfile::tempdir().unwrap();
        for name in [
            "freezer.state",
            "memory.limit_in_bytes",
            "cpu.cfs_period_us",
            "cpu.cfs_quota_us",
        ] {
            std::fs::write(d.path().join(name), "x\n").unwrap();
        }
        assert_eq!(written(&plan_freeze(d.path(), 1, true)), "FROZEN");
        assert_eq!(written(&plan_freeze(d.path(), 1, false)), "THAWED");
        assert_eq!(written(&plan_memory_max(d.path(), 1, Limit::Max)), "-1");
        let cpu = plan_cpu_max(
            d.path(),
            1,
            CpuLimit {
                quota_usec: None,
                period_usec: 100_000,
            },
        );
        let names: Vec<_> = cpu
            .iter()
            .map(|w| w.file.file_name().unwrap().to_owned())
            .collect();
        assert_eq!(
            names,
            ["cpu.cfs_period_us", "cpu.cfs_quota_us"],
            "period first"
        );
        assert_eq!(written(&cpu[0]), "100000");
        assert_eq!(written(&cpu[1]), "-1");
    }

    #[test]
    fn a_missing_control_file_is_never_created() {
        let d = tempfile::tempdir().unwrap();
        let w = plan_memory_max(d.path(), 2, Limit::Value(1));
        assert_eq!(w.old, None);
        assert!(matches!(w.apply(), Err(KernelError::Gone { .. })));
        assert!(!w.file.exists(), "no file was created");
    }

    #[test]
    fn shell_lines_quote_what_needs_it() {
        let w = PlannedWrite {
            file: PathBuf::from("/sys/fs/cgroup/a b/cpu.max"),
            old: None,
            new: "50000 100000".into(),
        };
        assert_eq!(
            w.shell_line(),
            "echo '50000 100000' > '/sys/fs/cgroup/a b/cpu.max'"
        );
    }
}
