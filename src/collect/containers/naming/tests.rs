//! Every runtime's layout, and the edge cases beside them.

use super::*;

const ID: &str = "eadccc0a814e5c3b6d2f1a0e9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c";
const ID2: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
const UID: &str = "5f3a1b2c-4d5e-6f70-8192-a3b4c5d6e7f8";

fn container(path: &str) -> ContainerIdentity {
    match identify(path) {
        Some(PathMatch::Container(c)) => c,
        other => panic!("{path}: expected a container, got {other:?}"),
    }
}

fn monitor(path: &str) -> (Runtime, String) {
    match identify(path) {
        Some(PathMatch::Monitor { runtime, id }) => (runtime, id),
        other => panic!("{path}: expected a monitor, got {other:?}"),
    }
}

/// (path, runtime, id, name, the container's cgroup)
#[test]
fn every_runtimes_layout() {
    let uid_ = UID.replace('-', "_");
    let rows: Vec<(String, Runtime, &str, Option<&str>, String)> = vec![
        // LXC ≥ 4, LXD, Incus; their init's own cgroups below are the container's too.
        (
            "/lxc.payload.bxdemo".into(),
            Runtime::Lxc,
            "bxdemo",
            Some("bxdemo"),
            "/lxc.payload.bxdemo".into(),
        ),
        (
            "/lxc.payload.web/system.slice/nginx.service".into(),
            Runtime::Lxc,
            "web",
            Some("web"),
            "/lxc.payload.web".into(),
        ),
        // LXC < 4, Proxmox.
        (
            "/lxc/old".into(),
            Runtime::Lxc,
            "old",
            Some("old"),
            "/lxc/old".into(),
        ),
        (
            "/lxc.payload/old/init.scope".into(),
            Runtime::Lxc,
            "old",
            Some("old"),
            "/lxc.payload/old".into(),
        ),
        (
            "/lxc/101".into(),
            Runtime::Lxc,
            "101",
            Some("101"),
            "/lxc/101".into(),
        ),
        // Docker, both drivers, and a --cgroup-parent.
        (
            format!("/docker/{ID}"),
            Runtime::Docker,
            ID,
            None,
            format!("/docker/{ID}"),
        ),
        (
            format!("/system.slice/docker-{ID}.scope"),
            Runtime::Docker,
            ID,
            None,
            format!("/system.slice/docker-{ID}.scope"),
        ),
        (
            format!("/my/parent/{ID}"),
            Runtime::Docker,
            ID,
            None,
            format!("/my/parent/{ID}"),
        ),
        // Podman: systemd (payload in a child `container`), cgroupfs, rootless.
        (
            format!("/machine.slice/libpod-{ID}.scope"),
            Runtime::Podman,
            ID,
            None,
            format!("/machine.slice/libpod-{ID}.scope"),
        ),
        (
            format!("/machine.slice/libpod-{ID}.scope/container"),
            Runtime::Podman,
            ID,
            None,
            format!("/machine.slice/libpod-{ID}.scope"),
        ),
        (
            format!("/libpod_parent/libpod-{ID}"),
            Runtime::Podman,
            ID,
            None,
            format!("/libpod_parent/libpod-{ID}"),
        ),
        (
            format!(
                "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-{ID}.scope/container"
            ),
            Runtime::Podman,
            ID,
            None,
            format!("/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-{ID}.scope"),
        ),
        // Kubernetes, systemd driver: burstable, besteffort, Guaranteed (no QoS level).
        (
            format!(
                "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod{uid_}.slice/cri-containerd-{ID}.scope"
            ),
            Runtime::Containerd,
            ID,
            None,
            format!(
                "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod{uid_}.slice/cri-containerd-{ID}.scope"
            ),
        ),
        (
            format!(
                "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod{uid_}.slice/crio-{ID}.scope"
            ),
            Runtime::CriO,
            ID,
            None,
            format!(
                "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod{uid_}.slice/crio-{ID}.scope"
            ),
        ),
        (
            format!("/kubepods.slice/kubepods-pod{uid_}.slice/docker-{ID}.scope"),
            Runtime::Docker,
            ID,
            None,
            format!("/kubepods.slice/kubepods-pod{uid_}.slice/docker-{ID}.scope"),
        ),
        // Kubernetes, cgroupfs driver.
        (
            format!("/kubepods/burstable/pod{UID}/{ID}"),
            Runtime::Kubernetes,
            ID,
            None,
            format!("/kubepods/burstable/pod{UID}/{ID}"),
        ),
        (
            format!("/kubepods/pod{UID}/{ID}"),
            Runtime::Kubernetes,
            ID,
            None,
            format!("/kubepods/pod{UID}/{ID}"),
        ),
        // containerd outside Kubernetes.
        (
            format!("/system.slice/cri-containerd-{ID}.scope"),
            Runtime::Containerd,
            ID,
            None,
            format!("/system.slice/cri-containerd-{ID}.scope"),
        ),
        (
            format!("/k8s.io/{ID}"),
            Runtime::Containerd,
            ID,
            None,
            format!("/k8s.io/{ID}"),
        ),
        // systemd-nspawn (escaped name, payload child), libvirt-lxc.
        (
            "/machine.slice/machine-debian\\x2dtest.scope/payload".into(),
            Runtime::Nspawn,
            "debian-test",
            Some("debian-test"),
            "/machine.slice/machine-debian\\x2dtest.scope".into(),
        ),
        (
            "/machine.slice/machine-lxc\\x2d4242\\x2dweb.scope".into(),
            Runtime::LibvirtLxc,
            "lxc-4242-web",
            Some("web"),
            "/machine.slice/machine-lxc\\x2d4242\\x2dweb.scope".into(),
        ),
    ];
    for (path, runtime, id, name, cgroup) in rows {
        let c = container(&path);
        assert_eq!(c.runtime, runtime, "{path}");
        assert_eq!(c.id, id, "{path}");
        assert_eq!(c.name.as_deref(), name, "{path}");
        assert_eq!(c.cgroup, cgroup, "{path}");
        assert!(!c.rule.is_empty(), "{path}");
    }
}

