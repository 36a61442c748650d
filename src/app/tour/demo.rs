//! The tour's demos: what `d` asks for on each step. Every demo that changes the host is a
//! plan like an action key's (`PlanRequest`), previewed with its files and shell lines and
//! made only after `y`; what it started is remembered here so that leaving the tour stops
//! and removes it (`cleanup`).

use super::{Started, Step, TourState};
use crate::actions::Target;
use crate::actions::limits::LimitRequest;
pub use crate::actions::tour_cleanup::Cleanup;
use crate::app::action_keys::PlanRequest;
use crate::kernel::spawn::SpawnRequest;
use crate::model::{NsKind, Snapshot};
use std::path::PathBuf;

/// The host name of the tour's sandboxes (and of the cgroup demo's child, in its own uts
/// namespace so that it is told apart in the table).
pub const SANDBOX_HOSTNAME: &str = "boxtop-tour";
/// The cgroup demo's limits: small enough to see, large enough for a `sleep`.
pub const DEMO_MEMORY: &str = "64M";
pub const DEMO_CPU: &str = "0.2";

/// Where the cgroup demo is: the stage `d` makes next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CgroupStage {
    #[default]
    Start,
    Move,
    Memory,
    Cpu,
    Freeze,
    Thaw,
    Remove,
    Done,
}

impl CgroupStage {
    /// Its words' key in the language files' `[cgroup_demo]`.
    pub fn key(self) -> &'static str {
        match self {
            CgroupStage::Start => "start",
            CgroupStage::Move => "move",
            CgroupStage::Memory => "memory",
            CgroupStage::Cpu => "cpu",
            CgroupStage::Freeze => "freeze",
            CgroupStage::Thaw => "thaw",
            CgroupStage::Remove => "remove",
            CgroupStage::Done => "done",
        }
    }

    fn next(self) -> CgroupStage {
        match self {
            CgroupStage::Start => CgroupStage::Move,
            CgroupStage::Move => CgroupStage::Memory,
            CgroupStage::Memory => CgroupStage::Cpu,
            CgroupStage::Cpu => CgroupStage::Freeze,
            CgroupStage::Freeze => CgroupStage::Thaw,
            CgroupStage::Thaw => CgroupStage::Remove,
            CgroupStage::Remove | CgroupStage::Done => CgroupStage::Done,
        }
    }
}

/// What `d` does on the step on screen.
#[derive(Debug, Clone, PartialEq)]
pub enum Ask {
    /// Changes only what is shown (step 1's table).
    ToggleGaps,
    /// A plan to preview; `launch`: the demo whose process it starts.
    Plan(PlanRequest),
    /// Nothing to do now, and why.
    Say(String),
}

/// The demo's request for the step on screen. `exe`: boxtop's own binary (the token demo
/// runs it); `scratch`: where step 5 makes its root.
pub fn ask(tour: &TourState) -> Ask {
    let d = &tour.demos;
    let identity = |s: &Started| {
        s.start_time.map(|start_time| Target::Process {
            pid: s.pid,
            start_time,
        })
    };
    let wait = || Ask::Say("waiting for the started process to appear".into());
    match tour.current() {
        Step::AddressSpace => Ask::ToggleGaps,
        Step::Threads => match d.pingpong {
            Some(p) => Ask::Say(format!("the token demo runs as pid {}", p.pid)),
            None => Ask::Plan(PlanRequest::Unshare(SpawnRequest {
                namespaces: vec![NsKind::Uts],
                hostname: Some(SANDBOX_HOSTNAME.into()),
                command: vec![
                    tour.exe.display().to_string(),
                    crate::kernel::pingpong::SUBCOMMAND.into(),
                ],
                ..SpawnRequest::default()
            })),
        },
        Step::Cgroups => {
            let child = d.cgroup_child.as_ref();
            let target = child.and_then(identity);
            match (d.cgroup_stage, target) {
                (CgroupStage::Start | CgroupStage::Done, _) if child.is_none() => {
                    Ask::Plan(PlanRequest::Unshare(sleeper(vec![NsKind::Uts])))
                }
                (CgroupStage::Done, Some(_)) => Ask::Say("the child is being stopped".into()),
                (_, None) => wait(),
                (CgroupStage::Start | CgroupStage::Move, Some(t)) => {
                    Ask::Plan(PlanRequest::Move(t, None))
                }
                (CgroupStage::Memory, Some(t)) => limit(t, Some(DEMO_MEMORY), None),
                (CgroupStage::Cpu, Some(t)) => limit(t, None, Some(DEMO_CPU)),
                (CgroupStage::Freeze, Some(t)) => Ask::Plan(PlanRequest::Freeze(t, true)),
                (CgroupStage::Thaw, Some(t)) => Ask::Plan(PlanRequest::Freeze(t, false)),
                (CgroupStage::Remove, Some(t)) => {
                    Ask::Plan(PlanRequest::Kill(t, nix::sys::signal::Signal::SIGKILL))
                }
            }
        }
        Step::Namespaces => match d.sandbox {
            Some(s) => Ask::Say(format!("the sandbox runs as pid {}", s.pid)),
            None => Ask::Plan(PlanRequest::Unshare(sandbox(None))),
        },
        Step::Chroot => match (&d.chroot_sandbox, &d.root_dir) {
            (Some(s), _) => Ask::Say(format!("the sandbox in a new root runs as pid {}", s.pid)),
            (None, Some(root)) => Ask::Plan(PlanRequest::Unshare(sandbox(Some(root.clone())))),
            (None, None) => Ask::Plan(PlanRequest::MakeRoot(tour.scratch.clone())),
        },
        Step::Lxc => {
            let sandbox = d.chroot_sandbox.or(d.sandbox);
            match sandbox.as_ref().and_then(identity) {
                None if sandbox.is_none() => {
                    Ask::Say("no sandbox yet: start one in step 4 or 5 (← back)".into())
                }
                None => wait(),
                Some(t) if !d.sandbox_moved => Ask::Plan(PlanRequest::Move(t, None)),
                Some(t) if !d.sandbox_limited => limit(t, Some(DEMO_MEMORY), Some(DEMO_CPU)),
                Some(_) => Ask::Say("the sandbox has its cgroup and limits".into()),
            }
        }
    }
}

