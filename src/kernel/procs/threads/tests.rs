//! The thread reader on a fixture tree: what it reads, and what it leaves unread.

use super::*;
use std::path::Path;

struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Fixture {
        Fixture {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn roots(&self) -> Roots {
        Roots::new(self.dir.path().join("proc"), self.dir.path().join("cgroup"))
    }

    fn task(&self, pid: i32, tid: i32) -> std::path::PathBuf {
        self.dir.path().join(format!("proc/{pid}/task/{tid}"))
    }

    /// A thread with its name, state, CPU, run count and switch counts.
    fn thread(&self, pid: i32, tid: i32, name: &str, run: u64, switches: (u64, u64)) {
        let d = self.task(pid, tid);
        std::fs::create_dir_all(&d).unwrap();
        self.set_stat(pid, tid, name, 'S', 3, 1);
        write(&d.join("schedstat"), &format!("{} 0 {run}\n", run * 1000));
        write(
            &d.join("status"),
            &format!(
                "Name:\t{name}\nvoluntary_ctxt_switches:\t{}\nnonvoluntary_ctxt_switches:\t{}\n",
                switches.0, switches.1
            ),
        );
        write(&d.join("wchan"), "do_nanosleep");
        write(&d.join("comm"), &format!("{name}\n"));
    }

    fn set_stat(&self, pid: i32, tid: i32, name: &str, state: char, cpu: u32, ticks: u64) {
        let line = format!(
            "{tid} ({name}) {state} {pid} {pid} {pid} 0 -1 0 0 0 0 0 {ticks} 0 0 0 20 0 2 0 50 0 0 \
             0 0 0 0 0 0 0 0 0 0 0 0 0 -1 {cpu} 0 0 0 0 0\n"
        );
        write(&self.task(pid, tid).join("stat"), &line);
    }

    fn set_run(&self, pid: i32, tid: i32, run: u64) {
        write(
            &self.task(pid, tid).join("schedstat"),
            &format!("{} 0 {run}\n", run * 1000),
        );
    }
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
}

fn wanted(pid: i32, threads: u32) -> Vec<Wanted> {
    vec![Wanted {
        pid,
        start_time_ticks: 50,
        threads,
    }]
}

fn reader() -> ThreadReader {
    let mut r = ThreadReader::new();
    r.slow_period = 1_000_000; // no periodic read in these tests unless one asks
    r
}

#[test]
fn reads_every_thread_with_its_name_cpu_switches_and_wchan() {
    let fx = Fixture::new();
    fx.thread(100, 100, "main", 5, (1, 2));
    fx.thread(100, 101, "bx-worker-1", 7, (30, 4));
    let mut r = reader();
    let groups = r.refresh(&fx.roots(), &wanted(100, 2));
    assert_eq!(groups.len(), 1);
    let g = &groups[0];
    assert_eq!((g.pid, g.start_time_ticks), (100, 50));
    let tids: Vec<i32> = g.threads.iter().map(|t| t.tid).collect();
    assert_eq!(tids, [100, 101]);
    let t = &g.threads[1];
    assert_eq!(&*t.comm, "bx-worker-1");
    assert_eq!(t.state, 'S');
    assert_eq!(t.processor, Some(3));
    assert_eq!(t.voluntary_ctxt_switches.get(), Some(30));
    assert_eq!(t.nonvoluntary_ctxt_switches.get(), Some(4));
    assert_eq!(t.wchan, Wchan::At("do_nanosleep".into()));
    assert!(t.cpu_percent.is_unknown(), "no rate from one sample");
    assert_eq!(t.voluntary_per_sec, None);
}

#[test]
fn a_thread_that_did_not_run_is_not_read_again() {
    let fx = Fixture::new();
    fx.thread(100, 100, "main", 5, (1, 2));
    fx.thread(100, 101, "worker", 7, (30, 4));
    let mut r = reader();
    r.refresh(&fx.roots(), &wanted(100, 2));
    // The second refresh knows the time between: the idle rows say 0 % and 0 a second.
    let second = r.refresh(&fx.roots(), &wanted(100, 2));
    let t = &second[0].threads[1];
    assert_eq!(t.cpu_percent.get(), Some(0.0));
    assert_eq!(t.voluntary_per_sec, Some(0.0));
    // A stat that changed behind an unchanged schedstat is not read: nothing ran.
    fx.set_stat(100, 101, "renamed", 'R', 0, 9);
    let third = r.refresh(&fx.roots(), &wanted(100, 2));
    assert!(
        Arc::ptr_eq(&second[0].threads, &third[0].threads),
        "the same rows, not a copy"
    );
    assert_eq!(&*third[0].threads[1].comm, "worker");
    // Once it has run, everything is read again, with rates against the last row.
    fx.set_run(100, 101, 8);
    fx.thread(100, 101, "renamed", 8, (40, 5));
    fx.set_stat(100, 101, "renamed", 'R', 0, 9);
    let fourth = r.refresh(&fx.roots(), &wanted(100, 2));
    let t = &fourth[0].threads[1];
    assert_eq!(&*t.comm, "renamed");
    assert_eq!((t.state, t.processor), (ProcState::new(b'R'), Some(0)));
    assert!(t.voluntary_per_sec.is_some_and(|r| r > 0.0));
    assert!(t.cpu_percent.get().is_some_and(|c| c > 0.0));
    assert!(Arc::ptr_eq(
        &fourth[0].threads[0].comm,
        &third[0].threads[0].comm
    ));
}

#[test]
fn the_periodic_read_catches_a_name_set_by_another_thread() {
    let fx = Fixture::new();
    fx.thread(100, 100, "main", 5, (1, 2));
    fx.thread(100, 101, "worker", 7, (30, 4));
    let mut r = reader();
    r.slow_period = 3;
    r.refresh(&fx.roots(), &wanted(100, 2));
    // The main thread names 101 (pthread_setname_np writes its comm): the main one ran.
    write(&fx.task(100, 101).join("comm"), "named-later\n");
    fx.set_run(100, 100, 6);
    let names: Vec<String> = (0..4)
        .map(|_| {
            r.refresh(&fx.roots(), &wanted(100, 2))[0].threads[1]
                .comm
                .to_string()
        })
        .collect();
    assert!(names.contains(&"named-later".to_string()), "{names:?}");
}

#[test]
fn the_task_list_is_read_again_when_the_count_changes() {
    let fx = Fixture::new();
    fx.thread(100, 100, "main", 5, (1, 2));
    let mut r = reader();
    assert_eq!(r.refresh(&fx.roots(), &wanted(100, 1))[0].threads.len(), 1);
    fx.thread(100, 102, "new", 1, (0, 0));
    // The same count: the directory is not listed again (nothing could have started).
    assert_eq!(r.refresh(&fx.roots(), &wanted(100, 1))[0].threads.len(), 1);
    let g = r.refresh(&fx.roots(), &wanted(100, 2));
    let tids: Vec<i32> = g[0].threads.iter().map(|t| t.tid).collect();
    assert_eq!(tids, [100, 102]);
    std::fs::remove_dir_all(fx.task(100, 102)).unwrap();
    let g = r.refresh(&fx.roots(), &wanted(100, 1));
    let tids: Vec<i32> = g[0].threads.iter().map(|t| t.tid).collect();
    assert_eq!(tids, [100]);
}

#[test]
fn processes_not_wanted_are_forgotten_and_missing_ones_left_out() {
    let fx = Fixture::new();
    fx.thread(100, 100, "a", 1, (0, 0));
    fx.thread(200, 200, "b", 1, (0, 0));
    let mut r = reader();
    let both = [wanted(100, 1), wanted(200, 1)].concat();
    assert_eq!(r.refresh(&fx.roots(), &both).len(), 2);
    let only = wanted(200, 1);
    let g = r.refresh(&fx.roots(), &only);
    assert_eq!(g.iter().map(|g| g.pid).collect::<Vec<_>>(), [200]);
    assert_eq!(r.groups.len(), 1);
    let gone = [wanted(200, 1), wanted(300, 1)].concat();
    assert_eq!(
        r.refresh(&fx.roots(), &gone).len(),
        1,
        "300 has no task directory"
    );
}

#[test]
fn a_pid_that_names_another_process_starts_afresh() {
    let fx = Fixture::new();
    fx.thread(100, 100, "old", 1, (0, 0));
    let mut r = reader();
    r.refresh(&fx.roots(), &wanted(100, 1));
    fx.set_stat(100, 100, "new", 'S', 3, 1);
    let mut reused = wanted(100, 1);
    reused[0].start_time_ticks = 99;
    let g = r.refresh(&fx.roots(), &reused);
    assert_eq!(
        &*g[0].threads[0].comm, "new",
        "read anew, not kept from the old process"
    );
    assert!(g[0].threads[0].cpu_percent.is_unknown());
}

#[test]
fn zero_and_unreadable_wait_channels() {
    let fx = Fixture::new();
    fx.thread(100, 100, "main", 1, (0, 0));
    write(&fx.task(100, 100).join("wchan"), "0");
    let mut r = reader();
    assert_eq!(
        r.refresh(&fx.roots(), &wanted(100, 1))[0].threads[0].wchan,
        Wchan::None
    );
}

#[test]
fn many_new_threads_are_read_in_parallel_in_pid_order() {
    // 3 processes of 400 threads: enough first reads for the parallel path on 2 CPUs or more.
    let fx = Fixture::new();
    let pids = [100, 2000, 3000];
    for pid in pids {
        for tid in pid..pid + 400 {
            fx.thread(
                pid,
                tid,
                &format!("t{tid}"),
                1,
                (u64::try_from(tid).unwrap(), 0),
            );
        }
    }
    let wanted: Vec<Wanted> = pids.iter().flat_map(|p| wanted(*p, 400)).collect();
    let mut r = reader();
    let groups = r.refresh(&fx.roots(), &wanted);
    assert_eq!(groups.iter().map(|g| g.pid).collect::<Vec<_>>(), pids);
    for g in &groups {
        let tids: Vec<i32> = g.threads.iter().map(|t| t.tid).collect();
        assert_eq!(tids, (g.pid..g.pid + 400).collect::<Vec<_>>());
        let t = &g.threads[7];
        assert_eq!(&*t.comm, format!("t{}", g.pid + 7));
        assert_eq!(
            t.voluntary_ctxt_switches.get(),
            Some(u64::try_from(g.pid).unwrap() + 7)
        );
    }
    // The next refresh, on this thread, knows every one of them: nothing ran.
    let again = r.refresh(&fx.roots(), &wanted);
    assert!(
        again
            .iter()
            .all(|g| g.threads.iter().all(|t| t.cpu_percent.get() == Some(0.0)))
    );
}

#[test]
fn idle_threads_are_not_renamed_without_another_thread_running() {
    // No thread of the process ran: its names are not read again at all (nothing could
    // have renamed one), so a comm file changed behind its back stays unread.
    let fx = Fixture::new();
    fx.thread(100, 100, "main", 5, (1, 2));
    fx.thread(100, 101, "worker", 7, (30, 4));
    let mut r = reader();
    r.slow_period = 2;
    r.refresh(&fx.roots(), &wanted(100, 2));
    write(&fx.task(100, 101).join("comm"), "unseen\n");
    for _ in 0..4 {
        let g = r.refresh(&fx.roots(), &wanted(100, 2));
        assert_eq!(&*g[0].threads[1].comm, "worker");
    }
}
