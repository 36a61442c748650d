//! The action keys and windows, on the pure-v2 fixture host: key in, request out; the
//! poller's own planning code (`app::poller::perform`) makes the plans from the fixture, which
//! is only read (writes are tested on the tests' own cgroups in actions_kernel.rs).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

#[path = "support/ui.rs"]
mod ui;

use boxtop::actions::limits::LimitRequest;
use boxtop::actions::plan::{ActionKind, Plan, Step};
use boxtop::actions::{CgroupPath, Target};
use boxtop::app::action_keys::{Outcome, PlanRequest};
use boxtop::app::poller::perform as poller;
use boxtop::app::state::{AppState, Overlay, PaneId};
use boxtop::app::update::{Effect, Msg, update};
use boxtop::model::{Limit, NsKind};
use nix::sys::signal::Signal;
use ratatui::crossterm::event::KeyCode;

const LIMITED: &str = "/system.slice/limited.service";

/// The actions in the timeline, oldest first.
fn actions(app: &AppState) -> Vec<boxtop::app::state::LogEntry> {
    let mut out: Vec<_> = app
        .timeline
        .visible()
        .into_iter()
        .filter_map(|e| match &e.item {
            boxtop::app::timeline::Item::Action(a) => Some(a.clone()),
            boxtop::app::timeline::Item::Kernel(_) => None,
        })
        .collect();
    out.reverse();
    out
}

fn cgroup_args(path: &str) -> Target {
    Target::cgroup(path).expect("a valid cgroup path")
}

/// A process of the fixture host, by identity (its start time as the fixture's stat says).
fn process(pid: i32) -> Target {
    let app = ui::fixture_app();
    let p = app
        .snapshot
        .as_ref()
        .and_then(|s| s.process(pid))
        .expect("a process of the fixture");
    Target::Process {
        pid,
        start_time: p.start_time_ticks,
    }
}

/// The text inside the window that shows `marker`, its rows joined by spaces: the columns
/// between the borders left and right of the marker, so that a line the window wrapped
/// reads as one.
fn window_text(screen: &str, marker: &str) -> String {
    let rows: Vec<Vec<char>> = screen.lines().map(|l| l.chars().collect()).collect();
    let Some((row, col)) = rows.iter().enumerate().find_map(|(r, l)| {
        let text: String = l.iter().collect();
        let byte = text.find(marker)?;
        Some((r, text[..byte].chars().count()))
    }) else {
        return String::new();
    };
    let line = &rows[row];
    let left = line[..col].iter().rposition(|c| *c == '│').unwrap_or(0);
    let right = line[col..]
        .iter()
        .position(|c| *c == '│')
        .map_or(line.len(), |p| col + p);
    let band: Vec<String> = rows
        .iter()
        .map(|l| {
            let end = right.min(l.len());
            let start = (left + 1).min(end);
            l[start..end].iter().collect::<String>().trim().to_string()
        })
        .collect();
    band.join(" ")
}

/// What the poller answers to a request, made from the fixture host.
fn plan_on_fixture(req: PlanRequest) -> Msg {
    poller::plan(&ui::fixture_roots("cgroup-v2"), req)
}

fn confirm_plan(app: &AppState) -> (Plan, bool) {
    match &app.overlay {
        Overlay::Confirm {
            plan, asked_again, ..
        } => (plan.clone(), *asked_again),
        other => panic!("expected the confirmation, got {other:?}"),
    }
}

fn done(plan: Plan, result: Result<Vec<String>, String>) -> Msg {
    Msg::ActionDone(
        plan.clone(),
        Outcome {
            time: "12:00:00".into(),
            action: plan.kind.name().into(),
            target: plan.target.clone(),
            result,
        },
    )
}

