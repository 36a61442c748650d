//! Shared by the tests that run the real binary on a fixture host.

#![allow(
    dead_code,
    reason = "shared by several test crates; each uses only part of it"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// `tests/fixtures/NAME`.
pub(crate) fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// boxtop with these roots and arguments, its output captured.
pub(crate) fn boxtop(proc: &Path, cgroup: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_boxtop"))
        .arg("--proc-root")
        .arg(proc)
        .arg("--cgroup-root")
        .arg(cgroup)
        .args(args)
        .output()
        .expect("run boxtop")
}

/// boxtop on the fixture host `host`, one sample (no cpu %); what it printed, which it must
/// have printed without an error.
pub(crate) fn boxtop_on(host: &str, args: &[&str]) -> String {
    let dir = fixture(host);
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--cpu-sample-ms", "0"]);
    let out = boxtop(&dir.join("proc"), &dir.join("cgroup"), &all);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}
