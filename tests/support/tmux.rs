//! Driving the real binary in a private tmux server, as a person would (shared by the
//! end-to-end tests). Each `Tmux` is its own server on a private socket
//! (`tmux -L boxtop-test-PID-N`) with one 160x45 window running `bash --norc --noprofile`;
//! it is killed when dropped, pass or fail. Only processes a test starts are ever signalled.
//! The shell reads no config file (XDG_CONFIG_HOME names none) unless a test gives it one.

#![allow(
    dead_code,
    reason = "shared by several test crates; each uses only part of it"
)]

use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

pub(crate) const BOXTOP: &str = env!("CARGO_BIN_EXE_boxtop");
/// How long to wait for something to appear on screen (other builds may load the machine).
pub(crate) const TIMEOUT: Duration = Duration::from_secs(20);
pub(crate) const PROMPT: &str = "e2e> ";
/// The prompt as capture-pane shows it (trailing spaces are trimmed).
pub(crate) const PROMPT_SHOWN: &str = "e2e>";

pub(crate) static NEXT: AtomicUsize = AtomicUsize::new(0);

pub(crate) fn have_tmux() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[macro_export]
macro_rules! require_tmux {
    () => {
        if !have_tmux() {
            eprintln!("SKIP: tmux is not installed (apt-get install -y tmux)");
            return;
        }
    };
}

/// One private tmux server with one window running an interactive bash.
pub(crate) struct Tmux {
    socket: String,
    /// The socket file, removed with the server.
    socket_path: Option<String>,
}

impl Tmux {
    pub(crate) fn start() -> Tmux {
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        let mut t = Tmux {
            socket: format!("boxtop-test-{}-{n}", std::process::id()),
            socket_path: None,
        };
        // No config file of the person running the tests (a test that wants one exports its
        // own XDG_CONFIG_HOME), and colours whatever NO_COLOR the run has.
        let shell = format!(
            "env -u NO_COLOR PS1='{PROMPT}' HISTFILE=/dev/null LANG=C.UTF-8 LC_ALL=C.UTF-8 \
             XDG_CONFIG_HOME=/nonexistent/boxtop-tests bash --norc --noprofile"
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
    pub(crate) fn run(&self, args: &[&str]) -> Vec<u8> {
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

    pub(crate) fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "e2e"];
        args.extend_from_slice(keys);
        self.run(&args);
    }

    /// Types a line literally, then Enter.
    pub(crate) fn type_line(&self, line: &str) {
        self.run(&["send-keys", "-t", "e2e", "-l", line]);
        self.keys(&["Enter"]);
    }

    /// The screen as text.
    pub(crate) fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "e2e"])).into_owned()
    }

    /// The screen as tmux holds it, with the attributes as escape sequences (`-e`).
    pub(crate) fn raw_screen(&self) -> Vec<u8> {
        self.run(&["capture-pane", "-e", "-p", "-t", "e2e"])
    }

    /// A tmux format of the pane, like `#{alternate_on}`.
    pub(crate) fn format(&self, fmt: &str) -> String {
        String::from_utf8_lossy(&self.run(&["display-message", "-p", "-t", "e2e", fmt]))
            .trim()
            .to_string()
    }

    pub(crate) fn resize(&self, w: u16, h: u16) {
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
    pub(crate) fn wait_for(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
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

    pub(crate) fn wait_text(&self, text: &str) -> String {
        self.wait_for(&format!("{text:?}"), |s| s.contains(text))
    }

    pub(crate) fn wait_format(&self, fmt: &str, want: &str) {
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

    pub(crate) fn shell_pid(&self) -> i32 {
        self.format("#{pane_pid}").parse().expect("pane pid")
    }

    /// Prints a marker on the shell's own screen (to see it again once boxtop has left).
    pub(crate) fn mark_shell_screen(&self) -> String {
        let n = NEXT.fetch_add(1, Ordering::SeqCst) + 10;
        self.type_line(&format!("echo before-$(({n}*7))-mark"));
        let mark = format!("before-{}-mark", n * 7);
        self.wait_text(&mark);
        mark
    }

    /// Starts boxtop from the shell, waits for its first snapshot on screen, returns its pid.
    pub(crate) fn start_boxtop(&self, args: &str) -> i32 {
        self.type_line(&format!("{BOXTOP} {args}"));
        self.wait_for("the dashboard with its first snapshot", |s| {
            s.contains(" 1 Processes") && s.contains(" processes (") && s.contains("4 Cgroups")
        });
        self.wait_format("#{alternate_on}", "1");
        boxtop_child_of(self.shell_pid())
    }

    /// The terminal is back to normal: main screen, no mouse reporting, cursor shown, cooked
    /// mode with echo, and the shell answers.
    pub(crate) fn assert_restored(&self, earlier: &str) {
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
pub(crate) struct Started(pub Vec<Child>);

impl Drop for Started {
    fn drop(&mut self) {
        for c in &mut self.0 {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

pub(crate) fn stat_fields(pid: i32) -> Option<(char, i32)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let mut f = rest.split(' ');
    let state = f.next()?.chars().next()?;
    let ppid = f.next()?.parse().ok()?;
    Some((state, ppid))
}

/// The boxtop process that the pane's shell started (waits for it to appear).
pub(crate) fn boxtop_child_of(shell: i32) -> i32 {
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

pub(crate) fn alive(pid: i32) -> bool {
    stat_fields(pid).is_some_and(|(state, _)| state != 'Z' && state != 'X')
}

pub(crate) fn wait_gone(pid: i32) {
    let start = Instant::now();
    while alive(pid) {
        assert!(start.elapsed() < TIMEOUT, "boxtop {pid} did not exit");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The pid shown in the process pane's title ("selected N (comm)").
pub(crate) fn selected_pid(screen: &str) -> Option<i32> {
    let at = screen.find("· selected ")? + "· selected ".len();
    screen[at..]
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

/// The last non-empty line of the screen: the key bar.
pub(crate) fn key_bar(screen: &str) -> &str {
    bottom_lines(screen).1
}

/// The status line and the key bar (the last two lines of the dashboard).
pub(crate) fn bottom_lines(screen: &str) -> (&str, &str) {
    let lines: Vec<&str> = screen.lines().collect();
    match lines.iter().rposition(|l| !l.trim().is_empty()) {
        Some(i) if i > 0 => (lines[i - 1], lines[i]),
        Some(i) => ("", lines[i]),
        None => ("", ""),
    }
}

/// A `sleep 300` whose command line carries a unique word.
pub(crate) fn marked_sleep(word: &str) -> Child {
    Command::new("sleep")
        .arg0(word)
        .arg("300")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("sleep starts")
}
