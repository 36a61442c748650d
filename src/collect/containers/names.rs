//! Better names than a short id, from the runtimes' state files (`kernel::runtime_names`),
//! looked up once per container id and kept while the container lives: a refresh reads a
//! runtime's files only when a container it has not named appears.

use crate::kernel::Roots;
use crate::kernel::namespaces::read_uts_name;
use crate::kernel::runtime_names::{StateName, docker_name, kubernetes_names, podman_names};
use crate::model::{Container, NameSource, Runtime};
use std::collections::HashMap;

/// A runtime may write its files a moment after the container's first process runs: a
/// container whose name was not found is looked up again on this many more refreshes.
const RETRIES: u8 = 3;

/// What the files said of one container, and how often they were asked.
#[derive(Debug)]
struct Entry {
    found: Option<(StateName, NameSource)>,
    tries: u8,
}

/// What was found for each container id.
#[derive(Debug, Default)]
pub struct Names {
    known: HashMap<(Runtime, String), Entry>,
}

/// The files of one refresh: a runtime's file that lists all its containers is read at most
/// once, and only when a container of that runtime needs it.
struct Files<'r> {
    roots: &'r Roots,
    podman: Option<HashMap<String, StateName>>,
    kubernetes: Option<HashMap<String, StateName>>,
}

impl Files<'_> {
    fn lookup(&mut self, c: &Container) -> Option<(StateName, NameSource)> {
        let roots = self.roots;
        let kubernetes = |files: &mut Self| {
            files
                .kubernetes
                .get_or_insert_with(|| kubernetes_names(roots))
                .get(&c.id)
                .cloned()
                .map(|n| (n, NameSource::KubernetesLogs))
        };
        match c.runtime {
            _ if c.pod.is_some() => kubernetes(self),
            Runtime::Docker => docker_name(roots, &c.id).map(|n| (n, NameSource::DockerConfig)),
            Runtime::Podman => self
                .podman
                .get_or_insert_with(|| podman_names(roots))
                .get(&c.id)
                .cloned()
                .map(|n| (n, NameSource::PodmanStorage)),
            Runtime::Containerd | Runtime::CriO | Runtime::Kubernetes => kubernetes(self),
            _ => None,
        }
    }
}

/// Where no runtime's file names it, the host name of its own UTS namespace (none when it
/// shares the host's, whose name is not its own, or when it is only its short id, as
/// Docker's default is).
fn uts_name(roots: &Roots, c: &Container, host_uts: Option<u64>) -> Option<StateName> {
    let own = c.namespaces.get("uts").copied();
    if own.is_none() || own == host_uts {
        return None;
    }
    let name = read_uts_name(roots, c.main_pid).ok()?;
    let adds = !name.is_empty() && !c.id.starts_with(&name);
    adds.then_some(StateName { name, image: None })
}

impl Names {
    /// Gives `containers` the names their runtimes' files hold (else their own host names);
    /// forgets containers gone. `host_uts`: the host's UTS namespace.
    pub fn name(&mut self, roots: &Roots, host_uts: Option<u64>, containers: &mut [Container]) {
        self.known
            .retain(|(r, id), _| containers.iter().any(|c| c.runtime == *r && c.id == *id));
        let mut files = Files {
            roots,
            podman: None,
            kubernetes: None,
        };
        for c in containers.iter_mut() {
            if c.name_source != NameSource::ShortId {
                continue; // a name from the path is the runtime's own
            }
            let key = (c.runtime, c.id.clone());
            let known = self.known.get(&key);
            if known.is_none_or(|e| e.found.is_none() && e.tries < RETRIES) {
                let tries = known.map_or(0, |e| e.tries + 1);
                let found = files
                    .lookup(c)
                    .or_else(|| uts_name(roots, c, host_uts).map(|n| (n, NameSource::UtsHostname)));
                self.known.insert(key.clone(), Entry { found, tries });
            }
            if let Some(Entry {
                found: Some((n, source)),
                ..
            }) = self.known.get(&key)
            {
                c.name.clone_from(&n.name);
                c.image.clone_from(&n.image);
                c.name_source = *source;
            }
        }
    }
}

#[cfg(test)]
mod tests;
