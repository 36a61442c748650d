//! `boxtop serve` on this machine: a scrape with real LXC and podman containers running is
//! clean to `promtool check metrics` and holds their cgroups' values; bad clients (silent,
//! 10 MB of headers, 200 at once, a path out of the tree) get an error or are dropped while a
//! scrape beside them answers, and the server's memory stays bounded.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

#[path = "support/containers.rs"]
mod containers;
#[path = "support/live.rs"]
mod live;
#[path = "support/serve.rs"]
mod serve;

use boxtop::model::Runtime;
use containers::{Lxc, Podman, seen};
use serve::{Serve, get, prometheus_tool, rss_kib, sample};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SCRAPE: Duration = Duration::from_secs(10);

/// The memory the container's cgroup file says, in the first hierarchy (v2 first) that has
/// one: v2 memory.current, v1 memory.usage_in_bytes (on a hybrid host, v1's memory).
fn memory_file(snap: &boxtop::model::Snapshot, path: &str) -> Option<f64> {
    let mut hs: Vec<_> = snap.cgroups.hierarchies.iter().collect();
    hs.sort_by_key(|h| std::cmp::Reverse(h.version));
    hs.iter().find_map(|h| {
        let dir = std::path::Path::new(&h.mount_point).join(path.trim_start_matches('/'));
        ["memory.current", "memory.usage_in_bytes"]
            .iter()
            .find_map(|f| std::fs::read_to_string(dir.join(f)).ok())
            .and_then(|s| s.trim().parse().ok())
    })
}