/// What `d` does next, in the tour's language; None when it has nothing to do now (its
/// demo runs, or it waits for a process to appear).
pub fn next_words(tour: &TourState) -> Option<String> {
    if matches!(ask(tour), Ask::Say(_)) {
        return None;
    }
    let t = tour.text;
    Some(match tour.current() {
        Step::Cgroups => {
            let stage = if tour.demos.cgroup_child.is_none() {
                CgroupStage::Start
            } else {
                tour.demos.cgroup_stage
            };
            t.cgroup_stage(stage.key()).to_string()
        }
        Step::Chroot if tour.demos.root_dir.is_none() => t.ui("make_root", &[]),
        Step::Lxc if !tour.demos.sandbox_moved => t.cgroup_stage("move").to_string(),
        Step::Lxc => t.ui("limit_sandbox", &[]),
        _ => tour.step_text().map_or(String::new(), |s| s.demo.clone()),
    })
}

fn limit(t: Target, memory: Option<&str>, cpu: Option<&str>) -> Ask {
    match LimitRequest::parse(memory, None, cpu, None) {
        Ok(req) => Ask::Plan(PlanRequest::Limit(t, req)),
        Err(e) => Ask::Say(e),
    }
}

/// A `sleep` in the namespaces given, for the cgroup demo.
fn sleeper(namespaces: Vec<NsKind>) -> SpawnRequest {
    SpawnRequest {
        namespaces,
        hostname: Some(SANDBOX_HOSTNAME.into()),
        command: vec!["sleep".into(), "3600".into()],
        ..SpawnRequest::default()
    }
}

/// `sh` in new pid, mount (with its own /proc), uts, ipc, net and cgroup namespaces, as
/// pid 1 there; in `root` when given.
fn sandbox(root: Option<PathBuf>) -> SpawnRequest {
    SpawnRequest {
        namespaces: vec![
            NsKind::Pid,
            NsKind::Mnt,
            NsKind::Uts,
            NsKind::Ipc,
            NsKind::Net,
            NsKind::Cgroup,
        ],
        hostname: Some(SANDBOX_HOSTNAME.into()),
        root,
        command: vec!["sh".into(), "-c".into(), "while :; do sleep 1; done".into()],
        ..SpawnRequest::default()
    }
}

/// A launch finished: the pid belongs to the demo that asked for it.
pub fn launched(tour: &mut TourState, pid: i32) {
    let started = Some(Started {
        pid,
        start_time: None,
    });
    match tour.demos.launching.take() {
        Some(Step::Threads) => tour.demos.pingpong = started,
        Some(Step::Cgroups) => {
            tour.demos.cgroup_child = started;
            tour.demos.cgroup_stage = CgroupStage::Move;
        }
        Some(Step::Namespaces) => tour.demos.sandbox = started,
        Some(Step::Chroot) => tour.demos.chroot_sandbox = started,
        _ => {}
    }
}

/// A confirmed plan was made (`ok`: whole), with the directories it made: the demo moves on.
pub fn done(tour: &mut TourState, ok: bool, made_dirs: &[PathBuf], made_root: Option<PathBuf>) {
    tour.demos.made_dirs.extend(made_dirs.iter().cloned());
    if let Some(root) = made_root {
        tour.demos.root_dir = Some(root);
    }
    if !ok {
        return;
    }
    match tour.current() {
        Step::Cgroups if tour.demos.cgroup_child.is_some() => {
            tour.demos.cgroup_stage = tour.demos.cgroup_stage.next();
        }
        Step::Lxc if !made_dirs.is_empty() => tour.demos.sandbox_moved = true,
        Step::Lxc => tour.demos.sandbox_limited = true,
        _ => {}
    }
}

