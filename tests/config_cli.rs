//! `boxtop config` and the config file on the command line: the default file parses back to
//! the defaults, --save writes the settings in force and keeps an existing file without
//! --force, flags win over the file, and a bad file is one line naming file, line and key,
//! status 2. Each test has its own XDG_CONFIG_HOME and HOME in a temporary directory: the
//! real ~/.config is never read or written.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const BOXTOP: &str = env!("CARGO_BIN_EXE_boxtop");

struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new() -> Home {
        Home {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn xdg(&self) -> PathBuf {
        self.dir.path().join("xdg")
    }

    /// Where boxtop reads its file in this home.
    fn config(&self) -> PathBuf {
        self.xdg().join("boxtop/config.toml")
    }

    fn write(&self, text: &str) {
        std::fs::create_dir_all(self.config().parent().unwrap()).unwrap();
        std::fs::write(self.config(), text).unwrap();
    }

    /// boxtop with `args` in this home (NO_COLOR unset: it is no setting).
    fn run(&self, args: &[&str]) -> Output {
        Command::new(BOXTOP)
            .args(args)
            .env("XDG_CONFIG_HOME", self.xdg())
            .env("HOME", self.dir.path())
            .env_remove("NO_COLOR")
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }
}

fn stdout(o: &Output) -> String {
    assert!(
        o.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn failure(o: &Output) -> (Option<i32>, String) {
    assert!(
        !o.status.success(),
        "succeeded: {}",
        String::from_utf8_lossy(&o.stdout)
    );
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn the_default_file_saved_as_the_config_changes_nothing() {
    let home = Home::new();
    let default = stdout(&home.run(&["config", "--default"]));
    assert!(
        default.contains("\n[keys]\n") && default.contains("quit = [\"q\", \"f10\", \"ctrl-c\"]")
    );
    // Without a file the settings in force are the defaults, written the same way.
    assert_eq!(stdout(&home.run(&["config"])), default);
    home.write(&default);
    assert_eq!(
        stdout(&home.run(&["config"])),
        default,
        "the file changed something"
    );
}

#[test]
fn save_writes_the_settings_in_force_and_never_over_a_file_unasked() {
    let home = Home::new();
    // Nothing there: --save makes the directories and the file, and says where.
    let out = stdout(&home.run(&["--interval", "2.5", "config", "--save"]));
    let path = home.config().display().to_string();
    assert!(out.contains(&path), "{out}");
    let saved = std::fs::read_to_string(home.config()).unwrap();
    assert!(saved.contains("\ninterval = 2.5\n"), "{saved}");

    // The file's settings, with a flag over them, are what the next --save writes.
    home.write("[processes]\ntree = true\n[keys]\nquit = [\"x\"]\n");
    let (code, err) = failure(&home.run(&["config", "--save"]));
    assert_eq!(code, Some(2));
    assert!(err.contains(&path) && err.contains("--force"), "{err}");
    assert_eq!(
        std::fs::read_to_string(home.config()).unwrap(),
        "[processes]\ntree = true\n[keys]\nquit = [\"x\"]\n",
        "the file was touched"
    );
    stdout(&home.run(&["--readonly", "config", "--save", "--force"]));
    let saved = std::fs::read_to_string(home.config()).unwrap();
    for line in [
        "tree = true",
        "quit = [\"x\"]",
        "readonly = true",
        "interval = 1.0",
    ] {
        assert!(saved.contains(&format!("\n{line}\n")), "{line}:\n{saved}");
    }
    // What was saved reads back as the same settings.
    assert_eq!(stdout(&home.run(&["config"])), saved);

    // --config FILE saves there, even where there is no file yet.
    let elsewhere = home.dir.path().join("other.toml");
    let other = elsewhere.display().to_string();
    stdout(&home.run(&["--config", &other, "config", "--save"]));
    assert!(elsewhere.exists());
}

#[test]
fn flags_win_over_the_file() {
    let home = Home::new();
    home.write("interval = 5\nreadonly = true\n");
    let shown = stdout(&home.run(&["config"]));
    assert!(shown.contains("\ninterval = 5.0\n") && shown.contains("\nreadonly = true\n"));
    let shown = stdout(&home.run(&["--interval", "0.5", "--no-readonly", "config"]));
    assert!(shown.contains("\ninterval = 0.5\n"), "{shown}");
    assert!(shown.contains("\nreadonly = false\n"), "{shown}");
    // --no-config: the defaults and the flags only.
    let shown = stdout(&home.run(&["--no-config", "config"]));
    assert!(shown.contains("\ninterval = 1.0\n") && shown.contains("\nreadonly = false\n"));
}

#[test]
fn a_bad_file_is_one_line_naming_file_line_and_key_with_status_2() {
    let home = Home::new();
    home.write("# mine\n[processes]\ncolumns = [\"pid\", \"foo\"]\n");
    let want = format!(
        "boxtop: {}:3: processes.columns: unknown column \"foo\" (known: pid, user, state, \
         cpu, rss, threads, ctxt, ns, cgroup, command)\n",
        home.config().display()
    );
    for args in [&["config"][..], &[][..], &["replay", "/nonexistent"][..]] {
        let (code, err) = failure(&home.run(args));
        assert_eq!(code, Some(2), "{args:?}");
        assert_eq!(err, want, "{args:?}");
    }
    // A key bound twice, invalid TOML, a wrong type: the same shape.
    for (text, line_and_key) in [
        (
            "[keys]\nquit = [\"t\"]\n",
            ":2: keys.quit: \"t\" is bound twice, to tree and to quit",
        ),
        ("[layout]\nzoom = tru\n", ":2: layout.zoom: not valid TOML"),
        (
            "\n\nreadonly = 1\n",
            ":3: readonly: expected true or false, found an integer",
        ),
    ] {
        home.write(text);
        let (code, err) = failure(&home.run(&["config"]));
        assert_eq!(code, Some(2));
        let want = format!("boxtop: {}{line_and_key}", home.config().display());
        assert!(err.starts_with(&want), "{err:?} should start {want:?}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    // --no-config reads none of it; the commands that do not draw the dashboard never do.
    stdout(&home.run(&["--no-config", "config"]));
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/cgroup-v2");
    let proc_root = format!("{fixture}/proc");
    let cgroup_root = format!("{fixture}/cgroup");
    stdout(&home.run(&[
        "--proc-root",
        &proc_root,
        "--cgroup-root",
        &cgroup_root,
        "snapshot",
        "--cpu-sample-ms",
        "0",
    ]));
}

#[test]
fn a_missing_file_is_the_defaults_unless_named() {
    let home = Home::new();
    assert!(stdout(&home.run(&["config"])).contains("\ninterval = 1.0\n"));
    let missing = home.dir.path().join("missing.toml");
    let (code, err) = failure(&home.run(&["--config", &missing.display().to_string(), "config"]));
    assert_eq!(code, Some(2));
    assert!(err.contains("missing.toml: no such file"), "{err}");
}

#[test]
fn the_path_is_xdg_config_home_else_home_dot_config() {
    let home = Home::new();
    let shown = stdout(&home.run(&["config", "--path"]));
    assert_eq!(Path::new(shown.trim()), home.config());
    let out = Command::new(BOXTOP)
        .args(["config", "--path"])
        .env_remove("XDG_CONFIG_HOME")
        .env("HOME", home.dir.path())
        .output()
        .unwrap();
    assert_eq!(
        Path::new(stdout(&out).trim()),
        home.dir.path().join(".config/boxtop/config.toml")
    );
    // A relative XDG_CONFIG_HOME is ignored, as the XDG specification says.
    let out = Command::new(BOXTOP)
        .args(["config", "--path"])
        .env("XDG_CONFIG_HOME", "relative/dir")
        .env("HOME", home.dir.path())
        .output()
        .unwrap();
    assert_eq!(
        Path::new(stdout(&out).trim()),
        home.dir.path().join(".config/boxtop/config.toml")
    );
}
