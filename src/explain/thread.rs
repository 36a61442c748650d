//! `i` on a thread's row (`H`): the task's own stat, status and wchan.

use crate::model::{ProcessRow, ThreadRow, Wchan};

pub(super) fn explain(p: &ProcessRow, t: &ThreadRow) -> (String, Vec<String>) {
    let (pid, tid) = (p.pid, t.tid);
    let dir = format!("/proc/{pid}/task/{tid}"); // display text, not a path read
    let rate = |r: Option<f32>| r.map_or_else(|| "-".to_string(), |r| format!("{r:.1}"));
    let lines = vec![
        format!(
            "TID {tid}: a thread of process {pid} ({}); each thread is a task with",
            p.comm
        ),
        format!("  its own directory, {dir}, holding the files a process has."),
        format!(
            "NAME {}: {dir}/comm (also field 2 of its stat), set by prctl(PR_SET_NAME) or",
            t.comm
        ),
        "  pthread_setname_np; a new thread inherits its creator's.".into(),
        format!(
            "S {}: field 3 of {dir}/stat. CPU% {}: its utime + stime (fields 14, 15)",
            t.state,
            t.cpu_percent
                .get()
                .map_or_else(|| "-".into(), |c| format!("{c:.1}"))
        ),
        "  between two refreshes; the process's CPU% is the sum over its threads.".into(),
        format!(
            "CPU {}: field 39 (processor), the CPU it last ran on.",
            t.processor.map_or_else(|| "-".into(), |c| c.to_string())
        ),
        format!(
            "VCS/s {} ICS/s {}: voluntary_ctxt_switches and nonvoluntary_ctxt_switches of",
            rate(t.voluntary_per_sec),
            rate(t.nonvoluntary_per_sec)
        ),
        format!("  {dir}/status, per second between two refreshes: it waited, or was preempted."),
        format!(
            "WCHAN {}: {dir}/wchan, the kernel function it sleeps in; 0 (shown -) while it",
            match &t.wchan {
                Wchan::None => "-",
                Wchan::At(name) => name,
                Wchan::Denied => "? (denied)",
            }
        ),
        "  runs. It needs ptrace access to the thread; kernels that refuse it write 0.".into(),
        String::new(),
        "A thread that did not run since the last refresh (its schedstat did not move) is".into(),
        "not read again: its values stand, with 0 % and 0 switches a second.".into(),
    ];
    (format!("Thread {tid} of {pid}"), lines)
}
