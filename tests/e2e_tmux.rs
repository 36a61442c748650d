//! End-to-end: the real binary in a real terminal (tmux), driven as a person would.
//!
//! Each test gets its own tmux server on a private socket (`tmux -L boxtop-test-PID-N`), one
//! 160x45 window running `bash --norc --noprofile`, types commands with send-keys and reads the
//! screen with capture-pane. The server is killed when the test ends, pass or fail. Only
//! processes the test starts are ever signalled. Without tmux every test prints SKIP and passes.

use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const BOXTOP: &str = env!("CARGO_BIN_EXE_boxtop");
/// How long to wait for something to appear on screen (other builds may load the machine).
const TIMEOUT: Duration = Duration::from_secs(20);
const PROMPT: &str = "e2e> ";
/// The prompt as capture-pane shows it (trailing spaces are trimmed).
const PROMPT_SHOWN: &str = "e2e>";

static NEXT: AtomicUsize = AtomicUsize::new(0);

fn have_tmux() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

macro_rules! require_tmux {
    () => {
        if !have_tmux() {
            eprintln!("SKIP: tmux is not installed (apt-get install -y tmux)");
            return;
        }
    };
}

/// One private tmux server with one window running an interactive bash.
struct Tmux {
    socket: String,
    /// The socket file, removed with the server.
    socket_path: Option<String>,
}

impl Tmux {
    fn start() -> Tmux {
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        let mut t = Tmux {
            socket: format!("boxtop-test-{}-{n}", std::process::id()),
            socket_path: None,
        };
        let shell = format!(
            "env PS1='{PROMPT}' HISTFILE=/dev/null LANG=C.UTF-8 LC_ALL=C.UTF-8 \
             bash --norc --noprofile"
        );
        t.run(&[
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-x",
            "160",
            "-y",
            "45",
            "-s",
            "e2e",
            &shell,
        ]);
        t.socket_path = Some(t.format("#{socket_path}")).filter(|p| !p.is_empty());
        t.wait_for("the shell prompt", |s| s.contains(PROMPT_SHOWN));
        t
    }

