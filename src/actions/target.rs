//! What an action is aimed at, and what it works from: the domain target (a process by its
//! identity, a cgroup path, or a container), looked up in a fresh snapshot, with the cautions
//! about it.
//!
//! The command line and the dashboard both name a [`Target`]; neither hands the actions a
//! clap type or a form (docs/ARCHITECTURE.md, "Layers").

mod container;

use super::protect::Protected;
use crate::collect::Collector;
use crate::collect::containers::cgroup_in;
use crate::kernel::cgroupfs::files::FileReader;
use crate::kernel::cgroupfs::mode::{HierarchyMount, discover};
use crate::kernel::cgroupfs::probe::offers_file;
use crate::kernel::{KernelError, Roots};
use crate::model::{Container, Runtime, Snapshot};
use color_eyre::eyre::{Result, bail, eyre};
use std::fmt;
use std::path::PathBuf;

/// A cgroup path inside its hierarchies, in the canonical form the kernel and the snapshot
/// use (`/a/b`): doubled slashes cannot dodge the protected set, `.` and `..` never reach
/// the kernel ([`Roots::cgroup_path`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CgroupPath(String);

impl CgroupPath {
    pub fn parse(given: &str) -> Result<CgroupPath, String> {
        Roots::cgroup_path(given).map(CgroupPath)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CgroupPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What an action is aimed at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A process by identity (docs/ARCHITECTURE.md, "Identity"): its cgroups, or the process
    /// itself for signals and moves. A pid that names another process by the time the action
    /// is planned or made is refused.
    Process { pid: i32, start_time: u64 },
    /// A cgroup, in every hierarchy that has it.
    Cgroup(CgroupPath),
    /// A container as boxtop names it (`collect::containers`): by runtime and full id, looked
    /// up again in the snapshot an action is planned from. `name` is for the words only.
    Container {
        runtime: Runtime,
        id: String,
        name: String,
    },
}

impl Target {
    /// The process with `pid` as it is now (for a pid typed on the command line).
    pub fn process_now(roots: &Roots, pid: i32) -> Result<Target> {
        if pid <= 0 {
            bail!("{pid}: not a process id");
        }
        let start_time = crate::kernel::procs::read_start_time(roots, pid)
            .map_err(|_| KernelError::NoSuchProcess { pid })?;
        Ok(Target::Process { pid, start_time })
    }

    /// The container named `query` as it is now: by its exact name, else its full id, else a
    /// unique prefix of its id (as `docker` takes them). An unknown or ambiguous name is
    /// refused with the candidates.
    pub fn container_now(roots: &Roots, query: &str) -> Result<Target> {
        let snap = Collector::new(roots.clone())?.collect(None)?;
        let c = container::find(&snap.containers, query).map_err(|e| eyre!(e))?;
        Ok(Target::Container {
            runtime: c.runtime,
            id: c.id.clone(),
            name: c.name.clone(),
        })
    }

    pub fn cgroup(given: &str) -> Result<Target> {
        Ok(Target::Cgroup(
            CgroupPath::parse(given).map_err(|e| eyre!(e))?,
        ))
    }

    pub fn pid(&self) -> Option<i32> {
        match self {
            Target::Process { pid, .. } => Some(*pid),
            Target::Cgroup(_) | Target::Container { .. } => None,
        }
    }

    /// `process 42`, `cgroup /a/b`: for a refusal said before the target was looked up.
    pub fn describe(&self) -> String {
        match self {
            Target::Process { pid, .. } => format!("process {pid}"),
            Target::Cgroup(c) => format!("cgroup {c}"),
            Target::Container { runtime, name, .. } => container::words(*runtime, name),
        }
    }
}

/// A cgroup an action will write to.
pub(super) struct CgroupTarget {
    pub(super) hierarchy: HierarchyMount,
    /// Path inside the hierarchy.
    pub(super) path: String,
    pub(super) dir: PathBuf,
}

/// What an action works from: the snapshot, the hierarchies, and the cautions about the
/// target itself (a protected process, the root cgroup).
pub(super) struct Looked {
    pub(super) snap: Snapshot,
    /// What boxtop refuses without a force, as seen in `snap`.
    protected: Protected,
    pub(super) hierarchies: Vec<HierarchyMount>,
    cautions: Vec<String>,
    /// Whether the caller will act despite cautions: then a missing file is the error to
    /// say, not the refusal.
    force: bool,
    describe: String,
    target: Target,
    /// The container, as `snap` has it (for a container target).
    container: Option<Container>,
}

impl Looked {
    /// [`resolve`] for this target. When the target has no such file and is protected, the
    /// refusal is the clearer error (the root cgroup has no limits to set, for one).
    pub(super) fn resolve(&self, files: &[&str]) -> Result<CgroupTarget> {
        resolve(self, files).map_err(|e| self.refusal().unwrap_or(e))
    }

