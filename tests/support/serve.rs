//! Shared by the `boxtop serve` tests: the server on a loopback port of its own (port 0, the
//! address read from its first line), killed on drop; a plain HTTP GET with time-outs; and
//! where Prometheus's tools are (PATH, else `target/ci-tools/usr/bin`, where .ci/run puts
//! Debian's `prometheus` package unpacked).

#![allow(
    dead_code,
    reason = "shared by several test crates; each uses only part of it"
)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub(crate) struct Serve {
    pub child: Child,
    pub addr: SocketAddr,
}

impl Serve {
    pub(crate) fn start(args: &[&str]) -> Serve {
        let mut child = Command::new(env!("CARGO_BIN_EXE_boxtop"))
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("boxtop serve");
        let mut first = String::new();
        let err = child.stderr.take().expect("its stderr");
        BufReader::new(err)
            .read_line(&mut first)
            .expect("its first line");
        let addr = first
            .trim()
            .strip_prefix("boxtop: serving http://")
            .and_then(|s| s.strip_suffix("/metrics"))
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("the address in {first:?}"));
        Serve { child, addr }
    }

    pub(crate) fn pid(&self) -> i32 {
        i32::try_from(self.child.id()).expect("a pid")
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `GET path`: the status code and the body (None when the server closed or timed out).
pub(crate) fn get(addr: SocketAddr, path: &str, timeout: Duration) -> Option<(u16, String)> {
    let mut s = TcpStream::connect_timeout(&addr, timeout).ok()?;
    s.set_read_timeout(Some(timeout)).ok()?;
    s.set_write_timeout(Some(timeout)).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut out = Vec::new();
    s.read_to_end(&mut out).ok()?;
    let text = String::from_utf8_lossy(&out).into_owned();
    let (head, body) = text.split_once("\r\n\r\n")?;
    let code = head.split(' ').nth(1)?.parse().ok()?;
    Some((code, body.to_string()))
}

/// A Prometheus tool: PATH first, then .ci/run's unpacked package.
pub(crate) fn prometheus_tool(name: &str) -> Option<PathBuf> {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    found.or_else(|| {
        let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("target/ci-tools/usr/bin")
            .join(name);
        p.is_file().then_some(p)
    })
}

/// The value of the first sample line that starts with `name{` and holds every label.
pub(crate) fn sample(text: &str, name: &str, labels: &[&str]) -> Option<f64> {
    text.lines()
        .filter(|l| l.starts_with(&format!("{name}{{")) || l.starts_with(&format!("{name} ")))
        .find(|l| labels.iter().all(|x| l.contains(x)))
        .and_then(|l| l.rsplit(' ').next()?.parse().ok())
}

/// VmRSS of a process, in KiB.
pub(crate) fn rss_kib(pid: i32) -> u64 {
    std::fs::read_to_string(boxtop::kernel::Roots::live().pid_file(pid, "status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))?
                .split_whitespace()
                .nth(1)?
                .parse()
                .ok()
        })
        .unwrap_or(0)
}
