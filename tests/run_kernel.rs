//! `boxtop run` and `kernel::spawn::launch` against the real kernel (root only): commands in
//! new namespaces, seen from inside (their own output) and from outside (boxtop's snapshot).
//! Every process started here is the test's own, and is killed when the test ends, even when
//! it fails.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

#[path = "support/live.rs"]
mod live;
#[path = "support/own_cgroups.rs"]
mod own;

use boxtop::kernel::Roots;
use boxtop::kernel::spawn::SpawnRequest;
use boxtop::kernel::spawn::{Launched, SpawnError, launch_with};
use boxtop::model::NsKind;
use live::{need_root, own_ns, snapshot, wait_for};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn boxtop(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_boxtop"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run boxtop")
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Root, and the kernel lets us create the namespaces these tests use (a container may not).
fn can_unshare(what: &str) -> bool {
    if !need_root(what) {
        return false;
    }
    let o = boxtop(&["run", "--unshare", "pid,net,uts,ipc,mnt", "--", "true"]);
    if !o.status.success() {
        eprintln!("SKIP {what}: unshare is not possible here: {}", err(&o));
        return false;
    }
    true
}

#[test]
fn pid_net_uts_ipc_mnt_from_inside() {
    if !can_unshare("run from inside") {
        return;
    }
    let o = boxtop(&[
        "run",
        "--unshare",
        "pid,net,uts,ipc,mnt",
        "--hostname",
        "boxtop-test",
        "--",
        "sh",
        "-c",
        "echo $$; hostname; ls /proc | grep -c '^[0-9]'",
    ]);
    assert!(o.status.success(), "{}", err(&o));
    let stdout = out(&o);
    let lines: Vec<&str> = stdout.lines().map(str::trim).collect();
    assert_eq!(lines.first(), Some(&"1"), "the shell is pid 1: {lines:?}");
    assert_eq!(lines.get(1), Some(&"boxtop-test"));
    let count: usize = lines.get(2).and_then(|c| c.parse().ok()).expect("a count");
    assert!(
        (1..=5).contains(&count),
        "the new proc shows only the new pid namespace (sh, ls, grep): {count}"
    );
    let e = err(&o);
    assert!(
        e.starts_with("boxtop: started pid ")
            && e.contains("(pid 1 in its new pid namespace; new: pid net uts ipc mnt)"),
        "{e}"
    );
    // The host's name did not change.
    let host = nix::unistd::gethostname().expect("hostname");
    assert_ne!(host.to_string_lossy(), "boxtop-test");
}

#[test]
fn exit_status_is_forwarded() {
    if !can_unshare("exit status") {
        return;
    }
    let o = boxtop(&["run", "--unshare", "pid", "--", "sh", "-c", "exit 7"]);
    assert_eq!(o.status.code(), Some(7), "{}", err(&o));
    // Killed by a signal: 128 + N, like a shell. (Not as pid 1: pid 1 of a namespace
    // ignores signals it has no handler for, even its own.)
    let o = boxtop(&["run", "--unshare", "uts", "--", "sh", "-c", "kill -TERM $$"]);
    assert_eq!(o.status.code(), Some(128 + 15), "{}", err(&o));
    let o = boxtop(&["run", "--unshare", "pid", "--", "no-such-command-boxtop"]);
    assert_eq!(o.status.code(), Some(127));
    assert!(
        err(&o).contains("no-such-command-boxtop: command not found in PATH")
            && !err(&o).contains("started"),
        "{}",
        err(&o)
    );
}

/// Kills what a test launched (the command first, then the helper), after checking each is
/// still the process that was started (pid and start time).
struct LaunchGuard {
    procs: Vec<(i32, u64)>,
}

impl LaunchGuard {
    fn new(l: &Launched) -> LaunchGuard {
        let roots = Roots::live();
        let procs = [l.pid, l.helper_pid]
            .into_iter()
            .filter_map(|p| {
                boxtop::kernel::procs::read_start_time(&roots, p)
                    .ok()
                    .map(|t| (p, t))
            })
            .collect();
        LaunchGuard { procs }
    }
}

impl Drop for LaunchGuard {
    fn drop(&mut self) {
        let roots = Roots::live();
        for (pid, start) in &self.procs {
            if boxtop::kernel::procs::read_start_time(&roots, *pid).ok() == Some(*start) {
                let _ = nix::sys::signal::kill(
                    nix::unistd::Pid::from_raw(*pid),
                    nix::sys::signal::Signal::SIGKILL,
                );
            }
        }
    }
}

/// `kernel::spawn::launch` as the dashboard calls it, with the boxtop binary as the helper
/// (this test binary is not boxtop: its /proc/self/exe has no `spawn-helper`).
fn launch(roots: &Roots, req: &SpawnRequest, quiet: bool) -> Result<Launched, SpawnError> {
    launch_with(
        std::path::Path::new(env!("CARGO_BIN_EXE_boxtop")),
        roots,
        req,
        quiet,
    )
}

