//! `boxtop completions` and `boxtop man`, checked by the tools that read them: bash completes
//! boxtop's commands and options from the script, zsh and fish parse theirs where they are
//! installed, and groff renders every manual page without a warning.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

use std::process::{Command, Output};

const BOXTOP: &str = env!("CARGO_BIN_EXE_boxtop");

fn boxtop(args: &[&str]) -> Output {
    let out = Command::new(BOXTOP).args(args).output().unwrap();
    assert!(out.status.success(), "boxtop {args:?}: {out:?}");
    out
}

fn has(tool: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {tool}"))
        .output()
        .is_ok_and(|o| o.status.success())
}

/// What bash offers for the last of `words` (which may be empty), with boxtop's script.
fn bash_completes(words: &[&str]) -> Vec<String> {
    let array: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let (array, line) = (array.join(" "), words.join(" "));
    let script = format!(
        "source <('{BOXTOP}' completions bash)\n\
         COMP_WORDS=({array}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1))\n\
         COMP_LINE='{line}'; COMP_POINT=${{#COMP_LINE}}\n\
         _boxtop boxtop \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"\n\
         printf '%s\\n' \"${{COMPREPLY[@]}}\""
    );
    let out = Command::new("bash").arg("-c").arg(script).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn bash_completes_commands_and_their_options() {
    if !has("bash") {
        eprintln!("skip: no bash here");
        return;
    }
    let commands = bash_completes(&["boxtop", "sn"]);
    assert_eq!(commands, vec!["snapshot"], "{commands:?}");
    let options = bash_completes(&["boxtop", "limit", "--me"]);
    assert!(
        options.contains(&"--memory".to_string()) && options.contains(&"--memory-high".to_string()),
        "{options:?}"
    );
    let shells = bash_completes(&["boxtop", "completions", ""]);
    for shell in ["bash", "zsh", "fish"] {
        assert!(shells.contains(&shell.to_string()), "{shells:?}");
    }
    // The hidden internal commands are not offered.
    let all = bash_completes(&["boxtop", ""]);
    assert!(
        !all.iter()
            .any(|c| c == "spawn-helper" || c == "collect-bench"),
        "{all:?}"
    );
}

#[test]
fn zsh_and_fish_parse_their_scripts() {
    let dir = tempfile::tempdir().unwrap();
    for (shell, check) in [("zsh", &["-n"][..]), ("fish", &["--no-execute"][..])] {
        let text = boxtop(&["completions", shell]).stdout;
        assert!(
            String::from_utf8_lossy(&text).contains("snapshot"),
            "{shell}: the commands are in the script"
        );
        if !has(shell) {
            eprintln!("note: no {shell} here: its script is not parsed");
            continue;
        }
        let file = dir.path().join(shell);
        std::fs::write(&file, &text).unwrap();
        let out = Command::new(shell).args(check).arg(&file).output().unwrap();
        assert!(out.status.success(), "{shell}: {out:?}");
    }
}

#[test]
fn every_manual_page_renders_without_a_warning() {
    if !has("groff") {
        eprintln!("skip: no groff here");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    boxtop(&["man", "--dir", dir.path().to_str().unwrap()]);
    let mut pages: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    pages.sort();
    for command in ["snapshot", "serve", "limit", "run", "completions", "man"] {
        assert!(pages.contains(&format!("boxtop-{command}.1")), "{pages:?}");
    }
    assert!(
        !pages.iter().any(|p| p.contains("spawn-helper")),
        "{pages:?}"
    );
    let stdout_page = dir.path().join("stdout.1");
    std::fs::write(&stdout_page, boxtop(&["man"]).stdout).unwrap();
    pages.push("stdout.1".into());
    for page in &pages {
        let out = Command::new("groff")
            .args(["-man", "-Tutf8", "-ww", "-z"])
            .arg(dir.path().join(page))
            .output()
            .unwrap();
        assert!(out.status.success(), "{page}: {out:?}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{page}");
    }
    let main = std::fs::read_to_string(&stdout_page).unwrap();
    assert!(main.contains(".SH SYNOPSIS") && main.contains("boxtop\\-serve(1)"));
}
