use super::*;
use crate::collect::Collector;
use crate::kernel::Roots;
use std::collections::HashSet;

fn fixture(host: &str) -> Snapshot {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(host);
    Collector::new(Roots::new(dir.join("proc"), dir.join("cgroup")))
        .expect("fixture roots")
        .collect(None)
        .expect("collect")
}

fn text(host: &str) -> String {
    let mut e = Exposition::default();
    snapshot_metrics(&fixture(host), &CgroupSelection::default(), &mut e);
    e.finish()
}

/// The sample lines of `name` with all of `labels`.
fn samples<'a>(text: &'a str, name: &str, labels: &[&str]) -> Vec<&'a str> {
    text.lines()
        .filter(|l| l.starts_with(&format!("{name}{{")) || l.starts_with(&format!("{name} ")))
        .filter(|l| labels.iter().all(|x| l.contains(x)))
        .collect()
}

fn value(line: &str) -> f64 {
    line.rsplit(' ')
        .next()
        .and_then(|v| v.parse().ok())
        .expect("a value")
}

#[test]
fn docker_and_podman_containers_of_the_v2_fixture() {
    let t = text("containers-v2");
    let web = r#"name="shop/web""#;
    let info = samples(&t, "boxtop_container_info", &[web]);
    assert_eq!(info.len(), 1, "{t}");
    assert!(
        info[0].contains(r#"runtime="docker""#)
            && info[0].contains(r#"name_source="docker_config""#)
    );
    let mem = samples(&t, "boxtop_container_memory_usage_bytes", &[web]);
    assert_eq!(mem.len(), 1);
    assert_eq!(
        value(mem[0]),
        12.0 * 1024.0 * 1024.0,
        "memory.current of the fixture"
    );
    assert_eq!(
        value(samples(&t, "boxtop_container_pids_limit", &[web])[0]),
        100.0
    );
    assert!(
        samples(&t, "boxtop_container_memory_limit_bytes", &[web]).is_empty(),
        "memory.max is max: no limit sample, never 0"
    );
    let frozen = samples(&t, "boxtop_container_frozen", &[r#"runtime="cri-o""#]);
    assert_eq!(frozen.len(), 1);
    assert_eq!(value(frozen[0]), 1.0, "the frozen pod's container");
    assert!(!samples(&t, "boxtop_namespaces", &[r#"type="net""#]).is_empty());
}

#[test]
fn every_family_is_whole_typed_and_without_duplicates() {
    for host in [
        "containers-v2",
        "containers-hybrid",
        "containers-v1",
        "cgroup-v1",
    ] {
        let t = text(host);
        let mut typed = HashSet::new();
        let mut seen = HashSet::new();
        let mut current = String::new();
        for line in t.lines() {
            if let Some(rest) = line.strip_prefix("# TYPE ") {
                let name = rest.split(' ').next().unwrap_or("").to_string();
                assert!(typed.insert(name.clone()), "{host}: {name} typed twice");
                current = name;
            } else if !line.starts_with('#') {
                let name = line.split(['{', ' ']).next().unwrap_or("");
                assert_eq!(name, current, "{host}: {line} outside its family");
                assert!(
                    seen.insert(
                        line.rsplit_once(' ')
                            .map(|x| x.0)
                            .unwrap_or(line)
                            .to_string()
                    ),
                    "{host}: {line} twice"
                );
                assert!(name.starts_with("boxtop_"));
                if current.ends_with("_total") {
                    assert!(t.contains(&format!("# TYPE {current} counter")));
                }
            }
        }
        assert!(!typed.is_empty(), "{host}");
    }
}

#[test]
fn the_cgroup_selection_bounds_how_many_cgroups_get_metrics() {
    let snap = fixture("containers-v1");
    let count = |sel: &CgroupSelection| {
        let mut e = Exposition::default();
        snapshot_metrics(&snap, sel, &mut e);
        e.finish()
            .lines()
            .filter(|l| l.starts_with("boxtop_cgroup_processes{"))
            .count()
    };
    let shallow = count(&CgroupSelection {
        max_depth: 0,
        prefixes: Vec::new(),
    });
    let default = count(&CgroupSelection::default());
    let deep = count(&CgroupSelection {
        max_depth: 99,
        prefixes: Vec::new(),
    });
    assert!(
        shallow > 0 && shallow < default && default <= deep,
        "{shallow} {default} {deep}"
    );
}
