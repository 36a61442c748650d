//! Containers on a pure v2 host that runs Docker (systemd driver, compose), two Kubernetes
//! pods (containerd burstable; CRI-O Guaranteed, frozen, with its conmon) and podman (with its
//! conmon): the fixture `containers-v2`, written by tests/fixtures/make_containers_fixture.py,
//! read by the real binary (`boxtop containers --json`, and `snapshot --json`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

#[path = "support/fixture.rs"]
mod support;

use serde_json::{Value, json};
use support::boxtop_on;

const ID1: &str = "11111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const ID2: &str = "22222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
const ID3: &str = "33333333cccccccccccccccccccccccccccccccccccccccccccccccccccccccc";
const ID4: &str = "44444444dddddddddddddddddddddddddddddddddddddddddddddddddddddddd";

fn boxtop(args: &[&str]) -> String {
    boxtop_on("containers-v2", args)
}

fn containers() -> Vec<Value> {
    let v: Value = serde_json::from_str(&boxtop(&["containers", "--json"])).expect("JSON");
    v.as_array().expect("an array").clone()
}

fn by_id<'a>(all: &'a [Value], id: &str) -> &'a Value {
    all.iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no {id}: {all:#?}"))
}

#[test]
fn each_runtime_is_named_with_its_members() {
    let all = containers();
    assert_eq!(all.len(), 4, "{all:#?}");
    let docker = by_id(&all, ID1);
    assert_eq!(docker["runtime"], "docker");
    assert_eq!(docker["name"], "shop/web", "compose's project/service");
    assert_eq!(docker["name_source"], "docker_config");
    assert_eq!(docker["image"], "nginx:1.27");
    assert_eq!(
        docker["pids"],
        json!([500, 501]),
        "dockerd 490 is not a member"
    );
    assert_eq!(docker["main_pid"], 500);
    assert_eq!(
        docker["cgroup"],
        format!("/system.slice/docker-{ID1}.scope")
    );

    let kube = by_id(&all, ID2);
    assert_eq!(kube["runtime"], "containerd");
    assert_eq!(kube["name"], "shop/web-7d4b9c-x2x/app");
    assert_eq!(kube["name_source"], "kubernetes_logs");
    assert_eq!(
        kube["pod"],
        json!({"uid": "5f3a1b2c-4d5e-6f70-8192-a3b4c5d6e7f8", "qos": "burstable"})
    );
    assert_eq!(kube["pids"], json!([510]));

    let crio = by_id(&all, ID3);
    assert_eq!(crio["runtime"], "cri-o");
    assert_eq!(crio["pod"]["qos"], "guaranteed");
    assert_eq!(crio["pids"], json!([520]), "its conmon 519 is not a member");
    assert_eq!(
        (&crio["name"], &crio["name_source"]),
        (&json!(&ID3[..12]), &json!("short_id"))
    );

    let podman = by_id(&all, ID4);
    assert_eq!(podman["runtime"], "podman");
    assert_eq!(
        (&podman["name"], &podman["name_source"]),
        (&json!("cache"), &json!("podman_storage"))
    );
    assert_eq!(podman["image"], "docker.io/library/busybox:latest");
    assert_eq!(
        podman["pids"],
        json!([531]),
        "its conmon 530 is not a member"
    );
    assert_eq!(
        podman["cgroup"],
        format!("/machine.slice/libpod-{ID4}.scope")
    );
}

#[test]
fn measures_come_from_each_containers_cgroup() {
    let all = containers();
    let m = |id: &str| by_id(&all, id)["measures"].clone();
    assert_eq!(m(ID1)["memory_current_bytes"], 12 << 20);
    assert_eq!(
        (&m(ID1)["pids_current"], &m(ID1)["pids_max"]),
        (&json!(2), &json!(100))
    );
    assert_eq!(m(ID1)["memory_max"], "max");
    assert_eq!(m(ID1)["frozen"], false);
    assert_eq!(m(ID3)["frozen"], true, "cgroup.events says frozen 1");
    // podman's payload is in the scope's child: the scope's counters include it.
    assert_eq!(
        (&m(ID4)["memory_current_bytes"], &m(ID4)["pids_current"]),
        (&json!(2 << 20), &json!(1))
    );
    // One sample: no cpu %.
    assert!(m(ID1).get("cpu_percent").is_none());
    // The fixture's /proc/uptime is 1015.27 s; nginx, the oldest member, started at tick
    // 1500 (USER_HZ is 100 on Linux): up 1000 s.
    assert_eq!(m(ID1)["uptime_seconds"], 1000);
}

