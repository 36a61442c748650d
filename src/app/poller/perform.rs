//! The poller's side of an action: plan it, make it, start a command; every result is sent
//! back stamped with the local time for the event log.

use crate::actions::plan::{Plan, Step};
use crate::app::action_keys::{Outcome, PlanRequest};
use crate::app::update::Msg;
use crate::kernel::Roots;
use crate::kernel::clock::local_hms as clock;

/// Plans a request (reads only). The dashboard never forces: a plan with cautions is
/// confirmed twice instead.
pub fn plan(roots: &Roots, req: PlanRequest) -> Msg {
    use crate::actions::{freeze, kill, migrate, set_limits, unshare};
    let (action, target) = describe(&req);
    let result = match req {
        PlanRequest::Freeze(t, true) => freeze::plan_freeze_or_alone(roots, &t),
        PlanRequest::Freeze(t, false) => freeze::plan_freeze_action(roots, &t, false, false),
        PlanRequest::FreezeAlone(t) => freeze::plan_freeze_alone(roots, &t),
        PlanRequest::Limit(t, limits) => set_limits::plan_limit(roots, &t, limits, false),
        PlanRequest::Move(t, dest) => migrate::plan_move(roots, &t, dest.as_ref(), false),
        PlanRequest::Kill(t, signal) => kill::plan_kill_action(roots, &t, signal, false),
        PlanRequest::Reread(undo) => Ok(undo.reread()),
        PlanRequest::Unshare(req) => unshare::plan_unshare(roots, &req),
        PlanRequest::MakeRoot(dir) => crate::actions::scratch_root::plan_make_root(&dir),
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
    match req {
        PlanRequest::Freeze(t, true) | PlanRequest::FreezeAlone(t) => {
            ("freeze".into(), t.describe())
        }
        PlanRequest::Freeze(t, false) => ("thaw".into(), t.describe()),
        PlanRequest::Limit(t, _) => ("limit".into(), t.describe()),
        PlanRequest::Move(t, _) => ("move".into(), t.describe()),
        PlanRequest::Kill(t, s) => (format!("signal {s}"), t.describe()),
        PlanRequest::Reread(p) => ("undo".into(), p.target.clone()),
        PlanRequest::Unshare(r) => ("unshare".into(), r.command.join(" ")),
        PlanRequest::MakeRoot(d) => ("make root".into(), d.display().to_string()),
    }
}
