//! End-to-end: `H` shows the threads of the test's own child under it, `H` again hides them,
//! and Enter lists them in the threads view; the real binary in tmux (tests/support/tmux.rs).
//!
//! The child is this test binary re-run with [`CHILD`] set: three threads name themselves
//! `bx-worker-1` to `-3` (prctl PR_SET_NAME) and wait; it prints `ready` with their tids and
//! blocks on stdin. It is killed and reaped when the test ends, pass or fail.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

#[macro_use]
#[path = "support/tmux.rs"]
mod tmux;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use tmux::*;

const CHILD: &str = "BOXTOP_E2E_THREADS_CHILD";
const WORKERS: [&str; 3] = ["bx-worker-1", "bx-worker-2", "bx-worker-3"];

/// The child's side. In a normal test run it does nothing.
#[test]
fn child_process() {
    if std::env::var_os(CHILD).is_none() {
        return;
    }
    let (tx, rx) = std::sync::mpsc::channel();
    for name in WORKERS {
        let tx = tx.clone();
        std::thread::spawn(move || {
            let cname = std::ffi::CString::new(name).unwrap();
            // SAFETY: PR_SET_NAME reads a NUL-terminated string of at most 16 bytes.
            unsafe { libc::prctl(libc::PR_SET_NAME, cname.as_ptr(), 0, 0, 0) };
            // SAFETY: gettid has no preconditions.
            let tid = unsafe { libc::gettid() };
            tx.send(format!("{name}={tid}")).unwrap();
            drop(tx);
            loop {
                std::thread::park();
            }
        });
    }
    drop(tx);
    let named: Vec<String> = rx.iter().collect();
    println!("ready {}", named.join(" "));
    let _ = std::io::Write::flush(&mut std::io::stdout());
    let mut buf = [0u8; 64];
    // SAFETY: reads into a buffer of the length given.
    while unsafe { libc::read(0, buf.as_mut_ptr().cast(), buf.len()) } > 0 {}
}

/// Starts the child; its process (killed and reaped on drop), its pid and its workers' tids
/// in the order of [`WORKERS`].
fn start_child() -> (Started, i32, Vec<i32>) {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_process",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn child");
    let stdout = child.stdout.take().unwrap();
    let pid = i32::try_from(child.id()).unwrap();
    let started = Started(vec![child]);
    let line = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .find_map(|l| l.split_once("ready ").map(|(_, t)| t.to_string()))
        .expect("the child says ready");
    let tids = WORKERS
        .iter()
        .map(|want| {
            line.split(' ')
                .find_map(|w| w.strip_prefix(&format!("{want}=")))
                .and_then(|t| t.parse().ok())
                .unwrap_or_else(|| panic!("no {want} in {line:?}"))
        })
        .collect();
    (started, pid, tids)
}

/// The table's row of `id` (a pid or tid in the PID column), by its line on the screen.
fn line_of(screen: &str, id: i32) -> Option<usize> {
    screen.lines().position(|l| {
        l.trim_start_matches('│')
            .split_whitespace()
            .next()
            .is_some_and(|first| first == id.to_string())
    })
}

#[test]
fn h_shows_the_threads_under_their_process_and_enter_lists_them() {
    require_tmux!();
    let (_child, pid, tids) = start_child();
    let t = Tmux::start();
    let earlier = t.mark_shell_screen();
    t.start_boxtop("--interval 1");
    // The child alone in the table.
    t.keys(&["/"]);
    t.wait_text("Filter:");
    t.run(&["send-keys", "-t", "e2e", "-l", &format!("pid:{pid}")]);
    t.keys(&["Enter"]);
    t.wait_for("the child alone", |s| {
        s.contains("(1 shown") && line_of(s, pid).is_some()
    });

    t.keys(&["H"]);
    let s = t.wait_for("the child's threads under it", |s| {
        WORKERS.iter().all(|w| s.contains(&format!("└─{w}")))
    });
    println!("the table with H on:\n{s}");
    let process = line_of(&s, pid).expect("the process's row");
    for (name, tid) in WORKERS.iter().zip(&tids) {
        let at = line_of(&s, *tid).unwrap_or_else(|| panic!("no row of thread {tid}:\n{s}"));
        let line = s.lines().nth(at).unwrap();
        assert!(line.contains(&format!("└─{name}")), "{line}");
        assert!(
            at > process && at <= process + 4,
            "thread {tid} not under its process:\n{s}"
        );
    }
    assert!(
        s.contains("WCHAN") && s.contains("VCS/s"),
        "the threads' columns:\n{s}"
    );
    assert!(
        s.contains(" threads · every"),
        "the header counts the threads:\n{s}"
    );

    t.keys(&["H"]);
    t.wait_for("the threads hidden", |s| {
        !s.contains("bx-worker") && line_of(s, pid).is_some() && !s.contains("WCHAN")
    });

    // Enter: the threads view of the selected process, its threads by name and tid.
    t.keys(&["Enter"]);
    let s = t.wait_for("the threads view", |s| {
        s.contains(&format!("Threads of {pid}")) && WORKERS.iter().all(|w| s.contains(w))
    });
    println!("the threads view:\n{s}");
    for (name, tid) in WORKERS.iter().zip(&tids) {
        assert!(
            s.lines()
                .any(|l| l.contains(&format!(" {tid} ")) && l.contains(name)),
            "no line of {name} ({tid}):\n{s}"
        );
    }
    t.keys(&["Escape"]);
    t.wait_for("the view closed", |s| !s.contains("Threads of"));

    t.keys(&["q"]);
    t.assert_restored(&earlier);
}
