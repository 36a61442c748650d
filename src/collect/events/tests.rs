use super::between;
use crate::collect::Collector;
use crate::kernel::Roots;
use crate::model::{CgroupNode, EventKind, FreezerState, Snapshot};
use std::path::Path;
use std::sync::Arc;

const DOCKER: &str =
    "/system.slice/docker-11111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.scope";

/// The v2 containers fixture host, as a collector reads it.
fn host() -> Snapshot {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/containers-v2");
    Collector::new(Roots::new(dir.join("proc"), dir.join("cgroup")))
        .and_then(|mut c| c.collect(None))
        .expect("the fixture host")
}

fn node<'a>(s: &'a mut Snapshot, path: &str) -> &'a mut CgroupNode {
    s.cgroups
        .hierarchies
        .iter_mut()
        .flat_map(|h| h.cgroups.iter_mut())
        .find(|n| n.path == path)
        .expect("the cgroup")
}

fn kinds(events: &[crate::model::KernelEvent]) -> Vec<EventKind> {
    events.iter().map(|e| e.kind).collect()
}

#[test]
fn nothing_changed_is_no_event() {
    let a = host();
    assert!(between(&a, &a.clone()).is_empty());
}

#[test]
fn an_oom_kill_is_put_at_its_cgroup_with_the_process_it_took() {
    let prev = host();
    let mut next = prev.clone();
    // nginx's worker (501) is killed: the counter moves in its cgroup and, as v2 counts, in
    // every ancestor; the worker is gone from the cgroup and from the process list.
    for path in [DOCKER, "/system.slice", "/"] {
        let n = node(&mut next, path);
        if let Some(m) = n.memory.as_mut() {
            m.oom_kill_events = Some(m.oom_kill_events.unwrap_or(0) + 1);
        }
    }
    let n = node(&mut next, DOCKER);
    n.pids = Arc::from(vec![500]);
    next.processes.retain(|p| p.pid != 501);
    let events = between(&prev, &next);
    let kills: Vec<_> = events
        .iter()
        .filter(|e| e.kind == EventKind::OomKill)
        .collect();
    assert_eq!(
        kills.len(),
        1,
        "one event, not one per ancestor: {events:?}"
    );
    let k = kills[0];
    assert_eq!(k.cgroup.as_deref(), Some(DOCKER));
    assert_eq!(k.pid, Some(501));
    assert_eq!(k.container.as_deref(), Some("docker/shop/web"));
    assert_eq!(k.source, "memory.events oom_kill");
    assert!(
        k.detail.starts_with("oom_kill 0 -> 1: process 501"),
        "{}",
        k.detail
    );
    // The worker's exit is said too.
    assert!(
        events
            .iter()
            .any(|e| e.kind == EventKind::Exit && e.pid == Some(501))
    );
}

#[test]
fn a_freeze_is_put_at_the_topmost_cgroup_that_froze() {
    let prev = host();
    let mut next = prev.clone();
    let podman = "/machine.slice/libpod-44444444dddddddddddddddddddddddddddddddddddddddddddddddddddddddd.scope";
    for path in [podman.to_string(), format!("{podman}/container")] {
        node(&mut next, &path).freezer = Some(FreezerState::V2 {
            requested: Some(true),
            frozen: Some(true),
        });
    }
    let events = between(&prev, &next);
    assert_eq!(kinds(&events), [EventKind::Frozen], "{events:?}");
    assert_eq!(events[0].cgroup.as_deref(), Some(podman));
    assert_eq!(events[0].container.as_deref(), Some("podman/cache"));
    // And back.
    let events = between(&next, &prev);
    assert_eq!(kinds(&events), [EventKind::Thawed]);
}