fn sleep_request(namespaces: Vec<NsKind>) -> SpawnRequest {
    SpawnRequest {
        namespaces,
        command: vec!["sleep".into(), "300".into()],
        ..Default::default()
    }
}

#[test]
fn launched_sleep_is_seen_in_its_new_namespaces() {
    if !can_unshare("launch") {
        return;
    }
    let req = sleep_request(vec![
        NsKind::Pid,
        NsKind::Net,
        NsKind::Uts,
        NsKind::Ipc,
        NsKind::Mnt,
    ]);
    let started = Instant::now();
    let l = launch(&Roots::live(), &req, true).expect("launch");
    let took = started.elapsed();
    let _guard = LaunchGuard::new(&l);
    eprintln!("launch() returned in {took:?}: {l:?}");
    assert_ne!(l.pid, l.helper_pid);
    let snap = snapshot();
    let row = snap.process(l.pid).expect("the launched process is listed");
    assert_eq!(&*row.comm, "sleep", "launch returns after exec");
    assert_eq!(row.ppid, l.helper_pid);
    assert_eq!(row.nspid.last(), Some(&1), "pid 1 in its namespace");
    for kind in [
        NsKind::Pid,
        NsKind::Net,
        NsKind::Uts,
        NsKind::Ipc,
        NsKind::Mnt,
    ] {
        assert_ne!(
            row.namespaces.get(kind),
            Some(own_ns(kind.file_name())),
            "{kind:?} is new"
        );
        assert!(row.namespaces.get(kind).is_some(), "{kind:?} readable");
    }
    for kind in [NsKind::User, NsKind::Cgroup, NsKind::Time] {
        assert_eq!(
            row.namespaces.get(kind),
            Some(own_ns(kind.file_name())),
            "{kind:?} is ours"
        );
    }
    // The helper: our child, in a session of its own, in the new namespaces except pid
    // (unshare(2) moves the caller into all but pid and time, which are for its children).
    let helper = snap.process(l.helper_pid).expect("the helper is listed");
    assert_eq!(&*helper.comm, "boxtop");
    assert_eq!(helper.ppid, i32::try_from(std::process::id()).unwrap());
    assert_eq!(helper.session, l.helper_pid, "setsid: its own session");
    assert_eq!(
        helper.namespaces.get(NsKind::Net),
        row.namespaces.get(NsKind::Net)
    );
    assert_eq!(helper.namespaces.get(NsKind::Pid), Some(own_ns("pid")));
    assert_eq!(
        helper.namespaces.get(NsKind::PidForChildren),
        row.namespaces.get(NsKind::Pid)
    );
}

#[test]
fn killing_the_helper_takes_the_command_with_it() {
    if !can_unshare("launch and kill") {
        return;
    }
    let l = launch(&Roots::live(), &sleep_request(vec![NsKind::Pid]), true).expect("launch");
    let guard = LaunchGuard::new(&l);
    let roots = Roots::live();
    let start = boxtop::kernel::procs::read_start_time(&roots, l.pid).expect("sleep runs");
    // The helper is our child: its pid cannot be reused before we reap it.
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(l.helper_pid),
        nix::sys::signal::Signal::SIGKILL,
    )
    .expect("kill our helper");
    let gone = wait_for(|| {
        (boxtop::kernel::procs::read_start_time(&roots, l.pid).ok() != Some(start)
            || state(l.pid) == Some('Z'))
        .then_some(())
    });
    assert!(gone.is_some(), "PR_SET_PDEATHSIG killed the command");
    drop(guard);
}

fn state(pid: i32) -> Option<char> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    s.rsplit_once(") ")?.1.chars().next()
}

#[test]
fn launch_errors_are_sentences_and_bounded() {
    if !can_unshare("launch errors") {
        return;
    }
    let mut req = sleep_request(vec![NsKind::Pid]);
    req.command = vec!["no-such-command-boxtop".into()];
    let started = Instant::now();
    let e = launch(&Roots::live(), &req, true).expect_err("no such command");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(
        matches!(&e, SpawnError::Reported(s) if s.contains("command not found")),
        "{e:?}"
    );
    req.command.clear();
    let e = launch(&Roots::live(), &req, true).expect_err("no command");
    assert!(
        matches!(&e, SpawnError::Invalid(s) if s.contains("no command")),
        "{e:?}"
    );
    let e = launch(
        &Roots::new("/tmp", "/tmp"),
        &sleep_request(vec![NsKind::Pid]),
        true,
    )
    .expect_err("a fixture root");
    assert!(e.to_string().contains("--proc-root"), "{e}");
}

