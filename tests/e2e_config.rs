//! End-to-end: the config file and NO_COLOR, on the real binary in a real terminal (tmux),
//! as in e2e_tmux.rs. Each test has its own XDG_CONFIG_HOME in a temporary directory
//! (exported in the pane's shell), so the real ~/.config is never read or written. Without
//! tmux every test prints SKIP and passes.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

#[macro_use]
#[path = "support/tmux.rs"]
mod tmux;

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;
use tmux::*;

/// A temporary XDG_CONFIG_HOME holding `config` as boxtop/config.toml (none if empty).
fn config_home(config: &str) -> tempfile::TempDir {
    let home = tempfile::tempdir().expect("a temporary directory");
    if !config.is_empty() {
        let dir = home.path().join("boxtop");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("config.toml"), config).unwrap();
    }
    home
}

/// A tmux pane whose shell uses `home` as XDG_CONFIG_HOME, with NO_COLOR unset (whatever
/// the test run has) unless a test sets it.
fn pane_with(home: &Path) -> Tmux {
    let t = Tmux::start();
    t.type_line(&format!(
        "export XDG_CONFIG_HOME={}; unset NO_COLOR; echo xdg-$((5*5))-set",
        home.display()
    ));
    t.wait_text("xdg-25-set");
    t
}

/// The key bar, the status line and the processes' heading must show a whole frame.
fn whole_frame(s: &str) -> bool {
    key_bar(s).contains("Quit") && s.contains("4 Cgroups") && selected_pid(s).is_some()
}

#[test]
fn a_rebound_key_changes_what_the_dashboard_does_and_says() {
    require_tmux!();
    let home = config_home("[keys]\nquit = [\"x\"]\ntree = [\"T\"]\n");
    let t = pane_with(home.path());
    let earlier = t.mark_shell_screen();
    let pid = t.start_boxtop("");
    let s = t.wait_for("a whole frame", whole_frame);

    // The key bar spells the new keys.
    let bar = key_bar(&s);
    assert!(bar.contains("x Quit"), "key bar: {bar}");
    assert!(bar.contains("T Tree"), "key bar: {bar}");
    assert!(
        !bar.contains("q Quit") && !bar.contains("F5 Tree"),
        "key bar: {bar}"
    );

    // The help says them too, and no longer the old ones.
    t.keys(&["?"]);
    // Waited for whole (a capture can catch the window half drawn).
    let help = t.wait_for("the help's tree line", |s| {
        s.contains("Keys (Esc closes)")
            && s.lines()
                .any(|l| l.contains(" T  tree view by parent process"))
    });
    assert!(
        !help.contains("F5  t"),
        "the help still says F5  t:\n{help}"
    );
    t.keys(&["Escape"]);
    t.wait_for("the help closed", |s| !s.contains("Keys (Esc closes)"));

    // `t` no longer toggles the tree, `T` does.
    t.keys(&["t"]);
    std::thread::sleep(Duration::from_millis(500));
    assert!(!t.screen().contains(" · tree"), "t still toggles the tree");
    t.keys(&["T"]);
    t.wait_text(" · tree");

    // `q` no longer quits; `x` does, and the terminal comes back.
    t.keys(&["q"]);
    std::thread::sleep(Duration::from_millis(500));
    assert!(alive(pid), "q still quits");
    t.wait_for("the dashboard still there after q", whole_frame);
    t.keys(&["x"]);
    wait_gone(pid);
    t.assert_restored(&earlier);
}

/// The quit line is near the end of the help: scrolled there, it says the new keys.
#[test]
fn the_help_names_the_rebound_quit_key() {
    require_tmux!();
    let home = config_home("[keys]\nquit = [\"x\", \"ctrl-q\"]\n");
    let t = pane_with(home.path());
    t.start_boxtop("");
    t.wait_for("a whole frame", whole_frame);
    t.keys(&["?"]);
    t.wait_text("Keys (Esc closes)");
    // Down scrolls the help (any other key closes it), no further than its last line.
    for _ in 0..20 {
        t.keys(&["Down"]);
    }
    let help = t.wait_for("the help's quit line", |s| {
        s.lines().any(|l| l.contains("x  Ctrl-Q  quit"))
    });
    assert!(!help.contains("q  F10  Ctrl-C"), "{help}");
    t.keys(&["Escape"]);
    t.keys(&["C-q"]);
    t.wait_format("#{alternate_on}", "0");
}

/// The heading line of the process table.
fn heading(s: &str) -> &str {
    s.lines()
        .find(|l| l.contains("PID") && l.contains("COMMAND"))
        .unwrap_or("")
}

#[test]
fn the_configured_columns_are_the_table_in_their_order() {
    require_tmux!();
    let home = config_home(
        "[processes]\ncolumns = [\"command\", \"pid\", \"user\", \"rss\"]\nsort = \"pid\"\n",
    );
    let t = pane_with(home.path());
    t.start_boxtop("");
    let s = t.wait_for("a whole frame", whole_frame);
    let h = heading(&s);
    let at = |title: &str| {
        h.find(title)
            .unwrap_or_else(|| panic!("{title} is not in the heading {h:?}"))
    };
    assert!(
        at("COMMAND") < at("PID") && at("PID") < at("USER") && at("USER") < at("RSS"),
        "heading out of order: {h:?}"
    );
    assert!(h.contains("PID▲"), "sorted by pid, ascending: {h:?}");
    for gone in ["CPU%", "THR", "CSW", "CGROUP"] {
        assert!(!h.contains(gone), "{gone} is shown: {h:?}");
    }
    // The same dashboard without the file has them all, in the table's order.
    t.keys(&["q"]);
    t.wait_format("#{alternate_on}", "0");
    t.type_line("clear");
    t.start_boxtop("--no-config");
    let s = t.wait_for("a whole frame", whole_frame);
    let h = heading(&s);
    assert!(
        h.find("PID") < h.find("COMMAND") && h.contains("CPU%"),
        "{h:?}"
    );
    t.keys(&["q"]);
}

