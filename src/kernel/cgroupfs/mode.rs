//! Which cgroup hierarchies are mounted, and so the mode: v1, v2, hybrid or none.
//!
//! The source of truth is /proc/self/mountinfo: fstype `cgroup` is a v1 hierarchy (its
//! controllers and `name=` are in the super options), `cgroup2` the unified hierarchy
//! (cgroups(7); <https://docs.kernel.org/admin-guide/cgroup-v2.html#mounting>). The v1
//! hierarchy ids come from /proc/self/cgroup (`id:controllers:path`), matched by controller
//! list; cgroup2 is always id 0.

use super::files::FileReader;
use super::mountinfo::{MountEntry, parse_mountinfo};
use super::parse::parse_words;
use crate::kernel::roots::DEFAULT_CGROUP;
use crate::kernel::{KernelError, Roots};
use crate::model::CgroupMode;
use crate::text::display_safe;
use std::path::PathBuf;

/// A hierarchy to walk: what mountinfo (or the probe) says, and where its files are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HierarchyMount {
    pub id: u32,
    pub version: u8,
    /// v1: from the mount options, sorted; v2: filled in from the root's cgroup.controllers.
    pub controllers: Vec<String>,
    pub name: Option<String>,
    /// Display-safe, as mountinfo says.
    pub mount_point: String,
    pub mount_root: String,
    /// The directory to read (the mount point rebased onto the cgroup root).
    pub dir: PathBuf,
    /// Filesystem device (deduplicates bind mounts of one hierarchy).
    device: Option<(u32, u32)>,
}

/// Super options of a v1 mount that are not controllers (cgroups(7), cgroup-v1 docs).
fn is_mount_flag(opt: &str) -> bool {
    matches!(
        opt,
        "rw" | "ro"
            | "noprefix"
            | "xattr"
            | "clone_children"
            | "cpuset_v2_mode"
            | "favordynmods"
            | "all"
            | "none"
    ) || (opt.contains('=') && !opt.starts_with("name="))
}

/// v1 controllers and the `name=` of a hierarchy from its super options.
fn v1_options(super_options: &str) -> (Vec<String>, Option<String>) {
    let mut controllers = Vec::new();
    let mut name = None;
    for opt in super_options.split(',') {
        if let Some(n) = opt.strip_prefix("name=") {
            name = Some(display_safe(n.as_bytes()));
        } else if !opt.is_empty() && !is_mount_flag(opt) {
            controllers.push(display_safe(opt.as_bytes()));
        }
    }
    controllers.sort();
    (controllers, name)
}

/// /proc/self/cgroup: (id, sorted controller list including `name=...`).
fn self_cgroup_ids(text: &[u8]) -> Vec<(u32, Vec<String>)> {
    text.split(|&c| c == b'\n')
        .filter_map(|line| {
            let mut parts = line.splitn(3, |&c| c == b':');
            let id = super::parse::parse_u64(parts.next()?).and_then(|v| u32::try_from(v).ok())?;
            let mut list: Vec<String> = parts
                .next()?
                .split(|&c| c == b',')
                .filter(|w| !w.is_empty())
                .map(display_safe)
                .collect();
            list.sort();
            Some((id, list))
        })
        .collect()
}

/// The key /proc/self/cgroup uses for a v1 hierarchy: its controllers plus `name=X`.
fn v1_key(controllers: &[String], name: Option<&str>) -> Vec<String> {
    let mut key = controllers.to_vec();
    if let Some(n) = name {
        key.push(format!("name={n}"));
    }
    key.sort();
    key
}

/// What [`discover_kept`] found, and the open mountinfo that says when it is stale.
#[derive(Debug)]
pub struct Discovery {
    mountinfo: std::fs::File,
    found: (CgroupMode, Vec<HierarchyMount>),
}

impl Discovery {
    /// Whether a mount was added or removed since the last call (or since the discovery):
    /// the kernel reports each change once.
    pub fn mounts_changed(&self) -> bool {
        use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
        let mut fds = [PollFd::new(
            std::os::fd::AsFd::as_fd(&self.mountinfo),
            PollFlags::POLLPRI,
        )];
        match poll(&mut fds, PollTimeout::ZERO) {
            Ok(_) => fds[0]
                .revents()
                .is_none_or(|r| r.intersects(PollFlags::POLLPRI | PollFlags::POLLERR)),
            Err(_) => true,
        }
    }
}

