//! Why a process has no mappings at all. /proc/PID/maps is empty whenever the task has no
//! `mm`: a kernel thread never has one, and a user process drops its own in exit_mm(),
//! early in do_exit(), long before its parent reaps it. So an empty map alone does not say
//! which; the process's row does (the PF_KTHREAD flag and the state letter of its stat,
//! proc_pid_stat(5)).

use crate::model::ProcState;

/// What an empty /proc/PID/maps means for this process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoMappings {
    /// PF_KTHREAD: it runs only in the kernel's half and never had a user address space.
    KernelThread,
    /// State Z (zombie) or X (dead): it has exited; its parent has not reaped it yet.
    Exited(ProcState),
    /// Any other state: it is exiting, and its address space is already released (the row
    /// was read a moment before the map).
    Exiting,
}

impl NoMappings {
    /// From the process's row: its kernel-thread flag and its state letter.
    pub fn of(kernel_thread: bool, state: ProcState) -> NoMappings {
        if kernel_thread {
            NoMappings::KernelThread
        } else if state == 'Z' || state == 'X' {
            NoMappings::Exited(state)
        } else {
            NoMappings::Exiting
        }
    }

    /// The pane's sentence for pid `pid`.
    pub fn sentence(self, pid: i32) -> String {
        match self {
            NoMappings::KernelThread => format!(
                "pid {pid}: no mappings: it is a kernel thread, which has no user address \
                 space (it runs only in the kernel's half)"
            ),
            NoMappings::Exited(state) if state == 'Z' => format!(
                "pid {pid}: no mappings: it is a zombie (state Z): it has exited and its \
                 address space is already released; its parent has not reaped it yet"
            ),
            NoMappings::Exited(state) => format!(
                "pid {pid}: no mappings: it has exited (state {state}) and its address space \
                 is already released"
            ),
            NoMappings::Exiting => format!(
                "pid {pid}: no mappings: it is exiting (its address space is already released)"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flag_first_then_the_state() {
        let s = ProcState::new;
        assert_eq!(NoMappings::of(true, s(b'S')), NoMappings::KernelThread);
        assert_eq!(NoMappings::of(true, s(b'I')), NoMappings::KernelThread);
        assert_eq!(NoMappings::of(false, s(b'Z')), NoMappings::Exited(s(b'Z')));
        assert_eq!(NoMappings::of(false, s(b'X')), NoMappings::Exited(s(b'X')));
        for state in [b'S', b'R', b'D', b'T'] {
            assert_eq!(NoMappings::of(false, s(state)), NoMappings::Exiting);
        }
    }

    #[test]
    fn an_exiting_sleep_is_never_called_a_kernel_thread() {
        let said = NoMappings::of(false, ProcState::new(b'S')).sentence(4242);
        assert_eq!(
            said,
            "pid 4242: no mappings: it is exiting (its address space is already released)"
        );
        assert!(!said.contains("kernel thread"));
        let zombie = NoMappings::of(false, ProcState::new(b'Z')).sentence(301);
        assert!(zombie.contains("zombie (state Z)"), "{zombie}");
        assert!(!zombie.contains("kernel thread"));
        let kthread = NoMappings::of(true, ProcState::new(b'S')).sentence(2);
        assert!(kthread.contains("kernel thread"), "{kthread}");
    }
}
