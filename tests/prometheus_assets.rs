//! assets/prometheus: the example scrape config and the alerting rules are valid to
//! promtool, and the rules fire on series shaped as `boxtop serve` writes them (promtool's
//! rule unit tests, `boxtop-rules.test.yml`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

#[path = "support/serve.rs"]
mod serve;

use std::process::Command;

#[test]
fn promtool_checks_the_config_and_the_rules_and_their_unit_tests() {
    let Some(promtool) = serve::prometheus_tool("promtool") else {
        eprintln!("SKIP promtool: not installed (.ci/run unpacks Debian's prometheus)");
        return;
    };
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/prometheus");
    for args in [
        ["check", "config", "prometheus.yml"],
        ["check", "rules", "boxtop-rules.yml"],
        ["test", "rules", "boxtop-rules.test.yml"],
    ] {
        let out = Command::new(&promtool)
            .args(args)
            .current_dir(dir)
            .output()
            .expect("promtool");
        assert!(
            out.status.success(),
            "promtool {}: {}{}",
            args.join(" "),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
