//! The thread reader against the real kernel, on a child this test starts itself.
//!
//! The child is this test binary re-run with [`CHILD`] set: its `child_process` test starts
//! three threads that name themselves `bx-worker-1` to `-3` with prctl(PR_SET_NAME) and then
//! wait, unmoving, and one `bx-ticker` that sleeps 5 ms at a time (about 200 voluntary
//! switches a second); it prints `ready TID...` and blocks on stdin until the parent closes
//! it. The child is killed and reaped by a guard even when an assertion fails. Nothing here
//! touches any other process.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

#[path = "support/live.rs"]
mod live;

use boxtop::collect::{Collector, ThreadScope};
use boxtop::kernel::Roots;
use boxtop::model::{ProcThreads, Snapshot, ThreadRow};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const CHILD: &str = "BOXTOP_THREADS_CHILD";
const WORKERS: [&str; 3] = ["bx-worker-1", "bx-worker-2", "bx-worker-3"];
const TICKER: &str = "bx-ticker";

/// The child's side. In a normal test run it does nothing.
#[test]
fn child_process() {
    let Ok(mode) = std::env::var(CHILD) else {
        return;
    };
    let ticker: &[&str] = if mode == "idle" { &[] } else { &[TICKER] };
    let (tx, rx) = std::sync::mpsc::channel();
    for name in WORKERS.iter().chain(ticker) {
        let tx = tx.clone();
        std::thread::spawn(move || {
            let cname = std::ffi::CString::new(*name).unwrap();
            // SAFETY: PR_SET_NAME reads a NUL-terminated string of at most 16 bytes.
            unsafe { libc::prctl(libc::PR_SET_NAME, cname.as_ptr(), 0, 0, 0) };
            // SAFETY: gettid has no preconditions.
            let tid = unsafe { libc::gettid() };
            tx.send(format!("{name}={tid}")).unwrap();
            drop(tx);
            if *name == TICKER {
                loop {
                    std::thread::sleep(Duration::from_millis(5));
                }
            }
            loop {
                std::thread::park();
            }
        });
    }
    drop(tx);
    let named: Vec<String> = rx.iter().collect();
    println!("ready {}", named.join(" "));
    let _ = std::io::Write::flush(&mut std::io::stdout());
    let mut buf = [0u8; 64];
    loop {
        // SAFETY: reads into a buffer of the length given.
        let n = unsafe { libc::read(0, buf.as_mut_ptr().cast(), buf.len()) };
        if n <= 0 {
            break;
        }
    }
}

/// The child and the tids of its named threads: the workers' in the order of [`WORKERS`],
/// then the ticker's.
struct Guard {
    child: Child,
    tids: Vec<i32>,
}

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Guard {
    fn start() -> Guard {
        Guard::start_as("ticker")
    }

    /// `ticker`: the workers and the ticker; `idle`: the workers alone, so that no thread
    /// of the child runs once it is ready.
    fn start_as(mode: &str) -> Guard {
        let exe = std::env::current_exe().unwrap_or_default();
        let child = Command::new(exe)
            .args([
                "--exact",
                "child_process",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD, mode)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn child");
        let mut guard = Guard {
            child,
            tids: Vec::new(),
        };
        let stdout = guard.child.stdout.take().expect("piped stdout");
        // The harness prints "test child_process ... " before our line, on the same line.
        let line = BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .find_map(|l| l.split_once("ready ").map(|(_, t)| t.to_string()))
            .expect("the child says ready");
        // "bx-worker-2=4243 bx-ticker=4245 ...", in the order the threads got there.
        let named: Vec<(&str, i32)> = line
            .split(' ')
            .map(|w| w.split_once('=').unwrap())
            .map(|(name, tid)| (name, tid.parse().unwrap()))
            .collect();
        guard.tids = WORKERS
            .iter()
            .chain([&TICKER])
            .filter_map(|want| Some(named.iter().find(|(n, _)| n == want)?.1))
            .collect();
        assert!(guard.tids.len() >= WORKERS.len(), "{line}");
        guard
    }

    fn pid(&self) -> i32 {
        i32::try_from(self.child.id()).unwrap()
    }

    /// The name each of the child's named threads gave itself.
    fn name_of(&self, tid: i32) -> Option<&'static str> {
        let i = self.tids.iter().position(|t| *t == tid)?;
        WORKERS.iter().chain([&TICKER]).nth(i).copied()
    }
}

