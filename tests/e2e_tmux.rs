//! End-to-end: the real binary in a real terminal (tmux), driven as a person would.
//!
//! Each test gets its own tmux server on a private socket (`tmux -L boxtop-test-PID-N`), one
//! 160x45 window running `bash --norc --noprofile`, types commands with send-keys and reads the
//! screen with capture-pane. The server is killed when the test ends, pass or fail. Only
//! processes the test starts are ever signalled. Without tmux every test prints SKIP and passes.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

#[macro_use]
#[path = "support/tmux.rs"]
mod tmux;

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::Ordering;
use std::time::Duration;
use tmux::*;

#[test]
fn walk_through_select_filter_panes_help_quit() {
    require_tmux!();
    let word = format!(
        "bxmark{}x{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    );
    let marked = Started(vec![marked_sleep(&word)]);
    let marked_pid = i32::try_from(marked.0[0].id()).unwrap();
    let t = Tmux::start();
    let earlier = t.mark_shell_screen();
    t.start_boxtop("--interval 1");

    // The header and the four panes.
    let s = t.wait_for("a selection in the title", |s| selected_pid(s).is_some());
    assert!(s.contains(" boxtop "), "no header:\n{s}");
    for pane in ["1 Processes", "2 Memory map", "3 Namespaces", "4 Cgroups"] {
        assert!(s.contains(pane), "no {pane} pane:\n{s}");
    }
    assert!(key_bar(&s).contains("Unshare"), "key bar:\n{s}");

    // boxtop starts on its own row; Home goes to the first row, then Down and Up move.
    // (boxtop may itself be the first row, so Home need not change the title: give it a
    // moment rather than wait for a change.)
    let _ = selected_pid(&s);
    t.keys(&["Home"]);
    std::thread::sleep(Duration::from_millis(400));
    let mut sel = selected_pid(&t.screen()).unwrap();
    for key in ["Down", "Down", "Down", "Up"] {
        t.keys(&[key]);
        let s = t.wait_for(&format!("the selection to move on {key}"), |s| {
            selected_pid(s).is_some_and(|p| p != sel)
        });
        sel = selected_pid(&s).unwrap();
    }

    // `/` word Enter: only the marked process is left, the status line shows the filter.
    t.keys(&["/"]);
    t.wait_text("Filter:");
    t.run(&["send-keys", "-t", "e2e", "-l", &word]);
    t.keys(&["Enter"]);
    // Wait for the whole frame: tmux can capture a screen that is still being written.
    let s = t.wait_for("the filtered table", |s| {
        s.contains("(1 shown")
            && s.contains(&format!(" {marked_pid} "))
            && bottom_lines(s).0.contains(&word)
    });
    let status = bottom_lines(&s).0;
    assert!(
        status.contains("Filter:") && status.contains(&word),
        "status line does not show the filter: {status:?}\n{s}"
    );
    // Esc clears it.
    t.keys(&["Escape"]);
    t.wait_for("the filter cleared", |s| {
        !s.contains("(1 shown") && !bottom_lines(s).0.contains("Filter:")
    });

    // Tab cycles the focus; the key bar follows it. The containers pane (5th) takes the
    // process table's place, and the next Tab brings the table back.
    for (n, want) in ["Scroll", "This/All", "Fold", "Signal", "Unshare"]
        .iter()
        .enumerate()
    {
        t.keys(&["Tab"]);
        t.wait_for(
            &format!("key bar after {} Tab(s) to offer {want}", n + 1),
            |s| {
                let containers = s.contains("┌ 5 Containers");
                key_bar(s).contains(want) && containers == (*want == "Signal")
            },
        );
    }

    // ? opens the help; Esc closes it.
    t.keys(&["?"]);
    t.wait_text("Keys (Esc closes)");
    t.keys(&["Escape"]);
    t.wait_for("the help closed", |s| {
        !s.contains("Keys (Esc closes)") && s.contains("1 Processes")
    });

    t.keys(&["q"]);
    t.assert_restored(&earlier);
}

#[test]
fn ctrl_c_quits_and_restores() {
    require_tmux!();
    let t = Tmux::start();
    let earlier = t.mark_shell_screen();
    let pid = t.start_boxtop("");
    t.keys(&["C-c"]);
    wait_gone(pid);
    t.assert_restored(&earlier);
}

fn signal_restores(sig: libc::c_int) {
    let t = Tmux::start();
    let earlier = t.mark_shell_screen();
    let pid = t.start_boxtop("");
    assert!(pid > 1);
    // SAFETY: kill(2) on the boxtop this test started (a child of the test's own pane shell).
    assert_eq!(unsafe { libc::kill(pid, sig) }, 0);
    wait_gone(pid);
    t.assert_restored(&earlier);
}

#[test]
fn sigterm_restores_the_terminal() {
    require_tmux!();
    signal_restores(libc::SIGTERM);
}

#[test]
fn sighup_restores_the_terminal() {
    require_tmux!();
    signal_restores(libc::SIGHUP);
}

/// The terminal closes under the dashboard (the window is closed; here the tmux server is
/// killed). With SIGHUP ignored (inherited from the shell's `trap '' HUP`), boxtop learns it
/// only from the next draw failing (EIO), and stderr is that dead terminal too: it must end
/// with status 1, not abort (134) because a message to the dead stderr panicked.
#[test]
fn a_closed_terminal_ends_it_without_an_abort() {
    require_tmux!();
    let t = Tmux::start();
    let rc_file = std::env::temp_dir().join(format!("boxtop-hangup-rc-{}", std::process::id()));
    let _ = std::fs::remove_file(&rc_file);
    t.type_line(&format!(
        "trap '' HUP; {BOXTOP}; echo $? >{}",
        rc_file.display()
    ));
    t.wait_for("the dashboard with its first snapshot", |s| {
        s.contains(" processes (") && s.contains("4 Cgroups")
    });
    let pid = boxtop_child_of(t.shell_pid());
    t.run(&["kill-server"]);
    wait_gone(pid);
    let start = std::time::Instant::now();
    let rc = loop {
        let rc = std::fs::read_to_string(&rc_file).unwrap_or_default();
        if rc.ends_with('\n') || start.elapsed() > Duration::from_secs(10) {
            break rc;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let _ = std::fs::remove_file(&rc_file);
    assert_eq!(rc.trim(), "1", "exit status after the terminal closed");
}

#[test]
fn ctrl_z_suspends_and_fg_resumes() {
    require_tmux!();
    let t = Tmux::start();
    let earlier = t.mark_shell_screen();
    let pid = t.start_boxtop("");
    t.keys(&["C-z"]);
    t.wait_text("Stopped");
    assert_eq!(
        stat_fields(pid).map(|f| f.0),
        Some('T'),
        "boxtop not stopped"
    );
    t.assert_restored(&earlier);

    t.type_line("fg");
    t.wait_format("#{alternate_on}", "1");
    t.wait_for("the dashboard back", |s| {
        s.contains("1 Processes") && s.contains("4 Cgroups")
    });
    // It still takes keys.
    t.keys(&["?"]);
    t.wait_text("Keys (Esc closes)");
    t.keys(&["Escape"]);
    t.keys(&["q"]);
    wait_gone(pid);
    t.assert_restored(&earlier);
}

#[test]
fn hostile_process_names_never_reach_the_terminal() {
    require_tmux!();
    // Copies of sleep whose file names (so their comm and argv[0]) hold escape sequences.
    let dir = tempfile::Builder::new()
        .prefix("bxe2e")
        .tempdir_in("/tmp")
        .expect("temp dir");
    let word = dir
        .path()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let sleep = ["/bin/sleep", "/usr/bin/sleep"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .expect("sleep");
    let names = ["x\x1b[31mred", "\x1b]0;pwned\x07e"];
    let mut started = Started(Vec::new());
    for name in names {
        let path = dir.path().join(name);
        std::fs::copy(sleep, &path).expect("copy sleep");
        started.0.push(
            Command::new(&path)
                .arg("300")
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("hostile sleep starts"),
        );
    }

    let t = Tmux::start();
    let earlier = t.mark_shell_screen();
    t.start_boxtop("");
    // Zoom the process table (a wide command column), filter to the two, select the first.
    t.keys(&["z"]);
    t.keys(&["/"]);
    t.wait_text("Filter:");
    t.run(&["send-keys", "-t", "e2e", "-l", &word]);
    t.keys(&["Enter"]);
    let s = t.wait_for("the two hostile processes, escaped", |s| {
        s.contains("(2 shown") && s.contains("\\x1b[31mred") && s.contains("\\x1b]0;pwned\\x07")
    });
    for c in &started.0 {
        assert!(
            s.contains(&format!(" {} ", c.id())),
            "pid {} not shown:\n{s}",
            c.id()
        );
    }
    let raw = t.raw_screen();
    let has = |needle: &[u8]| raw.windows(needle.len()).any(|w| w == needle);
    assert!(
        has(b"\\x1b[31mred"),
        "escaped text not in the raw pane bytes"
    );
    assert!(
        has(b"\\x1b]0;pwned\\x07"),
        "escaped text not in the raw pane bytes"
    );
    assert!(
        !has(b"\x1b[31mred"),
        "the process's SGR reached the terminal"
    );
    assert!(
        !has(b"\x1b]0;pwned"),
        "the process's OSC reached the terminal"
    );
    let title = t.format("#{pane_title}");
    assert!(
        !title.contains("pwned"),
        "the process set the title: {title}"
    );

    t.keys(&["q"]);
    t.assert_restored(&earlier);
    drop(started);
}

#[test]
fn any_size_works_and_resizing_never_panics() {
    require_tmux!();
    let t = Tmux::start();
    let earlier = t.mark_shell_screen();
    let pid = t.start_boxtop("");
    let panes = |s: &str| {
        ["1 Processes", "2 Memory map", "3 Namespaces", "4 Cgroups"]
            .iter()
            .all(|p| s.contains(p))
    };

    t.resize(20, 5);
    t.wait_text("boxtop needs");
    assert!(alive(pid), "boxtop died at 20x5");

    t.resize(160, 45);
    t.wait_for("the four panes at 160x45", panes);

    t.resize(400, 100);
    t.wait_for("the four panes at 400x100", |s| {
        panes(s) && s.lines().any(|l| l.chars().count() > 300)
    });
    assert!(alive(pid), "boxtop died at 400x100");

    // Odd and tiny sizes, quickly one after another.
    for (w, h) in [
        (1, 1),
        (59, 15),
        (60, 14),
        (60, 15),
        (2, 40),
        (300, 2),
        (61, 16),
    ] {
        t.resize(w, h);
        std::thread::sleep(Duration::from_millis(150));
        assert!(alive(pid), "boxtop died at {w}x{h}");
    }
    std::thread::sleep(Duration::from_millis(500));
    assert!(alive(pid), "boxtop died after the resizes");

    t.resize(160, 45);
    t.wait_for("the four panes at 160x45 again", panes);
    t.keys(&["q"]);
    wait_gone(pid);
    t.assert_restored(&earlier);
}

/// A panic in the poller thread (forced through a debug-build test hook) restores the
/// terminal, and boxtop exits with a message instead of hanging.
#[test]
fn a_panic_in_a_thread_restores_the_terminal() {
    require_tmux!();
    if !cfg!(debug_assertions) {
        // The poller panics on request only in a debug build (src/app/poller.rs).
        eprintln!("SKIP: the test panic exists only in a debug build (cargo test, not --release)");
        return;
    }
    let t = Tmux::start();
    let earlier = t.mark_shell_screen();
    t.type_line(&format!(
        "BOXTOP_TEST_PANIC_IN_POLLER=1 RUST_BACKTRACE=0 {BOXTOP}"
    ));
    // The panic message is printed after the terminal is restored, on the main screen.
    t.wait_text("test panic in the poller thread");
    t.wait_text("boxtop: ");
    t.assert_restored(&earlier);
}