    /// The refusal of a protected target, unless forced: the clearer error when the target
    /// also lacks what the action needs.
    pub(super) fn refusal(&self) -> Option<color_eyre::Report> {
        let why = self.cautions.first().filter(|_| !self.force)?;
        Some(eyre!("refused: {why}; add --force to act anyway"))
    }

    /// The target looked up, in words: `lxc container bxdemo (cgroup /lxc.payload.bxdemo)`.
    pub(super) fn describe(&self) -> &str {
        &self.describe
    }

    /// The target as named, short: `lxc container bxdemo`, `process 42`.
    pub(super) fn target_words(&self) -> String {
        self.target.describe()
    }

    /// An empty plan for this target, with its cautions and identity.
    pub(super) fn plan(&self, kind: super::plan::ActionKind) -> super::plan::Plan {
        let mut p = super::plan::Plan::new(kind, self.describe.clone());
        p.cautions = self.cautions.clone();
        if let Target::Process { pid, start_time } = self.target {
            p.process = Some((pid, start_time));
        }
        p
    }

    pub(super) fn pid(&self) -> Option<i32> {
        self.target.pid()
    }

    /// The container, for a container target.
    pub(super) fn container(&self) -> Option<&Container> {
        self.container.as_ref()
    }

    /// The container's own cgroup in hierarchy `h`, where it has one (never a root cgroup).
    pub(super) fn container_cgroup(&self, h: &HierarchyMount) -> Option<CgroupTarget> {
        let path = cgroup_in(&self.snap, self.container.as_ref()?, h.id).filter(|p| p != "/")?;
        Some(CgroupTarget {
            hierarchy: h.clone(),
            dir: Roots::cgroup_dir(&h.dir, &path),
            path,
        })
    }

    /// The container's own cgroup in the first hierarchy of `version` (with `controller`
    /// bound, for v1) whose copy offers `file`.
    pub(super) fn container_cgroup_offering(
        &self,
        version: u8,
        controller: Option<&str>,
        file: &str,
    ) -> Option<CgroupTarget> {
        self.hierarchies
            .iter()
            .filter(|h| h.version == version)
            .filter(|h| controller.is_none_or(|want| h.controllers.iter().any(|c| c == want)))
            .filter_map(|h| self.container_cgroup(h))
            .find(|t| offers_file(&t.dir, &[file]))
    }

