//! A planned action: every step it will take (directories to create, files to write with old
//! and new value, a signal), what needs a force, and how to make it.
//!
//! One type serves both faces of an action: the command prints the plan (`--dry-run`) or
//! makes it and prints what it did; the dashboard shows the plan in a window and makes it
//! when `y` is pressed (twice when it has cautions).

mod apply;
mod kernel_errors;

pub use apply::Applied;

use crate::kernel::Roots;
use crate::kernel::cgroupfs::write::PlannedWrite;
use crate::kernel::spawn::SpawnRequest;
use color_eyre::eyre::{Result, bail};
use nix::sys::signal::Signal;
use std::path::PathBuf;

/// What kind of action, for the event log and for undo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionKind {
    Freeze,
    Thaw,
    Limit,
    Move,
    Signal,
    KillCgroup,
    Undo,
    Unshare,
    /// The tour's root directory for chroot (step 5).
    MakeRoot,
}

impl ActionKind {
    pub fn name(self) -> &'static str {
        match self {
            ActionKind::Freeze => "freeze",
            ActionKind::Thaw => "thaw",
            ActionKind::Limit => "limit",
            ActionKind::Move => "move",
            ActionKind::Signal => "signal",
            ActionKind::KillCgroup => "kill",
            ActionKind::Undo => "undo",
            ActionKind::Unshare => "unshare",
            ActionKind::MakeRoot => "make root",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Create a cgroup directory (never with parents: a missing parent is an error).
    Mkdir(PathBuf),
    /// Write a control file.
    Write(PlannedWrite),
    /// Write a pid to a `cgroup.procs` (`dest`: the cgroup, as `snapshot` shows it).
    Move { write: PlannedWrite, dest: String },
    /// Send a signal to one process. `start_time`: the identity of a container's member,
    /// re-checked right before this signal (the plan's `process` is checked once, before the
    /// first step); a member that has exited, or whose pid now names another process, is
    /// skipped and said, and the next is signalled.
    Signal {
        pid: i32,
        signal: Signal,
        start_time: Option<u64>,
    },
    /// Start a command in new namespaces through the helper (`lines`: its steps as text,
    /// read when planned, so that the preview stays pure).
    Launch {
        req: SpawnRequest,
        lines: Vec<String>,
    },
    /// Make a tiny root directory (`kernel::scratch_root`): `dir` must not exist.
    MakeRoot { dir: PathBuf, busybox: PathBuf },
    /// Ask the container's runtime to freeze or thaw it (`argv`, its own command, so that its
    /// record of the state follows), then wait (bounded) for the kernel's effective state in
    /// its freezer, which `write` is the direct form of. A thaw that leaves it frozen (the
    /// runtime refused, or its record did not know of a freeze made behind its back) is made
    /// with `write` as well, and said: the way out must not hang on a runtime's record.
    Runtime {
        argv: Vec<String>,
        write: PlannedWrite,
        dir: PathBuf,
        path: String,
        version: u8,
        freeze: bool,
    },
    /// Write the freezer, then wait (bounded) for the kernel's effective state.
    Freezer {
        write: PlannedWrite,
        dir: PathBuf,
        path: String,
        version: u8,
        freeze: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub kind: ActionKind,
    /// What is acted on, in words: `cgroup /a/b (v2)`, `process 42 (sleep)`.
    pub target: String,
    pub steps: Vec<Step>,
    /// A process whose identity (pid, start time) is re-checked right before the first step.
    pub process: Option<(i32, u64)>,
    /// Why this needs a force (protected target, other processes affected, a limit below
    /// usage). The command refuses without --force; the dashboard asks a second time.
    pub cautions: Vec<String>,
    /// With a freeze of a process that shares its cgroup: how many others share it (the
    /// dashboard then offers to move the process into a cgroup of its own first).
    pub shared_with: usize,
    /// What is worth knowing before confirming, that needs no force.
    pub notes: Vec<String>,
}

impl Plan {
    pub fn new(kind: ActionKind, target: impl Into<String>) -> Plan {
        Plan {
            kind,
            target: target.into(),
            steps: Vec::new(),
            process: None,
            cautions: Vec::new(),
            shared_with: 0,
            notes: Vec::new(),
        }
    }

    /// The process a freeze could take alone instead (`m` in the dashboard's window): set
    /// when the freeze's process shares its cgroup with others.
    pub fn alone_offer(&self) -> Option<super::Target> {
        let (pid, start_time) = self.process?;
        (self.kind == ActionKind::Freeze && self.shared_with > 0)
            .then_some(super::Target::Process { pid, start_time })
    }

    /// One line naming the action and its target.
    pub fn title(&self) -> String {
        let verb = match self.kind {
            ActionKind::Freeze => "Freeze",
            ActionKind::Thaw => "Thaw",
            ActionKind::Limit => "Limit",
            ActionKind::Move => "Move",
            ActionKind::Signal => "Signal",
            ActionKind::KillCgroup => "Kill every process of",
            ActionKind::Undo => "Undo the last limit of",
            ActionKind::Unshare => "Start",
            ActionKind::MakeRoot => "Make a root directory at",
        };
        format!("{verb} {}", self.target)
    }

    /// Each step as "Would ...", followed by the shell line that does the same.
    pub fn preview(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut created = Vec::new();
        for step in &self.steps {
            match step {
                Step::Mkdir(dir) => {
                    out.push(format!("Would create {}", dir.display()));
                    out.push(format!("  mkdir {}", dir.display()));
                    created.push(dir.as_path());
                }
                Step::Write(w) | Step::Freezer { write: w, .. } => {
                    let in_new = w.file.parent().is_some_and(|d| created.contains(&d));
                    let old = match (&w.old, in_new) {
                        (Some(old), _) => old.as_str(),
                        (None, true) => "(new cgroup)",
                        (None, false) => "?",
                    };
                    out.push(format!(
                        "Would write {}: {old} -> {}",
                        w.file.display(),
                        w.new
                    ));
                    out.push(format!("  {}", w.shell_line()));
                }
                Step::Move { write, dest } => {
                    out.push(format!(
                        "Would move process {} to {dest}: {}",
                        write.new,
                        write.file.display()
                    ));
                    out.push(format!("  {}", write.shell_line()));
                }
                Step::Signal { pid, signal, .. } => {
                    out.push(format!("Would send {signal} to process {pid}"));
                    let short = signal.as_str().trim_start_matches("SIG");
                    out.push(format!("  kill -{short} {pid}"));
                }
                Step::Launch { lines, .. } => out.extend(lines.iter().cloned()),
                Step::MakeRoot { dir, busybox } => {
                    let d = dir.display();
                    out.push(format!(
                        "Would create {d} with {} as bin/busybox and bin/{{{}}} linked to it",
                        busybox.display(),
                        crate::kernel::scratch_root::COMMANDS.join(",")
                    ));
                    out.push(format!("  mkdir -p {d}/bin {d}/proc"));
                    out.push(format!("  cp {} {d}/bin/busybox", busybox.display()));
                    for c in crate::kernel::scratch_root::COMMANDS {
                        out.push(format!("  ln -s busybox {d}/bin/{c}"));
                    }
                }
                Step::Runtime { argv, write, .. } => {
                    out.push(format!(
                        "Would run {}, which writes {} -> {} and records it",
                        argv.first().map_or("", String::as_str),
                        write.file.display(),
                        write.new
                    ));
                    let quoted: Vec<String> =
                        argv.iter().map(|a| crate::text::shell_quote(a)).collect();
                    out.push(format!("  {}", quoted.join(" ")));
                }
            }
        }
        out.extend(self.notes.iter().map(|n| format!("Note: {n}")));
        out
    }

    /// The command's rule: a caution refuses the plan unless forced.
    pub fn check_forced(&self, force: bool) -> Result<()> {
        match self.cautions.first() {
            Some(why) if !force => bail!("refused: {why}; add --force to act anyway"),
            _ => Ok(()),
        }
    }

    /// Makes every step in order, after re-checking the process identity; stops at the first
    /// failure. Says what was done (one line each) even when a later step failed: nothing
    /// done is ever left unsaid.
    pub fn apply(&self, roots: &Roots) -> Applied {
        let mut applied = Applied::default();
        if let Some((pid, start)) = self.process
            && crate::kernel::procs::read_start_time(roots, pid).ok() != Some(start)
        {
            applied.error = Some(format!(
                "process {pid} has exited (or its pid was reused) since it was looked up; nothing done"
            ));
            return applied;
        }
        for step in &self.steps {
            match apply::step(roots, step, &mut applied) {
                Ok(()) => applied.steps += 1,
                Err(e) => {
                    applied.error = Some(e.to_string());
                    break;
                }
            }
        }
        applied
    }

    /// The first `n` steps (what an [`Applied`] says was done), for undo.
    pub fn prefix(&self, n: usize) -> Plan {
        let mut p = self.clone();
        p.steps.truncate(n);
        p
    }

    /// The plan that puts back what this one's writes replaced (limits only): the old values,
    /// in reverse order. None when there is nothing to undo or an old value was unknown.
    pub fn undo(&self) -> Option<Plan> {
        if self.kind != ActionKind::Limit && self.kind != ActionKind::Undo {
            return None;
        }
        let mut undo = Plan::new(ActionKind::Undo, self.target.clone());
        for step in self.steps.iter().rev() {
            let Step::Write(w) = step else { return None };
            let old = w.old.clone()?;
            undo.steps.push(Step::Write(PlannedWrite::to(&w.file, old)));
        }
        (!undo.steps.is_empty()).then_some(undo)
    }

    /// The same plan with every old value read again (an undo is confirmed later than it was
    /// planned).
    pub fn reread(&self) -> Plan {
        let mut p = self.clone();
        for step in &mut p.steps {
            if let Step::Write(w) = step {
                *w = PlannedWrite::to(&w.file, w.new.clone());
            }
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limit_plan(dir: &std::path::Path) -> Plan {
        let mut p = Plan::new(ActionKind::Limit, "cgroup /x (v2)");
        p.steps.push(Step::Write(PlannedWrite::to(
            &dir.join("memory.max"),
            "1048576".into(),
        )));
        p.steps.push(Step::Write(PlannedWrite::to(
            &dir.join("pids.max"),
            "5".into(),
        )));
        p
    }

    #[test]
    fn a_limit_is_undone_with_the_old_values_in_reverse_order() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("memory.max"), "max\n").unwrap();
        std::fs::write(d.path().join("pids.max"), "20\n").unwrap();
        let plan = limit_plan(d.path());
        let roots = Roots::live();
        plan.apply(&roots).into_result().unwrap();
        assert_eq!(
            std::fs::read_to_string(d.path().join("memory.max")).unwrap(),
            "1048576"
        );
        let undo = plan.undo().expect("undoable");
        assert_eq!(undo.kind, ActionKind::Undo);
        let news: Vec<_> = undo
            .steps
            .iter()
            .map(|s| match s {
                Step::Write(w) => (w.file.file_name().unwrap().to_owned(), w.new.clone()),
                _ => panic!("only writes"),
            })
            .collect();
        assert_eq!(news[0], ("pids.max".into(), "20".to_string()));
        assert_eq!(news[1], ("memory.max".into(), "max".to_string()));
        // The undo's own old values are what the limit wrote.
        let Step::Write(w) = &undo.steps[1] else {
            panic!()
        };
        assert_eq!(w.old.as_deref(), Some("1048576"));
        undo.apply(&roots).into_result().unwrap();
        assert_eq!(
            std::fs::read_to_string(d.path().join("pids.max")).unwrap(),
            "20"
        );
    }

    #[test]
    fn a_failed_step_stops_the_rest_and_what_was_done_is_said_and_undoable() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("memory.max"), "max\n").unwrap();
        // pids.max is missing: the second write fails (never created: no O_CREAT).
        let plan = limit_plan(d.path());
        let applied = plan.apply(&Roots::live());
        assert_eq!(applied.steps, 1);
        assert_eq!(applied.done.len(), 1);
        assert!(applied.done[0].contains("memory.max: max -> 1048576"));
        assert!(applied.error.as_deref().unwrap_or("").contains("pids.max"));
        assert!(!d.path().join("pids.max").exists());
        let undo = plan.prefix(applied.steps).undo().expect("the first write");
        assert_eq!(undo.steps.len(), 1);
        undo.apply(&Roots::live()).into_result().unwrap();
        assert_eq!(
            std::fs::read_to_string(d.path().join("memory.max")).unwrap(),
            "max"
        );
    }

