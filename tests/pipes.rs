//! Good manners in pipes: every command that prints, its stdout a pipe nobody reads any
//! more (`boxtop snapshot | head` once head has gone), ends as `cat` does: killed by SIGPIPE
//! (the shell sees 141), nothing on stderr. And what `| head -1` gets is the first line.
//! (The actions print through the same path, after every write is made.)

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

use std::os::unix::process::ExitStatusExt;
use std::process::{Command, Stdio};

const BOXTOP: &str = env!("CARGO_BIN_EXE_boxtop");

/// Runs boxtop with `args`, its stdout a pipe whose reading end is already closed.
fn into_closed_pipe(args: &[&str]) -> (std::process::ExitStatus, String) {
    let (read, write) = nix::unistd::pipe().unwrap();
    drop(read);
    let out = Command::new(BOXTOP)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::from(write))
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    (
        out.status,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn printing_commands_end_by_sigpipe_without_a_word() {
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/containers-hybrid"
    );
    let proc_root = format!("{fixture}/proc");
    let cgroup_root = format!("{fixture}/cgroup");
    let roots = ["--proc-root", &proc_root, "--cgroup-root", &cgroup_root];
    let with_roots = |rest: &[&'static str]| -> Vec<String> {
        roots
            .iter()
            .map(ToString::to_string)
            .chain(rest.iter().map(ToString::to_string))
            .collect()
    };
    let cases: Vec<Vec<String>> = vec![
        with_roots(&["snapshot", "--cpu-sample-ms", "0"]),
        with_roots(&["snapshot", "--json", "--cpu-sample-ms", "0"]),
        with_roots(&["containers", "--cpu-sample-ms", "0"]),
        with_roots(&["containers", "--json", "--cpu-sample-ms", "0"]),
        vec![
            "run".into(),
            "--dry-run".into(),
            "--unshare".into(),
            "uts".into(),
            "--".into(),
            "true".into(),
        ],
    ];
    for args in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (status, stderr) = into_closed_pipe(&args);
        assert_eq!(
            status.signal(),
            Some(libc::SIGPIPE),
            "boxtop {args:?}: {status:?}, stderr: {stderr}"
        );
        assert_eq!(stderr, "", "boxtop {args:?}");
    }
}

#[test]
fn head_gets_the_first_line_and_the_pipeline_is_quiet() {
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/containers-hybrid"
    );
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "'{BOXTOP}' --proc-root '{fixture}/proc' --cgroup-root '{fixture}/cgroup' \
             snapshot --cpu-sample-ms 0 | head -1"
        ))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    let first = String::from_utf8_lossy(&out.stdout);
    assert!(first.starts_with("cgroup mode:"), "{first}");
    assert_eq!(first.lines().count(), 1);
}
