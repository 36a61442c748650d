//! The action keys (f F l m k n u) and their windows: a request goes to the poller, which
//! plans it; the plan is shown; `y` makes it (twice for a plan with cautions); the result is
//! said in the status line and the event log. Pure: the poller does every read and write.

use super::dialogs::{self, Form, FormKey, FormKind};
use super::keymap::Command;
use super::panes;
use super::state::{AppState, LogEntry, Overlay, PaneId};
use super::update::Effect;
use crate::actions::limits::LimitRequest;
use crate::actions::plan::Plan;
use crate::actions::{CgroupPath, Target};
use nix::sys::signal::Signal;
use ratatui::crossterm::event::KeyEvent;

/// What the poller is asked to plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanRequest {
    /// Freeze (true) or thaw.
    Freeze(Target, bool),
    /// Move the process into a new cgroup of its own, then freeze that.
    FreezeAlone(Target),
    Limit(Target, LimitRequest),
    /// Move a process to a cgroup, or (None) into a new one of its own.
    Move(Target, Option<CgroupPath>),
    /// A signal to a process, or cgroup.kill of a cgroup.
    Kill(Target, Signal),
    /// An undo: the same writes with the old values read again.
    Reread(Plan),
    /// Start a command in new namespaces (the plan lists the helper's steps).
    Unshare(crate::kernel::spawn::SpawnRequest),
    /// The tour's step 5: make a tiny root directory here (a static busybox as /bin/sh).
    MakeRoot(std::path::PathBuf),
}

/// A result from the poller: when, what was asked, and what happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome<T> {
    /// Local HH:MM:SS.
    pub time: String,
    pub action: String,
    pub target: String,
    pub result: Result<T, String>,
}

/// The target of an action key: the selected cgroup when the Cgroups pane has the focus,
/// else the selected process (by identity). Also says what it is, in words.
fn target(app: &AppState) -> Result<(Target, String), String> {
    let nothing = || "select a process or a cgroup first".to_string();
    if app.focus == PaneId::Containers {
        return container_target(app);
    }
    if app.focus == PaneId::Cgroups {
        let path = panes::cgroups::selected_path(app).ok_or_else(nothing)?;
        let target = Target::Cgroup(CgroupPath::parse(&path)?);
        Ok((target, format!("cgroup {path}")))
    } else {
        let p = app.selected_process().ok_or_else(nothing)?;
        let target = Target::Process {
            pid: p.pid,
            start_time: p.start_time_ticks,
        };
        Ok((target, format!("process {} ({})", p.pid, p.comm)))
    }
}

/// The selected container; on a pod's heading, the pod's cgroup (the parent of its
/// containers' cgroups), so that the pod is acted on whole.
fn container_target(app: &AppState) -> Result<(Target, String), String> {
    use panes::containers::{Row, container_of, selected_row};
    let snap = app
        .snapshot
        .as_deref()
        .ok_or_else(|| "no snapshot yet".to_string())?;
    match selected_row(app) {
        Some(Row::Pod { uid, members, .. }) => {
            let parent = members
                .first()
                .and_then(|i| snap.containers.get(*i))
                .and_then(|c| c.cgroup.as_deref())
                .and_then(|p| p.rsplit_once('/'))
                .map(|(parent, _)| parent.to_string())
                .filter(|p| !p.is_empty())
                .ok_or_else(|| format!("pod {uid}: its cgroup is not known"))?;
            let target = Target::Cgroup(CgroupPath::parse(&parent)?);
            Ok((target, format!("pod {uid} (cgroup {parent})")))
        }
        Some(row) => {
            let c = container_of(snap, row).ok_or_else(|| "that container is gone".to_string())?;
            let target = Target::Container {
                runtime: c.runtime,
                id: c.id.clone(),
                name: c.name.clone(),
            };
            let what = target.describe();
            Ok((target, what))
        }
        None => Err("select a container first".to_string()),
    }
}

