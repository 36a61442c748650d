//! End-to-end: `boxtop tour` in tmux, stepped through whole in both languages at 80x24 and
//! 160x45, with every demo run (and confirmed) in two of the four, each checked in the kernel
//! (the demo child's cgroup files, the sandbox's namespaces and root), and nothing left after
//! leaving: no process the tour started, no cgroup it made, no root directory.
//!
//! The tour's demos start processes and cgroups as the dashboard's actions do: under
//! boxtop's own cgroup in each hierarchy, which is this test's. A guard kills what is left
//! of them and removes their cgroups should an assertion fail first.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

#[macro_use]
#[path = "support/tmux.rs"]
mod tmux;

use boxtop::app::tour::Step;
use boxtop::app::tour::text::{Lang, text};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tmux::*;

#[derive(Debug, Clone)]
struct Proc {
    pid: i32,
    ppid: i32,
    comm: String,
    args: String,
}

fn all_procs() -> Vec<Proc> {
    let mut out = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else {
            continue;
        };
        let Some((_, ppid)) = stat_fields(pid) else {
            continue;
        };
        let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
        let args = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
        out.push(Proc {
            pid,
            ppid,
            comm: comm.trim_end().to_string(),
            args: String::from_utf8_lossy(&args)
                .replace('\0', " ")
                .trim()
                .to_string(),
        });
    }
    out
}

/// Every process below `root` (children, their children, ...).
fn descendants(root: i32) -> Vec<Proc> {
    let all = all_procs();
    let mut found: Vec<Proc> = Vec::new();
    let mut frontier = vec![root];
    while let Some(p) = frontier.pop() {
        for c in all.iter().filter(|c| c.ppid == p) {
            frontier.push(c.pid);
            found.push(c.clone());
        }
    }
    found
}

/// The directory of `pid`'s cgroup in the v1 hierarchy of `controller` (or v2 with "").
fn cgroup_dir(pid: i32, controller: &str) -> Option<PathBuf> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/cgroup")).ok()?;
    let path = text.lines().find_map(|l| {
        let mut f = l.splitn(3, ':');
        let (_, ctl, path) = (f.next()?, f.next()?, f.next()?);
        let hit = if controller.is_empty() {
            ctl.is_empty()
        } else {
            ctl.split(',').any(|c| c == controller)
        };
        hit.then(|| path.to_string())
    })?;
    let mountinfo = std::fs::read_to_string("/proc/self/mountinfo").ok()?;
    let mount = mountinfo.lines().find_map(|l| {
        let (left, right) = l.split_once(" - ")?;
        let mut r = right.split_whitespace();
        let fs = r.next()?;
        let opts = r.nth(1)?;
        let mp = left.split_whitespace().nth(4)?;
        let hit = if controller.is_empty() {
            fs == "cgroup2"
        } else {
            fs == "cgroup" && opts.split(',').any(|o| o == controller)
        };
        hit.then(|| mp.to_string())
    })?;
    Some(PathBuf::from(mount).join(path.trim_start_matches('/')))
}

fn read(p: &std::path::Path) -> String {
    std::fs::read_to_string(p)
        .unwrap_or_default()
        .trim()
        .to_string()
}