/// A file of one of the child's threads, read here, not through boxtop.
fn task_file(pid: i32, tid: i32, name: &str) -> String {
    std::fs::read_to_string(Roots::live().task_file(pid, tid, name)).unwrap_or_default()
}

/// Fields 3 (state) and 39 (processor) of a task's stat, counted after the last ')'.
fn state_and_cpu(pid: i32, tid: i32) -> (char, u32) {
    let stat = task_file(pid, tid, "stat");
    let rest = &stat[stat.rfind(')').unwrap() + 2..];
    let f: Vec<&str> = rest.split(' ').collect();
    (f[0].chars().next().unwrap(), f[36].parse().unwrap())
}

fn switches(pid: i32, tid: i32) -> (u64, u64) {
    let status = task_file(pid, tid, "status");
    let value = |key: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .map(|v| v.trim().parse().unwrap())
            .unwrap()
    };
    (
        value("voluntary_ctxt_switches:"),
        value("nonvoluntary_ctxt_switches:"),
    )
}

fn group(snap: &Snapshot, pid: i32) -> &ProcThreads {
    snap.threads_of(pid)
        .expect("the child's threads were read")
        .1
}

fn row(g: &ProcThreads, tid: i32) -> &ThreadRow {
    g.threads
        .iter()
        .find(|t| t.tid == tid)
        .unwrap_or_else(|| panic!("thread {tid} is not among {:?}", tids(g)))
}

fn tids(g: &ProcThreads) -> Vec<i32> {
    g.threads.iter().map(|t| t.tid).collect()
}

fn collector(scope: ThreadScope) -> Collector {
    let mut c = Collector::new(Roots::live()).expect("live roots");
    c.set_threads(scope);
    c
}

const ALL: ThreadScope = ThreadScope {
    all: true,
    selected: false,
};

#[test]
fn thread_rows_match_the_kernel() {
    let child = Guard::start();
    let pid = child.pid();
    let mut c = collector(ALL);
    c.collect(None).unwrap();
    // Let the workers settle into their wait, then read twice: the second has rates.
    std::thread::sleep(Duration::from_millis(300));
    c.collect(None).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let snap = c.collect(None).unwrap();
    let g = group(&snap, pid);
    assert_eq!(
        g.start_time_ticks,
        snap.process(pid).unwrap().start_time_ticks
    );
    // Every task the kernel lists, and no other.
    let mut listed: Vec<i32> = std::fs::read_dir(Roots::live().task_dir(pid))
        .unwrap()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse().ok())
        .collect();
    listed.sort_unstable();
    assert_eq!(tids(g), listed);
    for &tid in &child.tids[..3] {
        let t = row(g, tid);
        assert_eq!(Some(&*t.comm), child.name_of(tid));
        assert_eq!(t.comm.trim_end(), task_file(pid, tid, "comm").trim_end());
        // A waiting thread does not move: what the kernel says now is what was read.
        let (state, cpu) = state_and_cpu(pid, tid);
        assert_eq!(t.state, state, "thread {tid}");
        assert_eq!(t.processor, Some(cpu), "thread {tid}");
        let (vol, invol) = switches(pid, tid);
        assert_eq!(t.voluntary_ctxt_switches.get(), Some(vol), "thread {tid}");
        assert_eq!(
            t.nonvoluntary_ctxt_switches.get(),
            Some(invol),
            "thread {tid}"
        );
        assert_eq!(t.voluntary_per_sec, Some(0.0), "thread {tid} did not run");
        assert_eq!(t.cpu_percent.get(), Some(0.0));
        assert!(
            matches!(&t.wchan, boxtop::model::Wchan::At(w) if !w.is_empty()),
            "a parked thread waits in a kernel function: {:?} (file: {:?})",
            t.wchan,
            task_file(pid, tid, "wchan")
        );
    }
    let ticker = row(g, child.tids[3]);
    assert_eq!(&*ticker.comm, TICKER);
    assert!(
        ticker.voluntary_per_sec.is_some_and(|r| r > 0.0),
        "the ticker sleeps and wakes: {:?}",
        ticker.voluntary_per_sec
    );
}

