use super::*;

pub(crate) fn row(tid: i32, cpu_usec: u64, vol: u64, invol: u64) -> ThreadRow {
    ThreadRow {
        tid,
        comm: "t".into(),
        state: ProcState::new(b'S'),
        processor: Some(1),
        cpu_usec,
        cpu_percent: CpuPercent::UNKNOWN,
        voluntary_ctxt_switches: SwitchCount::new(Some(vol)),
        nonvoluntary_ctxt_switches: SwitchCount::new(Some(invol)),
        voluntary_per_sec: None,
        nonvoluntary_per_sec: None,
        wchan: Wchan::None,
    }
}

#[test]
fn rates_are_the_differences_over_the_time_between() {
    let old = row(7, 1_000_000, 100, 10);
    // Two seconds later: 0.5 s of CPU, 40 voluntary and 3 involuntary switches more.
    let mut new = row(7, 1_500_000, 140, 13);
    new.set_rates_since(Some(&old), Some(2_000_000));
    assert_eq!(new.cpu_percent.get(), Some(25.0));
    assert_eq!(new.voluntary_per_sec, Some(20.0));
    assert_eq!(new.nonvoluntary_per_sec, Some(1.5));
}

#[test]
fn no_rate_without_an_earlier_row_a_time_or_a_count() {
    let old = row(7, 0, 1, 1);
    let mut first = row(7, 10, 2, 2);
    first.set_rates_since(None, Some(1_000_000));
    assert!(first.cpu_percent.is_unknown());
    assert_eq!(first.voluntary_per_sec, None);
    let mut no_time = row(7, 10, 2, 2);
    no_time.set_rates_since(Some(&old), Some(0));
    assert!(no_time.cpu_percent.is_unknown());
    let mut unreadable = row(7, 10, 2, 2);
    unreadable.voluntary_ctxt_switches = SwitchCount::UNKNOWN;
    unreadable.set_rates_since(Some(&old), Some(1_000_000));
    assert_eq!(unreadable.voluntary_per_sec, None);
    assert_eq!(unreadable.nonvoluntary_per_sec, Some(1.0));
}

#[test]
fn counters_that_went_back_give_zero_not_a_wrap() {
    let old = row(7, 500, 10, 10);
    let mut new = row(7, 400, 5, 10);
    new.set_rates_since(Some(&old), Some(1_000_000));
    assert_eq!(new.cpu_percent.get(), Some(0.0));
    assert_eq!(new.voluntary_per_sec, Some(0.0));
}

#[test]
fn an_idle_thread_used_nothing() {
    let mut r = row(7, 500, 10, 10);
    r.voluntary_per_sec = Some(3.0);
    r.cpu_percent = CpuPercent::new(Some(4.0));
    assert!(!r.is_idle());
    r.idle_since(Some(1_000_000));
    assert!(r.is_idle());
    assert_eq!(r.cpu_percent.get(), Some(0.0));
    assert_eq!(r.voluntary_per_sec, Some(0.0));
    assert_eq!(r.nonvoluntary_per_sec, Some(0.0));
}

#[test]
fn others_leave_out_the_main_thread() {
    let group = ProcThreads {
        pid: 7,
        start_time_ticks: 1,
        threads: vec![row(7, 0, 0, 0), row(8, 0, 0, 0), row(9, 0, 0, 0)].into(),
    };
    let tids: Vec<i32> = group.others().map(|(_, t)| t.tid).collect();
    assert_eq!(tids, [8, 9]);
    assert_eq!(group.main_thread().map(|t| t.tid), Some(7));
}