fn wait_until(what: &str, ok: impl Fn() -> bool) {
    let start = Instant::now();
    while !ok() {
        assert!(start.elapsed() < TIMEOUT, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// What the demos made, removed should the test fail before the tour removed it.
#[derive(Default)]
struct Guard {
    pids: BTreeSet<i32>,
    dirs: BTreeSet<PathBuf>,
    root: Option<PathBuf>,
}

impl Drop for Guard {
    fn drop(&mut self) {
        for pid in &self.pids {
            // Only a process still the tour's (its command line says so) is killed.
            let args = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            let args = String::from_utf8_lossy(&args);
            if args.contains("tour-pingpong")
                || args.contains("sleep\u{0}3600")
                || args.contains("while :; do sleep 1; done")
            {
                // SAFETY: kill(2) on a process this test's tour started (checked above).
                unsafe { libc::kill(*pid, libc::SIGKILL) };
            }
        }
        std::thread::sleep(Duration::from_millis(300));
        let mut dirs: Vec<&PathBuf> = self.dirs.iter().collect();
        dirs.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
        for d in dirs {
            let _ = std::fs::remove_dir(d);
        }
        if let Some(r) = &self.root
            && r.starts_with(std::env::temp_dir())
        {
            let _ = std::fs::remove_dir_all(r);
        }
    }
}

/// Confirms the plan the demo key opened, waits until `done` holds (in the kernel), then
/// until the key bar says what `d` does next (`then`): the tour has heard the result.
fn demo(t: &Tmux, what: &str, done: impl Fn() -> bool, then: &str) {
    t.keys(&["d"]);
    t.wait_for(&format!("the plan of {what}"), |s| s.contains("Confirm ("));
    t.keys(&["y"]);
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < TIMEOUT,
            "timed out waiting for {what} in the kernel; the screen was:\n{}",
            t.screen()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    t.wait_for(&format!("the key bar after {what} ({then:?})"), |s| {
        s.lines().last().is_some_and(|l| bar_says(l, then))
    });
}

/// Whether the key bar's line (cut at the terminal's width) ends with `then`, or shows as
/// much of it as fits.
fn bar_says(line: &str, then: &str) -> bool {
    let line = line.trim_end();
    if line.ends_with(then) {
        return true;
    }
    // Cut: what follows the bar's last " · d " is the start of `then`.
    let Some((_, tail)) = line.rsplit_once(" · d ") else {
        return false;
    };
    tail.chars().count() >= 8 && then.starts_with(tail)
}

fn run_tour(lang: Lang, size: (u16, u16), demos: bool, leave_with: &str) {
    let tx = text(lang).unwrap();
    let t = Tmux::start();
    t.resize(size.0, size.1);
    let code = match lang {
        Lang::En => "en",
        Lang::Zh => "zh",
    };
    t.type_line(&format!("{BOXTOP} tour --lang {code}"));
    let idle = tx.ui("keys_idle", &[]);
    let stage = |k: &str| tx.cgroup_stage(k).to_string();
    let step_words = |n: usize| tx.ui("step", &[("n", &n.to_string()), ("total", "6")]);
    t.wait_for("the tour's first step", |s| s.contains(&step_words(1)));
    let boxtop = boxtop_child_of(t.shell_pid());
    let mut guard = Guard::default();
    let own_dirs = |guard: &mut Guard, pid: i32| {
        for c in ["memory", "cpu", "cpuacct", "freezer", "pids", ""] {
            if let Some(d) = cgroup_dir(pid, c) {
                guard.dirs.insert(d);
            }
        }
    };
    for (i, step) in Step::ALL.iter().enumerate() {
        let n = i + 1;
        let title = &tx.steps[i].title;
        let s = t.wait_for(&format!("step {n}"), |s| s.contains(&step_words(n)));
        let head: String = title.chars().take(8).collect();
        assert!(s.contains(&head), "step {n}'s title {title:?}:\n{s}");
        if demos {
            match step {
                Step::AddressSpace => {
                    t.keys(&["d"]);
                    scroll_to(
                        &t,
                        &tx.ui("gaps_title", &[]).chars().take(8).collect::<String>(),
                    );
                }
                Step::Threads => {
                    let started = |f: &dyn Fn(&Proc) -> bool| descendants(boxtop).iter().any(f);
                    let pingpong = |p: &Proc| {
                        p.args.ends_with(" tour-pingpong") && !p.args.contains("spawn-helper")
                    };
                    demo(&t, "the token demo", || started(&pingpong), &idle);
                    let pid = wait_child(boxtop, pingpong);
                    guard.pids.insert(pid);
                    // Its two threads, by the names they gave themselves.
                    wait_until("the token threads", || {
                        let names: BTreeSet<String> =
                            std::fs::read_dir(format!("/proc/{pid}/task"))
                                .map(|d| {
                                    d.flatten().map(|e| read(&e.path().join("comm"))).collect()
                                })
                                .unwrap_or_default();
                        names.contains("token-ping") && names.contains("token-pong")
                    });
                    // The panel lists them with their switches per second (H read them).
                    let after_name = tx.ui("thread_rows", &[]);
                    let sep = after_name
                        .split("{name}")
                        .nth(1)
                        .and_then(|r| r.chars().next())
                        .unwrap_or(':');
                    scroll_to(&t, &format!("token-pong{sep}"));
                }
                Step::Cgroups => {
                    let sleeper = |p: &Proc| p.args == "sleep 3600";
                    demo(
                        &t,
                        "the child started",
                        || descendants(boxtop).iter().any(sleeper),
                        &stage("move"),
                    );
                    let child = wait_child(boxtop, sleeper);
                    guard.pids.insert(child);
                    let mem = || cgroup_dir(child, "memory").unwrap_or_default();
                    demo(
                        &t,
                        "the move",
                        || mem().ends_with(format!("boxtop-{child}")),
                        &stage("memory"),
                    );
                    own_dirs(&mut guard, child);
                    let mem = mem();
                    let limit = || read(&mem.join("memory.limit_in_bytes"));
                    demo(
                        &t,
                        "the memory limit",
                        || limit() == (64u64 << 20).to_string(),
                        &stage("cpu"),
                    );
                    let cpu = cgroup_dir(child, "cpu").unwrap();
                    demo(
                        &t,
                        "the cpu limit",
                        || read(&cpu.join("cpu.cfs_quota_us")) == "20000",
                        &stage("freeze"),
                    );
                    // The freeze is made where the kernel offers it: v2's cgroup.freeze on a
                    // host that has it (here, the unified hierarchy), else v1's freezer.
                    let v2 = cgroup_dir(child, "").map(|d| d.join("cgroup.events"));
                    let v1 = cgroup_dir(child, "freezer").map(|d| d.join("freezer.state"));
                    let frozen = || {
                        v2.as_ref().is_some_and(|e| read(e).contains("frozen 1"))
                            || v1.as_ref().is_some_and(|f| read(f) == "FROZEN")
                    };
                    demo(&t, "the freeze", frozen, &stage("thaw"));
                    demo(&t, "the thaw", || !frozen(), &stage("remove"));
                    demo(&t, "the kill", || !alive(child), &stage("start"));
                }
                Step::Namespaces => {
                    let sandbox = |p: &Proc| p.comm == "sh" && p.args.contains("while :");
                    demo(
                        &t,
                        "the sandbox",
                        || descendants(boxtop).iter().any(sandbox),
                        &idle,
                    );
                    let sh = wait_child(boxtop, sandbox);
                    // The panel says what it sees inside (pid 1, the tour's host name), a
                    // few pages down.
                    let facts = tx.ui("sandbox_facts", &[("nspid", "1"), ("host", "boxtop-tour")]);
                    let head: String = facts.split("{procs}").next().unwrap_or("").to_string();
                    scroll_to(&t, &head);
                    guard.pids.insert(sh);
                    let nspid = std::fs::read_to_string(format!("/proc/{sh}/status"))
                        .unwrap()
                        .lines()
                        .find(|l| l.starts_with("NSpid:"))
                        .unwrap()
                        .to_string();
                    assert!(nspid.trim_end().ends_with("\t1"), "pid 1 inside: {nspid}");
                    for ns in ["pid", "mnt", "uts", "net", "ipc", "cgroup"] {
                        let mine = std::fs::read_link(format!("/proc/self/ns/{ns}")).unwrap();
                        let theirs = std::fs::read_link(format!("/proc/{sh}/ns/{ns}")).unwrap();
                        assert_ne!(mine, theirs, "a new {ns} namespace");
                    }
                }
                Step::Chroot => {
                    if !std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
                        .any(|d| d.join("busybox").is_file())
                    {
                        eprintln!(
                            "SKIP the chroot demo: no busybox (apt-get install busybox-static)"
                        );
                    } else {
                        let scratch = std::env::temp_dir();
                        let made = || {
                            std::fs::read_dir(&scratch).unwrap().flatten().any(|e| {
                                e.file_name().to_string_lossy()
                                    == format!("boxtop-tour-root-{boxtop}")
                            })
                        };
                        let chroot_words = tx.steps[4].demo.clone();
                        demo(&t, "the root made", made, &chroot_words);
                        guard.root = Some(scratch.join(format!("boxtop-tour-root-{boxtop}")));
                        let known = guard.pids.clone();
                        let second = |p: &Proc| {
                            p.comm == "sh" && p.args.contains("while :") && !known.contains(&p.pid)
                        };
                        demo(
                            &t,
                            "the sandbox in its root",
                            || descendants(boxtop).iter().any(second),
                            &idle,
                        );
                        let sh = wait_child(boxtop, second);
                        guard.pids.insert(sh);
                        let root = std::fs::read_link(format!("/proc/{sh}/root")).unwrap();
                        assert!(
                            root.file_name()
                                .unwrap()
                                .to_string_lossy()
                                .starts_with("boxtop-tour-root-"),
                            "{}",
                            root.display()
                        );
                        assert!(root.join("bin/busybox").is_file());
                    }
                }
                Step::Lxc => {
                    let sandbox = *guard.pids.iter().max().unwrap();
                    let mem = || cgroup_dir(sandbox, "memory").unwrap_or_default();
                    demo(
                        &t,
                        "the sandbox's move",
                        || mem().ends_with(format!("boxtop-{sandbox}")),
                        &tx.ui("limit_sandbox", &[]),
                    );
                    own_dirs(&mut guard, sandbox);
                    let mem = mem();
                    let idle_last = tx.ui("keys_idle", &[]);
                    demo(
                        &t,
                        "the sandbox's limits",
                        || read(&mem.join("memory.limit_in_bytes")) == (64u64 << 20).to_string(),
                        &idle_last,
                    );
                }
            }
        }
        if n < Step::ALL.len() {
            t.keys(&["Right"]);
        }
    }
    // Back one step and forward again: ← works.
    t.keys(&["Left"]);
    t.wait_for("step 5 again", |s| s.contains(&step_words(5)));
    t.keys(&["Space"]);
    t.wait_for("step 6 again", |s| s.contains(&step_words(6)));
    t.keys(&[leave_with]);
    t.wait_text(PROMPT_SHOWN);
    wait_gone(boxtop);
    // Nothing the demos made is left.
    for pid in &guard.pids {
        wait_until(&format!("process {pid} gone"), || !alive(*pid));
    }
    for d in &guard.dirs {
        assert!(!d.exists(), "{} left behind", d.display());
    }
    if let Some(r) = &guard.root {
        assert!(!r.exists(), "{} left behind", r.display());
    }
}

/// Pages the tour's text down until `text` shows (the panel is shorter than its text).
fn scroll_to(t: &Tmux, text: &str) {
    let start = Instant::now();
    loop {
        for _ in 0..12 {
            if t.screen().contains(text) {
                return;
            }
            t.keys(&["PageDown"]);
            std::thread::sleep(Duration::from_millis(150));
        }
        assert!(
            start.elapsed() < TIMEOUT,
            "{text:?} never showed in the tour's text:\n{}",
            t.screen()
        );
        for _ in 0..12 {
            t.keys(&["PageUp"]);
        }
        std::thread::sleep(Duration::from_millis(300));
    }
}

/// The first descendant of boxtop that `f` accepts, once it is there.
fn wait_child(boxtop: i32, f: impl Fn(&Proc) -> bool) -> i32 {
    let start = Instant::now();
    loop {
        if let Some(p) = descendants(boxtop).iter().find(|p| f(p)) {
            return p.pid;
        }
        assert!(
            start.elapsed() < TIMEOUT,
            "no such child of boxtop {boxtop}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn root() -> bool {
    nix::unistd::geteuid().is_root()
}

#[test]
fn english_at_160x45_with_every_demo() {
    require_tmux!();
    run_tour(Lang::En, (160, 45), root(), "q");
}

#[test]
fn chinese_at_80x24_with_every_demo() {
    require_tmux!();
    // Ctrl-C, not q: the demos are removed however the tour ends.
    run_tour(Lang::Zh, (80, 24), root(), "C-c");
}

#[test]
fn english_at_80x24() {
    require_tmux!();
    run_tour(Lang::En, (80, 24), false, "q");
}

#[test]
fn chinese_at_160x45() {
    require_tmux!();
    run_tour(Lang::Zh, (160, 45), false, "q");
}

/// `w` in the dashboard opens the tour on its first step; `q` leaves it for the dashboard,
/// which goes on (a second `q` quits it).
#[test]
fn w_opens_the_tour_in_the_dashboard_and_q_comes_back() {
    require_tmux!();
    let tx = text(Lang::En).unwrap();
    let t = Tmux::start();
    t.type_line(&format!("env LANG=C.UTF-8 {BOXTOP}"));
    t.wait_for("the dashboard", |s| {
        s.contains(" 1 Processes") && s.contains("4 Cgroups")
    });
    t.keys(&["w"]);
    let first = tx.ui("step", &[("n", "1"), ("total", "6")]);
    t.wait_for("the tour", |s| s.contains(&first));
    t.keys(&["Right"]);
    t.wait_for("step 2", |s| {
        s.contains(&tx.ui("step", &[("n", "2"), ("total", "6")]))
    });
    t.keys(&["q"]);
    t.wait_for("the dashboard again", |s| {
        s.contains(" 1 Processes") && s.contains("4 Cgroups") && !s.contains(&first)
    });
    let boxtop = boxtop_child_of(t.shell_pid());
    assert!(alive(boxtop), "q left the tour, not the dashboard");
    t.keys(&["q"]);
    t.wait_text(PROMPT_SHOWN);
    wait_gone(boxtop);
}
