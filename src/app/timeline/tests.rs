use super::*;
use crate::model::{EventKind, KernelEvent};

/// CAPACITY as a pid.
const CAP: i32 = 5_000;

#[test]
fn cap_is_the_capacity() {
    assert_eq!(usize::try_from(CAP), Ok(CAPACITY));
}

fn event(kind: EventKind, pid: Option<i32>, container: Option<&str>, cgroup: &str) -> Entry {
    Entry {
        time: "10:42:01".into(),
        item: Item::Kernel(KernelEvent {
            time_unix_ms: 0,
            kind,
            cgroup: Some(cgroup.into()),
            hierarchy_id: Some(0),
            container: container.map(str::to_string),
            pid,
            detail: format!("detail of {}", kind.word()),
            source: "test".into(),
        }),
    }
}

fn exec(pid: i32) -> Entry {
    event(EventKind::Exec, Some(pid), None, "/user.slice")
}

fn pids(t: &Timeline) -> Vec<Option<i32>> {
    t.visible().iter().map(|e| e.pid()).collect()
}

#[test]
fn newest_first_and_bounded_with_a_count_of_what_went() {
    let mut t = Timeline {
        all: true,
        ..Timeline::default()
    };
    t.push((0..CAP + 7).map(exec));
    assert_eq!(t.len(), CAPACITY);
    assert_eq!(t.dropped, 7);
    let shown = pids(&t);
    assert_eq!(shown.first(), Some(&Some(CAP + 6)), "newest first");
    assert_eq!(shown.last(), Some(&Some(7)), "the oldest seven went");
}

#[test]
fn the_selection_stays_on_its_event_as_new_ones_come() {
    let mut t = Timeline {
        all: true,
        ..Timeline::default()
    };
    t.set_page(3);
    t.push((1..=5).map(exec));
    assert_eq!(
        t.selected().and_then(Entry::pid),
        Some(5),
        "0 follows the newest"
    );
    t.select(2);
    assert_eq!(t.selected().and_then(Entry::pid), Some(3));
    t.push([exec(6), exec(7)]);
    assert_eq!(t.selected().and_then(Entry::pid), Some(3), "still on pid 3");
    assert!(
        t.cursor >= t.offset && t.cursor < t.offset + t.page,
        "and on screen"
    );
    t.select(0);
    t.push([exec(8)]);
    assert_eq!(
        t.selected().and_then(Entry::pid),
        Some(8),
        "following the newest"
    );
}

#[test]
fn the_filter_takes_kinds_by_prefix_containers_cgroups_pids_and_words() {
    let mut t = Timeline {
        all: true,
        ..Timeline::default()
    };
    t.push([
        event(
            EventKind::OomKill,
            Some(10),
            Some("lxc/web"),
            "/lxc.payload.web",
        ),
        event(EventKind::Oom, None, Some("lxc/web"), "/lxc.payload.web"),
        event(
            EventKind::PidsMax,
            None,
            Some("podman/db"),
            "/machine.slice/libpod-1",
        ),
        exec(11),
    ]);
    let only = |text: &str| {
        let mut t = t.clone();
        t.set_filter(TimelineFilter::parse(text).expect(text));
        t.visible()
            .iter()
            .map(|e| e.kind_word())
            .collect::<Vec<_>>()
    };
    assert_eq!(only("kind:oom"), ["oom", "oom_kill"], "a prefix takes both");
    assert_eq!(only("kind:oom_kill"), ["oom_kill"]);
    assert_eq!(
        only("container:WEB"),
        ["oom", "oom_kill"],
        "containers ignore case"
    );
    assert_eq!(only("cgroup:libpod"), ["pids_max"]);
    assert_eq!(only("pid:11"), ["exec"]);
    assert_eq!(
        only("kind:oom pid:10"),
        ["oom_kill"],
        "every term must match"
    );
    assert_eq!(only("detail"), ["exec", "pids_max", "oom", "oom_kill"]);
    assert!(only("nothing-matches-this").is_empty());
    assert_eq!(only(""), ["exec", "pids_max", "oom", "oom_kill"]);
}

#[test]
fn execs_and_exits_never_push_an_oom_kill_out_and_show_with_v_or_a_kind() {
    let mut t = Timeline::default();
    t.push([event(
        EventKind::OomKill,
        Some(3),
        Some("lxc/web"),
        "/lxc.payload.web",
    )]);
    t.push((10..10 + CAP * 2).map(exec));
    let kinds = |t: &Timeline| {
        t.visible()
            .iter()
            .map(|e| e.kind_word())
            .collect::<Vec<_>>()
    };
    assert_eq!(kinds(&t), ["oom_kill"], "without v: no execs");
    assert_eq!(t.churn_hidden(), CAPACITY);
    assert_eq!(
        t.dropped, CAPACITY as u64,
        "the oldest execs went, not the kill"
    );
    t.toggle_churn();
    let all = kinds(&t);
    assert_eq!(all.len(), CAPACITY + 1);
    assert_eq!(
        all.first(),
        Some(&"exec"),
        "newest first, the two rings merged"
    );
    assert_eq!(all.last(), Some(&"oom_kill"));
    t.toggle_churn();
    t.set_filter(TimelineFilter::parse("kind:exec pid:20").expect("filter"));
    assert_eq!(t.visible().len(), 0, "pid 20's exec went with the oldest");
    t.set_filter(TimelineFilter::parse(&format!("kind:exec pid:{}", CAPACITY * 2)).expect("f"));
    assert_eq!(kinds(&t), ["exec"], "a kind: shows the churn without v");
}

#[test]
fn a_bad_filter_is_one_sentence_naming_what_is_wrong() {
    let e = TimelineFilter::parse("kind:bogus").unwrap_err();
    assert!(
        e.contains("kind:bogus is no kind") && e.contains("oom_kill"),
        "{e}"
    );
    let e = TimelineFilter::parse("pid:abc").unwrap_err();
    assert!(e.contains("pid:abc") && e.contains("number"), "{e}");
    let e = TimelineFilter::parse("colour:red").unwrap_err();
    assert!(e.contains("colour:") && e.contains("kind:"), "{e}");
    assert!(TimelineFilter::parse("kind:").is_err(), "an empty kind");
    assert!(TimelineFilter::parse("kind:action").is_ok());
    // A word with a colon that is not a key (a path, a time) is text.
    assert!(TimelineFilter::parse("/a:b 10:42").is_ok());
}

#[test]
fn the_pane_opens_itself_at_an_oom_kill_not_at_execs_and_not_after_l() {
    let mut t = Timeline::default();
    t.push([exec(1), exec(2)]);
    assert!(!t.shown);
    assert_eq!(t.unseen, 0, "execs are not news");
    t.push([event(EventKind::MemoryHigh, Some(2), None, "/x")]);
    assert!(!t.shown);
    assert_eq!(t.unseen, 1);
    t.push([event(EventKind::OomKill, Some(3), None, "/x")]);
    assert!(t.shown, "an OOM kill opens the pane");
    t.shown = false;
    t.dismissed = true;
    t.push([event(EventKind::Frozen, None, None, "/x")]);
    assert!(!t.shown, "hidden with L, it stays hidden");
    assert_eq!(t.unseen, 2, "and counts what came");
}

#[test]
fn clear_forgets_everything_of_another_time() {
    let mut t = Timeline::default();
    t.push([exec(1)]);
    t.held.push(exec(2));
    t.clear();
    assert!(t.is_empty() && t.held.is_empty() && t.since.is_none() && t.dropped == 0);
}