#[test]
fn freeze_is_planned_shown_and_made_only_on_y() {
    let mut app = ui::fixture_app();
    let e = ui::key(&mut app, KeyCode::Char('f'));
    assert_eq!(
        e,
        vec![Effect::Plan(PlanRequest::Freeze(process(402), true))]
    );
    let msg = plan_on_fixture(PlanRequest::Freeze(
        cgroup_args("/system.slice/cron.service"),
        true,
    ));
    update(&mut app, msg.clone());
    let (plan, _) = confirm_plan(&app);
    assert!(plan.cautions.is_empty(), "{:?}", plan.cautions);
    let text = ui::render(&app);
    // The file's path is the fixture's absolute path, as long as the checkout's: where the
    // window wraps it depends on where the repository is. Read the window as one text.
    let flat = window_text(&text, "Will write");
    assert!(
        flat.contains("Will write") && flat.contains("cgroup.freeze: 0"),
        "{text}"
    );
    assert!(flat.contains("echo 1 >"), "{text}");
    // Up and Down scroll a long plan; they do not cancel it.
    ui::key(&mut app, KeyCode::Down);
    assert!(matches!(app.overlay, Overlay::Confirm { scroll: 1, .. }));
    ui::key(&mut app, KeyCode::Up);
    // Esc cancels: nothing is asked of the poller.
    assert!(ui::key(&mut app, KeyCode::Esc).is_empty());
    assert_eq!(app.overlay, Overlay::None);
    assert!(app.status.as_deref().unwrap_or("").contains("cancelled"));
    // y makes it, once.
    update(&mut app, msg);
    assert_eq!(
        ui::key(&mut app, KeyCode::Char('y')),
        vec![Effect::Apply(plan.clone())]
    );
    update(
        &mut app,
        done(
            plan,
            Ok(vec![
                "Wrote x: 0 -> 1".into(),
                "/system.slice/cron.service: frozen".into(),
            ]),
        ),
    );
    assert_eq!(
        app.status.as_deref(),
        Some("/system.slice/cron.service: frozen")
    );
    assert_eq!(actions(&app).len(), 1);
    assert!(
        app.undo.is_none(),
        "a freeze is not undone with u (F thaws)"
    );
}

#[test]
fn a_protected_target_asks_twice_and_a_refusal_is_logged() {
    let mut app = ui::fixture_app();
    // The root cgroup is protected: the plan carries the caution.
    update(
        &mut app,
        plan_on_fixture(PlanRequest::Limit(
            cgroup_args("/"),
            LimitRequest {
                pids: Some(Limit::Value(100)),
                ..Default::default()
            },
        )),
    );
    // (The v2 root has no pids.max either: the refusal is what is said.)
    assert_eq!(app.overlay, Overlay::None);
    assert_eq!(actions(&app).len(), 1);
    assert!(!actions(&app)[0].ok);
    assert!(
        actions(&app)[0].result.contains("refused: the root cgroup"),
        "{:?}",
        actions(&app)
    );
    // A limit below usage (384 MiB used, 64 MiB asked) is a caution.
    update(
        &mut app,
        plan_on_fixture(PlanRequest::Limit(
            cgroup_args(LIMITED),
            LimitRequest {
                memory: Some(Limit::Value(64 << 20)),
                ..Default::default()
            },
        )),
    );
    let (plan, asked) = confirm_plan(&app);
    assert!(!asked);
    assert!(
        plan.cautions[0].contains("more than the new limit"),
        "{:?}",
        plan.cautions
    );
    let text = ui::render(&app);
    assert!(
        text.contains("Caution:") && text.contains("asks again"),
        "{text}"
    );
    // On the smallest terminal boxtop draws on, the plan overflows the window (the
    // fixture's deep paths wrap, more in a deeper checkout): the caution and the keys stay
    // in sight, the plan scrolls above them.
    let size = app.size;
    update(&mut app, Msg::Resize(60, 15));
    let small = ui::render(&app);
    assert!(
        small.contains("Caution:") && small.contains("asks again") && small.contains("Esc"),
        "{small}"
    );
    update(&mut app, Msg::Resize(size.0, size.1));
    // The first y only asks again; the second makes it.
    assert!(ui::key(&mut app, KeyCode::Char('y')).is_empty());
    assert!(confirm_plan(&app).1);
    assert!(ui::render(&app).contains("--force"));
    assert_eq!(
        ui::key(&mut app, KeyCode::Char('y')),
        vec![Effect::Apply(plan)]
    );
    // Esc at the second question backs out too.
    update(
        &mut app,
        // pid 1's cgroup, as /proc/1/cgroup of the fixture says.
        plan_on_fixture(PlanRequest::Freeze(
            cgroup_args("/user.slice/user-1000.slice/session-2.scope"),
            true,
        )),
    );
    let (plan, _) = confirm_plan(&app);
    assert!(
        plan.cautions.iter().any(|c| c.contains("holds pid 1")),
        "{:?}",
        plan.cautions
    );
    ui::key(&mut app, KeyCode::Char('y'));
    assert!(ui::key(&mut app, KeyCode::Esc).is_empty());
    assert_eq!(app.overlay, Overlay::None);
}

