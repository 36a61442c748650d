//! Grouping on a hand-built host: pid 1 and a shell on the host; an LXC container with its
//! monitor; a Docker container (v1 paths only, systemd's hierarchy first); a podman container
//! with conmon; a sandbox made by unshare, with a child that unshared again; a kernel thread.

use super::*;
use crate::collect::build_namespace_table;
use crate::model::{CgroupMode, CgroupSnapshot, ProcCgroup};
use std::sync::Arc;

const DOCKER: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const PODMAN: &str = "eadccc0a814e5c3b6d2f1a0e9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c";

/// The host's namespaces, with `own` (kind, inode) replaced.
fn ns(own: &[(NsKind, u64)]) -> NsSet {
    let mut s = NsSet::default();
    for k in NsKind::ALL {
        s.set(k, Some(4_026_531_000 + k.index() as u64));
    }
    for (k, inode) in own {
        s.set(*k, Some(*inode));
        if *k == NsKind::Pid {
            s.set(NsKind::PidForChildren, Some(*inode));
        }
    }
    s
}

fn process(pid: i32, ppid: i32, paths: &[(u32, &str, &str)], own: &[(NsKind, u64)]) -> ProcessRow {
    let mut row = crate::model::process::test_row(pid);
    row.ppid = ppid;
    let info = Arc::make_mut(&mut row.info);
    info.comm = format!("p{pid}").into();
    info.namespaces = Arc::new(ns(own));
    info.cgroups = paths
        .iter()
        .map(|(id, controllers, path)| ProcCgroup {
            hierarchy_id: *id,
            controllers: controllers
                .split(',')
                .filter(|c| !c.is_empty())
                .map(str::to_string)
                .collect(),
            path: (*path).to_string(),
        })
        .collect();
    row
}

/// `unshare` after unshare(2): in its new net namespace, its pid_for_children the new pid
/// namespace (its own pid namespace is still the host's).
fn unshare_parent() -> ProcessRow {
    let mut p = process(
        500,
        50,
        &[(0, "", "/user.slice/session-1.scope")],
        &[(NsKind::Net, 50)],
    );
    let info = Arc::make_mut(&mut p.info);
    let mut ns = *info.namespaces;
    ns.set(NsKind::PidForChildren, Some(51));
    info.namespaces = Arc::new(ns);
    p
}

fn host() -> Snapshot {
    use NsKind::{Mnt, Net, Pid, User, Uts};
    let v2 = |path: &'static str| vec![(0, "", path)];
    let lxc = [(Pid, 10), (Net, 11), (Mnt, 12), (Uts, 13)];
    let docker_path = format!("/docker/{DOCKER}");
    let podman_path = format!("/machine.slice/libpod-{PODMAN}.scope/container");
    let conmon_path = format!("/machine.slice/libpod-conmon-{PODMAN}.scope");
    let docker_paths = vec![
        (3, "memory", docker_path.as_str()),
        (1, "name=systemd", docker_path.as_str()),
    ];
    let mut kthread = process(2, 0, &v2("/"), &[]);
    Arc::make_mut(&mut kthread.info).kernel_thread = true;
    let processes: Vec<Arc<ProcessRow>> = vec![
        process(1, 0, &v2("/init.scope"), &[]),
        kthread,
        process(50, 1, &v2("/user.slice/session-1.scope"), &[]),
        // lxc-start's monitor, then the container's init and a child.
        process(100, 1, &v2("/lxc.monitor.web"), &[]),
        process(101, 100, &v2("/lxc.payload.web"), &lxc),
        process(
            102,
            101,
            &v2("/lxc.payload.web/system.slice/nginx.service"),
            &lxc,
        ),
        // Docker on v1 only: the v2 path is the root, the v1 ones name it.
        process(
            200,
            1,
            &[vec![(0, "", "/")], docker_paths.clone()].concat(),
            &[(Pid, 20)],
        ),
        process(
            201,
            200,
            &[vec![(0, "", "/")], docker_paths].concat(),
            &[(Pid, 20)],
        ),
        // conmon beside its container.
        process(300, 1, &[(0, "", conmon_path.as_str())], &[]),
        process(
            301,
            300,
            &[(0, "", podman_path.as_str())],
            &[(Pid, 30), (User, 31)],
        ),
        // unshare --pid --fork sh, whose child unshares a network namespace of its own.
        process(400, 50, &v2("/user.slice/session-1.scope"), &[(Pid, 40)]),
        process(401, 400, &v2("/user.slice/session-1.scope"), &[(Pid, 40)]),
        process(
            402,
            401,
            &v2("/user.slice/session-1.scope"),
            &[(Pid, 40), (Net, 41)],
        ),
        // unshare --net --fork --pid sleep: unshare moved itself into the new net namespace,
        // its child is also in the pid namespace unshare made for its children.
        unshare_parent(),
        process(
            501,
            500,
            &v2("/user.slice/session-1.scope"),
            &[(Net, 50), (Pid, 51)],
        ),
    ]
    .into_iter()
    .map(Arc::new)
    .collect();
    let (host_reference, namespaces) = build_namespace_table(&processes);
    Snapshot {
        taken_at_unix_ms: 0,
        host_reference,
        processes,
        namespaces,
        id_maps: None,
        cgroups: CgroupSnapshot {
            mode: CgroupMode::Hybrid,
            hierarchies: Vec::new(),
        },
        memory_map: None,
        containers: Vec::new(),
        threads: Vec::new(),
    }
}