#[test]
fn pods_are_named_by_uid_and_qos() {
    let uid_ = UID.replace('-', "_");
    let qos = |path: String| container(&path).pod.map(|p| (p.uid, p.qos));
    let want = |q: &str| Some((UID.to_string(), q.to_string()));
    assert_eq!(
        qos(format!(
            "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod{uid_}.slice/cri-containerd-{ID}.scope"
        )),
        want("burstable")
    );
    assert_eq!(
        qos(format!(
            "/kubepods.slice/kubepods-pod{uid_}.slice/crio-{ID}.scope"
        )),
        want("guaranteed")
    );
    assert_eq!(
        qos(format!("/kubepods/besteffort/pod{UID}/{ID}")),
        want("besteffort")
    );
    assert_eq!(qos(format!("/kubepods/pod{UID}/{ID}")), want("guaranteed"));
    // Outside a pod: none.
    assert_eq!(qos(format!("/docker/{ID}")), None);
}

#[test]
fn monitors_beside_the_payload_are_not_the_container() {
    assert_eq!(
        monitor("/lxc.monitor.bxdemo"),
        (Runtime::Lxc, "bxdemo".into())
    );
    assert_eq!(monitor("/lxc.monitor/old"), (Runtime::Lxc, "old".into()));
    assert_eq!(
        monitor(&format!("/machine.slice/libpod-conmon-{ID}.scope")),
        (Runtime::Podman, ID.into())
    );
    assert_eq!(
        monitor(&format!("/libpod_parent/libpod-conmon-{ID}")),
        (Runtime::Podman, ID.into())
    );
    let uid_ = UID.replace('-', "_");
    assert_eq!(
        monitor(&format!(
            "/kubepods.slice/kubepods-pod{uid_}.slice/crio-conmon-{ID}.scope"
        )),
        (Runtime::CriO, ID.into())
    );
    assert_eq!(
        monitor("/machine.slice/machine-debian.scope/supervisor"),
        (Runtime::Nspawn, "debian".into())
    );
}