#[test]
fn processes_that_start_end_or_exec_and_namespaces_that_come_and_go() {
    let prev = host();
    let mut next = prev.clone();
    // 531 (podman's sleep) ends: its namespaces had no other member.
    next.processes.retain(|p| p.pid != 531);
    next.namespaces
        .retain(|e| !e.pids.contains(&531) || e.pids.len() > 1);
    // 500 execs: the same pid and start time, another command line.
    let i = next
        .processes
        .iter()
        .position(|p| p.pid == 500)
        .expect("nginx");
    let mut nginx = (*next.processes[i]).clone();
    let mut info = (*nginx.info).clone();
    info.cmdline = crate::model::CmdLine::from_args(&["nginx", "-s", "reload"]);
    nginx.info = Arc::new(info);
    next.processes[i] = Arc::new(nginx);
    let events = between(&prev, &next);
    let exit = events
        .iter()
        .find(|e| e.kind == EventKind::Exit)
        .expect("an exit");
    assert_eq!(
        (exit.pid, exit.container.as_deref()),
        (Some(531), Some("podman/cache"))
    );
    let exec = events
        .iter()
        .find(|e| e.kind == EventKind::CommandChanged)
        .expect("an exec");
    assert_eq!(exec.pid, Some(500));
    assert!(
        exec.detail.ends_with("-> nginx -s reload"),
        "{}",
        exec.detail
    );
    let gone = events
        .iter()
        .filter(|e| e.kind == EventKind::NamespaceGone)
        .count();
    assert!(gone >= 4, "its own ipc, mnt, net, pid, uts: {events:?}");
    // Backwards, 531 is a new process with new namespaces.
    let events = between(&next, &prev);
    assert!(
        events
            .iter()
            .any(|e| e.kind == EventKind::Exec && e.pid == Some(531))
    );
    assert!(
        events
            .iter()
            .any(|e| e.kind == EventKind::NamespaceNew && e.detail.contains("process 531"))
    );
}

#[test]
fn a_cgroup_that_empties_is_said_once() {
    let prev = host();
    let mut next = prev.clone();
    for path in [DOCKER, "/system.slice"] {
        node(&mut next, path).populated = Some(false);
    }
    if node(&mut next, DOCKER).populated.is_none() {
        return; // the fixture has no cgroup.events: nothing to compare
    }
    let events: Vec<_> = between(&prev, &next)
        .into_iter()
        .filter(|e| e.kind == EventKind::Emptied)
        .collect();
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0].cgroup.as_deref(), Some(DOCKER));
}

/// With memory.events.local (v2, kernel 5.2 on) a kill in a cgroup and one in its child are
/// two events, each where it happened: the hierarchical counters alone would put both in
/// the child.
#[test]
fn local_counters_put_each_kill_where_it_happened() {
    let mut prev = host();
    for path in [DOCKER, "/system.slice", "/"] {
        if let Some(m) = node(&mut prev, path).memory.as_mut() {
            m.oom_kill_events = Some(0);
            m.oom_kill_local = Some(0);
        }
    }
    let mut next = prev.clone();
    // One kill in the container, one in /system.slice itself: the root counts two, the
    // slice two, the container one; locally one each in the slice and the container.
    for (path, total, local) in [(DOCKER, 1, 1), ("/system.slice", 2, 1), ("/", 2, 0)] {
        if let Some(m) = node(&mut next, path).memory.as_mut() {
            m.oom_kill_events = Some(total);
            m.oom_kill_local = Some(local);
        }
    }
    let events = between(&prev, &next);
    let mut at: Vec<&str> = events
        .iter()
        .filter(|e| e.kind == EventKind::OomKill)
        .filter_map(|e| e.cgroup.as_deref())
        .collect();
    at.sort_unstable();
    assert_eq!(at, ["/system.slice", DOCKER], "{events:?}");
}

#[test]
fn swap_refused_at_its_limit_is_an_event() {
    let mut prev = host();
    if let Some(m) = node(&mut prev, DOCKER).memory.as_mut() {
        m.swap_max_events = Some(4);
        m.swap_fail_events = Some(4);
    }
    let mut next = prev.clone();
    if let Some(m) = node(&mut next, DOCKER).memory.as_mut() {
        m.swap_max_events = Some(5);
        m.swap_fail_events = Some(5);
    }
    let events = between(&prev, &next);
    assert_eq!(
        kinds(&events),
        [EventKind::SwapMax, EventKind::SwapFail],
        "{events:?}"
    );
    assert_eq!(events[0].source, "memory.swap.events max");
    assert_eq!(events[0].detail, "swap_max 4 -> 5");
    assert_eq!(events[0].container.as_deref(), Some("docker/shop/web"));
}