#[test]
fn init_is_pid_1_and_the_command_pid_2() {
    if !can_unshare("--init") {
        return;
    }
    let o = boxtop(&[
        "run",
        "--unshare",
        "pid,mnt",
        "--init",
        "--",
        "sh",
        "-c",
        "echo $$; cat /proc/1/comm; exit 3",
    ]);
    assert_eq!(
        o.status.code(),
        Some(3),
        "init passes the status on: {}",
        err(&o)
    );
    assert_eq!(out(&o), "2\nboxtop-init\n");
    assert!(err(&o).contains("boxtop's init, pid 1"), "{}", err(&o));
}

/// Without --init the command is pid 1 and the kernel drops SIGTERM (no handler); boxtop's
/// init has handlers and passes it on. The helper forwards what it gets.
#[test]
fn signals_are_forwarded() {
    if !can_unshare("signal forwarding") {
        return;
    }
    for args in [
        &[
            "run",
            "--unshare",
            "pid,mnt",
            "--init",
            "--",
            "sleep",
            "300",
        ][..],
        &["run", "--unshare", "uts", "--", "sleep", "300"][..],
    ] {
        let mut owned = live::Owned::spawn(Command::new(env!("CARGO_BIN_EXE_boxtop")).args(args));
        let helper = owned.pid();
        // Until the sleep runs (the helper's child, or its init's).
        let sleeping = wait_for(|| {
            let snap = snapshot();
            let parent = |pid: i32| snap.process(pid).map(|p| p.ppid);
            snap.processes
                .iter()
                .any(|p| {
                    &*p.comm == "sleep" && (p.ppid == helper || parent(p.ppid) == Some(helper))
                })
                .then_some(())
        });
        assert!(sleeping.is_some(), "{args:?}: the sleep starts");
        nix::sys::signal::kill(
            nix::unistd::Pid::from_raw(helper),
            nix::sys::signal::Signal::SIGTERM,
        )
        .expect("signal our child");
        let deadline = Instant::now() + Duration::from_secs(5);
        let status = loop {
            if let Some(s) = owned.child.try_wait().expect("wait") {
                break Some(s);
            }
            if Instant::now() > deadline {
                break None;
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        assert_eq!(
            status.and_then(|s| s.code()),
            Some(128 + 15),
            "{args:?}: SIGTERM reached the sleep"
        );
    }
}

#[test]
fn joins_its_cgroup() {
    if !can_unshare("--cgroup") {
        return;
    }
    let snap = boxtop::kernel::cgroupfs::read_cgroups(&Roots::live()).expect("cgroups");
    let mut guard = own::Guard::default();
    let Some((h, made)) = snap
        .hierarchies
        .iter()
        .find_map(|h| own::make(h, &mut guard).map(|i| (h, i)))
    else {
        eprintln!("SKIP --cgroup: could not create a test cgroup");
        return;
    };
    let rel = guard.groups[made].rel.clone();
    let o = boxtop(&[
        "run",
        "--unshare",
        "pid",
        "--cgroup",
        &rel,
        "--",
        "cat",
        "/proc/self/cgroup",
    ]);
    assert!(o.status.success(), "{}", err(&o));
    let line = format!("{}:", h.id);
    let mine = out(&o)
        .lines()
        .find(|l| l.starts_with(&line))
        .map(str::to_string)
        .expect("our hierarchy's line");
    assert!(mine.ends_with(&format!(":{rel}")), "{mine} is in {rel}");
    // With a new cgroup namespace too, the joined cgroup is its root.
    let o = boxtop(&[
        "run",
        "--unshare",
        "pid,cgroup",
        "--cgroup",
        &rel,
        "--",
        "cat",
        "/proc/self/cgroup",
    ]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(
        out(&o)
            .lines()
            .any(|l| l.starts_with(&line) && l.ends_with(":/")),
        "{}",
        out(&o)
    );
    // --dry-run shows the write as a shell line and does nothing.
    let o = boxtop(&[
        "run",
        "--unshare",
        "pid",
        "--cgroup",
        &rel,
        "--dry-run",
        "--",
        "true",
    ]);
    assert!(o.status.success(), "{}", err(&o));
    assert!(
        out(&o).contains(&format!(
            "echo $$ > {}",
            guard.groups[made].dir.join("cgroup.procs").display()
        )),
        "{}",
        out(&o)
    );
    let o = boxtop(&[
        "run",
        "--unshare",
        "pid",
        "--cgroup",
        "/no/such/boxtop",
        "--",
        "true",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(err(&o).contains("no cgroup hierarchy has a cgroup /no/such/boxtop"));
}

#[test]
fn map_root_user_is_root_inside() {
    if !can_unshare("--map-root-user") {
        return;
    }
    let o = boxtop(&[
        "run",
        "--unshare",
        "user",
        "--map-root-user",
        "--",
        "id",
        "-u",
    ]);
    assert!(o.status.success(), "{}", err(&o));
    assert_eq!(out(&o).trim(), "0");
    // --map-root-user alone implies user.
    let o = boxtop(&[
        "run",
        "--unshare",
        "uts",
        "--map-root-user",
        "--",
        "cat",
        "/proc/self/uid_map",
    ]);
    assert!(o.status.success(), "{}", err(&o));
    let stdout = out(&o);
    let map: Vec<&str> = stdout.split_whitespace().collect();
    assert_eq!(map, ["0", "0", "1"]);
}

#[test]
fn bad_input_starts_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mark = dir.path().join("ran");
    let mark = mark.to_str().expect("utf-8 path");
    for (args, says) in [
        (
            vec!["run", "--unshare", "pid,bogus", "--", "touch", mark],
            "unknown namespace \"bogus\"",
        ),
        (vec!["run", "--unshare", "pid"], "no command to run"),
        (
            vec![
                "run",
                "--unshare",
                "pid",
                "--hostname",
                "x",
                "--",
                "touch",
                mark,
            ],
            "--hostname needs a new uts namespace",
        ),
        (vec!["run", "--", "touch", mark], "--unshare"),
        (
            vec![
                "run",
                "--unshare",
                "pid",
                "--init",
                "--root",
                "/no/such/dir",
                "--",
                "touch",
                mark,
            ],
            "not a directory",
        ),
    ] {
        let o = boxtop(&args);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", err(&o));
        assert!(err(&o).contains(says), "{args:?}: {}", err(&o));
        assert!(!err(&o).contains("started"), "{args:?}");
        assert!(
            !std::path::Path::new(mark).exists(),
            "{args:?} ran the command"
        );
    }
    // The valid names are listed.
    let o = boxtop(&["run", "--unshare", "nett", "--", "true"]);
    assert!(
        err(&o).contains("pid, net, uts, ipc, mnt, user, cgroup, time (or all)"),
        "{}",
        err(&o)
    );
    // --readonly refuses run like every action.
    let o = boxtop(&["--readonly", "run", "--unshare", "pid", "--", "touch", mark]);
    assert_eq!(o.status.code(), Some(1));
    assert!(err(&o).contains("--readonly"));
    // --dry-run prints the steps and runs nothing.
    let o = boxtop(&[
        "run",
        "--unshare",
        "pid,mnt,uts",
        "--hostname",
        "demo",
        "--dry-run",
        "--",
        "touch",
        mark,
    ]);
    assert!(o.status.success(), "{}", err(&o));
    for step in [
        "unshare(CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWNS)",
        "mount --make-rprivate /",
        "mount -t proc",
        "hostname demo",
        "exec touch",
    ] {
        assert!(out(&o).contains(step), "{step}: {}", out(&o));
    }
    assert!(
        !std::path::Path::new(mark).exists(),
        "--dry-run ran the command"
    );
}

/// What an unprivileged user's sysctls allow (user.max_user_namespaces, and the Debian and
/// Ubuntu switches when present).
fn unprivileged_userns_allowed() -> bool {
    let read = |p: &str| {
        std::fs::read_to_string(p)
            .ok()
            .and_then(|s| s.trim().parse::<i64>().ok())
    };
    read("/proc/sys/user/max_user_namespaces").is_some_and(|n| n > 0)
        && read("/proc/sys/kernel/unprivileged_userns_clone") != Some(0)
        && read("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") != Some(1)
}

#[test]
fn as_nobody_the_way_out_is_a_user_namespace() {
    if !need_root("dropping to nobody") || !live::have_tool("setpriv") {
        return;
    }
    let nobody = |args: &[&str]| {
        Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(env!("CARGO_BIN_EXE_boxtop"))
            .args(args)
            .current_dir("/")
            .stdin(Stdio::null())
            .output()
            .expect("run boxtop as nobody")
    };
    let o = nobody(&["run", "--unshare", "net", "--", "true"]);
    assert_eq!(o.status.code(), Some(1));
    let e = err(&o);
    assert!(
        e.contains("creating a new net namespace (CLONE_NEWNET) needs CAP_SYS_ADMIN")
            && e.contains("add user to --unshare with --map-root-user"),
        "{e}"
    );
    let o = nobody(&[
        "run",
        "--unshare",
        "user,net",
        "--map-root-user",
        "--",
        "id",
        "-u",
    ]);
    if unprivileged_userns_allowed() {
        assert!(o.status.success(), "rootless: {}", err(&o));
        assert_eq!(out(&o).trim(), "0", "root inside");
    } else {
        assert_eq!(o.status.code(), Some(1));
        assert!(err(&o).contains("sysctl"), "{}", err(&o));
    }
}
