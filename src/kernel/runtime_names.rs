//! Human names of containers from the files runtimes keep their state in, as root can read
//! them: no socket, no API, nothing that can block on a runtime. Each path goes through
//! [`Roots::host_file`], so a fixture can hold them. What a file says is untrusted text: it
//! goes through `display_safe` like every name.
//!
//! - podman: `var/lib/containers/storage/overlay-containers/containers.json` (and
//!   `volatile-containers.json`, for containers run with `--rm`): `id`, `names`, `image`
//!   (or the image's name in `metadata`).
//! - Docker: `var/lib/docker/containers/ID/config.v2.json`: `Name` (with a leading `/`),
//!   `Config.Image`, and compose's labels `com.docker.compose.project` / `.service`.
//! - Kubernetes: `var/log/containers/POD_NAMESPACE_CONTAINER-ID.log`, the kubelet's links to
//!   each container's log: the container's name, its pod and namespace, by id.

use super::Roots;
use crate::text::display_safe_str;
use std::collections::HashMap;

/// A name found in a runtime's state, with the image it runs where the file says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateName {
    pub name: String,
    pub image: Option<String>,
}

const PODMAN_STORAGE: &str = "var/lib/containers/storage/overlay-containers";

/// podman's containers, by full id. A missing or unreadable file gives none.
pub fn podman_names(roots: &Roots) -> HashMap<String, StateName> {
    let mut out = HashMap::new();
    for file in ["containers.json", "volatile-containers.json"] {
        let path = roots.host_file(&format!("{PODMAN_STORAGE}/{file}"));
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let Ok(serde_json::Value::Array(list)) = serde_json::from_slice(&bytes) else {
            continue;
        };
        for c in &list {
            let Some(id) = c.get("id").and_then(|v| v.as_str()) else {
                continue;
            };
            let Some(name) = c
                .get("names")
                .and_then(|n| n.get(0))
                .and_then(|n| n.as_str())
            else {
                continue;
            };
            // `image` is the image's id; its name is in the metadata, a JSON string.
            let image = c
                .get("metadata")
                .and_then(|m| m.as_str())
                .and_then(|m| serde_json::from_str::<serde_json::Value>(m).ok())
                .and_then(|m| m.get("image-name")?.as_str().map(str::to_string))
                .filter(|i| !i.is_empty());
            out.insert(
                id.to_string(),
                StateName {
                    name: display_safe_str(name),
                    image: image.as_deref().map(display_safe_str),
                },
            );
        }
    }
    out
}

/// Docker's name of the container `id` (`compose-project/service` where compose made it).
pub fn docker_name(roots: &Roots, id: &str) -> Option<StateName> {
    if !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None; // never a path of its own
    }
    let path = roots.host_file(&format!("var/lib/docker/containers/{id}/config.v2.json"));
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
    let config = v.get("Config");
    let label = |k: &str| config?.get("Labels")?.get(k)?.as_str().map(str::to_string);
    let name = match (
        label("com.docker.compose.project"),
        label("com.docker.compose.service"),
    ) {
        (Some(project), Some(service)) => format!("{project}/{service}"),
        _ => v.get("Name")?.as_str()?.trim_start_matches('/').to_string(),
    };
    let image = config
        .and_then(|c| c.get("Image")?.as_str())
        .map(display_safe_str);
    (!name.is_empty()).then(|| StateName {
        name: display_safe_str(&name),
        image,
    })
}

/// Kubernetes containers by id, from the kubelet's log links
/// (`POD_NAMESPACE_CONTAINER-ID.log`): `NAMESPACE/POD/CONTAINER`.
pub fn kubernetes_names(roots: &Roots) -> HashMap<String, StateName> {
    let dir = roots.host_file("var/log/containers");
    let mut out = HashMap::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let file = e.file_name();
        let Some(stem) = file.to_str().and_then(|f| f.strip_suffix(".log")) else {
            continue;
        };
        // The id is the 64 hex digits after the last `-`; names cannot hold `_`.
        let Some((rest, id)) = stem.rsplit_once('-') else {
            continue;
        };
        let mut parts = rest.splitn(3, '_');
        if let (Some(pod), Some(ns), Some(container)) = (parts.next(), parts.next(), parts.next())
            && id.len() == 64
            && id.bytes().all(|b| b.is_ascii_hexdigit())
        {
            out.insert(
                id.to_string(),
                StateName {
                    name: display_safe_str(&format!("{ns}/{pod}/{container}")),
                    image: None,
                },
            );
        }
    }
    out
}

#[cfg(test)]
mod tests;