    #[test]
    fn an_unknown_old_value_cannot_be_undone_and_other_kinds_never() {
        let d = tempfile::tempdir().unwrap();
        // memory.max is missing: its old value is unknown.
        std::fs::write(d.path().join("pids.max"), "20\n").unwrap();
        assert_eq!(limit_plan(d.path()).undo(), None);
        let mut freeze = limit_plan(d.path());
        freeze.kind = ActionKind::Freeze;
        assert_eq!(freeze.undo(), None);
    }

    #[test]
    fn cautions_refuse_the_command_unless_forced() {
        let d = tempfile::tempdir().unwrap();
        let mut p = limit_plan(d.path());
        assert!(p.check_forced(false).is_ok());
        p.cautions.push("the root cgroup is protected".into());
        let e = p.check_forced(false).unwrap_err().to_string();
        assert!(
            e.contains("refused: the root cgroup") && e.contains("--force"),
            "{e}"
        );
        assert!(p.check_forced(true).is_ok());
    }

    #[test]
    fn a_member_whose_identity_changed_is_skipped_and_said_and_the_next_signalled() {
        let roots = Roots::live();
        let mut a = std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .unwrap();
        let mut b = std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .unwrap();
        let pid = |c: &std::process::Child| i32::try_from(c.id()).unwrap();
        let start = |c: &std::process::Child| {
            crate::kernel::procs::read_start_time(&roots, pid(c)).unwrap()
        };
        let mut p = Plan::new(ActionKind::Signal, "lxc container t: its 2 processes");
        // `a` as if its pid had been reused: another start time.
        p.steps.push(Step::Signal {
            pid: pid(&a),
            signal: Signal::SIGKILL,
            start_time: Some(start(&a) + 1),
        });
        p.steps.push(Step::Signal {
            pid: pid(&b),
            signal: Signal::SIGKILL,
            start_time: Some(start(&b)),
        });
        let applied = p.apply(&roots);
        assert_eq!(applied.error, None, "{applied:?}");
        assert_eq!(applied.steps, 2);
        assert!(
            applied.done[0].starts_with(&format!("Skipped process {}", pid(&a))),
            "{applied:?}"
        );
        assert_eq!(
            applied.done[1],
            format!("Sent SIGKILL to process {}", pid(&b))
        );
        let status = b.wait().unwrap();
        assert_eq!(
            std::os::unix::process::ExitStatusExt::signal(&status),
            Some(9)
        );
        assert_eq!(
            a.try_wait().unwrap(),
            None,
            "the skipped one was not signalled"
        );
        a.kill().unwrap();
        a.wait().unwrap();
    }

    #[test]
    fn the_preview_names_every_step_with_its_shell_line() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("pids.max"), "20\n").unwrap();
        let mut p = limit_plan(d.path());
        p.steps.insert(0, Step::Mkdir(d.path().join("boxtop-7")));
        p.steps.push(Step::Signal {
            pid: 7,
            signal: Signal::SIGTERM,
            start_time: None,
        });
        let text = p.preview().join("\n");
        assert!(text.contains("Would create"), "{text}");
        assert!(text.contains("  mkdir "), "{text}");
        assert!(text.contains("pids.max: 20 -> 5"), "{text}");
        assert!(text.contains("memory.max: ? -> 1048576"), "{text}");
        assert!(text.contains("  echo 5 > "), "{text}");
        assert!(text.contains("kill -TERM 7"), "{text}");
    }
}
