//! Printed text fits the terminal, as ps and systemd-cgls fit it: `boxtop snapshot`,
//! `containers` and their lines cut to the width of a real terminal (tmux at 80 columns,
//! and COLUMNS where set), whole with `--full`, and whole when piped.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

#[macro_use]
#[path = "support/tmux.rs"]
mod tmux;

use tmux::*;
use unicode_width::UnicodeWidthStr;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/containers-hybrid"
);

fn command(what: &str) -> String {
    format!(
        "'{BOXTOP}' --proc-root '{FIXTURE}/proc' --cgroup-root '{FIXTURE}/cgroup' {what} \
         --cpu-sample-ms 0"
    )
}

/// What `line` printed on the terminal, its wrapped lines joined (the marks keep the
/// typed command itself out).
fn printed_on(t: &Tmux, line: &str) -> Vec<String> {
    t.run(&["clear-history", "-t", "e2e"]);
    t.type_line(&format!("clear; echo BE''GIN; {line}; echo EN''D"));
    t.wait_for("the command to end", |s| s.lines().any(|l| l == "END"));
    let all =
        String::from_utf8_lossy(&t.run(&["capture-pane", "-p", "-J", "-S", "-", "-t", "e2e"]))
            .into_owned();
    all.lines()
        .skip_while(|l| *l != "BEGIN")
        .skip(1)
        .take_while(|l| *l != "END")
        .map(|l| l.trim_end().to_string())
        .collect()
}

fn widest(lines: &[String]) -> usize {
    lines.iter().map(|l| l.width()).max().unwrap_or(0)
}

#[test]
fn text_fits_the_terminal_unless_full_or_piped() {
    require_tmux!();
    let t = Tmux::start();
    t.resize(80, 45);
    t.wait_format("#{pane_width}", "80");
    for what in ["snapshot", "containers"] {
        let fitted = printed_on(&t, &command(what));
        assert!(fitted.len() > 3, "{what}: {fitted:?}");
        assert!(widest(&fitted) <= 80, "{what}: {fitted:#?}");
        assert!(
            fitted.iter().any(|l| l.ends_with('…')),
            "{what}: a long line is cut where it was cut: {fitted:#?}"
        );
        let full = printed_on(&t, &format!("{} --full", command(what)));
        assert!(widest(&full) > 80, "{what} --full: {full:#?}");
        assert_eq!(full.len(), fitted.len(), "{what}: as many lines either way");
        // COLUMNS, where set, is the width (as ps takes it).
        let narrow = printed_on(&t, &format!("COLUMNS=50 {}", command(what)));
        assert!(widest(&narrow) <= 50, "{what}: {narrow:#?}");
    }
    // Piped, every line is whole.
    let piped = std::process::Command::new("sh")
        .arg("-c")
        .arg(command("containers"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&piped.stdout);
    assert!(text.lines().any(|l| l.width() > 80), "{text}");
    assert!(!text.contains('…'), "{text}");
}
