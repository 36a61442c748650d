//! The unshare launcher: start a command in new namespaces, as container runtimes do.
//!
//! unshare(2) with CLONE_NEWUSER fails with EINVAL in a multithreaded process (a user
//! namespace is a property of the whole process, so the kernel asks for CLONE_THREAD with it,
//! which only a single thread can unshare), and the dashboard has threads. So the work is done by a single-threaded helper: our own binary,
//! re-executed through /proc/self/exe with the hidden `spawn-helper` command. `boxtop run`
//! on the command line is single-threaded already and runs the same helper code in-process.
//!
//! The helper, step by step ([`helper`]): joins the cgroup (`--cgroup`), unshare(2)s, writes
//! the uid and gid maps (user_namespaces(7)), forks (the new pid and time namespaces apply to
//! children only: pid_namespaces(7), time_namespaces(7)); the child ([`child`]) makes every
//! mount private, mounts a new proc, sets the host name, chroots and execs the command (or
//! first becomes a tiny init). The helper waits for it, forwards signals, and exits with its
//! status, like `unshare --fork --kill-child`.
//!
//! - [`launch`]: for the dashboard, re-executes the helper and waits (bounded) for its report.
//! - [`steps`]: the steps as text, for `--dry-run` and confirmation dialogs.
//! - [`refusals`]: kernel refusals as sentences.
//! - [`SpawnRequest`]: what to start; validated by `actions::unshare` before it gets here.

mod child;
pub mod helper;
mod refusals;
mod request;
mod signals;
mod steps;

pub use request::{RootProbe, SpawnRequest, probe_root};
pub use steps::steps;

use super::cgroupfs::files::FileReader;
use super::cgroupfs::mode::discover;
use super::{KernelError, Roots};
use crate::model::NsKind;
use nix::fcntl::OFlag;
use nix::sched::CloneFlags;
use std::io::Read as _;
use std::os::fd::{AsRawFd as _, OwnedFd};
use std::os::unix::process::CommandExt as _;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long [`launch`] waits for the helper to report (it normally takes milliseconds).
pub const REPORT_TIMEOUT: Duration = Duration::from_secs(5);

/// A command started by [`launch`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Launched {
    /// The helper (a `boxtop spawn-helper` process): it waits for the command and exits with
    /// its status. Killing it kills the command too (PR_SET_PDEATHSIG).
    pub helper_pid: i32,
    /// The first process in the new namespaces, as a pid of ours: pid 1 there when pid is
    /// unshared (boxtop's init with `init`, otherwise the command itself).
    pub pid: i32,
}

