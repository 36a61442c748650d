//! The whole `boxtop snapshot` command on fixture hosts (pure v2, v1-only, hybrid) with a
//! zombie, a kernel thread, a container, a multi-threaded process and hostile names; and its
//! errors on bad input.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

#[path = "support/fixture.rs"]
mod support;

use serde_json::Value;
use std::process::{Command, Output};
use support::{boxtop, boxtop_on, fixture};

fn snapshot_json(host: &str) -> Value {
    serde_json::from_str(&boxtop_on(host, &["snapshot", "--json"])).expect("valid JSON")
}

fn process(snap: &Value, pid: i64) -> &Value {
    snap["processes"]
        .as_array()
        .and_then(|a| a.iter().find(|p| p["pid"] == pid))
        .unwrap_or_else(|| panic!("pid {pid} in snapshot"))
}

const HOSTS: [(&str, &str); 3] = [
    ("cgroup-v2", "v2"),
    ("cgroup-v1", "v1"),
    ("cgroup-hybrid", "hybrid"),
];

#[test]
fn every_host_layout_reads_whole() {
    for (host, mode) in HOSTS {
        let snap = snapshot_json(host);
        assert_eq!(snap["cgroups"]["mode"], mode, "{host}");
        let pids: Vec<i64> = snap["processes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["pid"].as_i64().unwrap())
            .collect();
        assert_eq!(pids, vec![1, 2, 300, 301, 400, 401, 402, 403], "{host}");
        assert_eq!(snap["host_reference"]["source"], "pid1", "{host}");

        let kthread = process(&snap, 2);
        assert_eq!(kthread["kernel_thread"], true);
        assert_eq!(kthread["cmdline"].as_array().unwrap().len(), 0);
        assert_eq!(process(&snap, 1)["kernel_thread"], false);

        let zombie = process(&snap, 301);
        assert_eq!(zombie["state"], "Z");
        assert_eq!(
            zombie["namespaces"],
            serde_json::json!({}),
            "a zombie has no namespace links"
        );

        let worker = process(&snap, 402);
        assert_eq!(worker["threads"], 4);
        // stat field 14/15 are clock ticks: 5 and 3 ticks at USER_HZ 100.
        assert_eq!(worker["utime_usec"], 50_000);
        assert_eq!(worker["stime_usec"], 30_000);
        assert_eq!(worker["rss_bytes"], 250 * 4096);
        assert_eq!(worker["voluntary_ctxt_switches"], 4020);
        assert!(
            worker.get("cpu_percent").is_none(),
            "one sample: no cpu % rather than a zero"
        );

        // The proc fixture's cgroup file is read per process, per hierarchy.
        let own: Vec<_> = snap["processes"][0]["cgroups"].as_array().unwrap().clone();
        assert!(!own.is_empty());
        let boxed = process(&snap, 401)["cgroups"].as_array().unwrap();
        assert!(
            boxed.iter().all(|c| c["path"] == "/container/box"),
            "{host}: {boxed:?}"
        );
    }
}

/// The fixture's container (400, 401: a pid namespace of its own, no runtime's cgroup) and
/// its rootless podman pause process (403: user, mnt, net, uts of its own) are sandboxes in
/// the JSON; the host's processes are in no container.
#[test]
fn sandboxes_are_in_the_json_containers() {
    for (host, _) in HOSTS {
        let snap = snapshot_json(host);
        let all = snap["containers"].as_array().expect("a containers array");
        let with = |pid: i32| {
            all.iter()
                .find(|c| {
                    c["pids"]
                        .as_array()
                        .is_some_and(|p| p.contains(&pid.into()))
                })
                .unwrap_or_else(|| panic!("{host}: no container holds {pid}: {all:?}"))
        };
        let boxed = with(400);
        assert_eq!(boxed["runtime"], "sandbox", "{host}");
        assert_eq!(boxed["pids"], serde_json::json!([400, 401]), "{host}");
        assert_eq!(boxed["main_pid"], 400, "{host}");
        assert_eq!(boxed["name_source"], "root_process", "{host}");
        let pid_ns = process(&snap, 400)["namespaces"]["pid"].clone();
        assert_eq!(boxed["namespaces"]["pid"], pid_ns, "{host}");
        assert!(
            boxed["id"].as_str().unwrap_or("").starts_with("pid:"),
            "{host}"
        );
        let pause = with(403);
        assert_eq!(pause["pids"], serde_json::json!([403]), "{host}");
        assert!(
            pause["id"].as_str().unwrap_or("").starts_with("user:"),
            "{host}"
        );
        for pid in [1, 2, 300, 402] {
            assert!(
                !all.iter().any(|c| c["pids"]
                    .as_array()
                    .is_some_and(|p| p.contains(&pid.into()))),
                "{host}: {pid} is in a container: {all:?}"
            );
        }
    }
}

#[test]
fn containers_show_as_new_namespaces_with_nested_pids() {
    let snap = snapshot_json("cgroup-v2");
    let sh = process(&snap, 400);
    assert_eq!(sh["nspid"], serde_json::json!([400, 1]));
    assert_eq!(process(&snap, 401)["nspid"], serde_json::json!([401, 2]));
    let ns = snap["namespaces"].as_array().unwrap();
    let pid_ns = sh["namespaces"]["pid"].as_u64().unwrap();
    let entry = ns
        .iter()
        .find(|e| e["kind"] == "pid" && e["inode"] == pid_ns)
        .unwrap();
    assert_eq!(entry["nprocs"], 2);
    assert_eq!(entry["pids"], serde_json::json!([400, 401]));
    assert_eq!(entry["lowest_pid"], 400);
    assert_eq!(entry["host"], false);
    let host_pid = ns
        .iter()
        .find(|e| e["kind"] == "pid" && e["host"] == true)
        .unwrap();
    // 1, 2, 300, 402, 403: the zombie has no links and is not counted.
    assert_eq!(host_pid["pids"], serde_json::json!([1, 2, 300, 402, 403]));
    // cgroup and time namespaces were not unshared: one each, all host.
    for kind in ["cgroup", "time"] {
        let of_kind: Vec<_> = ns.iter().filter(|e| e["kind"] == kind).collect();
        assert_eq!(of_kind.len(), 1, "{kind}");
        assert_eq!(of_kind[0]["nprocs"], 7);
    }
    // The rootless container 403 has a user namespace of its own.
    let users: Vec<_> = ns.iter().filter(|e| e["kind"] == "user").collect();
    assert_eq!(users.len(), 2);
    assert!(
        users
            .iter()
            .any(|e| e["pids"] == serde_json::json!([403]) && e["host"] == false)
    );
    // *_for_children links are not namespaces of their own (as with lsns).
    assert!(ns.iter().all(|e| e["kind"] != "pid_for_children"));
}

#[test]
fn id_maps_of_the_chosen_process() {
    let dir = fixture("cgroup-v2");
    let out = boxtop(
        &dir.join("proc"),
        &dir.join("cgroup"),
        &["snapshot", "--json", "--pid", "403", "--cpu-sample-ms", "0"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let snap: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        snap["id_maps"]["uid_map"],
        serde_json::json!([{"inside": 0, "outside": 1000, "count": 1}, {"inside": 1, "outside": 100000, "count": 65536}])
    );
    assert_eq!(snap["id_maps"]["pid"], 403);
}

#[test]
fn hostile_names_never_reach_the_terminal_raw() {
    let dir = fixture("cgroup-v2");
    for args in [
        &["snapshot", "--cpu-sample-ms", "0"][..],
        &["snapshot", "--json", "--cpu-sample-ms", "0"][..],
    ] {
        let out = boxtop(&dir.join("proc"), &dir.join("cgroup"), args);
        assert!(out.status.success());
        assert!(!out.stdout.contains(&0x1b), "no raw ESC in {args:?}");
        assert!(!out.stdout.contains(&0x07), "no raw BEL in {args:?}");
        let text = String::from_utf8(out.stdout).expect("output is valid UTF-8");
        assert!(!text.contains('\u{202e}'), "no raw bidi override");
    }
    let snap = snapshot_json("cgroup-v2");
    let evil = process(&snap, 300);
    assert_eq!(evil["comm"], "a) b:c \\x1b]0;x\\x07\\xff");
    assert_eq!(
        evil["cmdline"],
        serde_json::json!(["\\x1b]0;pwned\\x07", "--name=\\u{202e}evil", "\\xff\\xfe"])
    );
}

#[test]
fn memory_map_of_a_fixture_process() {
    let cg = fixture("cgroup-v2").join("cgroup");
    let out = boxtop(
        &fixture("maps").join("proc"),
        &cg,
        &[
            "snapshot",
            "--json",
            "--pid",
            "6716",
            "--cpu-sample-ms",
            "0",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let snap: Value = serde_json::from_slice(&out.stdout).unwrap();
    let map = &snap["memory_map"];
    assert_eq!(map["pid"], 6716);
    let mappings = map["mappings"].as_array().unwrap();
    assert!(mappings.iter().any(|m| m["kind"] == "heap"));
    assert!(mappings.iter().any(|m| m["kind"] == "stack"));
    assert!(mappings.iter().any(|m| m["kind"] == "text"));
    assert!(
        mappings.iter().any(|m| m.get("rss_bytes").is_some()),
        "smaps counters filled"
    );
    let gaps = map["gaps"].as_array().unwrap();
    let sizes: Vec<u64> = gaps
        .iter()
        .map(|g| g["size_bytes"].as_u64().unwrap())
        .collect();
    assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "gaps largest first");
}

fn error_of(out: &Output) -> String {
    assert!(!out.status.success(), "should fail");
    assert!(out.stdout.is_empty(), "nothing on stdout");
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    err
}

#[test]
fn bad_input_gets_one_clear_line() {
    let dir = fixture("cgroup-v2");
    let (proc, cg) = (dir.join("proc"), dir.join("cgroup"));
    let e = error_of(&boxtop(
        &proc,
        &cg,
        &["snapshot", "--pid", "999999", "--cpu-sample-ms", "0"],
    ));
    assert!(e.contains("no process with pid 999999"), "{e}");
    let e = error_of(&boxtop(
        &proc,
        &cg,
        &["snapshot", "--pid=-3", "--cpu-sample-ms", "0"],
    ));
    assert!(e.contains("no process with pid -3"), "{e}");

    let empty = tempfile::tempdir().unwrap();
    let e = error_of(&boxtop(empty.path(), &cg, &["snapshot"]));
    assert!(e.contains("not a proc tree"), "{e}");
    let e = error_of(&boxtop(&empty.path().join("missing"), &cg, &["snapshot"]));
    assert!(e.contains("not a proc tree"), "{e}");
    let e = error_of(&boxtop(
        &proc,
        empty.path(),
        &["snapshot", "--cpu-sample-ms", "0"],
    ));
    assert!(e.contains("no cgroup filesystem"), "{e}");
}

#[test]
fn readonly_disables_every_action() {
    let dir = fixture("cgroup-v2");
    for args in [
        &[
            "--readonly",
            "limit",
            "--cgroup",
            "/system.slice/limited.service",
            "--pids",
            "5",
        ][..],
        &[
            "freeze",
            "--readonly",
            "--cgroup",
            "/system.slice/cron.service",
        ][..],
        &["--readonly", "kill", "--pid", "402"][..],
    ] {
        let e = error_of(&boxtop(&dir.join("proc"), &dir.join("cgroup"), args));
        assert!(e.contains("--readonly"), "{args:?}: {e}");
    }
    let limited =
        std::fs::read_to_string(dir.join("cgroup/system.slice/limited.service/pids.max")).unwrap();
    assert_eq!(limited.trim(), "64", "nothing written");
}

/// The limit and freeze commands on a copy of the pure v2 fixture: the v2 files this hybrid
/// machine lacks (memory.max, cpu.max) get the exact canonical bytes.
#[test]
fn v2_writes_on_a_fixture_copy() {
    let tmp = tempfile::tempdir().unwrap();
    let ok = Command::new("cp")
        .arg("-a")
        .arg(fixture("cgroup-v2"))
        .arg(tmp.path().join("host"))
        .status()
        .unwrap();
    assert!(ok.success());
    let (proc, cg) = (tmp.path().join("host/proc"), tmp.path().join("host/cgroup"));
    let svc = cg.join("system.slice/limited.service");
    let read = |f: &str| std::fs::read_to_string(svc.join(f)).unwrap();
    // 256M is below the 384 MiB the service uses: refused, and said why.
    let o = boxtop(
        &proc,
        &cg,
        &[
            "limit",
            "--cgroup",
            "/system.slice/limited.service",
            "--memory",
            "256M",
        ],
    );
    let e = error_of(&o);
    assert!(e.contains("reclaim") && e.contains("--force"), "{e}");
    assert_eq!(read("memory.max").trim(), "536870912", "nothing written");
    let o = boxtop(
        &proc,
        &cg,
        &[
            "limit",
            "--cgroup",
            "/system.slice/limited.service",
            "--memory",
            "256M",
            "--cpu",
            "0.25",
            "--force",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(read("memory.max"), "268435456");
    assert_eq!(read("cpu.max"), "25000 100000");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("memory.max: 536870912 -> 268435456"), "{out}");
    let o = boxtop(
        &proc,
        &cg,
        &["freeze", "--cgroup", "/system.slice/cron.service"],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        std::fs::read_to_string(cg.join("system.slice/cron.service/cgroup.freeze")).unwrap(),
        "1"
    );
}

/// `boxtop containers`: the table names the fixture's sandboxes with their runtime, short id,
/// process count and the namespaces they do not share with the host; `--json` is the
/// snapshot's `containers`.
#[test]
fn the_containers_command_lists_them_once() {
    let run = |args: &[&str]| boxtop_on("cgroup-v2", args);
    let table = run(&["containers"]);
    let lines: Vec<&str> = table.lines().collect();
    assert!(
        lines[0].starts_with("NAME") && lines[0].contains("RUNTIME"),
        "{table}"
    );
    let sh = lines
        .iter()
        .find(|l| l.starts_with("sh "))
        .unwrap_or_else(|| panic!("{table}"));
    let cells: Vec<&str> = sh.split_whitespace().collect();
    assert_eq!(cells[1], "sandbox", "{sh}");
    assert!(
        cells[2].starts_with("pid:") && !cells[2].contains(','),
        "{sh}"
    );
    assert_eq!(cells[4], "2", "two processes: {sh}");
    assert!(
        cells.contains(&"imnpu"),
        "its own ipc, mnt, net, pid, uts: {sh}"
    );
    let json: Value = serde_json::from_str(&run(&["containers", "--json"])).expect("JSON");
    assert_eq!(json, snapshot_json("cgroup-v2")["containers"]);
}
