//! A container as an action's target: found by what a person typed (`--container`), described,
//! and the cautions of acting on it (its protected members, its protected cgroups).

use super::Protected;
use crate::collect::containers::cgroup_in;
use crate::model::{Container, Runtime, Snapshot, short_id};

/// How many candidates an unknown or ambiguous name lists.
const LISTED: usize = 20;

/// The container `query` names: its exact name, else its full id, else a unique prefix of its
/// id. The error is the sentence to print, with the candidates.
pub(super) fn find<'a>(all: &'a [Container], query: &str) -> Result<&'a Container, String> {
    let q = query.trim();
    if q.is_empty() {
        return Err("--container: give a name or an id (boxtop containers lists them)".into());
    }
    /// A rule's name, and whether a container meets it.
    type Rule<'q> = (&'static str, Box<dyn Fn(&Container) -> bool + 'q>);
    let rules: [Rule; 3] = [
        ("name", Box::new(|c| c.name == q)),
        ("id", Box::new(|c| c.id == q)),
        ("id prefix", Box::new(|c| c.id.starts_with(q))),
    ];
    for (rule, matches) in rules {
        let found: Vec<&Container> = all.iter().filter(|c| matches(c)).collect();
        match found.as_slice() {
            [] => {}
            [one] => return Ok(one),
            many => {
                return Err(format!(
                    "container {q:?} is ambiguous: {} containers have that {rule}: {}; give more \
                     of the id",
                    many.len(),
                    listing(many)
                ));
            }
        }
    }
    if all.is_empty() {
        return Err(format!(
            "no such container: {q:?} (boxtop sees no containers)"
        ));
    }
    let every: Vec<&Container> = all.iter().collect();
    Err(format!(
        "no such container: {q:?}; boxtop sees {}",
        listing(&every)
    ))
}

/// `web (podman 6666aaaaaaaa), cache (podman 6666bbbbbbbb)`, the first [`LISTED`] of them.
fn listing(cs: &[&Container]) -> String {
    let mut parts: Vec<String> = cs
        .iter()
        .take(LISTED)
        .map(|c| format!("{} ({} {})", c.name, c.runtime.name(), short_id(&c.id)))
        .collect();
    if cs.len() > LISTED {
        parts.push(format!("and {} more", cs.len() - LISTED));
    }
    parts.join(", ")
}

/// `lxc container bxdemo`, `sandbox sh`.
pub(super) fn words(runtime: Runtime, name: &str) -> String {
    match runtime {
        Runtime::Sandbox => format!("sandbox {name}"),
        _ => format!("{} container {name}", runtime.name()),
    }
}

/// `lxc container bxdemo (cgroup /lxc.payload.bxdemo)`.
pub(super) fn describe(c: &Container) -> String {
    let whose = words(c.runtime, &c.name);
    match &c.cgroup {
        Some(path) => format!("{whose} (cgroup {path})"),
        None => format!("{whose} (no cgroup of its own)"),
    }
}

/// A protected member (the first, with how many more), and each of its own cgroups that is
/// protected (in the words `guard` uses, so that a cgroup is said once).
pub(super) fn cautions(snap: &Snapshot, protected: &Protected, c: &Container) -> Vec<String> {
    let mut out = Vec::new();
    let members: Vec<String> = c
        .pids
        .iter()
        .filter_map(|pid| protected.process(snap.process(*pid)?))
        .collect();
    if let Some(first) = members.first() {
        let more = match members.len() - 1 {
            0 => String::new(),
            n => format!(" (and {n} more of its processes are protected)"),
        };
        out.push(format!(
            "{}: its process {first}{more}",
            words(c.runtime, &c.name)
        ));
    }
    for h in &snap.cgroups.hierarchies {
        if let Some(path) = cgroup_in(snap, c, h.id)
            && let Some(why) = protected.cgroup(h.id, &path)
        {
            let caution = format!("cgroup {path} {why}");
            if !out.contains(&caution) {
                out.push(caution);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ContainerMeasures, NameSource};

    fn c(runtime: Runtime, id: &str, name: &str) -> Container {
        Container {
            runtime,
            id: id.into(),
            name: name.into(),
            name_source: NameSource::CgroupPath,
            image: None,
            project: None,
            pod: None,
            cgroup: Some(format!("/x/{id}")),
            hierarchy_id: Some(0),
            rule: "test".into(),
            outer: Vec::new(),
            namespaces: Default::default(),
            measures: ContainerMeasures::default(),
            network: None,
            pids: vec![10],
            main_pid: 10,
        }
    }

    fn all() -> Vec<Container> {
        vec![
            c(
                Runtime::Podman,
                &format!("6666aaaa{}", "0".repeat(56)),
                "web",
            ),
            c(
                Runtime::Podman,
                &format!("6666bbbb{}", "0".repeat(56)),
                "cache",
            ),
            c(
                Runtime::Docker,
                &format!("7777cccc{}", "0".repeat(56)),
                "web",
            ),
            c(Runtime::Lxc, "bxdemo", "bxdemo"),
            // A name that is another's id prefix: the name wins.
            c(
                Runtime::Docker,
                &format!("8888dddd{}", "0".repeat(56)),
                "7777",
            ),
        ]
    }

    #[test]
    fn name_then_full_id_then_unique_prefix() {
        let all = all();
        assert_eq!(find(&all, "bxdemo").unwrap().runtime, Runtime::Lxc);
        assert_eq!(find(&all, "cache").unwrap().name, "cache");
        assert_eq!(find(&all, "6666a").unwrap().name, "web");
        let full = all[1].id.clone();
        assert_eq!(find(&all, &full).unwrap().name, "cache");
        assert_eq!(
            find(&all, "7777").unwrap().id,
            all[4].id,
            "a name before a prefix"
        );
        assert_eq!(find(&all, " bxdemo ").unwrap().name, "bxdemo");
    }

    #[test]
    fn ambiguous_and_unknown_list_the_candidates() {
        let all = all();
        let e = find(&all, "6666").unwrap_err();
        assert!(e.contains("ambiguous") && e.contains("id prefix"), "{e}");
        assert!(
            e.contains("web (podman 6666aaaa0000)") && e.contains("cache (podman 6666bbbb0000)"),
            "{e}"
        );
        assert!(!e.contains("docker"), "only the candidates: {e}");
        let e = find(&all, "web").unwrap_err();
        assert!(e.contains("2 containers have that name"), "{e}");
        assert!(e.contains("(docker 7777cccc0000)"), "{e}");
        let e = find(&all, "nope").unwrap_err();
        assert!(e.starts_with("no such container: \"nope\""), "{e}");
        assert!(e.contains("bxdemo (lxc bxdemo)"), "{e}");
        assert!(find(&[], "x").unwrap_err().contains("sees no containers"));
        assert!(find(&all, "").is_err());
        let many: Vec<Container> = (0..25)
            .map(|i| c(Runtime::Lxc, &format!("n{i}"), &format!("n{i}")))
            .collect();
        assert!(find(&many, "x").unwrap_err().ends_with("and 5 more"));
    }
}
