//! Which processes' threads a refresh reads: none unless the dashboard shows them (docs/
//! ARCHITECTURE.md, "Data flow": the poller hears it from the UI as it hears the selection).

use crate::kernel::procs::threads::Wanted;
use crate::model::ProcessRow;
use std::sync::Arc;

/// The threads the screen shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ThreadScope {
    /// `H`: the threads of every process that has more than one, under it in the table.
    pub all: bool,
    /// The threads view of the selected process (its main thread alone, too).
    pub selected: bool,
}

impl ThreadScope {
    pub fn is_none(self) -> bool {
        !self.all && !self.selected
    }
}

/// The processes whose threads `scope` asks for, ascending by pid as `processes` is:
/// kernel threads and zombies never (a kernel thread is one task; a zombie's threads are
/// gone), processes of one thread only when they are the selected one (`focus`), since `H`
/// shows no row under them.
pub fn wanted(
    processes: &[Arc<ProcessRow>],
    scope: ThreadScope,
    focus: Option<i32>,
) -> Vec<Wanted> {
    if scope.is_none() {
        return Vec::new();
    }
    processes
        .iter()
        .filter(|p| !p.kernel_thread && p.state != 'Z')
        .filter(|p| (scope.all && p.threads > 1) || (scope.selected && Some(p.pid) == focus))
        .map(|p| Wanted {
            pid: p.pid,
            start_time_ticks: p.start_time_ticks,
            threads: p.threads,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ProcState, test_row};

    fn rows() -> Vec<Arc<ProcessRow>> {
        let mut one = test_row(10);
        one.threads = 1;
        let mut many = test_row(20);
        many.threads = 4;
        let mut kernel = test_row(30);
        Arc::make_mut(&mut kernel.info).kernel_thread = true;
        let mut zombie = test_row(40);
        zombie.threads = 3;
        zombie.state = ProcState::new(b'Z');
        vec![one, many, kernel, zombie]
            .into_iter()
            .map(Arc::new)
            .collect()
    }

    fn pids(w: &[Wanted]) -> Vec<i32> {
        w.iter().map(|w| w.pid).collect()
    }

    #[test]
    fn nothing_unless_shown() {
        assert!(wanted(&rows(), ThreadScope::default(), Some(20)).is_empty());
    }

    #[test]
    fn all_takes_the_processes_of_several_threads_and_the_selected() {
        let all = ThreadScope {
            all: true,
            selected: false,
        };
        assert_eq!(pids(&wanted(&rows(), all, Some(10))), [20]);
        let both = ThreadScope {
            all: true,
            selected: true,
        };
        assert_eq!(pids(&wanted(&rows(), both, Some(10))), [10, 20]);
        let view = ThreadScope {
            all: false,
            selected: true,
        };
        assert_eq!(pids(&wanted(&rows(), view, Some(10))), [10]);
        assert_eq!(pids(&wanted(&rows(), view, Some(40))), Vec::<i32>::new());
        assert_eq!(wanted(&rows(), all, None)[0].threads, 4);
    }
}