#[derive(Debug, thiserror::Error)]
pub enum SpawnError {
    /// The request itself is wrong; nothing was started.
    #[error("{0}")]
    Invalid(String),
    /// The kernel or the host's settings said no, explained (see [`explain`]).
    #[error("{0}")]
    Refused(String),
    /// A file the helper writes (cgroup.procs, uid_map, ...).
    #[error("{}: {why}", path.display())]
    Write { path: PathBuf, why: String },
    /// The child failed before or at exec, as it said; `code` is its exit status (127: the
    /// command was not found, 126: it could not be executed, 1: a setup step failed).
    #[error("{message}")]
    Child { code: u8, message: String },
    /// A system call of the launcher itself (pipe, fork) failed.
    #[error("{what}: {errno}")]
    Os {
        what: &'static str,
        errno: nix::errno::Errno,
    },
    /// The helper could not be started.
    #[error("{}: cannot start the helper: {source}", path.display())]
    Start {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The helper's report: its error sentence.
    #[error("{0}")]
    Reported(String),
    #[error("the helper did not report within {secs} s; it was stopped (SIGKILL)")]
    Timeout { secs: u64 },
    #[error("the helper ended without a report ({status})")]
    NoReport { status: String },
    #[error(transparent)]
    Kernel(#[from] KernelError),
}

impl SpawnError {
    /// The exit status `boxtop run` ends with (127 and 126 as shells use them).
    pub fn exit_code(&self) -> u8 {
        match self {
            SpawnError::Child { code, .. } => *code,
            _ => 1,
        }
    }

    fn os(what: &'static str) -> impl FnOnce(nix::errno::Errno) -> SpawnError {
        move |errno| SpawnError::Os { what, errno }
    }
}

/// The unshare(2) flag of a namespace type (None for the `*_for_children` links).
pub fn clone_flag(kind: NsKind) -> Option<CloneFlags> {
    Some(match kind {
        NsKind::Cgroup => CloneFlags::CLONE_NEWCGROUP,
        NsKind::Ipc => CloneFlags::CLONE_NEWIPC,
        NsKind::Mnt => CloneFlags::CLONE_NEWNS,
        NsKind::Net => CloneFlags::CLONE_NEWNET,
        NsKind::Pid => CloneFlags::CLONE_NEWPID,
        // nix has no name for it (Linux 5.6+); libc has its value.
        NsKind::Time => CloneFlags::from_bits_retain(libc::CLONE_NEWTIME),
        NsKind::User => CloneFlags::CLONE_NEWUSER,
        NsKind::Uts => CloneFlags::CLONE_NEWUTS,
        NsKind::PidForChildren | NsKind::TimeForChildren => return None,
    })
}

/// All the flags of a request, for one unshare(2) call.
pub fn clone_flags(req: &SpawnRequest) -> CloneFlags {
    req.namespaces
        .iter()
        .filter_map(|k| clone_flag(*k))
        .fold(CloneFlags::empty(), |a, f| a | f)
}

/// `CLONE_NEWPID | CLONE_NEWNET`, for messages and `--dry-run`.
pub fn flag_names(req: &SpawnRequest) -> String {
    let names: Vec<&str> = req.namespaces.iter().map(|k| k.clone_flag()).collect();
    names.join(" | ")
}

/// The directories of `path` in every hierarchy that has it (those with a cgroup.procs).
pub fn cgroup_targets(roots: &Roots, path: &str) -> Result<Vec<PathBuf>, SpawnError> {
    let (_, hierarchies) = discover(roots, &mut FileReader::new())?;
    let dirs: Vec<PathBuf> = hierarchies
        .iter()
        .map(|h| Roots::cgroup_dir(&h.dir, path))
        .filter(|d| d.join("cgroup.procs").is_file())
        .collect();
    if dirs.is_empty() {
        return Err(SpawnError::Invalid(format!(
            "no cgroup hierarchy has a cgroup {path} (create it first, e.g. with boxtop move \
             --create, or mkdir under {})",
            roots.cgroup_root().display()
        )));
    }
    Ok(dirs)
}

/// Actions change the running system: a fixture root would turn cgroup and map writes into
/// writes to the fixture's files.
pub(crate) fn require_live(roots: &Roots) -> Result<(), SpawnError> {
    if roots.is_live() {
        Ok(())
    } else {
        Err(SpawnError::Invalid(
            "run starts a real process: it cannot be used with --proc-root or --cgroup-root \
             pointing at another tree"
                .into(),
        ))
    }
}

/// Starts `req` through a re-executed helper and returns once the command has exec'd (or
/// with the error sentence). With `quiet` (the dashboard), the helper's stdin, stdout and
/// stderr are /dev/null and it starts a session of its own, so that it survives the
/// dashboard and never writes to its terminal. Waits [`REPORT_TIMEOUT`] at most.
///
/// The helper stays our child: a thread of ours reaps it when it ends, so that it never
/// lingers as a zombie.
pub fn launch(roots: &Roots, req: &SpawnRequest, quiet: bool) -> Result<Launched, SpawnError> {
    launch_with(&own_exe(roots), roots, req, quiet)
}

const LIB_BACKTRACE: &str = "RUST_LIB_BACKTRACE";
static LIB_BACKTRACE_SET_HERE: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// The dashboard turns errors into one-line sentences and never shows their backtraces; but
/// with RUST_BACKTRACE=1 in the environment, color-eyre captures and symbolizes one for every
/// error (a refused action costs ~40 MiB of debug information, kept). RUST_LIB_BACKTRACE=0
/// stops that for errors and leaves panics their backtraces. Commands started by [`launch`]
/// get the environment without it. Call before any thread is started.
pub fn quiet_error_backtraces() {
    if std::env::var_os(LIB_BACKTRACE).is_none() {
        // SAFETY: called first thing in main, while the process has one thread (set_var is
        // unsound only when another thread reads the environment at the same time).
        unsafe { std::env::set_var(LIB_BACKTRACE, "0") };
        LIB_BACKTRACE_SET_HERE.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

/// [`launch`] with another boxtop binary as the helper: for code that is not itself the
/// boxtop binary (an integration test is its own executable, with no `spawn-helper`).
pub fn launch_with(
    exe: &std::path::Path,
    roots: &Roots,
    req: &SpawnRequest,
    quiet: bool,
) -> Result<Launched, SpawnError> {
    req.precondition().map_err(SpawnError::Invalid)?;
    require_live(roots)?;
    let exe = exe.to_path_buf();
    // CLOEXEC here, cleared only in the helper's own fork: other threads of the dashboard
    // that start processes at the same moment must not inherit the write end.
    let (read_end, write_end) =
        nix::unistd::pipe2(OFlag::O_CLOEXEC).map_err(SpawnError::os("pipe"))?;
    let fd = write_end.as_raw_fd();
    let mut cmd = Command::new(&exe);
    cmd.arg0("boxtop")
        .arg("spawn-helper")
        .arg(format!("--report-fd={fd}"));
    if quiet {
        cmd.arg("--quiet")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
    }
    cmd.args(req.to_args());
    if LIB_BACKTRACE_SET_HERE.load(std::sync::atomic::Ordering::Relaxed) {
        // The command gets the environment the user started boxtop with.
        cmd.env_remove(LIB_BACKTRACE);
    }
    // SAFETY: runs in the forked child before exec; fcntl(2) is async-signal-safe and only
    // clears FD_CLOEXEC of the pipe's write end, which is open in this process; the limit
    // is put back with setrlimit(2), async-signal-safe too.
    unsafe {
        cmd.pre_exec(move || {
            if libc::fcntl(fd, libc::F_SETFD, 0) == -1 {
                return Err(std::io::Error::last_os_error());
            }
            // The helper, and so the command, get the user's open-file limit back.
            crate::kernel::kept_file::restore_user_fd_limit()
        });
    }
    let mut child = cmd.spawn().map_err(|source| SpawnError::Start {
        path: exe.clone(),
        source,
    })?;
    drop(write_end); // only the helper holds it now: EOF when it is gone
    let helper_pid = i32::try_from(child.id()).unwrap_or(0);
    let result = read_report(read_end, REPORT_TIMEOUT);
    let result = match result {
        Err(SpawnError::Timeout { secs }) => {
            let _ = child.kill(); // our own child; its child dies with it (PDEATHSIG)
            Err(SpawnError::Timeout { secs })
        }
        Err(SpawnError::NoReport { .. }) => Err(SpawnError::NoReport {
            status: exit_of(&mut child),
        }),
        other => other,
    };
    reap_in_background(child);
    result.map(|pid| Launched { helper_pid, pid })
}

/// /proc/self/exe: exactly the binary that is running, even if the file was since replaced
/// by a new build or deleted (the kernel keeps it), so that the helper always speaks the same
/// protocol. Its comm would read `exe`; the helper renames itself `boxtop`.
fn own_exe(roots: &Roots) -> PathBuf {
    roots.self_file("exe")
}

/// Reads `pid N` or `error SENTENCE` from the helper, within `timeout`.
fn read_report(read_end: OwnedFd, timeout: Duration) -> Result<i32, SpawnError> {
    let deadline = Instant::now() + timeout;
    let fd = read_end.as_raw_fd();
    let mut file = std::fs::File::from(read_end);
    let mut buf = Vec::new();
    loop {
        if let Some(end) = buf.iter().position(|b| *b == b'\n') {
            let line = String::from_utf8_lossy(&buf[..end]).into_owned();
            buf.drain(..=end);
            if let Some(pid) = line.strip_prefix("pid ") {
                return pid.trim().parse().map_err(|_| {
                    SpawnError::Reported(format!("the helper reported a bad pid: {line:?}"))
                });
            }
            if let Some(sentence) = line.strip_prefix("error ") {
                return Err(SpawnError::Reported(sentence.to_string()));
            }
            continue; // a line from a future helper: skip it
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(SpawnError::Timeout {
                secs: timeout.as_secs(),
            });
        }
        let mut pfd = libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        };
        let ms = libc::c_int::try_from(left.as_millis().max(1)).unwrap_or(libc::c_int::MAX);
        // SAFETY: one valid pollfd for an fd `file` keeps open.
        let n = unsafe { libc::poll(&raw mut pfd, 1, ms) };
        if n < 0 {
            let err = std::io::Error::last_os_error();
            if err.raw_os_error() == Some(libc::EINTR) {
                continue;
            }
            return Err(SpawnError::Reported(format!(
                "waiting for the helper: {err}"
            )));
        }
        if n == 0 {
            continue;
        }
        let mut chunk = [0u8; 512];
        match file.read(&mut chunk) {
            Ok(0) => {
                return Err(SpawnError::NoReport {
                    status: String::new(),
                });
            }
            Ok(k) => buf.extend_from_slice(chunk.get(..k).unwrap_or_default()),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(SpawnError::Reported(format!("reading the helper: {e}"))),
        }
    }
}

/// The helper's exit status after it closed the pipe without a word (it exits right after).
fn exit_of(child: &mut Child) -> String {
    let deadline = Instant::now() + Duration::from_secs(1);
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return status.to_string(),
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(10)),
            Ok(None) => return "still running".into(),
            Err(e) => return e.to_string(),
        }
    }
}

/// The helper runs as long as the command: a small thread waits for it.
fn reap_in_background(mut child: Child) {
    let _ = std::thread::Builder::new()
        .name("boxtop-run-reap".into())
        .spawn(move || {
            let _ = child.wait();
        });
}
