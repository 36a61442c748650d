//! Actions on containers, planned by the real binary (`--dry-run`) on fixture hosts: which
//! file in which hierarchy, its shell line and the runtime's own command; `--container`'s
//! name, id and prefix resolution; the refusal of a sandbox. Pure v2 (`containers-v2`),
//! v1 only (`containers-v1`) and hybrid like the project's machine (`containers-hybrid`),
//! all written by tests/fixtures/make_containers_fixture.py.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

#[path = "support/fixture.rs"]
mod support;

use std::path::PathBuf;
use support::{boxtop, fixture};

const ID1: &str = "11111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const ID2: &str = "22222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
const ID4: &str = "44444444dddddddddddddddddddddddddddddddddddddddddddddddddddddddd";
const ID5: &str = "55555555eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee";
const ID6: &str = "6666aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const ID7: &str = "6666bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

/// A fixture host and what boxtop printed on it.
struct Host(&'static str);

impl Host {
    /// The control file `rel` (under the fixture's cgroup root), as the plan prints it.
    fn file(&self, rel: &str) -> String {
        fixture(self.0)
            .join("cgroup")
            .join(rel)
            .display()
            .to_string()
    }

    fn run(&self, args: &[&str]) -> (bool, String, String) {
        let dir: PathBuf = fixture(self.0);
        let out = boxtop(&dir.join("proc"), &dir.join("cgroup"), args);
        (
            out.status.success(),
            String::from_utf8(out.stdout).expect("UTF-8"),
            String::from_utf8(out.stderr).expect("UTF-8"),
        )
    }

    /// The plan printed by `--dry-run`, which must succeed.
    fn plan(&self, args: &[&str]) -> String {
        let mut all = args.to_vec();
        all.push("--dry-run");
        let (ok, out, err) = self.run(&all);
        assert!(ok, "{args:?} on {}: {err}", self.0);
        out
    }

    /// The one line of a refused command (which must fail and print no plan).
    fn refused(&self, args: &[&str]) -> String {
        let mut all = args.to_vec();
        all.push("--dry-run");
        let (ok, out, err) = self.run(&all);
        assert!(!ok, "{args:?} on {} was not refused: {out}", self.0);
        assert!(out.is_empty(), "a refusal prints no plan: {out}");
        assert_eq!(err.lines().count(), 1, "one line: {err}");
        err
    }
}

/// The plan writes `value` to `file` (from `old`), with its shell line.
fn writes(plan: &str, file: &str, old: &str, value: &str) {
    let said = format!("Would write {file}: {old} -> {value}");
    assert!(plan.lines().any(|l| l == said), "{said:?} in:\n{plan}");
    let shell = format!("  echo {value} > {file}");
    assert!(plan.lines().any(|l| l == shell), "{shell:?} in:\n{plan}");
}

fn note(plan: &str, text: &str) {
    assert!(
        plan.lines()
            .any(|l| l.starts_with("Note: ") && l.contains(text)),
        "a note with {text:?} in:\n{plan}"
    );
}

fn steps(plan: &str) -> usize {
    plan.lines().filter(|l| l.starts_with("Would ")).count()
}

#[test]
fn v2_each_runtimes_own_cgroup_freeze() {
    let h = Host("containers-v2");
    let p = h.plan(&["freeze", "--container", "shop/web"]);
    let scope = format!("system.slice/docker-{ID1}.scope");
    assert_eq!(
        p.lines().next(),
        Some(format!("Freeze docker container shop/web: cgroup /{scope} (v2)").as_str())
    );
    writes(&p, &h.file(&format!("{scope}/cgroup.freeze")), "0", "1");
    note(&p, "docker pause 11111111aaaa");
    assert_eq!(steps(&p), 1, "{p}");
    // podman's scope, not the `container` child its payload sits in: both are frozen.
    let p = h.plan(&["freeze", "--container", "cache"]);
    writes(
        &p,
        &h.file(&format!("machine.slice/libpod-{ID4}.scope/cgroup.freeze")),
        "0",
        "1",
    );
    note(&p, "podman pause 44444444dddd");
    note(&p, "podman inspect and podman ps keep saying running");
    // The frozen CRI-O container, by id prefix: thawed; Kubernetes has no pause.
    let p = h.plan(&["thaw", "--container", "3333"]);
    assert!(p.contains("crio-33333333"), "{p}");
    assert!(
        p.lines().any(|l| l.ends_with("cgroup.freeze: 1 -> 0")),
        "{p}"
    );
    note(&p, "crictl has no pause");
    let p = h.plan(&["freeze", "--container", "shop/web-7d4b9c-x2x/app"]);
    note(&p, &format!("ctr -n k8s.io task pause {ID2}"));
    note(&p, "liveness probe");
}

#[test]
fn v1_the_freezer_hierarchy() {
    let h = Host("containers-v1");
    let p = h.plan(&["freeze", "--container", "old"]);
    assert_eq!(
        p.lines().next(),
        Some("Freeze lxc container old: cgroup /lxc/old (v1 freezer)")
    );
    writes(
        &p,
        &h.file("freezer/lxc/old/freezer.state"),
        "THAWED",
        "FROZEN",
    );
    note(&p, "lxc-freeze -n old");
    note(&p, "lxc-info -n old -s keeps saying RUNNING");
    let p = h.plan(&["thaw", "--container", "db"]);
    writes(
        &p,
        &h.file(&format!("freezer/docker/{ID5}/freezer.state")),
        "FROZEN",
        "THAWED",
    );
    note(&p, "docker unpause 55555555eeee");
    assert_eq!(steps(&p), 1, "no v2 on this host: {p}");
}

/// The project's machine: writing v2 cgroup.freeze would stop LXC's and runc's processes
/// behind their backs; their freezer is the v1 one. Where a container has no v1 freezer
/// cgroup of its own (systemd never makes one), v2.
#[test]
fn hybrid_the_runtimes_v1_freezer_not_v2() {
    let h = Host("containers-hybrid");
    let p = h.plan(&["freeze", "--container", "bxdemo"]);
    assert_eq!(
        p.lines().next(),
        Some("Freeze lxc container bxdemo: cgroup /lxc.payload.bxdemo (v1 freezer)")
    );
    writes(
        &p,
        &h.file("freezer/lxc.payload.bxdemo/freezer.state"),
        "THAWED",
        "FROZEN",
    );
    assert!(!p.contains("unified"), "v2 is not written: {p}");
    assert_eq!(steps(&p), 1);
    let p = h.plan(&["freeze", "--container", "web"]);
    writes(
        &p,
        &h.file(&format!("freezer/libpod_parent/libpod-{ID6}/freezer.state")),
        "THAWED",
        "FROZEN",
    );
    note(&p, &format!("runc state {ID6} says paused"));
    // Its v2 cgroup.freeze was set behind LXC's back: a thaw clears both.
    let p = h.plan(&["thaw", "--container", "bxdemo"]);
    writes(
        &p,
        &h.file("freezer/lxc.payload.bxdemo/freezer.state"),
        "THAWED",
        "THAWED",
    );
    writes(
        &p,
        &h.file("unified/lxc.payload.bxdemo/cgroup.freeze"),
        "1",
        "0",
    );
    note(
        &p,
        "is frozen too (cgroup.freeze, not its runtime's freezer)",
    );
    note(&p, "lxc-unfreeze -n bxdemo");
    // The frozen podman container: only its v1 freezer is set, so only that is thawed.
    let p = h.plan(&["thaw", "--container", "cache"]);
    writes(
        &p,
        &h.file(&format!("freezer/libpod_parent/libpod-{ID7}/freezer.state")),
        "FROZEN",
        "THAWED",
    );
    assert_eq!(steps(&p), 1, "{p}");
    // nspawn: "/" in the freezer hierarchy, so v2.
    let p = h.plan(&["freeze", "--container", "box"]);
    writes(
        &p,
        &h.file("unified/machine.slice/machine-box.scope/cgroup.freeze"),
        "0",
        "1",
    );
    note(
        &p,
        "machinectl has no freeze; systemd's own is systemctl freeze machine-box.scope",
    );
}

#[test]
fn limits_in_whichever_hierarchy_has_the_file() {
    let v2 = Host("containers-v2");
    let p = v2.plan(&[
        "limit",
        "--container",
        "shop/web",
        "--memory",
        "64M",
        "--pids",
        "50",
    ]);
    let scope = format!("system.slice/docker-{ID1}.scope");
    writes(
        &p,
        &v2.file(&format!("{scope}/memory.max")),
        "max",
        "67108864",
    );
    writes(&p, &v2.file(&format!("{scope}/pids.max")), "100", "50");
    note(
        &p,
        "docker update --memory 67108864 --pids-limit 50 11111111aaaa",
    );
    note(&p, "lasts until the container is started again");
    let v1 = Host("containers-v1");
    let p = v1.plan(&["limit", "--container", "old", "--memory", "64M"]);
    writes(
        &p,
        &v1.file("memory/lxc/old/memory.limit_in_bytes"),
        "9223372036854771712",
        "67108864",
    );
    note(&p, "lxc-cgroup -n old memory.limit_in_bytes 67108864");
    // Hybrid: no controller in v2, so the v1 memory and cpu hierarchies.
    let h = Host("containers-hybrid");
    let p = h.plan(&[
        "limit",
        "--container",
        "bxdemo",
        "--memory",
        "64M",
        "--cpu",
        "0.5",
    ]);
    writes(
        &p,
        &h.file("memory/lxc.payload.bxdemo/memory.limit_in_bytes"),
        "9223372036854771712",
        "67108864",
    );
    writes(
        &p,
        &h.file("cpu/lxc.payload.bxdemo/cpu.cfs_quota_us"),
        "-1",
        "50000",
    );
    note(&p, "lxc-cgroup -n bxdemo cpu.cfs_quota_us 50000");
    let p = h.plan(&["limit", "--container", "web", "--memory", "1G"]);
    note(&p, "podman update --memory 1073741824 6666aaaaaaaa");
}

#[test]
fn signals_reach_every_member_and_no_monitor() {
    // SIGKILL through the container's v2 cgroup.kill, where it has one.
    let h = Host("containers-hybrid");
    let p = h.plan(&["kill", "--container", "bxdemo", "--signal", "KILL"]);
    assert_eq!(
        p.lines().next(),
        Some("Kill every process of lxc container bxdemo: cgroup /lxc.payload.bxdemo (v2)")
    );
    writes(
        &p,
        &h.file("unified/lxc.payload.bxdemo/cgroup.kill"),
        "?",
        "1",
    );
    note(&p, "lxc-stop -k -n bxdemo");
    // Any other signal: each member, never lxc-start's monitor (700).
    let p = h.plan(&["kill", "--container", "bxdemo", "--signal", "STOP"]);
    let kills: Vec<&str> = p.lines().filter(|l| l.starts_with("  kill ")).collect();
    assert_eq!(kills, ["  kill -STOP 701", "  kill -STOP 702"], "{p}");
    note(&p, "checked again by its start time");
    // v1 only: no cgroup.kill, so SIGKILL to each member; the monitor 610 is not one.
    let v1 = Host("containers-v1");
    let p = v1.plan(&["kill", "--container", "old", "--signal", "KILL"]);
    let kills: Vec<&str> = p.lines().filter(|l| l.starts_with("  kill ")).collect();
    assert_eq!(kills, ["  kill -KILL 611", "  kill -KILL 612"], "{p}");
    note(&p, "lxc-stop -k -n old");
    // TERM to a Docker container: its init (pid 1 inside) only if it handles it; dockerd
    // (490) is not a member.
    let v2 = Host("containers-v2");
    let p = v2.plan(&["kill", "--container", "shop/web"]);
    let kills: Vec<&str> = p.lines().filter(|l| l.starts_with("  kill ")).collect();
    assert_eq!(kills, ["  kill -TERM 500", "  kill -TERM 501"], "{p}");
    note(&p, "process 500 is pid 1 of its own pid namespace");
    note(
        &p,
        "docker kill --signal TERM 11111111aaaa sends it to the main process only",
    );
}

#[test]
fn by_name_full_id_or_unique_prefix() {
    let h = Host("containers-hybrid");
    let title = |q: &str| {
        h.plan(&["freeze", "--container", q])
            .lines()
            .next()
            .unwrap()
            .to_string()
    };
    assert!(title("cache").starts_with("Freeze podman container cache:"));
    assert!(title(ID7).starts_with("Freeze podman container cache:"));
    assert!(title("6666b").starts_with("Freeze podman container cache:"));
    assert!(title("6666a").starts_with("Freeze podman container web:"));
    let err = h.refused(&["freeze", "--container", "6666"]);
    assert!(
        err.starts_with(
            "boxtop: container \"6666\" is ambiguous: 2 containers have that id prefix:"
        ),
        "{err}"
    );
    assert!(
        err.contains("web (podman 6666aaaaaaaa)") && err.contains("cache (podman 6666bbbbbbbb)"),
        "the candidates: {err}"
    );
    assert!(!err.contains("bxdemo"), "only the candidates: {err}");
    let err = h.refused(&["kill", "--container", "nosuch"]);
    assert!(
        err.starts_with("boxtop: no such container: \"nosuch\"; boxtop sees "),
        "{err}"
    );
    for name in [
        "bxdemo (lxc bxdemo)",
        "web (podman",
        "cache (podman",
        "box (nspawn",
    ] {
        assert!(err.contains(name), "{name} in {err}");
    }
    // One target only.
    let (ok, _, err) = h.run(&["freeze", "--container", "web", "--pid", "711"]);
    assert!(!ok && err.contains("cannot be used with"), "{err}");
    let (ok, _, err) = h.run(&["limit", "--container", "web", "--cgroup", "/x"]);
    assert!(!ok && err.contains("cannot be used with"), "{err}");
}

/// A sandbox has no cgroup of its own: a freeze or limit is refused, saying why and what to
/// do; signals reach its processes.
#[test]
fn a_sandbox_is_refused_a_freeze_and_a_limit() {
    let h = Host("cgroup-v2");
    for args in [
        &["freeze", "--container", "sh"][..],
        &["thaw", "--container", "sh"],
        &["limit", "--container", "sh", "--memory", "1G"],
    ] {
        let err = h.refused(args);
        assert!(
            err.starts_with("boxtop: sandbox sh: refused: a sandbox has no cgroup of its own"),
            "{err}"
        );
        assert!(err.contains("boxtop move --pid 400 --create"), "{err}");
    }
    let p = h.plan(&["kill", "--container", "sh"]);
    let kills: Vec<&str> = p.lines().filter(|l| l.starts_with("  kill ")).collect();
    assert_eq!(kills, ["  kill -TERM 400", "  kill -TERM 401"], "{p}");
}

#[test]
fn help_names_the_container_flag() {
    let h = Host("containers-hybrid");
    for cmd in ["freeze", "thaw", "limit", "kill"] {
        let (ok, out, _) = h.run(&[cmd, "--help"]);
        assert!(ok);
        assert!(
            out.contains("--container <NAME|ID>") && out.contains("unique prefix of its id"),
            "{cmd} --help:\n{out}"
        );
    }
    let (_, out, _) = h.run(&["kill", "--help"]);
    assert!(out.contains("--pid and --container"), "{out}");
}