/// `f F l m k n u`.
pub fn start(app: &mut AppState, cmd: Command) -> Vec<Effect> {
    if let Some(refused) = super::replay_keys::refusal(app) {
        app.status = Some(refused);
        return Vec::new();
    }
    if app.readonly {
        app.status = Some("--readonly: actions are disabled".into());
        return Vec::new();
    }
    if cmd == Command::Unshare {
        app.overlay = Overlay::Form(dialogs::unshare_form());
        return Vec::new();
    }
    if cmd == Command::Undo {
        let Some(undo) = app.undo.clone() else {
            app.status = Some("nothing to undo: u puts back the last limit changed".into());
            return Vec::new();
        };
        app.status = Some("planning the undo …".into());
        return vec![Effect::Plan(PlanRequest::Reread(undo))];
    }
    let (target, what) = match target(app) {
        Ok(found) => found,
        Err(why) => {
            app.status = Some(why);
            return Vec::new();
        }
    };
    match cmd {
        Command::Freeze | Command::Thaw => {
            let freeze = cmd == Command::Freeze;
            app.status = Some(
                if freeze {
                    "planning a freeze …"
                } else {
                    "planning a thaw …"
                }
                .into(),
            );
            vec![Effect::Plan(PlanRequest::Freeze(target, freeze))]
        }
        Command::Limit => {
            let snap = app.snapshot.clone();
            app.overlay = Overlay::Form(dialogs::limit_form(target, &what, snap.as_deref()));
            Vec::new()
        }
        Command::Move => {
            if target.pid().is_none() {
                app.status = Some("m moves a process: select one in the process table".into());
                return Vec::new();
            }
            let current = app.selected_process().map(|p| p.main_cgroup().to_string());
            app.overlay = Overlay::Form(dialogs::move_form(target, &what, current.as_deref()));
            Vec::new()
        }
        Command::Signal => {
            app.overlay = Overlay::Signals {
                target,
                what,
                cursor: 0,
            };
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// Keys in the confirmation window: `y` makes the plan (a plan with cautions asks again
/// first), `m` on a shared-cgroup freeze moves the process first, anything else cancels.
pub fn confirm_key(app: &mut AppState, cmd: Command) -> Vec<Effect> {
    let Overlay::Confirm {
        plan,
        asked_again,
        scroll,
    } = &mut app.overlay
    else {
        return Vec::new();
    };
    // The view stops at the plan's last row; this bound (every line wrapped at the narrowest
    // window) only keeps the count from running away.
    let most = || {
        plan.preview()
            .iter()
            .map(|l| l.chars().count() / 18 + 1)
            .sum::<usize>()
    };
    match cmd {
        Command::Up | Command::ScrollUp { .. } => *scroll = scroll.saturating_sub(1),
        Command::Down | Command::ScrollDown { .. } => *scroll = (*scroll + 1).min(most()),
        Command::PageUp => *scroll = scroll.saturating_sub(10),
        Command::PageDown => *scroll = (*scroll + 10).min(most()),
        Command::Home => *scroll = 0,
        Command::Confirm if !plan.cautions.is_empty() && !*asked_again => *asked_again = true,
        _ => return decide(app, cmd),
    }
    Vec::new()
}

/// `y`, `m` or cancel in the confirmation window.
fn decide(app: &mut AppState, cmd: Command) -> Vec<Effect> {
    let Overlay::Confirm { plan, .. } = std::mem::replace(&mut app.overlay, Overlay::None) else {
        return Vec::new();
    };
    match (cmd, plan.alone_offer()) {
        (Command::Confirm, _) => {
            app.status = Some(format!("{} …", plan.title()));
            vec![Effect::Apply(plan)]
        }
        (Command::Move, Some(alone)) => {
            app.status = Some("planning a cgroup of its own …".into());
            vec![Effect::Plan(PlanRequest::FreezeAlone(alone))]
        }
        _ => {
            app.status = Some("cancelled: nothing written".into());
            // A tour demo's launch that will not come.
            if let Some(tour) = app.tour.as_mut() {
                tour.demos.launching = None;
            }
            Vec::new()
        }
    }
}

/// Keys in the signal list: Up/Down pick, Enter (or `y`) asks the poller to plan it.
pub fn signals_key(app: &mut AppState, cmd: Command) -> Vec<Effect> {
    let Overlay::Signals { target, cursor, .. } = &mut app.overlay else {
        return Vec::new();
    };
    let n = signal_choices(target).len();
    match cmd {
        Command::Up => *cursor = cursor.saturating_sub(1),
        Command::Down => *cursor = (*cursor + 1).min(n.saturating_sub(1)),
        Command::Home => *cursor = 0,
        Command::End => *cursor = n.saturating_sub(1),
        Command::Enter | Command::Confirm => {
            let target = target.clone();
            let Some((signal, _)) = signal_choices(&target).get(*cursor).copied() else {
                return Vec::new();
            };
            app.overlay = Overlay::None;
            app.status = Some("planning …".into());
            return vec![Effect::Plan(PlanRequest::Kill(target, signal))];
        }
        _ => {
            app.overlay = Overlay::None;
            app.status = Some("cancelled: nothing sent".into());
        }
    }
    Vec::new()
}

/// The list `k` offers: signals for a process, and for a container (to every member); for a
/// cgroup, cgroup.kill (SIGKILL to all).
pub fn signal_choices(target: &Target) -> &'static [(Signal, &'static str)] {
    const CGROUP: &[(Signal, &str)] = &[(
        Signal::SIGKILL,
        "cgroup.kill: SIGKILL every process in it and below (v2)",
    )];
    match target {
        Target::Process { .. } | Target::Container { .. } => crate::actions::kill::SIGNALS,
        Target::Cgroup(_) => CGROUP,
    }
}

/// A key while a form is open.
pub fn form_key(app: &mut AppState, key: KeyEvent) -> Vec<Effect> {
    let Overlay::Form(form) = &mut app.overlay else {
        return Vec::new();
    };
    match form.key(key) {
        FormKey::Editing => Vec::new(),
        FormKey::Cancel => {
            app.overlay = Overlay::None;
            app.status = Some("cancelled: nothing written".into());
            Vec::new()
        }
        FormKey::Submit => match submit(form) {
            Ok(effect) => {
                app.overlay = Overlay::None;
                app.status = Some("planning …".into());
                vec![effect]
            }
            Err(why) => {
                form.error = Some(why);
                Vec::new()
            }
        },
    }
}

/// A filled form as a request, or why it cannot be (the form stays open to fix it).
fn submit(form: &Form) -> Result<Effect, String> {
    match &form.kind {
        FormKind::Limit(target) => {
            let text = |l| Some(form.text(l));
            let req = LimitRequest::parse(
                text("memory"),
                text("memory high"),
                text("cpu"),
                text("pids"),
            )?;
            Ok(Effect::Plan(PlanRequest::Limit(target.clone(), req)))
        }
        FormKind::Move(target) => {
            let dest = form.text("destination").trim();
            if !dest.is_empty() && !dest.starts_with('/') {
                return Err(format!(
                    "{dest}: a cgroup path starts with / (as the Cgroups pane shows it)"
                ));
            }
            let dest = match dest {
                "" => None,
                given => Some(CgroupPath::parse(given)?),
            };
            Ok(Effect::Plan(PlanRequest::Move(target.clone(), dest)))
        }
        FormKind::Unshare => {
            dialogs::unshare_request(form).map(|r| Effect::Plan(PlanRequest::Unshare(r)))
        }
    }
}

/// The poller's plan: shown for confirmation; a refusal is said and logged.
pub fn planned(app: &mut AppState, out: Outcome<Plan>) {
    match out.result {
        Ok(plan) => {
            app.overlay = Overlay::Confirm {
                plan,
                asked_again: false,
                scroll: 0,
            };
            app.status = None;
        }
        Err(why) => log(app, &out.time, &out.action, &out.target, Err(why)),
    }
}

/// What a plan did (`plan`: the steps that were made, even if a later one failed). A limit
/// can then be undone with `u`.
pub fn done(app: &mut AppState, plan: &Plan, out: Outcome<Vec<String>>) {
    if let Some(undo) = plan.undo() {
        app.undo = Some(undo);
    }
    let result = out.result.map(|lines| lines.join("; "));
    log(app, &out.time, &out.action, &out.target, result);
}

/// A command started in new namespaces: selected as soon as a snapshot shows it.
pub fn launched(app: &mut AppState, out: Outcome<i32>) {
    if let Ok(pid) = out.result {
        app.select_when_seen = Some(pid);
    }
    let result = out.result.map(|pid| format!("started as pid {pid}"));
    log(app, &out.time, &out.action, &out.target, result);
}

/// Status line and timeline.
fn log(app: &mut AppState, time: &str, action: &str, target: &str, result: Result<String, String>) {
    let (ok, text) = match result {
        Ok(t) => (true, t),
        Err(t) => (false, t),
    };
    app.status = Some(text.rsplit("; ").next().unwrap_or(&text).to_string());
    app.timeline.push([crate::app::timeline::Entry {
        time: time.to_string(),
        item: crate::app::timeline::Item::Action(LogEntry {
            action: action.to_string(),
            target: target.to_string(),
            result: text,
            ok,
        }),
    }]);
    app.timeline.shown = true;
    crate::app::geometry::apply_layout(app);
}
