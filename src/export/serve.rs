//! `boxtop serve`: the HTTP server (`http.rs`) and the thread that reads the kernel for it.
//! A scrape asks the collection thread for an answer; one younger than the interval is
//! given again (two scrapes in one interval read the kernel once), else the collector
//! reads the host, the metrics are written out, and every scrape waiting gets the same.

use super::exposition::{Exposition, Kind};
use super::http::{self, Limits, Metrics};
use super::metrics::{CgroupSelection, snapshot_metrics};
use crate::collect::export_collector::ExportCollector;
use crate::kernel::Roots;
use std::io::Write;
use std::net::{SocketAddr, TcpListener};
use std::os::unix::net::UnixStream;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender};
use std::time::{Duration, Instant};

/// What `boxtop serve` was asked.
#[derive(Debug, Clone)]
pub struct ServeRequest {
    pub listen: SocketAddr,
    /// Readings of the kernel are at least this far apart.
    pub interval: Duration,
    pub cgroups: CgroupSelection,
}

/// Serves until killed (SIGTERM's default: nothing is left to close).
pub fn run_serve(roots: &Roots, req: &ServeRequest) -> color_eyre::Result<()> {
    let collector = ExportCollector::new(roots.clone())?;
    if let Some(why) = collector.without_events() {
        eprintln!("boxtop: no process events ({why}): /proc is listed on every reading");
    }
    let listener = TcpListener::bind(req.listen)
        .map_err(|e| color_eyre::eyre::eyre!("cannot listen on {}: {e}", req.listen))?;
    let addr = listener.local_addr().unwrap_or(req.listen);
    let (want_tx, want_rx) = std::sync::mpsc::channel();
    let (answer_tx, answer_rx) = std::sync::mpsc::channel();
    let (wake_rx, wake_tx) = UnixStream::pair()?;
    let cgroups = req.cgroups.clone();
    let interval = req.interval;
    std::thread::Builder::new()
        .name("boxtop-collect".into())
        .spawn(move || {
            collect_loop(
                collector, &cgroups, interval, &want_rx, &answer_tx, &wake_tx,
            );
        })?;
    eprintln!("boxtop: serving http://{addr}/metrics");
    let page = format!(
        "<html><head><title>boxtop</title></head><body><h1>boxtop {}</h1>\
         <p><a href=\"/metrics\">/metrics</a>: containers, cgroups and namespaces of this host \
         in Prometheus text format.</p></body></html>\n",
        env!("CARGO_PKG_VERSION")
    );
    let metrics = Metrics {
        want: want_tx,
        answers: answer_rx,
        wake: wake_rx,
    };
    http::serve(&listener, &metrics, Limits::default(), &page)?;
    Ok(())
}

const SCRAPE_DURATION: (&str, Kind, &str) = (
    "boxtop_scrape_duration_seconds",
    Kind::Gauge,
    "How long the last reading of the host took.",
);
const SCRAPE_ERRORS: (&str, Kind, &str) = (
    "boxtop_scrape_errors_total",
    Kind::Counter,
    "Readings of the host that failed (the last good one was served instead).",
);
const COLLECTIONS: (&str, Kind, &str) = (
    "boxtop_collections_total",
    Kind::Counter,
    "Readings of the host made for scrapes (scrapes within one interval share one).",
);
const BUILD_INFO: (&str, Kind, &str) = (
    "boxtop_build_info",
    Kind::Gauge,
    "The boxtop that answers; always 1.",
);

fn collect_loop(
    mut collector: ExportCollector,
    cgroups: &CgroupSelection,
    interval: Duration,
    want: &Receiver<()>,
    answers: &Sender<Arc<Vec<u8>>>,
    mut wake: &UnixStream,
) {
    let mut last: Option<(Instant, Arc<Vec<u8>>)> = None;
    // The host's part of the last good reading, served again when a reading fails.
    let mut host = String::new();
    let (mut errors, mut collections) = (0u64, 0u64);
    while want.recv().is_ok() {
        while want.try_recv().is_ok() {}
        let fresh = last
            .as_ref()
            .filter(|(at, _)| at.elapsed() < interval)
            .map(|(_, a)| a.clone());
        let answer = match fresh {
            Some(a) => a,
            None => {
                let began = Instant::now();
                let snap = collector.collect(&|path, depth| cgroups.counts(path, depth));
                let took = began.elapsed().as_secs_f64();
                match &snap {
                    Ok(s) => {
                        collections += 1;
                        let mut e = Exposition::default();
                        snapshot_metrics(s, cgroups, &mut e);
                        host = e.finish();
                    }
                    Err(_) => errors += 1,
                }
                let mut e = Exposition::default();
                e.add(SCRAPE_DURATION, &[], took);
                #[allow(clippy::cast_precision_loss, reason = "a count far below 2^53")]
                {
                    e.add(SCRAPE_ERRORS, &[], errors as f64);
                    e.add(COLLECTIONS, &[], collections as f64);
                }
                e.add(BUILD_INFO, &[("version", env!("CARGO_PKG_VERSION"))], 1.0);
                let body = host.clone() + &e.finish();
                let a = Arc::new(http::response(
                    "200 OK",
                    "text/plain; version=0.0.4; charset=utf-8",
                    body.as_bytes(),
                ));
                last = Some((began, a.clone()));
                a
            }
        };
        if answers.send(answer).is_err() || wake.write_all(b"!").is_err() {
            return;
        }
    }
}