#[test]
fn freezing_a_process_that_shares_its_cgroup_offers_to_move_it_first() {
    let mut app = ui::fixture_app();
    // 402 shares session-2.scope with 1500 and 1501.
    update(
        &mut app,
        plan_on_fixture(PlanRequest::Freeze(process(402), true)),
    );
    let (plan, _) = confirm_plan(&app);
    assert_eq!(plan.shared_with, 2);
    assert!(ui::render(&app).contains("move it into a cgroup of its own first"));
    assert_eq!(
        ui::key(&mut app, KeyCode::Char('m')),
        vec![Effect::Plan(PlanRequest::FreezeAlone(process(402)))]
    );
    // The poller's plan: create boxtop-900 beside it, move 900 there, freeze that.
    update(
        &mut app,
        plan_on_fixture(PlanRequest::FreezeAlone(process(402))),
    );
    let (plan, _) = confirm_plan(&app);
    assert!(plan.cautions.is_empty(), "{:?}", plan.cautions);
    let kinds: Vec<&str> = plan
        .steps
        .iter()
        .map(|s| match s {
            Step::Mkdir(_) => "mkdir",
            Step::Move { .. } => "move",
            Step::Freezer { .. } => "freeze",
            _ => "other",
        })
        .collect();
    assert_eq!(kinds, ["mkdir", "move", "freeze"]);
    let text = plan.preview().join("\n");
    assert!(text.contains("session-2.scope/boxtop-402"), "{text}");
    assert!(text.contains("echo 402 >"), "{text}");
}

#[test]
fn the_limit_form_parses_before_asking_and_keeps_bad_input() {
    let mut app = ui::fixture_app();
    app.focus = PaneId::Processes;
    ui::key(&mut app, KeyCode::Char('l'));
    assert!(matches!(app.overlay, Overlay::Form(_)));
    let text = ui::render(&app);
    assert!(
        text.contains("Limit process 402") && text.contains("memory high"),
        "{text}"
    );
    // A bad size is said in the form, which stays open with what was typed.
    ui::chars(&mut app, "12Q");
    assert!(ui::key(&mut app, KeyCode::Enter).is_empty());
    let Overlay::Form(form) = &app.overlay else {
        panic!("the form stays open")
    };
    assert!(
        form.error.as_deref().unwrap_or("").contains("unknown unit"),
        "{form:?}"
    );
    assert!(ui::render(&app).contains("unknown unit"));
    for _ in 0..3 {
        ui::key(&mut app, KeyCode::Backspace);
    }
    ui::chars(&mut app, "64M");
    ui::key(&mut app, KeyCode::Tab);
    ui::key(&mut app, KeyCode::Tab);
    ui::key(&mut app, KeyCode::Tab);
    ui::chars(&mut app, "max");
    let e = ui::key(&mut app, KeyCode::Enter);
    assert_eq!(
        e,
        vec![Effect::Plan(PlanRequest::Limit(
            process(402),
            LimitRequest {
                memory: Some(Limit::Value(64 << 20)),
                pids: Some(Limit::Max),
                ..Default::default()
            }
        ))]
    );
    assert_eq!(app.overlay, Overlay::None);
    // An empty form is nothing to set.
    ui::key(&mut app, KeyCode::Char('l'));
    ui::key(&mut app, KeyCode::Enter);
    let Overlay::Form(form) = &app.overlay else {
        panic!()
    };
    assert!(
        form.error
            .as_deref()
            .unwrap_or("")
            .contains("nothing to set")
    );
}