/// The SGR parameters of the escapes in `raw`, each sequence's list (`ESC [ 1 ; 7 m` is
/// `[1, 7]`; a bare `ESC [ m` is `[0]`), sub-parameters (`38:5:1`) split too.
fn sgr_params(raw: &[u8]) -> Vec<Vec<u16>> {
    let text = String::from_utf8_lossy(raw);
    let mut out = Vec::new();
    let mut rest = text.as_ref();
    while let Some(at) = rest.find("\x1b[") {
        rest = &rest[at + 2..];
        let end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == ';' || c == ':'))
            .unwrap_or(rest.len());
        if rest[end..].starts_with('m') {
            let params: Vec<u16> = rest[..end]
                .split([';', ':'])
                .map(|p| p.parse().unwrap_or(0))
                .collect();
            out.push(params);
        }
        rest = &rest[end..];
    }
    out
}

/// The colour escapes among SGR parameter lists: 30-37, 38 (and what follows), 40-47, 48,
/// 90-97, 100-107. 39 and 49 (the terminal's own colours) are not colours. The 16 colours
/// are named one way whichever form they came in (`38;5;6` is `36`, `48;5;12` is `104`).
fn colours(sgrs: &[Vec<u16>]) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for params in sgrs {
        let mut i = 0;
        while i < params.len() {
            let p = params[i];
            match p {
                38 | 48 => {
                    let base = if p == 38 { 30 } else { 40 };
                    match (params.get(i + 1), params.get(i + 2)) {
                        (Some(5), Some(&n)) if n < 8 => found.insert((base + n).to_string()),
                        (Some(5), Some(&n)) if n < 16 => {
                            found.insert((base + 60 + n - 8).to_string())
                        }
                        _ => found.insert(
                            params[i..(i + 5).min(params.len())]
                                .iter()
                                .map(u16::to_string)
                                .collect::<Vec<_>>()
                                .join(";"),
                        ),
                    };
                    i += if params.get(i + 1) == Some(&2) { 5 } else { 3 };
                    continue;
                }
                30..=37 | 40..=47 | 90..=97 | 100..=107 => {
                    found.insert(p.to_string());
                }
                _ => {}
            }
            i += 1;
        }
    }
    found
}

fn has_attribute(sgrs: &[Vec<u16>], attr: u16) -> bool {
    sgrs.iter().any(|p| {
        // Skip colour arguments (38;5;7 is not reverse video).
        let mut i = 0;
        while i < p.len() {
            match p[i] {
                38 | 48 => i += if p.get(i + 1) == Some(&2) { 5 } else { 3 },
                a if a == attr => return true,
                _ => i += 1,
            }
        }
        false
    })
}

/// The dashboard's raw screen (with its escapes) once a whole frame is up.
fn raw_dashboard(t: &Tmux, args: &str) -> Vec<Vec<u16>> {
    t.start_boxtop(args);
    t.wait_for("a whole frame", whole_frame);
    // One more refresh, so that nothing is captured mid-frame.
    std::thread::sleep(Duration::from_millis(1200));
    t.wait_for("a whole frame", whole_frame);
    let raw = sgr_params(&t.raw_screen());
    t.keys(&["q"]);
    t.wait_format("#{alternate_on}", "0");
    t.type_line("clear");
    raw
}

#[test]
fn no_color_leaves_no_colour_but_keeps_reverse_and_bold() {
    require_tmux!();
    let home = config_home("");
    let t = pane_with(home.path());
    // Without NO_COLOR the same screen is coloured: what the check below looks for is there
    // to be found.
    let coloured = raw_dashboard(&t, "");
    assert!(
        !colours(&coloured).is_empty(),
        "no colour found without NO_COLOR: {coloured:?}"
    );

    t.type_line("export NO_COLOR=1");
    let plain = raw_dashboard(&t, "");
    assert_eq!(
        colours(&plain),
        BTreeSet::new(),
        "colour escapes under NO_COLOR"
    );
    assert!(
        has_attribute(&plain, 7),
        "the selection is not reversed: {plain:?}"
    );
    assert!(
        has_attribute(&plain, 1),
        "the focused pane is not bold: {plain:?}"
    );
}

#[test]
fn the_monochrome_theme_in_the_file_is_the_same_as_no_color() {
    require_tmux!();
    let home = config_home("[theme]\nname = \"monochrome\"\n");
    let t = pane_with(home.path());
    let plain = raw_dashboard(&t, "");
    assert_eq!(colours(&plain), BTreeSet::new());
    assert!(has_attribute(&plain, 7) && has_attribute(&plain, 1));
}

#[test]
fn the_light_theme_shows_other_colours() {
    require_tmux!();
    let home = config_home("[theme]\nname = \"light\"\n");
    let t = pane_with(home.path());
    let light = colours(&raw_dashboard(&t, ""));
    let default = colours(&raw_dashboard(&t, "--no-config"));
    assert_ne!(light, default, "the light theme looks like the default");
    // The focused pane's border: cyan (36) by default, blue (34) in the light theme; the
    // selected row on cyan (46) by default, on blue (44) in the light one.
    assert!(
        default.contains("36") && default.contains("46"),
        "default: {default:?}"
    );
    assert!(
        light.contains("34") && light.contains("44"),
        "light: {light:?}"
    );
    assert!(!light.contains("46"), "light: {light:?}");
}