    /// Runs a tmux command against this server; panics if tmux fails.
    fn run(&self, args: &[&str]) -> Vec<u8> {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("tmux runs");
        assert!(
            out.status.success(),
            "tmux {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "e2e"];
        args.extend_from_slice(keys);
        self.run(&args);
    }

    /// Types a line literally, then Enter.
    fn type_line(&self, line: &str) {
        self.run(&["send-keys", "-t", "e2e", "-l", line]);
        self.keys(&["Enter"]);
    }

    /// The screen as text.
    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "e2e"])).into_owned()
    }

    /// The screen as tmux holds it, with the attributes as escape sequences (`-e`).
    fn raw_screen(&self) -> Vec<u8> {
        self.run(&["capture-pane", "-e", "-p", "-t", "e2e"])
    }

    /// A tmux format of the pane, like `#{alternate_on}`.
    fn format(&self, fmt: &str) -> String {
        String::from_utf8_lossy(&self.run(&["display-message", "-p", "-t", "e2e", fmt]))
            .trim()
            .to_string()
    }

    fn resize(&self, w: u16, h: u16) {
        self.run(&[
            "resize-window",
            "-t",
            "e2e",
            "-x",
            &w.to_string(),
            "-y",
            &h.to_string(),
        ]);
    }

    /// Polls the screen until `ok` holds; panics with the last screen after TIMEOUT.
    fn wait_for(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if ok(&s) {
                return s;
            }
            if start.elapsed() > TIMEOUT {
                panic!("timed out waiting for {what}; the screen was:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn wait_text(&self, text: &str) -> String {
        self.wait_for(&format!("{text:?}"), |s| s.contains(text))
    }

    fn wait_format(&self, fmt: &str, want: &str) {
        let start = Instant::now();
        loop {
            let v = self.format(fmt);
            if v == want {
                return;
            }
            if start.elapsed() > TIMEOUT {
                panic!(
                    "timed out waiting for {fmt} = {want} (it is {v}); the screen was:\n{}",
                    self.screen()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn shell_pid(&self) -> i32 {
        self.format("#{pane_pid}").parse().expect("pane pid")
    }

    /// Prints a marker on the shell's own screen (to see it again once boxtop has left).
    fn mark_shell_screen(&self) -> String {
        let n = NEXT.fetch_add(1, Ordering::SeqCst) + 10;
        self.type_line(&format!("echo before-$(({n}*7))-mark"));
        let mark = format!("before-{}-mark", n * 7);
        self.wait_text(&mark);
        mark
    }

    /// Starts boxtop from the shell, waits for its first snapshot on screen, returns its pid.
    fn start_boxtop(&self, args: &str) -> i32 {
        self.type_line(&format!("{BOXTOP} {args}"));
        self.wait_for("the dashboard with its first snapshot", |s| {
            s.contains(" 1 Processes") && s.contains(" processes (") && s.contains("4 Cgroups")
        });
        self.wait_format("#{alternate_on}", "1");
        boxtop_child_of(self.shell_pid())
    }

    /// The terminal is back to normal: main screen, no mouse reporting, cursor shown, cooked
    /// mode with echo, and the shell answers.
    fn assert_restored(&self, earlier: &str) {
        self.wait_format("#{alternate_on}", "0");
        for flag in [
            "mouse_any_flag",
            "mouse_button_flag",
            "mouse_standard_flag",
            "mouse_sgr_flag",
        ] {
            assert_eq!(self.format(&format!("#{{{flag}}}")), "0", "{flag} left on");
        }
        assert_eq!(self.format("#{cursor_flag}"), "1", "cursor left hidden");
        let s = self.wait_text(PROMPT_SHOWN);
        assert!(
            s.contains(earlier),
            "the shell's earlier output ({earlier}) is not visible again:\n{s}"
        );
        // stty of the pane's terminal: any of these switched off means raw mode was left on.
        self.type_line(
            "if stty -a | tr ' ;' '\\n\\n' | grep -qxE -- '-(icanon|echo|isig|icrnl|opost)'; \
             then echo TTY-RAW-$((2*2)); else echo TTY-SANE-$((3*3)); fi",
        );
        let s = self.wait_for("the stty verdict", |s| {
            s.contains("TTY-SANE-9") || s.contains("TTY-RAW-4")
        });
        assert!(
            s.contains("TTY-SANE-9"),
            "terminal left in raw mode:\n{s}\n{}",
            String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "e2e"]))
        );
        self.type_line("echo done-$((6*7))-ok");
        self.wait_text("done-42-ok");
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .arg("kill-server")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        if let Some(path) = &self.socket_path {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Processes the test started; killed and reaped when the test ends.
struct Started(Vec<Child>);

impl Drop for Started {
    fn drop(&mut self) {
        for c in &mut self.0 {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn stat_fields(pid: i32) -> Option<(char, i32)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let mut f = rest.split(' ');
    let state = f.next()?.chars().next()?;
    let ppid = f.next()?.parse().ok()?;
    Some((state, ppid))
}

/// The boxtop process that the pane's shell started (waits for it to appear).
fn boxtop_child_of(shell: i32) -> i32 {
    let start = Instant::now();
    loop {
        for e in std::fs::read_dir("/proc").expect("/proc").flatten() {
            let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else {
                continue;
            };
            let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
            if comm.trim_end() == "boxtop"
                && stat_fields(pid).is_some_and(|(_, ppid)| ppid == shell)
            {
                return pid;
            }
        }
        assert!(
            start.elapsed() < TIMEOUT,
            "no boxtop child of the shell {shell}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn alive(pid: i32) -> bool {
    stat_fields(pid).is_some_and(|(state, _)| state != 'Z' && state != 'X')
}

fn wait_gone(pid: i32) {
    let start = Instant::now();
    while alive(pid) {
        assert!(start.elapsed() < TIMEOUT, "boxtop {pid} did not exit");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The pid shown in the process pane's title ("selected N (comm)").
fn selected_pid(screen: &str) -> Option<i32> {
    let at = screen.find("· selected ")? + "· selected ".len();
    screen[at..]
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

/// The last non-empty line of the screen: the key bar.
fn key_bar(screen: &str) -> &str {
    bottom_lines(screen).1
}

/// The status line and the key bar (the last two lines of the dashboard).
fn bottom_lines(screen: &str) -> (&str, &str) {
    let lines: Vec<&str> = screen.lines().collect();
    match lines.iter().rposition(|l| !l.trim().is_empty()) {
        Some(i) if i > 0 => (lines[i - 1], lines[i]),
        Some(i) => ("", lines[i]),
        None => ("", ""),
    }
}

/// A `sleep 300` whose command line carries a unique word.
fn marked_sleep(word: &str) -> Child {
    Command::new("sleep")
        .arg0(word)
        .arg("300")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("sleep starts")
}

#[test]
fn walk_through_select_filter_panes_help_quit() {
    require_tmux!();
    let word = format!(
        "bxmark{}x{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    );
    let marked = Started(vec![marked_sleep(&word)]);
    let marked_pid = marked.0[0].id() as i32;
    let t = Tmux::start();
    let earlier = t.mark_shell_screen();
    t.start_boxtop("--interval 1");

    // The header and the four panes.
    let s = t.wait_for("a selection in the title", |s| selected_pid(s).is_some());
    assert!(s.contains(" boxtop "), "no header:\n{s}");
    for pane in ["1 Processes", "2 Memory map", "3 Namespaces", "4 Cgroups"] {
        assert!(s.contains(pane), "no {pane} pane:\n{s}");
    }
    assert!(key_bar(&s).contains("Kthreads"), "key bar:\n{s}");

    // boxtop starts on its own row; Home goes to the first row, then Down / j / k move.
    // (boxtop may itself be the first row, so Home need not change the title: give it a
    // moment rather than wait for a change.)
    let _ = selected_pid(&s);
    t.keys(&["Home"]);
    std::thread::sleep(std::time::Duration::from_millis(400));
    let mut sel = selected_pid(&t.screen()).unwrap();
    for key in ["Down", "j", "j", "k"] {
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

    // Tab cycles the focus; the key bar follows it.
    for (n, want) in ["Scroll", "This/All", "Fold", "Kthreads"]
        .iter()
        .enumerate()
    {
        t.keys(&["Tab"]);
        t.wait_for(
            &format!("key bar after {} Tab(s) to offer {want}", n + 1),
            |s| key_bar(s).contains(want),
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

/// A v2 cgroup this test creates under its own, with a `sleep` of its own (in a session of
/// its own, so that boxtop does not protect it), thawed, emptied and removed on drop.
struct OwnFrozenGroup {
    dir: std::path::PathBuf,
    child: std::process::Child,
}

impl Drop for OwnFrozenGroup {
    fn drop(&mut self) {
        let _ = std::fs::write(self.dir.join("cgroup.freeze"), "0");
        let _ = self.child.kill();
        let _ = self.child.wait();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(3);
        while std::fs::remove_dir(&self.dir).is_err()
            && self.dir.exists()
            && std::time::Instant::now() < deadline
        {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
}

fn own_v2_group() -> Option<OwnFrozenGroup> {
    if !nix::unistd::geteuid().is_root() {
        eprintln!("SKIP freeze from the keyboard: needs root");
        return None;
    }
    let snap = boxtop::kernel::cgroupfs::read_cgroups(&boxtop::kernel::Roots::live()).ok()?;
    let Some(v2) = snap.hierarchies.iter().find(|h| h.version == 2) else {
        eprintln!("SKIP freeze from the keyboard: no cgroup2 mount");
        return None;
    };
    let own = std::fs::read_to_string("/proc/self/cgroup")
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("0::").map(str::to_string))?;
    let mount = boxtop::kernel::Roots::live().cgroup_mount(&v2.mount_point)?;
    let rel = format!(
        "{}/boxtop-e2e-{}",
        own.trim_end_matches('/'),
        std::process::id()
    );
    let dir = boxtop::kernel::Roots::cgroup_dir(&mount, &rel);
    std::fs::create_dir(&dir).ok()?;
    let child = std::process::Command::new("setsid")
        .args(["sleep", "300"])
        .stdin(std::process::Stdio::null())
        .spawn()
        .ok()?;
    let group = OwnFrozenGroup { dir, child };
    std::fs::write(group.dir.join("cgroup.procs"), group.child.id().to_string()).ok()?;
    Some(group)
}

/// Select the test's own process, press f, see the write it will make, confirm with y, and
/// see the kernel report the cgroup frozen; then F and y thaw it.
#[test]
fn freeze_and_thaw_from_the_keyboard() {
    require_tmux!();
    let Some(group) = own_v2_group() else { return };
    let pid = group.child.id();
    let events = || std::fs::read_to_string(group.dir.join("cgroup.events")).unwrap_or_default();
    let t = Tmux::start();
    t.start_boxtop("");
    t.keys(&["/"]);
    t.wait_text("Filter:");
    t.run(&["send-keys", "-t", "e2e", "-l", &format!("pid:{pid}")]);
    t.keys(&["Enter"]);
    t.wait_for("the test's process selected", |s| {
        s.contains(&format!("selected {pid} (sleep)"))
    });
    t.keys(&["f"]);
    let s = t.wait_text("Will write");
    assert!(s.contains("cgroup.freeze") && s.contains("echo 1 >"), "{s}");
    assert!(
        !events().contains("frozen 1"),
        "nothing is written before y"
    );
    t.keys(&["y"]);
    t.wait_text(": frozen");
    assert!(events().contains("frozen 1"), "{}", events());
    t.keys(&["F"]);
    t.wait_text("Will write");
    t.keys(&["y"]);
    t.wait_text(": thawed");
    assert!(events().contains("frozen 0"), "{}", events());
    t.keys(&["q"]);
}
