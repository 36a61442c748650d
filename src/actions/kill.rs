//! Signals: a signal to one process, to every process of a container, or SIGKILL to every
//! process of a v2 cgroup (`boxtop kill`, and the dashboard's `k`).

use super::plan::{ActionKind, Plan, Step};
use super::target::{Looked, Target, guard, look};
use crate::kernel::Roots;
use crate::kernel::cgroupfs::write::plan_kill;
use crate::model::Container;
use color_eyre::eyre::{Result, eyre};
use nix::sys::signal::Signal;

/// A signal to the process, or to every process of the container, or SIGKILL to every
/// process of the cgroup (v2 `cgroup.kill`, which also reaches processes forked while it
/// runs, unlike a loop of kill(2)). `force`: the caller acts despite cautions.
pub fn plan_kill_action(
    roots: &Roots,
    target: &Target,
    signal: Signal,
    force: bool,
) -> Result<Plan> {
    let looked = look(roots, target, force)?;
    if let Some(c) = looked.container().cloned() {
        return container_plan(&looked, &c, signal);
    }
    match looked.pid() {
        Some(pid) => {
            let mut plan = looked.plan(ActionKind::Signal);
            plan.steps.push(Step::Signal {
                pid,
                signal,
                start_time: None,
            });
            plan.notes.extend(ns_init_note(&looked, pid, signal));
            Ok(plan)
        }
        None => {
            let target = looked
                .resolve(&["cgroup.kill"])
                .map_err(|e| eyre!("{e} (cgroup.kill is cgroup v2 only, Linux 5.14 and later)"))?;
            let mut plan = looked.plan(ActionKind::KillCgroup);
            plan.target = format!("cgroup {} (v2)", target.path);
            guard(&looked, &target, &mut plan);
            plan.steps.push(Step::Write(plan_kill(&target.dir)));
            Ok(plan)
        }
    }
}

/// pid_namespaces(7): the init of a pid namespace gets, from outside, only the signals it
/// has a handler for, and SIGKILL and SIGSTOP.
fn ns_init_note(looked: &Looked, pid: i32, signal: Signal) -> Option<String> {
    let ns_init = looked
        .snap
        .process(pid)
        .is_some_and(|p| p.nspid.len() > 1 && p.nspid.last() == Some(&1));
    (ns_init && !matches!(signal, Signal::SIGKILL | Signal::SIGSTOP)).then(|| {
        format!(
            "process {pid} is pid 1 of its own pid namespace: the kernel delivers {signal} only \
             if it has a handler for it (SIGKILL and SIGSTOP always); see pid_namespaces(7)"
        )
    })
}

/// SIGKILL to a container with a v2 cgroup of its own that offers `cgroup.kill`: that one
/// write (it reaches processes forked meanwhile too). Any other signal, or no such file:
/// the signal to each member, each re-checked by its identity right before its signal.
fn container_plan(looked: &Looked, c: &Container, signal: Signal) -> Result<Plan> {
    let cgroup_kill = (signal == Signal::SIGKILL)
        .then(|| looked.container_cgroup_offering(2, None, "cgroup.kill"))
        .flatten();
    let mut plan;
    if let Some(t) = cgroup_kill {
        plan = looked.plan(ActionKind::KillCgroup);
        plan.target = format!("{}: cgroup {} (v2)", looked.target_words(), t.path);
        guard(looked, &t, &mut plan);
        plan.steps.push(Step::Write(plan_kill(&t.dir)));
    } else {
        plan = looked.plan(ActionKind::Signal);
        plan.target = match c.pids.len() {
            1 => format!("{}: its process", looked.target_words()),
            n => format!("{}: its {n} processes", looked.target_words()),
        };
        for pid in &c.pids {
            let Some(row) = looked.snap.process(*pid) else {
                continue;
            };
            plan.steps.push(Step::Signal {
                pid: *pid,
                signal,
                start_time: Some(row.start_time_ticks),
            });
        }
        if plan.steps.is_empty() {
            return Err(eyre!("{}: no process to signal", looked.describe()));
        }
        plan.notes.push(
            "each process is checked again by its start time right before its signal; one that \
             has exited since (or whose pid now names another process) is skipped, and said"
                .into(),
        );
        plan.notes.extend(ns_init_note(looked, c.main_pid, signal));
    }
    plan.notes
        .extend(super::runtime_commands::signal(c, signal));
    Ok(plan)
}

/// The signals the dashboard offers, most used first, with what each does.
pub const SIGNALS: &[(Signal, &str)] = &[
    (
        Signal::SIGTERM,
        "ask it to end (it may clean up, or ignore it)",
    ),
    (Signal::SIGINT, "as Ctrl-C in its terminal"),
    (Signal::SIGHUP, "its terminal hung up; daemons often reload"),
    (Signal::SIGKILL, "end it now (cannot be caught)"),
    (Signal::SIGSTOP, "stop it (cannot be caught; CONT resumes)"),
    (Signal::SIGCONT, "resume a stopped process"),
    (Signal::SIGQUIT, "quit with a core dump"),
    (Signal::SIGUSR1, "user-defined 1"),
    (Signal::SIGUSR2, "user-defined 2"),
];

/// `TERM`, `SIGTERM`, `term` or `15`.
pub fn parse_signal(text: &str) -> Result<Signal> {
    let t = text.trim();
    if let Ok(n) = t.parse::<i32>() {
        return Signal::try_from(n).map_err(|_| eyre!("{t}: not a signal number"));
    }
    let upper = t.to_ascii_uppercase();
    let name = if upper.starts_with("SIG") {
        upper
    } else {
        format!("SIG{upper}")
    };
    name.parse::<Signal>()
        .map_err(|_| eyre!("{t}: not a signal name (TERM, KILL, HUP, INT, STOP, CONT, USR1, ...)"))
}