#[test]
fn the_table_and_the_snapshot_say_the_same() {
    let table = boxtop(&["containers"]);
    let line = |name: &str| {
        table
            .lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("{name}: {table}"))
            .split_whitespace()
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(line("shop/web")[1..4], ["docker", &ID1[..12], "running"]);
    assert!(line("shop/web").contains(&"16m40s".to_string()), "uptime");
    // Every column, the cgroup last, whole.
    assert_eq!(
        line("shop/web").last().map(String::as_str),
        Some(format!("/system.slice/docker-{ID1}.scope").as_str())
    );
    assert!(
        table
            .lines()
            .next()
            .is_some_and(|h| h.contains("DISK R/W") && h.ends_with("CGROUP"))
    );
    assert_eq!(line(&ID3[..12])[1..4], ["cri-o", &ID3[..12], "frozen"]);
    let snap: Value = serde_json::from_str(&boxtop(&["snapshot", "--json"])).expect("JSON");
    assert_eq!(snap["containers"], Value::Array(containers()));
}

/// The v1-only host: Docker's cgroupfs driver (`/docker/ID` in every controller hierarchy,
/// frozen through the v1 freezer) and an LXC < 4 container (`/lxc/NAME`) beside its monitor
/// (`/lxc.monitor/NAME`); measures from the memory, pids and freezer hierarchies.
#[test]
fn a_v1_host_with_docker_cgroupfs_and_old_lxc() {
    let all: Vec<Value> =
        serde_json::from_str(&boxtop_on("containers-v1", &["containers", "--json"])).expect("JSON");
    assert_eq!(all.len(), 2, "{all:#?}");
    let id5 = "55555555eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee";
    let db = by_id(&all, id5);
    assert_eq!(
        (&db["runtime"], &db["name"]),
        (&json!("docker"), &json!("db"))
    );
    assert_eq!(db["pids"], json!([600, 601]), "dockerd 490 is not a member");
    assert_eq!(db["cgroup"], format!("/docker/{id5}"));
    assert_eq!(db["hierarchy_id"], 1, "systemd's named hierarchy names it");
    let m = &db["measures"];
    assert_eq!(
        (&m["memory_current_bytes"], &m["memory_max"]),
        (&json!(96 << 20), &json!(256 << 20))
    );
    assert_eq!(
        (&m["pids_current"], &m["pids_max"]),
        (&json!(2), &json!(64))
    );
    assert_eq!(m["frozen"], true, "freezer.state FROZEN");
    let old = by_id(&all, "old");
    assert_eq!(
        (&old["runtime"], &old["name_source"]),
        (&json!("lxc"), &json!("cgroup_path"))
    );
    assert_eq!(
        old["pids"],
        json!([611, 612]),
        "the monitor 610 is not a member"
    );
    assert_eq!(old["main_pid"], 611);
    assert_eq!(old["measures"]["frozen"], false);
}

/// A container's network namespace counters (its main process's /proc/PID/net/dev, loopback
/// left out); no rate from one sample; a container whose file cannot be read has none.
#[test]
fn network_counters_of_each_containers_namespace() {
    let all = containers();
    let docker = &by_id(&all, ID1)["network"];
    assert_eq!(docker["shared_with_host"], false);
    assert_eq!(
        docker["interfaces"],
        json!([{"name": "eth0", "rx_bytes": 123456, "rx_packets": 210, "tx_bytes": 65432, "tx_packets": 180}])
    );
    assert!(
        docker.get("rx_bytes_per_sec").is_none(),
        "one sample: no rate"
    );
    assert_eq!(docker["netns"], 4026533001u64);
    assert_eq!(
        by_id(&all, ID2)["network"]["interfaces"][0]["rx_bytes"],
        2048
    );
    assert!(
        by_id(&all, ID3).get("network").is_none(),
        "no net/dev: nothing claimed"
    );
}

/// The working set (usage less inactive page cache) and the bytes read and written, read for
/// containers' cgroups alone: v2 memory.stat and io.stat; v1 memory.stat's
/// total_inactive_file (this v1 host has no blkio hierarchy: no disk counters, not zeros).
#[test]
fn working_set_and_disk_bytes() {
    let all = containers();
    let m = &by_id(&all, ID1)["measures"];
    assert_eq!(m["memory_working_set_bytes"], (12 << 20) - (4 << 20));
    assert_eq!(
        (&m["disk_read_bytes"], &m["disk_write_bytes"]),
        (&json!(1 << 20), &json!(2 << 20))
    );
    assert!(
        m.get("disk_read_bytes_per_sec").is_none(),
        "one sample: no rate"
    );
    assert!(
        by_id(&all, ID2)["measures"]
            .get("memory_working_set_bytes")
            .is_none()
    );
    let v1: Vec<Value> =
        serde_json::from_str(&boxtop_on("containers-v1", &["containers", "--json"])).expect("JSON");
    let db = &by_id(
        &v1,
        "55555555eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee",
    )["measures"];
    assert_eq!(db["memory_working_set_bytes"], (96 << 20) - (32 << 20));
    assert!(db.get("disk_read_bytes").is_none());
}
