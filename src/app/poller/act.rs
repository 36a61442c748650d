//! The poller's side of an action: plan it, make it, start a command; every result is sent
//! back stamped with the local time for the event log.

use crate::actions::plan::{Plan, Step};
use crate::app::act::{Outcome, PlanRequest};
use crate::app::update::Msg;
use crate::kernel::Roots;

/// Plans a request (reads only).
pub fn plan(roots: &Roots, req: PlanRequest) -> Msg {
    use crate::actions::{command, freeze, kill, migrate};
    let (action, target) = describe(&req);
    let result = match req {
        PlanRequest::Freeze(args, true) => freeze::plan_freeze_or_alone(roots, &args),
        PlanRequest::Freeze(args, false) => freeze::plan_freeze_action(roots, &args, false),
        PlanRequest::FreezeAlone(pid) => freeze::plan_freeze_alone(roots, pid),
        PlanRequest::Limit(args, limits) => command::plan_limit(roots, &args, limits),
        PlanRequest::Move(pid, dest) => migrate::plan_move(roots, pid, dest.as_deref()),
        PlanRequest::Kill(args, signal) => kill::plan_kill_action(roots, &args, signal),
        PlanRequest::Reread(undo) => Ok(undo.reread()),
        PlanRequest::Unshare(req) => crate::actions::run::plan_unshare(roots, &req),
    };
    Msg::Planned(Outcome {
        time: clock(),
        action,
        target,
        result: result.map_err(|e| e.to_string()),
    })
}

/// Makes a confirmed plan. A plan that starts a command answers with the command's pid,
/// which the dashboard selects when it appears.
pub fn apply(roots: &Roots, plan: Plan) -> Msg {
    let applied = plan.apply(roots);
    if let [Step::Launch { req, .. }] = plan.steps.as_slice() {
        let result = match (applied.launched, applied.error) {
            (Some(pid), _) => Ok(pid),
            (None, e) => Err(e.unwrap_or_else(|| "nothing was started".into())),
        };
        return Msg::Launched(Outcome {
            time: clock(),
            action: "unshare".into(),
            target: req.command.join(" "),
            result,
        });
    }
    // The plan as far as it was made: what undo can put back.
    let made = plan.prefix(applied.steps);
    let result = match applied.error {
        None => Ok(applied.done),
        Some(e) if applied.done.is_empty() => Err(e),
        Some(e) => Err(format!("{}; then failed: {e}", applied.done.join("; "))),
    };
    let out = Outcome {
        time: clock(),
        action: plan.kind.name().to_string(),
        target: plan.target.clone(),
        result,
    };
    Msg::ActionDone(made, out)
}

/// The action's name and target in words, for a refusal in the event log.
fn describe(req: &PlanRequest) -> (String, String) {
    let target = |a: &crate::cli::ActionArgs| match (a.pid, &a.cgroup) {
        (Some(pid), _) => format!("process {pid}"),
        (None, Some(c)) => format!("cgroup {c}"),
        _ => String::new(),
    };
    match req {
        PlanRequest::Freeze(a, true) => ("freeze".into(), target(a)),
        PlanRequest::Freeze(a, false) => ("thaw".into(), target(a)),
        PlanRequest::FreezeAlone(pid) => ("freeze".into(), format!("process {pid}")),
        PlanRequest::Limit(a, _) => ("limit".into(), target(a)),
        PlanRequest::Move(pid, _) => ("move".into(), format!("process {pid}")),
        PlanRequest::Kill(a, s) => (format!("signal {s}"), target(a)),
        PlanRequest::Reread(p) => ("undo".into(), p.target.clone()),
        PlanRequest::Unshare(r) => ("unshare".into(), r.command.join(" ")),
    }
}

/// The local wall-clock time, HH:MM:SS (localtime_r(3); UTC if the zone cannot be read).
fn clock() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let t = libc::time_t::try_from(secs).unwrap_or(0);
    // SAFETY: libc::tm is plain integers and a pointer; all-zero is a valid value of it.
    let mut tm: libc::tm = unsafe { std::mem::zeroed() };
    // SAFETY: localtime_r reads the time_t and writes only into the tm, both ours and alive.
    let ok = unsafe { !libc::localtime_r(&raw const t, &raw mut tm).is_null() };
    if ok {
        format!("{:02}:{:02}:{:02}", tm.tm_hour, tm.tm_min, tm.tm_sec)
    } else {
        let s = secs % 86_400;
        format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    }
}
