//! A container's values as table cells, one spelling for `boxtop containers` and the
//! dashboard's containers pane. Absent is `-`, never 0 (a counter boxtop could not read is
//! not a counter that read zero).

use super::{Container, ContainerMeasures, Runtime};
use crate::model::host::ns_letter;
use crate::model::{Limit, NsKind, NsSet};
use crate::text::{format_bytes, format_uptime};

/// `running`, `frozen` (`paused` for the runtimes whose word for it that is: Docker, podman,
/// containerd), or `-` where no freezer could be read (a sandbox has none of its own).
pub fn state(c: &Container) -> &'static str {
    let pauses = matches!(
        c.runtime,
        Runtime::Docker | Runtime::Podman | Runtime::Containerd
    );
    match (c.measures.frozen, pauses) {
        (Some(true), true) => "paused",
        (Some(true), false) => "frozen",
        (Some(false), _) => "running",
        (None, _) => "-",
    }
}

/// Share of one CPU, and of its quota where one is set: `12.5` or `12.5/200` (a quota of two
/// CPUs is 200 % of one), as top counts a multi-threaded process.
pub fn cpu(m: &ContainerMeasures) -> String {
    match (m.cpu_percent, m.cpu_limit_cpus) {
        (Some(p), Some(l)) => format!("{p:.1}/{:.0}", l * 100.0),
        (Some(p), None) => format!("{p:.1}"),
        (None, _) => "-".to_string(),
    }
}

/// ` / LIMIT`, ` / max`, or nothing where the limit is not known.
fn against(limit: Option<Limit>, show: &dyn Fn(u64) -> String) -> String {
    match limit {
        Some(Limit::Value(v)) => format!(" / {}", show(v)),
        Some(Limit::Max) => " / max".to_string(),
        None => String::new(),
    }
}

/// Usage against memory.max: `12.0 MiB / 256.0 MiB`.
pub fn memory(m: &ContainerMeasures) -> String {
    m.memory_current_bytes.map_or_else(
        || "-".to_string(),
        |b| {
            format!(
                "{}{}",
                format_bytes(b),
                against(m.memory_max, &format_bytes)
            )
        },
    )
}

/// The working set (usage less the inactive page cache).
pub fn working_set(m: &ContainerMeasures) -> String {
    m.memory_working_set_bytes
        .map_or_else(|| "-".to_string(), format_bytes)
}

/// pids.current against pids.max.
pub fn pids(m: &ContainerMeasures) -> String {
    m.pids_current.map_or_else(
        || "-".to_string(),
        |n| format!("{n}{}", against(m.pids_max, &|v| v.to_string())),
    )
}

/// Receive and send rates over the two samples; `host` where it shares the host's network
/// namespace (the host's traffic is not its own).
pub fn net(c: &Container) -> String {
    match &c.network {
        Some(n) if n.shared_with_host => "host".to_string(),
        Some(n) => rates(n.rx_bytes_per_sec, n.tx_bytes_per_sec),
        None => "-".to_string(),
    }
}

/// Read and write rates.
pub fn disk(m: &ContainerMeasures) -> String {
    rates(m.disk_read_bytes_per_sec, m.disk_write_bytes_per_sec)
}

fn rates(a: Option<f64>, b: Option<f64>) -> String {
    match (a, b) {
        (Some(a), Some(b)) => format!("{}/s {}/s", per_sec(a), per_sec(b)),
        _ => "-".to_string(),
    }
}

/// Seconds since its oldest member started.
pub fn uptime(m: &ContainerMeasures) -> String {
    m.uptime_seconds
        .map_or_else(|| "-".to_string(), format_uptime)
}

/// The namespaces its main process does not share with the host, lettered as the process
/// table marks them; `-` for none.
pub fn own_namespaces(c: &Container, host: &NsSet) -> String {
    let letters: String = NsKind::ALL
        .into_iter()
        .filter(|k| !k.is_for_children())
        .filter(|k| {
            let mine = c.namespaces.get(k.file_name()).copied();
            mine.is_some() && mine != host.get(*k)
        })
        .map(ns_letter)
        .collect();
    if letters.is_empty() {
        "-".into()
    } else {
        letters
    }
}

/// A rate in bytes per second, as a size (rounded down to whole bytes).
fn per_sec(rate: f64) -> String {
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "a rate, clamped at 0, shown in whole bytes"
    )]
    let whole = rate.max(0.0) as u64;
    format_bytes(whole)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_is_a_dash_and_limits_are_said() {
        let none = ContainerMeasures::default();
        assert_eq!(
            [
                cpu(&none),
                memory(&none),
                pids(&none),
                disk(&none),
                uptime(&none)
            ],
            ["-", "-", "-", "-", "-"].map(String::from)
        );

        let m = ContainerMeasures {
            cpu_percent: Some(12.54),
            cpu_limit_cpus: Some(1.5),
            memory_current_bytes: Some(2048),
            memory_max: Some(Limit::Max),
            pids_current: Some(4),
            pids_max: Some(Limit::Value(100)),
            disk_read_bytes_per_sec: Some(1536.7),
            disk_write_bytes_per_sec: Some(0.0),
            frozen: Some(true),
            uptime_seconds: Some(3700),
            ..ContainerMeasures::default()
        };
        assert_eq!(cpu(&m), "12.5/150");
        assert_eq!(memory(&m), "2.0 KiB / max");
        assert_eq!(pids(&m), "4 / 100");
        assert_eq!(disk(&m), "1.5 KiB/s 0 B/s");
        assert_eq!(uptime(&m), "1h01m");
    }

    #[test]
    fn frozen_is_paused_in_the_words_of_the_runtimes_that_pause() {
        let mut c = Container {
            runtime: Runtime::Lxc,
            id: "demo".into(),
            name: "demo".into(),
            name_source: super::super::NameSource::CgroupPath,
            image: None,
            project: None,
            pod: None,
            cgroup: Some("/lxc.payload.demo".into()),
            hierarchy_id: Some(0),
            rule: "test".into(),
            outer: Vec::new(),
            pids: vec![1],
            main_pid: 1,
            namespaces: std::collections::BTreeMap::new(),
            measures: ContainerMeasures::default(),
            network: None,
        };
        assert_eq!(state(&c), "-", "no freezer read");
        c.measures.frozen = Some(false);
        assert_eq!(state(&c), "running");
        c.measures.frozen = Some(true);
        assert_eq!(state(&c), "frozen");
        c.runtime = Runtime::Podman;
        assert_eq!(state(&c), "paused");
    }
}