/// [`discover`], found again only when the mount table changed: /proc/self/mountinfo, kept
/// open, raises POLLPRI when a mount is added or removed in our mount namespace (proc(5),
/// /proc/pid/mounts). The hierarchy ids and the v2 root's controllers change only with a
/// mount too. A fixture tree's regular files raise nothing, so only the live kernel's
/// discovery is kept.
pub fn discover_kept(
    roots: &Roots,
    reader: &mut FileReader,
    kept: &mut Option<Discovery>,
) -> Result<(CgroupMode, Vec<HierarchyMount>), KernelError> {
    if let Some(d) = kept.as_ref().filter(|d| !d.mounts_changed()) {
        return Ok(d.found.clone());
    }
    *kept = None;
    // Opened before reading, so that a change while we read is seen next time.
    let mountinfo = roots
        .is_live()
        .then(|| std::fs::File::open(roots.self_file("mountinfo")).ok())
        .flatten();
    let found = discover(roots, reader)?;
    if let Some(mountinfo) = mountinfo {
        *kept = Some(Discovery {
            mountinfo,
            found: found.clone(),
        });
    }
    Ok(found)
}

/// Finds the hierarchies under `roots`; `NotATree` when there is none.
pub fn discover(
    roots: &Roots,
    reader: &mut FileReader,
) -> Result<(CgroupMode, Vec<HierarchyMount>), KernelError> {
    let ids = match reader.read(&roots.self_file("cgroup")) {
        Ok(b) => self_cgroup_ids(b),
        Err(_) => Vec::new(), // no /proc/self/cgroup: ids are assigned below
    };
    let mounts = match reader.read(&roots.self_file("mountinfo")) {
        Ok(b) => parse_mountinfo(b),
        Err(_) => Vec::new(),
    };
    let mut found: Vec<HierarchyMount> =
        mounts.iter().filter_map(|m| from_mount(roots, m)).collect();
    if found.is_empty() {
        found = probe(roots);
    }
    dedupe(&mut found);
    assign_ids(&mut found, &ids);
    for h in found.iter_mut().filter(|h| h.version == 2) {
        if let Ok(b) = reader.read_in(&h.dir, "cgroup.controllers") {
            h.controllers = parse_words(b);
        }
    }
    found.sort_by_key(|h| (h.id, h.version));
    let v1 = found.iter().any(|h| h.version == 1);
    let v2 = found.iter().any(|h| h.version == 2);
    let mode = match (v1, v2) {
        (true, true) => CgroupMode::Hybrid,
        (true, false) => CgroupMode::V1,
        (false, true) => CgroupMode::V2,
        (false, false) => {
            return Err(KernelError::NotATree {
                path: roots.cgroup_root().to_path_buf(),
                why: format!(
                    "no cgroup filesystem under {} (mountinfo lists none there, and it has \
                     neither cgroup.controllers nor v1 hierarchy directories)",
                    roots.cgroup_root().display()
                ),
            });
        }
    };
    Ok((mode, found))
}

/// A mountinfo entry that is a cgroup mount whose directory exists under the root.
fn from_mount(roots: &Roots, m: &MountEntry) -> Option<HierarchyMount> {
    let version = match m.fstype.as_str() {
        "cgroup" => 1,
        "cgroup2" => 2,
        _ => return None,
    };
    // A non-UTF-8 mount point cannot be rebased by Roots; cgroup mounts never have one.
    let mp = std::str::from_utf8(&m.mount_point).ok()?;
    let dir = roots.cgroup_mount(mp)?;
    // The mount maps "under the root" only if a cgroup directory is really there: every
    // cgroup, v1 or v2, root included, has cgroup.procs. A wrong --cgroup-root fails here.
    if !dir.join("cgroup.procs").is_file() {
        return None;
    }
    let (controllers, name) = if version == 1 {
        v1_options(&m.super_options)
    } else {
        (Vec::new(), None)
    };
    Some(HierarchyMount {
        id: 0,
        version,
        controllers,
        name,
        mount_point: display_safe(&m.mount_point),
        mount_root: display_safe(&m.root),
        dir,
        device: Some(m.device),
    })
}