    /// The refusal of a cgroup action on a container with no cgroup of its own (a sandbox),
    /// saying why and what to do.
    pub(super) fn no_cgroup(&self, what: &str) -> Result<()> {
        match &self.container {
            Some(c) if c.cgroup.is_none() => bail!(
                "{}: refused: a sandbox has no cgroup of its own (its processes are in the \
                 cgroups they were started in, which other processes may share, and {what} \
                 would reach them too); give it one first: boxtop move --pid {} --create makes \
                 one for its main process (move the others there with boxtop move --pid N \
                 --cgroup PATH), then act on it with --cgroup PATH",
                self.target.describe(),
                c.main_pid
            ),
            _ => Ok(()),
        }
    }
}

/// Looks the target up (a process must still be the one named); a protected process, or the
/// root cgroup, becomes a caution. `force`: the caller acts despite cautions.
pub(super) fn look(roots: &Roots, target: &Target, force: bool) -> Result<Looked> {
    let snap = Collector::new(roots.clone())?.collect(None)?;
    let own = i32::try_from(std::process::id()).unwrap_or(0);
    let protected = Protected::from_snapshot(&snap, own);
    let mut cautions = Vec::new();
    let mut container = None;
    let describe = match target {
        Target::Process { pid, start_time } => {
            let pid = *pid;
            let row = snap
                .process(pid)
                .ok_or(KernelError::NoSuchProcess { pid })?;
            if row.start_time_ticks != *start_time {
                bail!("process {pid} has exited (its pid now names another process); nothing done");
            }
            cautions.extend(protected.process(row));
            format!("process {pid} ({})", row.comm)
        }
        Target::Cgroup(path) => {
            if path.as_str() == "/" {
                cautions.push("the root cgroup is protected (it holds every process)".into());
            }
            format!("cgroup {path}")
        }
        Target::Container { runtime, id, .. } => {
            let c = snap
                .containers
                .iter()
                .find(|c| c.runtime == *runtime && c.id == *id)
                .ok_or_else(|| eyre!("{} is no longer running; nothing done", target.describe()))?;
            cautions.extend(container::cautions(&snap, &protected, c));
            container = Some(c.clone());
            container::describe(c)
        }
    };
    let (_, hierarchies) = discover(roots, &mut FileReader::new())?;
    Ok(Looked {
        snap,
        protected,
        hierarchies,
        cautions,
        force,
        describe,
        target: target.clone(),
        container,
    })
}

/// The first hierarchy (v2 before v1) where the target cgroup has one of `files`: the
/// process's cgroup there, the container's own cgroup there, else the cgroup.
fn resolve(looked: &Looked, files: &[&str]) -> Result<CgroupTarget> {
    let mut order: Vec<&HierarchyMount> = looked.hierarchies.iter().collect();
    order.sort_by_key(|h| std::cmp::Reverse(h.version));
    for h in order {
        let path = match &looked.target {
            Target::Process { pid, .. } => {
                let pid = *pid;
                let row = looked
                    .snap
                    .process(pid)
                    .ok_or(KernelError::NoSuchProcess { pid })?;
                match row.cgroup_in(h.id) {
                    Some(p) => p.to_string(),
                    None => continue,
                }
            }
            Target::Cgroup(path) => path.as_str().to_string(),
            Target::Container { .. } => match looked.container_cgroup(h) {
                Some(t) => t.path,
                None => continue,
            },
        };
        let dir = Roots::cgroup_dir(&h.dir, &path);
        if offers_file(&dir, files) {
            return Ok(CgroupTarget {
                hierarchy: h.clone(),
                path,
                dir,
            });
        }
    }
    let what = match &looked.target {
        Target::Process { pid, .. } => format!("the cgroups of process {pid}"),
        Target::Cgroup(c) => format!("cgroup {c}"),
        Target::Container { .. } => format!("the cgroups of {}", looked.target.describe()),
    };
    Err(eyre!(
        "{what}: no hierarchy offers {} there (is the controller mounted or enabled?)",
        files.join(" or ")
    ))
}

/// Adds the cautions of writing to `t`: a protected cgroup, or a process whose cgroup holds
/// other processes (which the write would affect too).
pub(super) fn guard(looked: &Looked, t: &CgroupTarget, plan: &mut super::plan::Plan) {
    let snap = &looked.snap;
    if let Some(why) = looked.protected.cgroup(t.hierarchy.id, &t.path) {
        let caution = format!("cgroup {} {why}", t.path);
        // A container's look said it already.
        if !plan.cautions.contains(&caution) {
            plan.cautions.push(caution);
        }
    }
    if let Some(pid) = looked.pid() {
        let node = snap
            .cgroups
            .hierarchies
            .iter()
            .find(|h| h.id == t.hierarchy.id && h.version == t.hierarchy.version)
            .and_then(|h| h.cgroups.iter().find(|c| c.path == t.path));
        let others = node.map_or(0, |n| n.pids.iter().filter(|p| **p != pid).count());
        if others > 0 {
            plan.shared_with = plan.shared_with.max(others);
            plan.cautions.push(format!(
                "process {pid} shares cgroup {} with {others} other processes, which this would \
                 affect too; move it into a cgroup of its own first (boxtop move --pid {pid} \
                 --create), or use --cgroup to mean all of them",
                t.path
            ));
        }
    }
}