/// A snapshot arrived: the demos' processes get their identity (start time), and those that
/// ended are forgotten (the cgroup demo then starts over).
pub fn seen(tour: &mut TourState, snap: &Snapshot) {
    let d = &mut tour.demos;
    for slot in [
        &mut d.pingpong,
        &mut d.cgroup_child,
        &mut d.sandbox,
        &mut d.chroot_sandbox,
    ] {
        let Some(s) = slot.as_mut() else { continue };
        match snap.process(s.pid) {
            Some(p) if s.start_time.is_none() => s.start_time = Some(p.start_time_ticks),
            Some(p) if s.start_time == Some(p.start_time_ticks) => {}
            // Gone (or its pid reused): no longer ours.
            _ if s.start_time.is_some() => *slot = None,
            _ => {}
        }
    }
    if d.cgroup_child.is_none() && d.cgroup_stage != CgroupStage::Start {
        d.cgroup_stage = CgroupStage::Start;
    }
    if d.chroot_sandbox.is_none() && d.sandbox.is_none() {
        d.sandbox_moved = false;
        d.sandbox_limited = false;
    }
}

/// What leaving the tour must undo (`actions::tour_cleanup` does it).
pub fn cleanup(tour: &TourState) -> Cleanup {
    let mut cgroups = tour.demos.made_dirs.clone();
    cgroups.sort_by_key(|p| std::cmp::Reverse(p.components().count()));
    cgroups.dedup();
    Cleanup {
        processes: tour.demos.processes(),
        cgroups,
        root: tour.demos.root_dir.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::tour::text::{Lang, text};

    fn tour_at(step: Step) -> TourState {
        let mut t = TourState::new(
            text(Lang::En).unwrap(),
            true,
            "/bin/boxtop".into(),
            "/tmp/root".into(),
        );
        t.step = Step::ALL.iter().position(|s| *s == step).unwrap();
        t
    }

    fn started(pid: i32, start: u64) -> Option<Started> {
        Some(Started {
            pid,
            start_time: Some(start),
        })
    }

    #[test]
    fn each_step_asks_for_its_demo() {
        assert_eq!(ask(&tour_at(Step::AddressSpace)), Ask::ToggleGaps);
        let Ask::Plan(PlanRequest::Unshare(r)) = ask(&tour_at(Step::Threads)) else {
            panic!("the token demo is a launch")
        };
        assert_eq!(r.command, ["/bin/boxtop", "tour-pingpong"]);
        let Ask::Plan(PlanRequest::Unshare(r)) = ask(&tour_at(Step::Namespaces)) else {
            panic!("the sandbox is a launch")
        };
        assert!(r.has(NsKind::Pid) && r.has(NsKind::Mnt) && r.root.is_none());
        assert_eq!(
            ask(&tour_at(Step::Chroot)),
            Ask::Plan(PlanRequest::MakeRoot("/tmp/root".into())),
            "the root comes first"
        );
        let mut t = tour_at(Step::Chroot);
        t.demos.root_dir = Some("/tmp/root".into());
        let Ask::Plan(PlanRequest::Unshare(r)) = ask(&t) else {
            panic!("then the sandbox in it")
        };
        assert_eq!(r.root.as_deref(), Some(std::path::Path::new("/tmp/root")));
        assert!(
            matches!(ask(&tour_at(Step::Lxc)), Ask::Say(_)),
            "no sandbox yet"
        );
    }

    #[test]
    fn the_cgroup_demo_moves_on_only_when_a_plan_was_made() {
        let mut t = tour_at(Step::Cgroups);
        t.demos.launching = Some(Step::Cgroups);
        launched(&mut t, 42);
        assert_eq!(t.demos.cgroup_child.map(|c| c.pid), Some(42));
        assert!(matches!(ask(&t), Ask::Say(_)), "waits for its identity");
        t.demos.cgroup_child = started(42, 7);
        let target = Target::Process {
            pid: 42,
            start_time: 7,
        };
        assert_eq!(ask(&t), Ask::Plan(PlanRequest::Move(target.clone(), None)));
        done(&mut t, false, &[], None);
        assert_eq!(
            t.demos.cgroup_stage,
            CgroupStage::Move,
            "a failed move stays"
        );
        done(&mut t, true, &["/cg/memory/boxtop-42".into()], None);
        assert_eq!(t.demos.cgroup_stage, CgroupStage::Memory);
        for want in [
            CgroupStage::Cpu,
            CgroupStage::Freeze,
            CgroupStage::Thaw,
            CgroupStage::Remove,
            CgroupStage::Done,
        ] {
            done(&mut t, true, &[], None);
            assert_eq!(t.demos.cgroup_stage, want);
        }
        assert_eq!(
            cleanup(&t).cgroups,
            vec![PathBuf::from("/cg/memory/boxtop-42")]
        );
    }

    #[test]
    fn cleanup_removes_the_deepest_cgroups_first() {
        let mut t = tour_at(Step::Lxc);
        t.demos.made_dirs = vec!["/cg/a".into(), "/cg/a/b".into(), "/cg/c".into()];
        t.demos.sandbox = started(9, 1);
        let c = cleanup(&t);
        assert_eq!(c.cgroups.first(), Some(&PathBuf::from("/cg/a/b")));
        assert_eq!(c.processes.len(), 1);
        assert!(c.describe().contains("process 9"));
    }
}
