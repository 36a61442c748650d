//! The guided tour (`boxtop tour`, `w` in the dashboard): the talk boxtop grew from, step by
//! step, each step live on this host. Pure state: the step shown, the language, what the
//! demos started (so that leaving removes it), and the facts the poller read for the step.
//! The words are data (`text`, from `assets/tour/`); the demos ask for the same plans as the
//! action keys (`demo`), so every write is previewed and confirmed like any action.

pub mod demo;
pub mod keys;
pub mod text;

use super::state::PaneId;
pub use text::{Lang, TourText};

/// The talk's sections, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    AddressSpace,
    Threads,
    Cgroups,
    Namespaces,
    Chroot,
    Lxc,
}

impl Step {
    pub const ALL: [Step; 6] = [
        Step::AddressSpace,
        Step::Threads,
        Step::Cgroups,
        Step::Namespaces,
        Step::Chroot,
        Step::Lxc,
    ];

    /// The id of its text in the language files.
    pub fn id(self) -> &'static str {
        match self {
            Step::AddressSpace => "address-space",
            Step::Threads => "threads",
            Step::Cgroups => "cgroups",
            Step::Namespaces => "namespaces",
            Step::Chroot => "chroot",
            Step::Lxc => "lxc",
        }
    }

    /// The pane shown under the step's text.
    pub fn pane(self) -> PaneId {
        match self {
            Step::AddressSpace => PaneId::MemoryMap,
            Step::Threads => PaneId::Processes,
            Step::Cgroups => PaneId::Cgroups,
            Step::Namespaces | Step::Chroot => PaneId::Namespaces,
            Step::Lxc => PaneId::Containers,
        }
    }
}

pub use crate::actions::tour_cleanup::Started;

/// What the demos have started, and where each demo is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Demos {
    /// Step 2: the process whose two threads pass a token.
    pub pingpong: Option<Started>,
    /// Step 3: the child in a cgroup of its own, and the next stage of that demo.
    pub cgroup_child: Option<Started>,
    pub cgroup_stage: demo::CgroupStage,
    /// The cgroup directories the demos' moves made (every hierarchy's), to remove.
    pub made_dirs: Vec<std::path::PathBuf>,
    /// Step 4: sh in new namespaces; step 5: sh in new namespaces and a new root.
    pub sandbox: Option<Started>,
    pub chroot_sandbox: Option<Started>,
    /// Step 5's root directory, once made (removed when the tour ends).
    pub root_dir: Option<std::path::PathBuf>,
    /// Step 6: the sandbox moved into a cgroup of its own, then limited there.
    pub sandbox_moved: bool,
    pub sandbox_limited: bool,
    /// Which demo the launch in flight belongs to.
    pub launching: Option<Step>,
}

impl Demos {
    /// Every process the demos started, for the cleanup.
    pub fn processes(&self) -> Vec<Started> {
        [
            self.pingpong,
            self.cgroup_child,
            self.sandbox,
            self.chroot_sandbox,
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.processes().is_empty() && self.root_dir.is_none() && self.made_dirs.is_empty()
    }
}

/// What the poller read for the step on screen that is not in a snapshot.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// Step 3: the listing of one hierarchy's root directory (`ls -l`), and which.
    pub layout: Option<(String, Vec<DirLine>)>,
    /// Steps 4 to 6: what a sandbox sees.
    pub sandboxes: Vec<SandboxFacts>,
}

/// One entry of a directory listing, as `ls -l` shows its type and mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirLine {
    pub name: String,
    /// `drwxr-xr-x`, `-rw-r--r--`.
    pub mode: String,
}

/// A sandbox seen from inside: its host name, the pids its /proc lists, where its root is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SandboxFacts {
    pub pid: i32,
    pub hostname: Option<String>,
    pub proc_pids: Option<Vec<i32>>,
    pub root: Option<String>,
}

/// What the poller is asked to read for the tour (nothing when no tour is shown).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Probe {
    /// A directory to list (the mount point of a hierarchy).
    pub layout_of: Option<String>,
    /// Sandboxes to look into.
    pub sandboxes: Vec<i32>,
}

/// What the tour needs from outside the state, given once at start (`tui`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setup {
    pub lang: Lang,
    pub exe: std::path::PathBuf,
    pub scratch: std::path::PathBuf,
    /// `boxtop tour`: the tour is open from the start, and leaving it ends the program.
    pub standalone: bool,
}

impl Setup {
    /// The tour, at its first step; the error says why its text could not be had.
    pub fn open(&self) -> Result<TourState, String> {
        let text = text::text(self.lang)?;
        Ok(TourState::new(
            text,
            self.standalone,
            self.exe.clone(),
            self.scratch.clone(),
        ))
    }
}

/// The tour on screen.
#[derive(Debug, Clone)]
pub struct TourState {
    pub text: &'static TourText,
    pub step: usize,
    /// `boxtop tour`: leaving the tour ends the program.
    pub standalone: bool,
    /// Step 1: the not-used table instead of the segments.
    pub show_gaps: bool,
    /// Rows of the panel's text scrolled past (PageDown / PageUp).
    pub scroll: u16,
    pub demos: Demos,
    pub facts: Facts,
    /// boxtop's own binary: the token demo runs it (`tour-pingpong`).
    pub exe: std::path::PathBuf,
    /// Where step 5 makes its root (a new directory; removed when the tour ends).
    pub scratch: std::path::PathBuf,
    /// Whether the table showed threads (H) before the tour turned them on for its threads
    /// step: leaving puts that back.
    pub threads_before: Option<bool>,
}

impl TourState {
    pub fn new(
        text: &'static TourText,
        standalone: bool,
        exe: std::path::PathBuf,
        scratch: std::path::PathBuf,
    ) -> TourState {
        TourState {
            text,
            step: 0,
            standalone,
            show_gaps: false,
            scroll: 0,
            demos: Demos::default(),
            facts: Facts::default(),
            exe,
            scratch,
            threads_before: None,
        }
    }

    pub fn current(&self) -> Step {
        Step::ALL
            .get(self.step)
            .copied()
            .unwrap_or(Step::AddressSpace)
    }

    /// The words of the step on screen (the files have every step: tests/tour_text.rs).
    pub fn step_text(&self) -> Option<&'static text::StepText> {
        let id = self.current().id();
        self.text.steps.iter().find(|s| s.id == id)
    }

    pub fn next(&mut self) {
        self.step = (self.step + 1).min(Step::ALL.len() - 1);
        self.scroll = 0;
    }

    pub fn back(&mut self) {
        self.step = self.step.saturating_sub(1);
        self.scroll = 0;
    }

    pub fn is_last(&self) -> bool {
        self.step + 1 >= Step::ALL.len()
    }
}

/// The hierarchy whose directory the cgroups step lists, as the talk does with
/// `ls -l /sys/fs/cgroup/cpu`: the v1 hierarchy with cpu, else the first v1 one with a
/// controller, else the v2 one. Its mount point, as mountinfo says.
pub fn layout_hierarchy(snap: Option<&crate::model::Snapshot>) -> Option<String> {
    let hs = &snap?.cgroups.hierarchies;
    let v1 = |h: &&crate::model::Hierarchy| h.version == 1;
    hs.iter()
        .filter(v1)
        .find(|h| h.controllers.iter().any(|c| c == "cpu"))
        .or_else(|| hs.iter().filter(v1).find(|h| !h.controllers.is_empty()))
        .or_else(|| hs.iter().find(|h| h.version == 2))
        .map(|h| h.mount_point.clone())
}
