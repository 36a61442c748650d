//! Naming from state files on a temp tree: once per container, kept, retried a few times.

use super::*;
use crate::model::ContainerMeasures;

const ID: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

fn docker(id: &str) -> Container {
    Container {
        runtime: Runtime::Docker,
        id: id.to_string(),
        name: id[..12].to_string(),
        name_source: NameSource::ShortId,
        image: None,
        project: None,
        pod: None,
        cgroup: Some(format!("/docker/{id}")),
        hierarchy_id: Some(0),
        rule: "test".into(),
        outer: Vec::new(),
        pids: vec![10],
        main_pid: 10,
        namespaces: Default::default(),
        measures: ContainerMeasures::default(),
        network: None,
    }
}

#[test]
fn a_name_is_read_once_and_kept_and_a_late_file_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let roots = Roots::new(dir.path().join("proc"), dir.path().join("cgroup"));
    let config = dir
        .path()
        .join(format!("var/lib/docker/containers/{ID}/config.v2.json"));
    let mut names = Names::default();
    // Not written yet: the short id stays, and it is asked again next time.
    let mut all = vec![docker(ID)];
    names.name(&roots, None, &mut all);
    assert_eq!(
        (all[0].name_source, all[0].name.as_str()),
        (NameSource::ShortId, &ID[..12])
    );
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    std::fs::write(
        &config,
        r#"{"Name":"/db","Config":{"Image":"postgres:16"}}"#,
    )
    .unwrap();
    let mut all = vec![docker(ID)];
    names.name(&roots, None, &mut all);
    assert_eq!(
        (all[0].name.as_str(), all[0].name_source),
        ("db", NameSource::DockerConfig)
    );
    assert_eq!(all[0].image.as_deref(), Some("postgres:16"));
    // Kept: the file is not read again (gone now, the name stays).
    std::fs::remove_file(&config).unwrap();
    let mut all = vec![docker(ID)];
    names.name(&roots, None, &mut all);
    assert_eq!(all[0].name, "db");
    // A container that is gone is forgotten.
    names.name(&roots, None, &mut []);
    assert!(names.known.is_empty());
}

#[test]
fn a_name_never_found_is_asked_a_bounded_number_of_times() {
    let dir = tempfile::tempdir().unwrap();
    let roots = Roots::new(dir.path().join("proc"), dir.path().join("cgroup"));
    let mut names = Names::default();
    for _ in 0..10 {
        names.name(&roots, None, &mut [docker(ID)]);
    }
    let e = &names.known[&(Runtime::Docker, ID.to_string())];
    assert_eq!((e.found.is_none(), e.tries), (true, RETRIES));
}