#[test]
fn thread_names_and_cpus_match_ps() {
    if !live::have_tool("ps") {
        return;
    }
    let child = Guard::start();
    let pid = child.pid();
    let mut c = collector(ALL);
    std::thread::sleep(Duration::from_millis(200));
    let snap = c.collect(None).unwrap();
    let out = Command::new("ps")
        .args(["-L", "-o", "tid=,comm=,psr=", "-p", &pid.to_string()])
        .output()
        .expect("run ps");
    let ps = String::from_utf8_lossy(&out.stdout);
    let g = group(&snap, pid);
    for &tid in &child.tids[..3] {
        let line = ps
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>())
            .find(|f| f.first() == Some(&tid.to_string().as_str()))
            .unwrap_or_else(|| panic!("ps does not list thread {tid}:\n{ps}"));
        let t = row(g, tid);
        assert_eq!(line[1], &*t.comm);
        assert_eq!(line[2].parse::<u32>().ok(), t.processor, "thread {tid}");
    }
}

/// The threads view reads the selected process's threads alone; with none shown, nothing of
/// /proc/PID/task is read or kept open.
#[test]
fn threads_are_read_only_when_shown() {
    let child = Guard::start();
    let pid = child.pid();
    let mut c = collector(ThreadScope::default());
    let snap = c.collect(Some(pid)).unwrap();
    assert!(snap.threads.is_empty());
    c.set_threads(ThreadScope {
        all: false,
        selected: true,
    });
    let snap = c.collect(Some(pid)).unwrap();
    assert_eq!(
        snap.threads.iter().map(|g| g.pid).collect::<Vec<_>>(),
        [pid],
        "the selected process alone"
    );
    assert!(
        kept_task_files(pid) > 0,
        "a thread's schedstat is kept open"
    );
    c.set_threads(ThreadScope::default());
    let snap = c.collect(Some(pid)).unwrap();
    assert!(snap.threads.is_empty());
    assert_eq!(kept_task_files(pid), 0, "hidden threads keep no file open");
}

/// This process's descriptors open on a file of one of `pid`'s threads (other tests of this
/// binary read their own children at the same time).
fn kept_task_files(pid: i32) -> usize {
    let dir = Roots::live().task_dir(pid);
    std::fs::read_dir(Roots::live().self_file("fd"))
        .unwrap()
        .flatten()
        .filter_map(|e| std::fs::read_link(e.path()).ok())
        .filter(|target| target.starts_with(&dir))
        .count()
}

/// taskstats' sums over the child's threads are schedstat's, summed here over its task
/// files; and a process none of whose threads runs is given the same rows again.
#[test]
fn taskstats_sums_are_the_threads_schedstats() {
    let Ok(mut ts) = boxtop::kernel::taskstats::TaskStats::open() else {
        eprintln!(
            "SKIP: taskstats cannot be asked here (needs CAP_NET_ADMIN and CONFIG_TASKSTATS)"
        );
        return;
    };
    let child = Guard::start_as("idle");
    let pid = child.pid();
    // Let it settle: every thread waiting, none to run again.
    std::thread::sleep(Duration::from_millis(300));
    let mut sums = (0u64, 0u64);
    for e in std::fs::read_dir(Roots::live().task_dir(pid))
        .unwrap()
        .flatten()
    {
        let tid: i32 = e.file_name().to_str().unwrap().parse().unwrap();
        let f: Vec<u64> = task_file(pid, tid, "schedstat")
            .split_whitespace()
            .map(|v| v.parse().unwrap())
            .collect();
        sums.0 += f[2];
        sums.1 += f[0];
    }
    assert_eq!(ts.group_run(pid), Some(sums));
    assert_eq!(ts.group_run(i32::MAX), None, "no such process");

    let mut c = collector(ALL);
    c.collect(None).unwrap();
    let a = c.collect(None).unwrap();
    let b = c.collect(None).unwrap();
    assert!(
        std::sync::Arc::ptr_eq(&group(&a, pid).threads, &group(&b, pid).threads),
        "the same rows for a process whose threads did not run"
    );
}
