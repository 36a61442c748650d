//! The runtimes' state files, written the way each runtime writes them, in a temp tree.

use super::*;

const ID: &str = "27e7071c1547dc8d2d17f375c2916f647617930816036af9bcdc9840789847f2";
const ID2: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

fn tree(files: &[(&str, &str)]) -> (tempfile::TempDir, Roots) {
    let dir = tempfile::tempdir().unwrap();
    for (rel, text) in files {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let roots = Roots::new(dir.path().join("proc"), dir.path().join("cgroup"));
    (dir, roots)
}

#[test]
fn podman_storage_names_and_images() {
    let containers = format!(
        r#"[{{"id":"{ID}","names":["web"],"image":"","metadata":"{{\"image-name\":\"docker.io/library/nginx:latest\",\"name\":\"web\"}}"}},
            {{"id":"broken"}}]"#
    );
    let volatile = format!(r#"[{{"id":"{ID2}","names":["tmp\u001b[31m"],"metadata":"not json"}}]"#);
    let (_d, roots) = tree(&[
        (
            &format!("{PODMAN_STORAGE}/containers.json"),
            containers.as_str(),
        ),
        (
            &format!("{PODMAN_STORAGE}/volatile-containers.json"),
            volatile.as_str(),
        ),
    ]);
    let names = podman_names(&roots);
    assert_eq!(
        names.get(ID),
        Some(&StateName {
            name: "web".into(),
            image: Some("docker.io/library/nginx:latest".into())
        })
    );
    // A hostile name is made safe; a metadata that does not parse leaves the image out.
    let tmp = names.get(ID2).unwrap();
    assert_eq!(tmp.name, "tmp\\x1b[31m");
    assert_eq!(tmp.image, None);
    assert_eq!(names.len(), 2, "the entry without names is skipped");
}

#[test]
fn no_podman_files_is_no_names() {
    let (_d, roots) = tree(&[(&format!("{PODMAN_STORAGE}/containers.json"), "{ not json")]);
    assert!(podman_names(&roots).is_empty());
}

#[test]
fn docker_config_names_compose_first() {
    let plain = r#"{"Name":"/db","Config":{"Image":"postgres:16","Labels":{}}}"#;
    let compose = r#"{"Name":"/shop-web-1","Config":{"Image":"shop-web","Labels":{"com.docker.compose.project":"shop","com.docker.compose.service":"web"}}}"#;
    let (_d, roots) = tree(&[
        (
            &format!("var/lib/docker/containers/{ID}/config.v2.json"),
            plain,
        ),
        (
            &format!("var/lib/docker/containers/{ID2}/config.v2.json"),
            compose,
        ),
    ]);
    assert_eq!(
        docker_name(&roots, ID),
        Some(StateName {
            name: "db".into(),
            image: Some("postgres:16".into())
        })
    );
    assert_eq!(
        docker_name(&roots, ID2).map(|n| n.name),
        Some("shop/web".into())
    );
    // Not an id: never read as a path.
    assert_eq!(docker_name(&roots, "../../etc"), None);
    assert_eq!(
        docker_name(&roots, &"f".repeat(64)),
        None,
        "no such container"
    );
}

#[test]
fn kubernetes_log_links_name_pod_namespace_and_container() {
    let (_d, roots) = tree(&[
        (
            &format!("var/log/containers/web-7d4b9c-x2x_shop_nginx-{ID}.log"),
            "",
        ),
        (
            &format!("var/log/containers/coredns-5d78c9869d-abcde_kube-system_coredns-{ID2}.log"),
            "",
        ),
        ("var/log/containers/not-a-container.log", ""),
        (
            &format!("var/log/containers/short_ns_c-{}.log", &ID[..12]),
            "",
        ),
    ]);
    let names = kubernetes_names(&roots);
    assert_eq!(
        names.get(ID).map(|n| n.name.as_str()),
        Some("shop/web-7d4b9c-x2x/nginx")
    );
    assert_eq!(
        names.get(ID2).map(|n| n.name.as_str()),
        Some("kube-system/coredns-5d78c9869d-abcde/coredns")
    );
    assert_eq!(names.len(), 2);
}

#[test]
fn host_files_sit_beside_the_proc_root() {
    let roots = Roots::new("/proc", "/sys/fs/cgroup");
    assert_eq!(
        roots.host_file("var/lib/docker"),
        std::path::Path::new("/var/lib/docker")
    );
    let fixture = Roots::new("tests/fixtures/x/proc", "tests/fixtures/x/cgroup");
    assert_eq!(
        fixture.host_file("/var/log/containers"),
        std::path::Path::new("tests/fixtures/x/var/log/containers")
    );
}
