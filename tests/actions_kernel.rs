//! `boxtop limit | freeze | thaw` against the real kernel (root only), on cgroups this test
//! creates under its own cgroup in each hierarchy, with a `sleep` this test starts. Refusals
//! are tested with --dry-run, so that even a broken refusal could write nothing.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

use boxtop::kernel::Roots;
use boxtop::kernel::cgroupfs::read_cgroups;
use boxtop::model::Hierarchy;

#[path = "support/own_cgroups.rs"]
mod own;

use own::{Guard, Made, make, own_path, own_sleep, raw};

use std::process::{Command, Output, Stdio};

fn boxtop(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_boxtop"))
        .args(args)
        .output()
        .expect("run boxtop")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn limit_freeze_thaw_and_refusals() {
    if !nix::unistd::geteuid().is_root() {
        eprintln!("SKIP actions: needs root");
        return;
    }
    let snap = read_cgroups(&Roots::live()).expect("cgroups");
    let by = |pick: &dyn Fn(&Hierarchy) -> bool| snap.hierarchies.iter().find(|h| pick(h));
    let (Some(memory), Some(pids), Some(unified)) = (
        by(&|h| h.version == 1 && h.controllers.iter().any(|c| c == "memory")),
        by(&|h| h.version == 1 && h.controllers.iter().any(|c| c == "pids")),
        by(&|h| h.version == 2),
    ) else {
        eprintln!("SKIP actions: needs v1 memory and pids and a cgroup2 mount (a hybrid host)");
        return;
    };
    let mut guard = Guard::default();
    let (Some(m), Some(p), Some(u)) = (
        make(memory, &mut guard),
        make(pids, &mut guard),
        make(unified, &mut guard),
    ) else {
        eprintln!("SKIP actions: could not create test cgroups");
        return;
    };
    let pid = own_sleep(&mut guard).to_string();
    std::fs::write(guard.groups[u].dir.join("cgroup.procs"), &pid).expect("move our child");
    let (mrel, prel, urel) = (
        guard.groups[m].rel.clone(),
        guard.groups[p].rel.clone(),
        guard.groups[u].rel.clone(),
    );

    // A memory limit, written in the kernel's form and reported with old and new value.
    let o = boxtop(&["limit", "--cgroup", &mrel, "--memory", "48M"]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        raw(&guard.groups[m].dir, "memory.limit_in_bytes"),
        "50331648"
    );
    assert!(text(&o).contains("-> 50331648"), "{}", text(&o));

    // --dry-run prints the write and the shell line, and writes nothing.
    let before = raw(&guard.groups[p].dir, "pids.max");
    let o = boxtop(&["limit", "--cgroup", &prel, "--pids", "12", "--dry-run"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("Would write") && text(&o).contains("echo 12 >"),
        "{}",
        text(&o)
    );
    assert_eq!(raw(&guard.groups[p].dir, "pids.max"), before);
    let o = boxtop(&["limit", "--cgroup", &prel, "--pids", "12"]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(raw(&guard.groups[p].dir, "pids.max"), "12");

    // Bad input: a clear error, nothing written.
    let o = boxtop(&["limit", "--cgroup", &mrel, "--memory", "0x10"]);
    assert!(!o.status.success());
    assert!(text(&o).contains("unknown unit"), "{}", text(&o));
    assert_eq!(
        raw(&guard.groups[m].dir, "memory.limit_in_bytes"),
        "50331648"
    );

    // Freeze by pid (our child is alone in its v2 cgroup), see it frozen, thaw by cgroup.
    let o = boxtop(&["freeze", "--pid", &pid]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        raw(&guard.groups[u].dir, "cgroup.events").contains("frozen 1"),
        "{}",
        text(&o)
    );
    assert!(text(&o).contains(": frozen"), "{}", text(&o));
    let after = boxtop(&["snapshot", "--json", "--cpu-sample-ms", "0"]);
    let json: serde_json::Value = serde_json::from_slice(&after.stdout).unwrap();
    let frozen = json["cgroups"]["hierarchies"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|h| h["cgroups"].as_array().unwrap().iter())
        .find(|c| c["path"] == urel.as_str())
        .map(|c| c["freezer"].clone());
    assert_eq!(
        frozen,
        Some(serde_json::json!({"version": "v2", "requested": true, "frozen": true}))
    );
    let o = boxtop(&["thaw", "--cgroup", &urel]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(raw(&guard.groups[u].dir, "cgroup.events").contains("frozen 0"));

    // Refused: the cgroup that holds boxtop (and this test), and the root. Dry runs only.
    if let Some(own) = own_path(memory.id).filter(|o| o != "/") {
        let o = boxtop(&["limit", "--cgroup", &own, "--memory", "1G", "--dry-run"]);
        assert!(!o.status.success(), "{}", text(&o));
        assert!(
            text(&o).contains("refused") && !text(&o).contains("Would write"),
            "{}",
            text(&o)
        );
    }
    let o = boxtop(&["limit", "--cgroup", "/", "--pids", "100", "--dry-run"]);
    assert!(!o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("refused") && text(&o).contains("root"),
        "{}",
        text(&o)
    );
}

/// `boxtop kill`: a signal to a process this test started, and cgroup.kill on a v2 cgroup
/// this test created; a bad signal name is a clear error.
#[test]
fn kill_a_process_and_a_cgroup() {
    if !nix::unistd::geteuid().is_root() {
        eprintln!("SKIP kill: needs root");
        return;
    }
    let snap = read_cgroups(&Roots::live()).expect("cgroups");
    let Some(unified) = snap.hierarchies.iter().find(|h| h.version == 2) else {
        eprintln!("SKIP kill: no cgroup2 mount");
        return;
    };
    let mut guard = Guard::default();
    let Some(u) = make(unified, &mut guard) else {
        eprintln!("SKIP kill: could not create a test cgroup");
        return;
    };
    if !guard.groups[u].dir.join("cgroup.kill").exists() {
        eprintln!("SKIP kill: this kernel has no cgroup.kill (Linux 5.14+)");
        return;
    }
    let spawn = || {
        Command::new("setsid")
            .args(["sleep", "300"])
            .stdin(Stdio::null())
            .spawn()
            .expect("setsid sleep")
    };
    let mut a = spawn();
    let b = spawn();
    let (a_pid, b_pid) = (a.id().to_string(), b.id().to_string());
    guard.children.push(b);
    std::fs::write(guard.groups[u].dir.join("cgroup.procs"), &b_pid).expect("move our child");

    let o = boxtop(&["kill", "--pid", &a_pid, "--signal", "nope"]);
    assert!(
        !o.status.success() && text(&o).contains("not a signal name"),
        "{}",
        text(&o)
    );
    let o = boxtop(&["kill", "--pid", &a_pid, "--signal", "term"]);
    assert!(o.status.success(), "{}", text(&o));
    let status = a.wait().expect("reap a");
    assert_eq!(
        std::os::unix::process::ExitStatusExt::signal(&status),
        Some(libc::SIGTERM)
    );

    let rel = guard.groups[u].rel.clone();
    let o = boxtop(&["kill", "--cgroup", &rel]);
    assert!(o.status.success(), "{}", text(&o));
    let status = guard.children[0].wait().expect("reap b");
    assert_eq!(
        std::os::unix::process::ExitStatusExt::signal(&status),
        Some(libc::SIGKILL)
    );
}

/// `boxtop move`: into a cgroup this test created, then into new cgroups of its own
/// (`--create`, under the cgroups it is in, which are this test's own or its children).
#[test]
fn move_into_a_cgroup_and_into_its_own() {
    if !nix::unistd::geteuid().is_root() {
        eprintln!("SKIP move: needs root");
        return;
    }
    let live = Roots::live();
    let snap = read_cgroups(&live).expect("cgroups");
    let Some(memory) = snap
        .hierarchies
        .iter()
        .find(|h| h.version == 1 && h.controllers.iter().any(|c| c == "memory"))
    else {
        eprintln!("SKIP move: no v1 memory hierarchy");
        return;
    };
    let mut guard = Guard::default();
    let Some(m) = make(memory, &mut guard) else {
        eprintln!("SKIP move: could not create a test cgroup");
        return;
    };
    let pid = own_sleep(&mut guard);
    let cgroup_of = |id: u32| -> String {
        std::fs::read_to_string(format!("/proc/{pid}/cgroup"))
            .unwrap_or_default()
            .lines()
            .find_map(|l| {
                let mut p = l.splitn(3, ':');
                (p.next()? == id.to_string()).then(|| p.nth(1).map(str::to_string))?
            })
            .unwrap_or_default()
    };
    let rel = guard.groups[m].rel.clone();
    let o = boxtop(&["move", "--pid", &pid.to_string(), "--cgroup", &rel]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(cgroup_of(memory.id), rel, "{}", text(&o));

    let o = boxtop(&["move", "--pid", &pid.to_string(), "--create", "--dry-run"]);
    assert!(
        o.status.success() && text(&o).contains("Would create"),
        "{}",
        text(&o)
    );
    assert!(
        !guard.groups[m].dir.join(format!("boxtop-{pid}")).exists(),
        "a dry run creates nothing"
    );

    let o = boxtop(&["move", "--pid", &pid.to_string(), "--create"]);
    // Whatever it created is removed by the guard, children before parents.
    for h in &snap.hierarchies {
        let path = cgroup_of(h.id);
        let mount = live.cgroup_mount(&h.mount_point);
        if let Some(mount) = mount.filter(|_| path.ends_with(&format!("/boxtop-{pid}"))) {
            guard.groups.push(Made {
                dir: Roots::cgroup_dir(&mount, &path),
                rel: path,
            });
        }
    }
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        cgroup_of(memory.id),
        format!("{rel}/boxtop-{pid}"),
        "{}",
        text(&o)
    );
    if let Some(v2) = snap.hierarchies.iter().find(|h| h.version == 2) {
        assert!(
            cgroup_of(v2.id).ends_with(&format!("/boxtop-{pid}")),
            "{}",
            text(&o)
        );
    }
}

/// cgroup v1's freezer: freeze waits for FROZEN, thaw for THAWED.
#[test]
fn v1_freezer_freeze_and_thaw() {
    if !nix::unistd::geteuid().is_root() {
        eprintln!("SKIP v1 freezer: needs root");
        return;
    }
    let snap = read_cgroups(&Roots::live()).expect("cgroups");
    let Some(freezer) = snap
        .hierarchies
        .iter()
        .find(|h| h.version == 1 && h.controllers.iter().any(|c| c == "freezer"))
    else {
        eprintln!("SKIP v1 freezer: not mounted");
        return;
    };
    let mut guard = Guard::default();
    let Some(f) = make(freezer, &mut guard) else {
        eprintln!("SKIP v1 freezer: could not create a test cgroup");
        return;
    };
    let pid = own_sleep(&mut guard).to_string();
    std::fs::write(guard.groups[f].dir.join("cgroup.procs"), &pid).expect("move our child");
    let rel = guard.groups[f].rel.clone();
    // The v2 cgroup of the child is the test's own (the root here): freeze the v1 one by path.
    let o = boxtop(&["freeze", "--cgroup", &rel]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(raw(&guard.groups[f].dir, "freezer.state"), "FROZEN");
    assert!(text(&o).contains(": frozen"), "{}", text(&o));
    let state = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    assert!(
        state.contains(") S ") || state.contains(") D "),
        "a frozen task sleeps: {state}"
    );
    let o = boxtop(&["thaw", "--cgroup", &rel]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(raw(&guard.groups[f].dir, "freezer.state"), "THAWED");
}

/// cgroup v2's no-internal-process rule: a cgroup that gives controllers to its children
/// takes no processes; boxtop says so before writing. (Needs a controller the test's own
/// v2 cgroup can give on: any in its cgroup.controllers.)
#[test]
fn move_refuses_an_inner_v2_cgroup() {
    if !nix::unistd::geteuid().is_root() {
        eprintln!("SKIP no-internal-process: needs root");
        return;
    }
    let snap = read_cgroups(&Roots::live()).expect("cgroups");
    let Some(v2) = snap.hierarchies.iter().find(|h| h.version == 2) else {
        eprintln!("SKIP no-internal-process: no cgroup2 mount");
        return;
    };
    let mut guard = Guard::default();
    let inner = make(v2, &mut guard).expect("own v2 cgroup");
    let dir = guard.groups[inner].dir.clone();
    let Some(ctrl) = raw(&dir, "cgroup.controllers")
        .split_whitespace()
        .next()
        .map(str::to_string)
    else {
        eprintln!("SKIP no-internal-process: the test's v2 cgroup has no controller to give");
        return;
    };
    // A child first (a cgroup with processes could not enable controllers either), then
    // the controller for it: now the test's cgroup is an inner one.
    std::fs::create_dir(dir.join("leaf")).expect("leaf");
    guard.groups.push(Made {
        dir: dir.join("leaf"),
        rel: format!("{}/leaf", guard.groups[inner].rel),
    });
    std::fs::write(dir.join("cgroup.subtree_control"), format!("+{ctrl}")).expect("enable");
    let pid = own_sleep(&mut guard);
    let rel = guard.groups[inner].rel.clone();
    let o = boxtop(&["move", "--pid", &pid.to_string(), "--cgroup", &rel]);
    assert!(!o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("no-internal-process rule"),
        "{}",
        text(&o)
    );
    assert!(raw(&dir, "cgroup.procs").is_empty(), "nothing moved");
    // The leaf takes it.
    let o = boxtop(&[
        "move",
        "--pid",
        &pid.to_string(),
        "--cgroup",
        &format!("{rel}/leaf"),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(raw(&dir.join("leaf"), "cgroup.procs"), pid.to_string());
    // Give the controller back so that the guard can remove the cgroups.
    let _ = std::fs::write(dir.join("cgroup.subtree_control"), format!("-{ctrl}"));
}

/// The protected set, for freeze: the test process itself (boxtop's parent), the cgroups that
/// hold it and their ancestors, and the root cgroup are refused without --force, and nothing
/// is written (dry runs: not even a plan is printed). pid 1 is tested on fixtures only.
#[test]
fn freeze_refuses_the_protected_set() {
    if !nix::unistd::geteuid().is_root() {
        eprintln!("SKIP protected set: needs root");
        return;
    }
    let me = std::process::id().to_string();
    let o = boxtop(&["freeze", "--pid", &me, "--dry-run"]);
    assert!(!o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("refused") && text(&o).contains("boxtop's ancestor"),
        "{}",
        text(&o)
    );
    assert!(!text(&o).contains("Would write"), "{}", text(&o));
    let o = boxtop(&["freeze", "--cgroup", "/", "--dry-run"]);
    assert!(
        !o.status.success() && text(&o).contains("refused"),
        "{}",
        text(&o)
    );
    assert!(text(&o).contains("root cgroup"), "{}", text(&o));
    // Every cgroup of this process that has a freezer (and each ancestor of those).
    let snap = read_cgroups(&Roots::live()).expect("cgroups");
    for h in &snap.hierarchies {
        let Some(own) = own_path(h.id) else { continue };
        let mut path = own.clone();
        loop {
            let o = boxtop(&["freeze", "--cgroup", &path, "--dry-run"]);
            assert!(!o.status.success(), "{path}: {}", text(&o));
            assert!(!text(&o).contains("Would write"), "{path}: {}", text(&o));
            // Where some hierarchy could freeze it, the reason is the protection.
            let freezable = snap.hierarchies.iter().any(|h| {
                Roots::live().cgroup_mount(&h.mount_point).is_some_and(|m| {
                    let d = Roots::cgroup_dir(&m, &path);
                    d.join("cgroup.freeze").is_file() || d.join("freezer.state").is_file()
                })
            });
            if freezable || path == "/" {
                assert!(text(&o).contains("refused"), "{path}: {}", text(&o));
            }
            match path.rfind('/') {
                Some(0) | None => break,
                Some(i) => path.truncate(i),
            }
        }
    }
}