/// No usable mountinfo: look at the cgroup root itself. `cgroup.controllers` there means a
/// pure v2 mount; otherwise each real subdirectory with `cgroup.procs` is a v1 hierarchy
/// named after its controllers (`cpu,cpuacct`), and one with `cgroup.controllers` is v2.
fn probe(roots: &Roots) -> Vec<HierarchyMount> {
    let root = roots.cgroup_root();
    let mk = |version: u8, dir: PathBuf, rel: &[u8]| {
        let mount_point = if rel.is_empty() {
            DEFAULT_CGROUP.to_string()
        } else {
            format!("{DEFAULT_CGROUP}/{}", display_safe(rel))
        };
        let (controllers, name) = if version == 1 {
            let opts = String::from_utf8_lossy(rel);
            match opts.as_ref() {
                // systemd's named hierarchy is mounted at .../systemd with name=systemd.
                "systemd" | "elogind" => (Vec::new(), Some(opts.into_owned())),
                o => v1_options(o),
            }
        } else {
            (Vec::new(), None)
        };
        HierarchyMount {
            id: 0,
            version,
            controllers,
            name,
            mount_point,
            mount_root: "/".to_string(),
            dir,
            device: None,
        }
    };
    if root.join("cgroup.controllers").is_file() {
        return vec![mk(2, root.to_path_buf(), b"")];
    }
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(root) else {
        return out;
    };
    let mut subdirs: Vec<_> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir())) // symlinks (cpu -> cpu,cpuacct) skipped
        .collect();
    subdirs.sort_by_key(std::fs::DirEntry::file_name);
    for e in subdirs {
        use std::os::unix::ffi::OsStrExt;
        let dir = e.path();
        let name = e.file_name();
        if dir.join("cgroup.controllers").is_file() {
            out.push(mk(2, dir, name.as_bytes()));
        } else if dir.join("cgroup.procs").is_file() {
            out.push(mk(1, dir, name.as_bytes()));
        }
    }
    if out.is_empty() && root.join("cgroup.procs").is_file() {
        out.push(mk(1, root.to_path_buf(), b""));
    }
    out
}

/// Several mounts of one hierarchy (bind mounts, a container's view): keep the one that
/// shows the most of it (the shortest mount root), the first on a tie.
fn dedupe(found: &mut Vec<HierarchyMount>) {
    let mut keep: Vec<HierarchyMount> = Vec::with_capacity(found.len());
    for h in found.drain(..) {
        let same = keep.iter_mut().find(|k| {
            k.version == h.version
                && match (k.device, h.device) {
                    (Some(a), Some(b)) => a == b,
                    _ => k.controllers == h.controllers && k.name == h.name,
                }
        });
        match same {
            Some(k) if h.mount_root.len() < k.mount_root.len() => *k = h,
            Some(_) => {}
            None => keep.push(h),
        }
    }
    *found = keep;
}

/// cgroup2 is id 0; a v1 hierarchy takes the id of the /proc/self/cgroup line with the same
/// controller list. One with no such line (a fixture without it) is numbered after the
/// highest known id, so ids stay unique.
fn assign_ids(found: &mut [HierarchyMount], ids: &[(u32, Vec<String>)]) {
    let mut next = ids.iter().map(|(id, _)| *id).max().unwrap_or(0) + 1;
    for h in found.iter_mut() {
        if h.version == 2 {
            h.id = 0;
            continue;
        }
        let key = v1_key(&h.controllers, h.name.as_deref());
        match ids.iter().find(|(id, list)| *id != 0 && *list == key) {
            Some((id, _)) => h.id = *id,
            None => {
                h.id = next;
                next += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v1_super_options() {
        assert_eq!(
            v1_options("rw,cpu,cpuacct"),
            (vec!["cpu".into(), "cpuacct".into()], None)
        );
        assert_eq!(
            v1_options("rw,name=systemd"),
            (vec![], Some("systemd".into()))
        );
        assert_eq!(
            v1_options("rw,xattr,release_agent=/x,memory"),
            (vec!["memory".into()], None)
        );
        assert_eq!(v1_options(""), (vec![], None));
    }

    #[test]
    fn self_cgroup_lines() {
        let ids = self_cgroup_ids(b"9:name=systemd:/\n1:cpu,cpuacct:/a:b\n0::/\ngarbage\n:x:/\n");
        assert_eq!(ids.len(), 3);
        assert_eq!(ids[0], (9, vec!["name=systemd".to_string()]));
        assert_eq!(ids[1], (1, vec!["cpu".to_string(), "cpuacct".to_string()]));
        assert_eq!(ids[2], (0, vec![]));
    }
}