#[test]
fn a_scrape_with_lxc_and_podman_running_is_clean_and_true() {
    let lxc = Lxc::start();
    let podman = Podman::start();
    let server = Serve::start(&[]);
    let mut checks = Vec::new();
    if let Some(l) = &lxc {
        let (snap, c) = seen(Runtime::Lxc, &l.name, l.init_pid());
        checks.push((format!(r#"name="{}""#, l.name), r#"runtime="lxc""#, snap, c));
    }
    if let Some(p) = &podman {
        let (id, pid, _conmon) = p.inspect();
        let (snap, c) = seen(Runtime::Podman, &id, pid);
        checks.push((format!(r#"id="{id}""#), r#"runtime="podman""#, snap, c));
    }
    let (code, body) = get(server.addr, "/metrics", SCRAPE).expect("a scrape");
    assert_eq!(code, 200);
    for (who, runtime, snap, c) in &checks {
        assert!(
            sample(&body, "boxtop_container_info", &[who, runtime]) == Some(1.0),
            "{who} {runtime} in:\n{body}"
        );
        // The cgroup's file read right after the scrape: an idle busybox moves a few pages.
        let ours = sample(&body, "boxtop_container_memory_usage_bytes", &[who]).expect("memory");
        let path = c
            .cgroup
            .as_deref()
            .expect("a runtime's container has a cgroup");
        let file = memory_file(snap, path).expect("the cgroup's memory file");
        assert!(
            (ours - file).abs() <= 1024.0 * 1024.0,
            "{who}: {ours} against {file}"
        );
    }
    match prometheus_tool("promtool") {
        Some(promtool) => {
            let mut check = Command::new(promtool)
                .args(["check", "metrics"])
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("promtool");
            check
                .stdin
                .take()
                .unwrap()
                .write_all(body.as_bytes())
                .unwrap();
            let out = check.wait_with_output().unwrap();
            let said = String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr);
            assert!(
                out.status.success() && said.trim().is_empty(),
                "promtool: {said}"
            );
        }
        None => eprintln!("SKIP promtool: not installed (.ci/run unpacks Debian's prometheus)"),
    }
}

#[test]
fn bad_clients_are_refused_or_dropped_and_a_scrape_still_answers() {
    let server = Serve::start(&[]);
    let addr = server.addr;
    // 200 connections at once that send nothing.
    let idle: Vec<TcpStream> = (0..200)
        .filter_map(|_| TcpStream::connect_timeout(&addr, SCRAPE).ok())
        .collect();
    // One that sends 10 MB of headers: answered 431 (or cut off) long before the end.
    let flood = std::thread::spawn(move || {
        let mut s = TcpStream::connect(addr).unwrap();
        s.set_write_timeout(Some(Duration::from_secs(5))).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let _ = s.write_all(b"GET /metrics HTTP/1.1\r\n");
        let line = format!("X-Junk: {}\r\n", "a".repeat(1000));
        let mut sent = 0usize;
        while sent < 10 << 20 {
            if s.write_all(line.as_bytes()).is_err() {
                break;
            }
            sent += line.len();
        }
        let mut back = Vec::new();
        let _ = s.read_to_end(&mut back);
        (sent, String::from_utf8_lossy(&back).into_owned())
    });
    // A scrape beside them answers in time, and so does the way out of the tree: a 404.
    let began = Instant::now();
    let (code, body) = get(addr, "/metrics", SCRAPE).expect("a scrape beside 200 idle");
    assert_eq!(code, 200);
    assert!(body.contains("boxtop_processes "), "{body}");
    assert!(began.elapsed() < SCRAPE);
    assert_eq!(get(addr, "/../etc/passwd", SCRAPE).map(|r| r.0), Some(404));
    assert_eq!(get(addr, "/", SCRAPE).map(|r| r.0), Some(200));
    let (sent, back) = flood.join().unwrap();
    assert!(
        back.starts_with("HTTP/1.1 431") || sent < 10 << 20,
        "10 MB of headers were taken: {back:?}"
    );
    assert!(
        rss_kib(server.pid()) < 64 << 10,
        "{} KiB",
        rss_kib(server.pid())
    );
    // The idle ones are let go at the read time-out (5 s): their slots come back.
    drop(idle);
    let (code, _) = get(addr, "/metrics", SCRAPE).expect("after");
    assert_eq!(code, 200);
}

#[test]
fn two_scrapes_in_one_interval_read_the_host_once() {
    let server = Serve::start(&["--interval", "30"]);
    let read = |body: &str| sample(body, "boxtop_collections_total", &[]).expect("the count");
    let (_, a) = get(server.addr, "/metrics", SCRAPE).unwrap();
    let (_, b) = get(server.addr, "/metrics", SCRAPE).unwrap();
    assert_eq!(read(&a), 1.0);
    assert_eq!(read(&b), 1.0, "the second got the same reading");
}

/// A free loopback port (bound, read, let go: another process could take it in between,
/// which would fail the test loudly, not wrongly).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Prometheus, started on a loopback port with its data in a temp dir, killed on drop.
struct Prometheus {
    child: std::process::Child,
    port: u16,
    _data: tempfile::TempDir,
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Prometheus {
    fn start(bin: &std::path::Path, target: std::net::SocketAddr) -> Prometheus {
        let data = tempfile::tempdir().unwrap();
        let config = data.path().join("prometheus.yml");
        std::fs::write(
            &config,
            format!(
                "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n\
                 scrape_configs:\n  - job_name: boxtop\n    static_configs:\n      - targets: [\"{target}\"]\n"
            ),
        )
        .unwrap();
        let port = free_port();
        let child = Command::new(bin)
            .arg(format!("--config.file={}", config.display()))
            .arg(format!(
                "--storage.tsdb.path={}",
                data.path().join("tsdb").display()
            ))
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("prometheus");
        let p = Prometheus {
            child,
            port,
            _data: data,
        };
        let addr = p.addr();
        let ready = live::wait_for(|| get(addr, "/-/ready", SCRAPE).filter(|r| r.0 == 200));
        assert!(ready.is_some(), "prometheus ready on {port}");
        p
    }

    fn addr(&self) -> std::net::SocketAddr {
        std::net::SocketAddr::from(([127, 0, 0, 1], self.port))
    }

    /// An instant query's first value, if the result has one.
    fn query(&self, q: &str) -> Option<f64> {
        let enc: String = q
            .bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'.' | b'-' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect();
        let (code, body) = get(self.addr(), &format!("/api/v1/query?query={enc}"), SCRAPE)?;
        assert_eq!(code, 200, "{body}");
        let v: serde_json::Value = serde_json::from_str(&body).ok()?;
        v["data"]["result"][0]["value"][1].as_str()?.parse().ok()
    }
}

/// A real Prometheus scrapes boxtop for a few seconds; its HTTP API then gives an LXC test
/// container's memory as the cgroup file holds it, and a rate() of its CPU seconds near
/// one CPU while a busy loop runs in it.
#[test]
fn a_real_prometheus_scrapes_a_containers_memory_and_cpu_rate() {
    let Some(bin) = prometheus_tool("prometheus") else {
        eprintln!("SKIP prometheus: not installed (.ci/run unpacks Debian's prometheus)");
        return;
    };
    let Some(lxc) = Lxc::start() else { return };
    let (snap, c) = seen(Runtime::Lxc, &lxc.name, lxc.init_pid());
    let path = c.cgroup.clone().expect("its cgroup");
    // A busy loop in the container, ended with it (lxc-stop on drop).
    let burner = Command::new("lxc-attach")
        .args(["-n", &lxc.name, "--", "sh", "-c", "while :; do :; done"])
        .stdin(Stdio::null())
        .spawn()
        .expect("lxc-attach");
    let server = Serve::start(&["--interval", "0.5"]);
    let prom = Prometheus::start(&bin, server.addr);
    let name = &lxc.name;
    // Two scrapes a second apart are the least rate() needs: wait up to 20 s for them.
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut rate = None;
    while rate.is_none() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(500));
        rate = prom
            .query(&format!(
                "rate(boxtop_container_cpu_usage_seconds_total{{name=\"{name}\"}}[4s])"
            ))
            .filter(|r| *r > 0.5);
    }
    let mut burner = burner;
    let _ = burner.kill();
    let _ = burner.wait();
    assert!(
        rate.is_some_and(|r| r < 1.5),
        "rate() of a busy loop: {rate:?}"
    );
    let ours = prom
        .query(&format!(
            "boxtop_container_memory_usage_bytes{{name=\"{name}\"}}"
        ))
        .expect("the container's memory in Prometheus");
    let file = memory_file(&snap, &path).expect("the cgroup's memory file");
    assert!(
        (ours - file).abs() <= 4.0 * 1024.0 * 1024.0,
        "Prometheus says {ours}, the cgroup file {file}"
    );
}