fn find<'a>(all: &'a [Container], runtime: Runtime, id: &str) -> &'a Container {
    all.iter()
        .find(|c| c.runtime == runtime && c.id == id)
        .unwrap_or_else(|| panic!("no {runtime:?} {id} in {all:#?}"))
}

#[test]
fn runtime_containers_have_their_members_and_not_their_monitors() {
    let all = group(&host());
    let lxc = find(&all, Runtime::Lxc, "web");
    assert_eq!(lxc.pids, vec![101, 102], "the monitor 100 is not a member");
    assert_eq!(lxc.main_pid, 101);
    assert_eq!(
        (lxc.name.as_str(), lxc.name_source),
        ("web", NameSource::CgroupPath)
    );
    assert_eq!(lxc.cgroup.as_deref(), Some("/lxc.payload.web"));
    assert_eq!(lxc.hierarchy_id, Some(0));
    assert_eq!(lxc.namespaces.get("pid"), Some(&10));
    assert_eq!(lxc.namespaces.get("net"), Some(&11));

    let docker = find(&all, Runtime::Docker, DOCKER);
    assert_eq!(docker.pids, vec![200, 201]);
    assert_eq!(docker.name, &DOCKER[..12]);
    assert_eq!(docker.name_source, NameSource::ShortId);
    assert_eq!(
        docker.hierarchy_id,
        Some(1),
        "systemd's named hierarchy is read first"
    );

    let podman = find(&all, Runtime::Podman, PODMAN);
    assert_eq!(podman.pids, vec![301], "conmon 300 is not a member");
    assert_eq!(
        podman.cgroup.as_deref(),
        Some(format!("/machine.slice/libpod-{PODMAN}.scope").as_str())
    );
}

#[test]
fn a_sandbox_is_a_tree_in_namespaces_of_its_own() {
    let all = group(&host());
    let sandbox = find(&all, Runtime::Sandbox, "pid:40");
    assert_eq!(sandbox.pids, vec![400, 401]);
    assert_eq!(sandbox.main_pid, 400);
    assert_eq!(
        (sandbox.name.as_str(), sandbox.name_source),
        ("p400", NameSource::RootProcess)
    );
    assert_eq!(sandbox.cgroup, None);
    // Its child that unshared a network namespace too is a sandbox of its own.
    let nested = all
        .iter()
        .find(|c| c.runtime == Runtime::Sandbox && c.pids == vec![402])
        .unwrap_or_else(|| panic!("402 alone: {all:#?}"));
    assert_eq!(
        nested.id, "pid:40,net:41",
        "its pid namespace first, then the rest"
    );
    assert_eq!(nested.main_pid, 402);
}

#[test]
fn an_unshare_tree_is_one_sandbox_named_after_its_root() {
    let all = group(&host());
    let tree = find(&all, Runtime::Sandbox, "net:50");
    assert_eq!(
        tree.pids,
        vec![500, 501],
        "the child in the pid namespace its parent made"
    );
    assert_eq!((tree.main_pid, tree.name.as_str()), (500, "p500"));
}

