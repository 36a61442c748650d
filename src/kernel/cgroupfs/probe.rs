//! What a plan needs to know of a cgroup directory before it writes there: which control
//! files it offers, whether it exists, which controllers it gives its children.

use std::path::Path;

/// Whether the cgroup directory has one of `files` (a controller's files appear only where
/// the controller is mounted, or enabled by the parent in v2).
pub fn offers_file(dir: &Path, files: &[&str]) -> bool {
    files.iter().any(|f| dir.join(f).is_file())
}

/// Whether a cgroup exists at `dir` (every cgroup has `cgroup.procs`, v1 and v2).
pub fn is_cgroup(dir: &Path) -> bool {
    offers_file(dir, &["cgroup.procs"])
}

/// Whether anything exists at `dir` (a directory a new cgroup would be made at).
pub fn exists(dir: &Path) -> bool {
    dir.exists()
}

/// v2 `cgroup.subtree_control`: the controllers given to the children, space-separated
/// (empty when none, or when it cannot be read: a v1 cgroup has no such file).
pub fn subtree_control(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("cgroup.subtree_control"))
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}
