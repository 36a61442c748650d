//! A command boxtop starts gets the open-file limit the user started boxtop with, not the
//! one boxtop raised for itself (its kept /proc and cgroup files): through the helper, as
//! the dashboard's `n` starts it, and through `boxtop run`. Its own test binary, as it sets
//! this process's limit (shared by every thread) before anything raises it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

#[path = "support/live.rs"]
mod live;

use boxtop::collect::Collector;
use boxtop::kernel::Roots;
use boxtop::kernel::spawn::{SpawnRequest, launch_with};
use boxtop::model::NsKind;
use nix::sys::resource::{Resource, getrlimit, setrlimit};
use std::process::Command;

/// What `sh -c 'ulimit -n'` printed into `file`, once it has.
fn printed(file: &std::path::Path) -> Option<String> {
    live::wait_for(|| {
        let s = std::fs::read_to_string(file).ok()?;
        s.ends_with('\n').then(|| s.trim().to_string())
    })
}

#[test]
fn started_commands_get_the_users_soft_limit() {
    if !live::need_root("starting commands in new namespaces") {
        return;
    }
    let (_, hard) = getrlimit(Resource::RLIMIT_NOFILE).unwrap();
    let user = 512.min(hard);
    if user == hard {
        eprintln!("skip: the hard limit ({hard}) leaves nothing to raise");
        return;
    }
    setrlimit(Resource::RLIMIT_NOFILE, user, hard).unwrap();
    // A collection keeps files open, which raises the soft limit to the hard one.
    let roots = Roots::live();
    Collector::new(roots.clone())
        .unwrap()
        .collect(None)
        .unwrap();
    let (raised, _) = getrlimit(Resource::RLIMIT_NOFILE).unwrap();
    assert_eq!(raised, hard, "the collector raises its own limit");

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("helper");
    let req = SpawnRequest {
        namespaces: vec![NsKind::Uts],
        command: vec![
            "sh".into(),
            "-c".into(),
            format!(
                "ulimit -n > '{}.part' && mv '{0}.part' '{0}'",
                file.display()
            ),
        ],
        ..Default::default()
    };
    let exe = std::path::Path::new(env!("CARGO_BIN_EXE_boxtop"));
    launch_with(exe, &roots, &req, true).expect("launched");
    assert_eq!(
        printed(&file).as_deref(),
        Some(user.to_string().as_str()),
        "through the helper (the dashboard's n)"
    );

    // `boxtop run` started with the user's limit (a shell's `ulimit -Sn`).
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -Sn {user} && exec '{}' run --unshare uts -- sh -c 'ulimit -n'",
            exe.display()
        ))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        user.to_string()
    );
}