#[test]
fn u_undoes_the_last_limit_with_the_old_values() {
    let mut app = ui::fixture_app();
    assert!(ui::key(&mut app, KeyCode::Char('u')).is_empty());
    assert!(
        app.status
            .as_deref()
            .unwrap_or("")
            .contains("nothing to undo")
    );
    let Msg::Planned(Outcome {
        result: Ok(plan), ..
    }) = plan_on_fixture(PlanRequest::Limit(
        cgroup_args(LIMITED),
        LimitRequest {
            pids: Some(Limit::Value(10)),
            cpu: Some(boxtop::actions::limits::parse_cpu("0.25").unwrap()),
            ..Default::default()
        },
    ))
    else {
        panic!("plan")
    };
    let preview = plan.preview().join("\n");
    assert!(preview.contains("pids.max: 64 -> 10"), "{preview}");
    assert!(
        preview.contains("cpu.max: 50000 100000 -> 25000 100000"),
        "{preview}"
    );
    update(&mut app, done(plan.clone(), Ok(vec!["Wrote …".into()])));
    let undo = app.undo.clone().expect("a limit can be undone");
    assert_eq!(undo.kind, ActionKind::Undo);
    assert_eq!(
        ui::key(&mut app, KeyCode::Char('u')),
        vec![Effect::Plan(PlanRequest::Reread(undo.clone()))]
    );
    let news: Vec<String> = undo
        .steps
        .iter()
        .filter_map(|s| match s {
            Step::Write(w) => Some(w.new.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(news, ["64", "50000 100000"], "old values, in reverse order");
    // A limit that failed at its first write leaves nothing new to undo (the poller sends
    // the plan as far as it was made).
    app.undo = None;
    update(&mut app, done(plan.prefix(0), Err("EBUSY".into())));
    assert!(app.undo.is_none());
    // One that failed at its second: the first write can be undone.
    update(&mut app, done(plan.prefix(1), Err("EBUSY".into())));
    assert_eq!(app.undo.as_ref().map(|u| u.steps.len()), Some(1));
}

#[test]
fn k_picks_a_signal_and_on_a_cgroup_offers_cgroup_kill() {
    let mut app = ui::fixture_app();
    ui::key(&mut app, KeyCode::Char('k'));
    let text = ui::render(&app);
    assert!(
        text.contains("SIGTERM") && text.contains("SIGKILL"),
        "{text}"
    );
    ui::key(&mut app, KeyCode::Down);
    let e = ui::key(&mut app, KeyCode::Enter);
    let args = process(402);
    assert_eq!(
        e,
        vec![Effect::Plan(PlanRequest::Kill(
            args.clone(),
            Signal::SIGINT
        ))]
    );
    update(
        &mut app,
        plan_on_fixture(PlanRequest::Kill(args, Signal::SIGINT)),
    );
    assert!(ui::render(&app).contains("kill -INT 402"));
    ui::key(&mut app, KeyCode::Esc);
    // On a cgroup: cgroup.kill only.
    let args = cgroup_args(LIMITED);
    update(
        &mut app,
        plan_on_fixture(PlanRequest::Kill(args, Signal::SIGKILL)),
    );
    let (plan, _) = confirm_plan(&app);
    assert_eq!(plan.kind, ActionKind::KillCgroup);
    assert!(plan.preview().join("\n").contains("cgroup.kill"));
}

#[test]
fn the_timeline_shows_time_action_target_and_result() {
    let mut app = ui::fixture_app();
    assert!(!ui::render(&app).contains("6 Events"));
    update(
        &mut app,
        plan_on_fixture(PlanRequest::Freeze(cgroup_args("/no/such"), true)),
    );
    let text = ui::render(&app);
    assert!(text.contains("6 Events 1 · since"), "{text}");
    let line = text
        .lines()
        .find(|l| l.contains("freeze "))
        .expect("event line");
    assert!(
        line.contains(':') && line.contains("cgroup /no/such") && line.contains("failed"),
        "{line}"
    );
    ui::key(&mut app, KeyCode::Char('L'));
    assert!(!ui::render(&app).contains("6 Events"));
}

#[test]
fn n_fills_an_unshare_request_and_selects_the_new_process() {
    let mut app = ui::fixture_app();
    ui::key(&mut app, KeyCode::Char('n'));
    let text = ui::render(&app);
    assert!(
        text.contains("CLONE_NEWPID") && text.contains("CLONE_NEWNET"),
        "{text}"
    );
    let e = ui::key(&mut app, KeyCode::Enter);
    let [Effect::Plan(PlanRequest::Unshare(req))] = e.as_slice() else {
        panic!("{e:?}")
    };
    // The five ticked boxes, in the order `boxtop run --unshare` lists them (the same
    // request either way).
    assert_eq!(
        req.namespaces,
        [
            NsKind::Pid,
            NsKind::Net,
            NsKind::Uts,
            NsKind::Ipc,
            NsKind::Mnt
        ]
    );
    assert_eq!(req.hostname.as_deref(), Some("boxtop-demo"));
    assert_eq!(req.command, ["sleep", "300"]);
    // The poller's plan lists the helper's steps with their shell lines; y starts it.
    update(&mut app, plan_on_fixture(PlanRequest::Unshare(req.clone())));
    let (plan, _) = confirm_plan(&app);
    let text = ui::render(&app);
    assert!(text.contains("Start sleep 300 in new"), "{text}");
    assert!(
        text.contains("unshare(CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC |"),
        "{text}"
    );
    assert!(text.contains("hostname boxtop-demo"), "{text}");
    assert_eq!(
        ui::key(&mut app, KeyCode::Char('y')),
        vec![Effect::Apply(plan)]
    );
    // An empty command is refused in the form.
    ui::key(&mut app, KeyCode::Char('n'));
    ui::key(&mut app, KeyCode::Up); // the last field: the command
    for _ in 0.."sleep 300".len() {
        ui::key(&mut app, KeyCode::Backspace);
    }
    assert!(ui::key(&mut app, KeyCode::Enter).is_empty());
    assert!(matches!(&app.overlay, Overlay::Form(f) if f.error.is_some()));
    ui::key(&mut app, KeyCode::Esc);
    // The launcher's answer: the pid is selected when a snapshot shows it (403 here).
    update(
        &mut app,
        Msg::Launched(Outcome {
            time: "12:00:00".into(),
            action: "unshare".into(),
            target: "sleep 300".into(),
            result: Ok(403),
        }),
    );
    assert_eq!(app.select_when_seen, Some(403));
    let snap = app.snapshot.clone().unwrap();
    let e = update(&mut app, Msg::Snapshot(snap));
    assert_eq!(app.processes.selected.map(|s| s.0), Some(403));
    assert!(
        e.iter()
            .any(|e| matches!(e, Effect::Select(Some((403, _)))))
    );
    assert!(actions(&app).last().unwrap().result.contains("pid 403"));
    // A command that ended at once (not in the snapshot after its launch) is said so, and
    // its pid is not waited for.
    update(
        &mut app,
        Msg::Launched(Outcome {
            time: "12:00:01".into(),
            action: "unshare".into(),
            target: "true".into(),
            result: Ok(99_999),
        }),
    );
    let snap = app.snapshot.clone().unwrap();
    update(&mut app, Msg::Snapshot(snap));
    assert_eq!(app.select_when_seen, None);
    assert!(
        app.status
            .as_deref()
            .unwrap_or("")
            .contains("already exited")
    );
    assert_eq!(app.processes.selected.map(|s| s.0), Some(403));
}

#[test]
fn readonly_refuses_every_action_key() {
    let mut app = ui::fixture_app();
    app.readonly = true;
    for c in ['f', 'F', 'l', 'm', 'k', 'n', 'u'] {
        assert!(ui::key(&mut app, KeyCode::Char(c)).is_empty(), "{c}");
        assert_eq!(app.overlay, Overlay::None, "{c}");
        assert!(app.status.as_deref().unwrap_or("").contains("readonly"));
    }
}

/// Moves the cgroup pane's cursor onto `path` (pressing Down, as a person would).
fn cgroup_cursor_to(app: &mut AppState, path: &str) {
    ui::key(app, KeyCode::Char('4'));
    ui::key(app, KeyCode::Home);
    for _ in 0..200 {
        if boxtop::app::panes::cgroups::selected_path(app).as_deref() == Some(path) {
            return;
        }
        ui::key(app, KeyCode::Down);
    }
    panic!("{path} not reached in the cgroup pane");
}

#[test]
fn on_the_cgroup_pane_l_limits_the_selected_cgroup_and_says_what_is_set() {
    let mut app = ui::fixture_app();
    cgroup_cursor_to(&mut app, LIMITED);
    ui::key(&mut app, KeyCode::Char('l'));
    let Overlay::Form(form) = &app.overlay else {
        panic!("the limit form")
    };
    assert_eq!(
        form.kind,
        boxtop::app::dialogs::FormKind::Limit(cgroup_args(LIMITED))
    );
    // What the fixture's limited.service has: memory.max 512 MiB, cpu 0.5, pids 64.
    let hints: Vec<&str> = form.fields.iter().map(|f| f.hint.as_str()).collect();
    assert!(hints[0].starts_with("now 512.0 MiB"), "{hints:?}");
    assert!(
        hints[2].starts_with("now 0.50 CPUs (50000/100000)"),
        "{hints:?}"
    );
    assert!(hints[3].starts_with("now 64"), "{hints:?}");
    let text = ui::render(&app);
    assert!(
        text.contains("Limit cgroup /system.slice/limited.service"),
        "{text}"
    );
}

#[test]
fn m_asks_for_a_destination_or_none_for_a_cgroup_of_its_own() {
    let mut app = ui::fixture_app();
    ui::key(&mut app, KeyCode::Char('m'));
    assert!(ui::render(&app).contains("boxtop-402"));
    // Empty: a new cgroup of its own.
    assert_eq!(
        ui::key(&mut app, KeyCode::Enter),
        vec![Effect::Plan(PlanRequest::Move(process(402), None))]
    );
    // A path without its leading slash is refused in the form.
    ui::key(&mut app, KeyCode::Char('m'));
    ui::chars(&mut app, "system.slice");
    assert!(ui::key(&mut app, KeyCode::Enter).is_empty());
    assert!(
        matches!(&app.overlay, Overlay::Form(f) if f.error.as_deref().unwrap_or("").contains("starts with /"))
    );
    for _ in 0.."system.slice".len() {
        ui::key(&mut app, KeyCode::Backspace);
    }
    ui::chars(&mut app, "/system.slice/cron.service");
    let e = ui::key(&mut app, KeyCode::Enter);
    assert_eq!(
        e,
        vec![Effect::Plan(PlanRequest::Move(
            process(402),
            Some(CgroupPath::parse("/system.slice/cron.service").unwrap())
        ))]
    );
    // On the cgroup pane, m is for a process only.
    cgroup_cursor_to(&mut app, LIMITED);
    assert!(ui::key(&mut app, KeyCode::Char('m')).is_empty());
    assert!(
        app.status
            .as_deref()
            .unwrap_or("")
            .contains("moves a process")
    );
}

#[test]
fn a_form_taller_than_the_screen_keeps_its_focused_field_and_keys_in_sight() {
    // 80x24, the usual terminal: the unshare form (8 boxes, 6 more fields, the intro) does
    // not fit; moving to the last field scrolls it into sight.
    let mut app = ui::fixture_app_on("cgroup-v2", 80, 24, 402);
    ui::key(&mut app, KeyCode::Char('n'));
    let first = ui::render(&app);
    assert!(first.contains("▶ [x] mnt"), "{first}");
    assert!(first.contains("Esc  cancel"), "{first}");
    ui::key(&mut app, KeyCode::Up); // wraps to the last field: the command
    let last = ui::render(&app);
    assert!(
        last.contains("▶ command") && last.contains("sleep 300"),
        "{last}"
    );
    assert!(last.contains("Esc  cancel"), "{last}");
    // A hint cut to fit its row is said whole below the fields for the focused one.
    ui::key(&mut app, KeyCode::Down); // back to mnt
    let text = ui::render(&app);
    assert!(
        text.contains("its own mount table (and its own /proc)"),
        "{text}"
    );
    // The smallest screen boxtop draws on: still the focused field and the keys.
    update(&mut app, Msg::Resize(60, 15));
    for _ in 0..9 {
        ui::key(&mut app, KeyCode::Tab); // past the 8 boxes and the hostname
    }
    let small = ui::render(&app);
    assert!(small.contains("▶ root"), "{small}");
    assert!(small.contains("Enter  preview"), "{small}");
}

#[test]
fn a_cgroup_spelled_another_way_is_the_same_cgroup_and_dot_dot_is_refused() {
    // pid 1's cgroup on the fixture, with doubled and trailing slashes: the kernel would
    // resolve it to the same directory, so it must carry the same caution.
    for spelled in [
        "/user.slice/user-1000.slice/session-2.scope",
        "//user.slice//user-1000.slice/session-2.scope/",
    ] {
        let Msg::Planned(out) = plan_on_fixture(PlanRequest::Freeze(cgroup_args(spelled), true))
        else {
            panic!("a plan")
        };
        let plan = out.result.expect("planned");
        assert!(
            plan.cautions.iter().any(|c| c.contains("holds pid 1")),
            "{spelled}: {:?}",
            plan.cautions
        );
        assert!(
            plan.target
                .contains("cgroup /user.slice/user-1000.slice/session-2.scope "),
            "{}",
            plan.target
        );
    }
    // . and .. could lead out of the hierarchy: refused when the target is named, before
    // anything is looked up (no request can carry such a path).
    for bad in ["/system.slice/../user.slice", "/..", "/./system.slice"] {
        let err = Target::cgroup(bad).expect_err("refused").to_string();
        assert!(err.contains(". and .. are not allowed"), "{bad}: {err}");
    }
}

#[test]
fn limits_that_land_in_one_cgroup_say_each_caution_once() {
    // 402 shares pid 1's cgroup: protected, and shared. Memory and pids both land there.
    let req = LimitRequest {
        memory: Some(Limit::Value(512 << 20)),
        pids: Some(Limit::Value(100)),
        ..Default::default()
    };
    let args = process(402);
    let Msg::Planned(out) = plan_on_fixture(PlanRequest::Limit(args, req)) else {
        panic!("a plan")
    };
    let plan = out.result.expect("planned");
    assert!(plan.cautions.len() >= 2, "{:?}", plan.cautions);
    let mut unique = plan.cautions.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), plan.cautions.len(), "{:?}", plan.cautions);
}
