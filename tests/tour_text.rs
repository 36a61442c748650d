//! The tour's two languages (assets/tour/en.toml, zh.toml) say the same things: every step
//! in the order of the talk, every word the panel asks for, the same {holes} in each, a line
//! for every namespace kind and every stage of the cgroup demo.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

use boxtop::app::tour::Step;
use boxtop::app::tour::demo::CgroupStage;
use boxtop::app::tour::text::{Lang, TourText, UI_KEYS, text};
use boxtop::model::NsKind;
use std::collections::BTreeSet;

fn holes(s: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = s;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        out.insert(after[..close].to_string());
        rest = &after[close + 1..];
    }
    out
}

fn both() -> (&'static TourText, &'static TourText) {
    (text(Lang::En).unwrap(), text(Lang::Zh).unwrap())
}

#[test]
fn both_parse_and_name_their_language() {
    let (en, zh) = both();
    assert_eq!(en.lang, "en");
    assert_eq!(zh.lang, "zh");
}

#[test]
fn every_step_in_the_talks_order_with_every_field() {
    for t in [both().0, both().1] {
        let ids: Vec<&str> = t.steps.iter().map(|s| s.id.as_str()).collect();
        let want: Vec<&str> = Step::ALL.iter().map(|s| s.id()).collect();
        assert_eq!(ids, want, "{}", t.lang);
        for s in &t.steps {
            for (name, v) in [
                ("title", &s.title),
                ("body", &s.body),
                ("shell", &s.shell),
                ("file", &s.file),
                ("demo", &s.demo),
            ] {
                assert!(!v.trim().is_empty(), "{} {}: {name} is empty", t.lang, s.id);
            }
        }
    }
}

#[test]
fn the_panels_words_are_all_there_with_the_same_holes() {
    let (en, zh) = both();
    let want: BTreeSet<&str> = UI_KEYS.iter().copied().collect();
    for t in [en, zh] {
        let have: BTreeSet<&str> = t.ui.keys().map(String::as_str).collect();
        assert_eq!(have, want, "{}: [ui] keys", t.lang);
    }
    for key in UI_KEYS {
        assert_eq!(
            holes(&en.ui[*key]),
            holes(&zh.ui[*key]),
            "ui.{key}: the same holes in both"
        );
    }
    for (a, b) in en.steps.iter().zip(&zh.steps) {
        assert_eq!(holes(&a.shell), holes(&b.shell), "{} shell", a.id);
        assert_eq!(holes(&a.file), holes(&b.file), "{} file", a.id);
    }
}

#[test]
fn namespaces_subsystems_and_cgroup_stages_each_have_a_line() {
    let (en, zh) = both();
    for t in [en, zh] {
        for k in NsKind::ALL {
            assert!(
                !t.namespace(k.file_name()).is_empty(),
                "{} ns {:?}",
                t.lang,
                k
            );
        }
        for stage in [
            CgroupStage::Start,
            CgroupStage::Move,
            CgroupStage::Memory,
            CgroupStage::Cpu,
            CgroupStage::Freeze,
            CgroupStage::Thaw,
            CgroupStage::Remove,
            CgroupStage::Done,
        ] {
            assert!(
                t.cgroup_demo.contains_key(stage.key()),
                "{} {:?}",
                t.lang,
                stage
            );
        }
        for c in [
            "cpu", "cpuacct", "cpuset", "memory", "blkio", "io", "pids", "freezer", "named",
        ] {
            assert!(!t.subsystem(c).is_empty(), "{} subsystem {c}", t.lang);
        }
    }
    let keys = |t: &TourText| t.subsystems.keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(en), keys(zh));
}
