//! Waiting for the v2 event files to change: the kernel signals a modification of
//! `cgroup.events` and `memory.events` through inotify each time one of their values changes
//! (Documentation/admin-guide/cgroup-v2.rst, "cgroup.events", "memory.events"), so a follower
//! can sleep until then instead of reading every cgroup on a timer.
//!
//! One inotify instance holds every watch (the per-user instance limit defaults to 128; the
//! watch limit, fs.inotify.max_user_watches, is far larger). `cgroup.events` is watched as
//! well as `memory.events` because a removed cgroup signals nothing on its memory.events
//! (cgroup-v2.rst), and watches of cgroups gone are dropped at the next `follow`.

use super::super::KernelError;
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::sys::inotify::{AddWatchFlags, InitFlags, Inotify, WatchDescriptor};
use std::collections::HashMap;
use std::os::fd::AsFd;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The files watched in each v2 cgroup directory.
const FILES: [&str; 2] = ["cgroup.events", "memory.events"];

/// Watches on the event files of a set of v2 cgroup directories.
pub struct EventFiles {
    inotify: Inotify,
    watched: HashMap<PathBuf, Vec<WatchDescriptor>>,
}

impl EventFiles {
    pub fn new() -> Result<EventFiles, KernelError> {
        let inotify = Inotify::init(InitFlags::IN_NONBLOCK | InitFlags::IN_CLOEXEC)
            .map_err(|e| errno(Path::new("inotify"), e))?;
        Ok(EventFiles {
            inotify,
            watched: HashMap::new(),
        })
    }

    /// Watches the event files of exactly `dirs`: new directories are added, gone ones
    /// dropped. A directory that vanished meanwhile, or a file it lacks, is skipped. The
    /// number of directories watched is returned.
    pub fn follow(&mut self, dirs: &[PathBuf]) -> usize {
        let keep: std::collections::HashSet<&PathBuf> = dirs.iter().collect();
        let gone: Vec<PathBuf> = self
            .watched
            .keys()
            .filter(|d| !keep.contains(d))
            .cloned()
            .collect();
        for d in gone {
            for wd in self.watched.remove(&d).unwrap_or_default() {
                // Already gone with its directory (IN_IGNORED): nothing to undo.
                let _ = self.inotify.rm_watch(wd);
            }
        }
        for d in dirs {
            if self.watched.contains_key(d) {
                continue;
            }
            let wds: Vec<WatchDescriptor> = FILES
                .iter()
                .filter_map(|f| {
                    self.inotify
                        .add_watch(&d.join(f), AddWatchFlags::IN_MODIFY)
                        .ok()
                })
                .collect();
            if !wds.is_empty() {
                self.watched.insert(d.clone(), wds);
            }
        }
        self.watched.len()
    }

    /// Sleeps until one of the files changes or `timeout` passes; true if one changed. What
    /// is queued is read (and dropped: the caller re-reads the files it needs). A watch's
    /// own end (IN_IGNORED, when its cgroup goes or `follow` drops it) is not a change.
    pub fn wait(&self, timeout: Duration) -> Result<bool, KernelError> {
        let deadline = std::time::Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            let ms = u16::try_from(left.as_millis()).unwrap_or(u16::MAX);
            let mut fds = [PollFd::new(self.inotify.as_fd(), PollFlags::POLLIN)];
            match poll(&mut fds, PollTimeout::from(ms)) {
                Ok(0) => return Ok(false),
                Ok(_) => {}
                Err(nix::errno::Errno::EINTR) => return Ok(false),
                Err(e) => return Err(errno(Path::new("inotify"), e)),
            }
            let mut changed = false;
            // Non-blocking: reads what is queued, EAGAIN when empty.
            while let Ok(events) = self.inotify.read_events() {
                if events.is_empty() {
                    break;
                }
                changed |= events
                    .iter()
                    .any(|e| e.mask.contains(AddWatchFlags::IN_MODIFY));
            }
            if changed {
                return Ok(true);
            }
            if left.is_zero() {
                return Ok(false);
            }
        }
    }
}

fn errno(path: &Path, e: nix::errno::Errno) -> KernelError {
    KernelError::from_io(path, std::io::Error::from(e))
}

#[cfg(test)]
mod tests {
    use super::EventFiles;
    use std::time::Duration;

    #[test]
    fn a_change_to_a_watched_file_wakes_the_wait_and_silence_times_out() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let d = dir.path().to_path_buf();
        std::fs::write(d.join("cgroup.events"), "populated 0\n").expect("write");
        let mut w = EventFiles::new().expect("inotify");
        assert_eq!(w.follow(std::slice::from_ref(&d)), 1);
        assert!(
            !w.wait(Duration::from_millis(50)).expect("wait"),
            "nothing yet"
        );
        std::fs::write(d.join("cgroup.events"), "populated 1\n").expect("write");
        assert!(
            w.wait(Duration::from_secs(2)).expect("wait"),
            "the change wakes it"
        );
        assert!(!w.wait(Duration::from_millis(50)).expect("wait"), "drained");
        // A directory no longer followed is dropped; one that does not exist is skipped.
        assert_eq!(w.follow(&[d.join("nonexistent")]), 0);
        std::fs::write(d.join("cgroup.events"), "populated 0\n").expect("write");
        assert!(!w.wait(Duration::from_millis(50)).expect("wait"));
    }
}