#[test]
fn nesting_keeps_the_chain_and_names_the_innermost() {
    let c = container(&format!("/lxc.payload.outer/docker/{ID}"));
    assert_eq!((c.runtime, c.id.as_str()), (Runtime::Docker, ID));
    assert_eq!(c.outer, vec![(Runtime::Lxc, "outer".to_string())]);
    assert_eq!(c.cgroup, format!("/lxc.payload.outer/docker/{ID}"));
    // LXD in LXC, then a container in it.
    let c = container("/lxc.payload.host1/lxc.payload.inner");
    assert_eq!(c.id, "inner");
    assert_eq!(c.outer, vec![(Runtime::Lxc, "host1".to_string())]);
    // Podman inside an nspawn machine.
    let c = container(&format!(
        "/machine.slice/machine-box.scope/payload/machine.slice/libpod-{ID2}.scope"
    ));
    assert_eq!((c.runtime, c.id.as_str()), (Runtime::Podman, ID2));
    assert_eq!(c.outer, vec![(Runtime::Nspawn, "box".to_string())]);
}

#[test]
fn what_is_not_a_container() {
    for path in [
        "/",
        "/init.scope",
        "/system.slice/docker.service",
        "/system.slice/containerd.service",
        "/user.slice/user-1000.slice/session-2.scope",
        // Mount units that carry a container's id.
        &format!("/system.slice/var-lib-docker-containers-{ID}-mounts-shm.mount"),
        &format!("/system.slice/run-docker-netns-{ID}.mount"),
        // Not 64 hex: too short, upper case, not hex.
        "/docker/eadccc0a814e",
        &format!("/docker/{}", ID.to_uppercase()),
        &format!("/docker/{}", "g".repeat(64)),
        // A virtual machine, not a container.
        "/machine.slice/machine-qemu\\x2d1\\x2dvm.scope",
        // Names missing.
        "/lxc.payload.",
        "/lxc",
        // A 64-hex element that is not the last, outside any runtime's directory.
        &format!("/x/{ID}/y"),
        // A pod slice with a malformed UID.
        &format!("/kubepods.slice/kubepods-podnot_a_uid.slice/{ID}/y"),
    ] {
        assert_eq!(identify(path), None, "{path}");
    }
}

#[test]
fn lxd_projects_and_proxmox() {
    let c = container("/lxc.payload.staging_web");
    assert_eq!(c.name.as_deref(), Some("web"));
    assert_eq!(c.project.as_deref(), Some("staging"));
    assert_eq!(c.id, "staging_web");
    assert!(container("/lxc/101").rule.contains("Proxmox"));
}

#[test]
fn paths_seen_from_inside_a_cgroup_namespace() {
    // A process in another cgroup namespace shows paths relative to the reader's root.
    let c = container("/../../lxc.payload.bxdemo");
    assert_eq!((c.runtime, c.id.as_str()), (Runtime::Lxc, "bxdemo"));
    let c = container(&format!("/../docker/{ID}"));
    assert_eq!(c.id, ID);
    assert_eq!(identify("/../.."), None);
}

#[test]
fn short_ids_are_twelve_characters_of_hex_and_names_whole() {
    assert_eq!(container(&format!("/docker/{ID}")).short_id(), &ID[..12]);
    assert_eq!(
        container("/lxc.payload.a-long-container-name").short_id(),
        "a-long-container-name"
    );
}

#[test]
fn unit_escapes() {
    assert_eq!(unescape_unit("debian\\x2dtest"), "debian-test");
    assert_eq!(unescape_unit("a\\x20b"), "a b");
    // Not an escape: kept as it is.
    assert_eq!(unescape_unit("a\\xzz"), "a\\xzz");
    assert_eq!(unescape_unit("a\\x"), "a\\x");
}

proptest::proptest! {
    #[test]
    fn any_path_is_identified_or_not_never_a_panic(path in "(/[a-z0-9._\\\\-]{0,70}){0,6}") {
        let _ = identify(&path);
    }
}