#[test]
fn the_host_its_shells_and_kernel_threads_are_no_container() {
    let all = group(&host());
    let members: Vec<i32> = all.iter().flat_map(|c| c.pids.clone()).collect();
    for pid in [1, 2, 50, 100, 300] {
        assert!(!members.contains(&pid), "{pid} in {all:#?}");
    }
    // Each process is in one container at most.
    let mut sorted = members.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), members.len());
    // Sorted by runtime, then name.
    let order: Vec<Runtime> = all.iter().map(|c| c.runtime).collect();
    let mut want = order.clone();
    want.sort();
    assert_eq!(order, want);
}

#[test]
fn without_a_host_reference_nothing_is_a_sandbox() {
    let mut snap = host();
    snap.namespaces.clear();
    assert!(group(&snap).iter().all(|c| c.runtime != Runtime::Sandbox));
}

/// The LXC container's measures come from its cgroup in each hierarchy that has the counter
/// (v2 first): memory and its freezer from v2, pids from a v1 pids hierarchy, cpu from v2
/// even where v1 has it too; the sandbox sums its processes' cpu %.
#[test]
fn measures_come_from_the_containers_cgroups() {
    use crate::model::{
        CgroupNode, CpuStats, FreezerState, Hierarchy, Limit, MemoryStats, PidsStats,
    };
    let mut snap = host();
    let hierarchy = |id: u32, version: u8, node: CgroupNode| Hierarchy {
        id,
        version,
        controllers: Vec::new(),
        name: None,
        mount_point: format!("/sys/fs/cgroup/h{id}"),
        mount_root: "/".into(),
        cgroups: vec![
            CgroupNode {
                path: "/".into(),
                ..CgroupNode::default()
            },
            node,
        ],
    };
    let web = |f: &dyn Fn(&mut CgroupNode)| {
        let mut n = CgroupNode {
            path: "/lxc.payload.web".into(),
            name: "lxc.payload.web".into(),
            depth: 1,
            parent: Some(0),
            ..CgroupNode::default()
        };
        f(&mut n);
        n
    };
    snap.cgroups.hierarchies = vec![
        hierarchy(
            6,
            1,
            web(&|n| {
                n.pids_limit = Some(PidsStats {
                    current: Some(4),
                    max: Some(Limit::Value(100)),
                    max_events: None,
                });
                n.cpu = Some(CpuStats {
                    cpu_percent: Some(99.0),
                    ..CpuStats::default()
                });
                n.freezer = Some(FreezerState::V1 {
                    state: "THAWED".into(),
                    self_freezing: None,
                    parent_freezing: None,
                });
            }),
        ),
        hierarchy(
            0,
            2,
            web(&|n| {
                n.memory = Some(MemoryStats {
                    current_bytes: Some(569_344),
                    max_bytes: Some(Limit::Max),
                    ..MemoryStats::default()
                });
                n.cpu = Some(CpuStats {
                    cpu_percent: Some(0.3),
                    quota_usec: Some(Limit::Value(50_000)),
                    period_usec: Some(100_000),
                    ..CpuStats::default()
                });
                n.freezer = Some(FreezerState::V2 {
                    requested: Some(true),
                    frozen: Some(true),
                });
            }),
        ),
    ];
    let mut p400 = (*snap.processes[10]).clone();
    assert_eq!(p400.pid, 400);
    p400.cpu_percent = crate::model::CpuPercent::new(Some(1.5));
    let mut p401 = (*snap.processes[11]).clone();
    p401.cpu_percent = crate::model::CpuPercent::new(Some(2.0));
    snap.processes[10] = Arc::new(p400);
    snap.processes[11] = Arc::new(p401);
    let all = group(&snap);
    let m = find(&all, Runtime::Lxc, "web").measures;
    assert_eq!(m.cpu_percent, Some(0.3), "v2 before v1");
    assert_eq!(m.cpu_limit_cpus, Some(0.5));
    assert_eq!(m.memory_current_bytes, Some(569_344));
    assert_eq!(m.memory_max, Some(Limit::Max));
    assert_eq!(
        (m.pids_current, m.pids_max),
        (Some(4), Some(Limit::Value(100)))
    );
    assert_eq!(m.frozen, Some(true), "frozen in either hierarchy");
    // Another container's cgroup is not in the snapshot: nothing, never zeros.
    let docker = find(&all, Runtime::Docker, DOCKER).measures;
    assert_eq!(docker, crate::model::ContainerMeasures::default());
    let sandbox = find(&all, Runtime::Sandbox, "pid:40").measures;
    assert_eq!(sandbox.cpu_percent, Some(3.5));
    assert_eq!(sandbox.memory_current_bytes, None);
}
