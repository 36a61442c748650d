//! The helper: a single-threaded boxtop process (re-executed by [`super::launch`], or
//! `boxtop run` itself) that creates the namespaces, forks the child that becomes the
//! command, waits for it and exits with its status.
//!
//! Reports go to an inherited pipe, one line: `pid N` once the command has exec'd, or
//! `error SENTENCE`. Without `quiet`, the start and any error are also said on stderr.

use super::SpawnRequest;
use super::child::{self, Handshake};
use super::refusals::{id_map_error, join_error, preflight, unshare_error};
use super::{SpawnError, cgroup_targets, clone_flags, require_live, signals};
use crate::kernel::cgroupfs::write::plan_migrate;
use crate::kernel::{KernelError, Roots};
use crate::model::NsKind;
use nix::errno::Errno;
use nix::fcntl::{FcntlArg, FdFlag, OFlag, fcntl};
use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{ForkResult, Gid, Pid, Uid, fork, pipe2};
use std::fs::File;
use std::io::Write as _;
use std::os::fd::{FromRawFd as _, OwnedFd};

/// Takes ownership of the report pipe's write end (an fd number from the command line), and
/// marks it close-on-exec so that the command does not inherit it.
pub fn take_report_fd(fd: i32) -> Option<OwnedFd> {
    if fd < 3 {
        return None; // never stdin, stdout or stderr
    }
    // SAFETY: F_GETFD only asks whether the fd is open; nothing else in this process owns
    // it (launch() passed it for this purpose), so taking ownership is sound.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFD) };
    if flags == -1 {
        return None;
    }
    // SAFETY: see above: open, and ours alone.
    let owned = unsafe { OwnedFd::from_raw_fd(fd) };
    let _ = fcntl(&owned, FcntlArg::F_SETFD(FdFlag::FD_CLOEXEC));
    Some(owned)
}

/// The helper is executed as /proc/self/exe, which the kernel names `exe`: call it boxtop,
/// as ps and the dashboard should show it.
pub fn name_self() {
    let _ = nix::sys::prctl::set_name(c"boxtop");
}

/// Reports a request that could not even be read, and returns the exit status.
pub fn refuse(report: Option<OwnedFd>, quiet: bool, sentence: &str) -> u8 {
    let mut report = report.map(File::from);
    say_error(&mut report, quiet, sentence);
    1
}

fn say_error(report: &mut Option<File>, quiet: bool, sentence: &str) {
    let one_line = sentence.replace('\n', " ");
    if let Some(r) = report.as_mut() {
        let _ = writeln!(r, "error {one_line}");
    }
    if !quiet {
        eprintln!("boxtop: {one_line}");
    }
}

/// The helper's whole life: start the command, report, wait; returns the exit status (the
/// command's, 128 + N if signal N killed it, 127/126 if it could not be executed, 1 if a
/// step before failed).
pub fn run_helper(roots: &Roots, req: &SpawnRequest, report: Option<OwnedFd>, quiet: bool) -> u8 {
    let mut report = report.map(File::from);
    if quiet {
        // A session of its own: no controlling terminal, so the dashboard's terminal closing
        // (SIGHUP) or its keys (SIGINT) never reach the command.
        let _ = nix::unistd::setsid();
    }
    match start(roots, req, !quiet) {
        Ok(child) => {
            if let Some(mut r) = report.take() {
                let _ = writeln!(r, "pid {child}");
            } // closed here: launch() has its answer
            wait_forwarding(child)
        }
        Err(e) => {
            say_error(&mut report, quiet, &e.to_string());
            e.exit_code()
        }
    }
}

/// Everything up to the command's exec; returns the child's pid (ours).
fn start(roots: &Roots, req: &SpawnRequest, announce: bool) -> Result<Pid, SpawnError> {
    require_live(roots)?;
    req.precondition().map_err(SpawnError::Invalid)?;
    preflight(roots, req)?; // before anything changes
    // The ids to map: ours before unshare (after it, we are the overflow id 65534 until the
    // map is written).
    let (uid, gid) = (nix::unistd::getuid(), nix::unistd::getgid());
    // 1. The cgroup first: children inherit it, and a new cgroup namespace is rooted there.
    if let Some(path) = req.cgroup_path() {
        join_cgroup(roots, &path)?;
    }
    // 2. The namespaces, in one unshare(2): with CLONE_NEWUSER the kernel creates the user
    //    namespace first and the others belong to it, which is what lets an unprivileged
    //    user create them. See unshare(2), user_namespaces(7).
    nix::sched::unshare(clone_flags(req)).map_err(|e| unshare_error(roots, req, e))?;
    // 3. The id maps, from inside (a process may map its own id once). setgroups must be
    //    denied before an unprivileged gid_map is accepted (Linux 3.19+).
    if req.has(NsKind::User) && req.map_root_user {
        write_id_maps(roots, uid, gid)?;
    }
    // 4. Fork: the new pid namespace's pid 1 and the new time namespace are for children
    //    only (the caller's pid and clocks cannot change under it). pid_namespaces(7).
    let (from_child, to_helper) = pipe2(OFlag::O_CLOEXEC).map_err(SpawnError::os("pipe"))?;
    let (from_helper, to_child) = pipe2(OFlag::O_CLOEXEC).map_err(SpawnError::os("pipe"))?;
    let saved = signals::prepare();
    // SAFETY: this process is single-threaded (the helper never starts threads; preflight
    // checked it), so the child may allocate freely.
    match unsafe { fork() } {
        Ok(ForkResult::Child) => {
            drop(from_child);
            drop(to_child);
            signals::restore(&saved);
            child::run(roots, req, to_helper, from_helper)
        }
        Ok(ForkResult::Parent { child }) => {
            signals::forward_to(child.as_raw(), &saved);
            drop(to_helper);
            drop(from_helper);
            let mut hs = Handshake::new(from_child, child);
            if let Err(e) = hs.wait_ready() {
                reap(child);
                return Err(e);
            }
            if announce {
                eprintln!("{}", started_line(req, child.as_raw()));
            }
            // Go: the child execs now (a byte, so that a helper that died is not taken for one
            // that said go).
            let _ = File::from(to_child).write_all(b"G");
            if let Err(e) = hs.wait_exec() {
                reap(child);
                return Err(e);
            }
            Ok(child)
        }
        Err(e) => {
            signals::restore(&saved);
            Err(SpawnError::Os {
                what: "fork",
                errno: e,
            })
        }
    }
}

/// Writes our pid to cgroup.procs in every hierarchy that has `path`.
fn join_cgroup(roots: &Roots, path: &str) -> Result<(), SpawnError> {
    let me = i32::try_from(std::process::id()).unwrap_or(0);
    for dir in cgroup_targets(roots, path)? {
        let w = plan_migrate(&dir, me);
        w.apply().map_err(|e| match e {
            KernelError::Io { path, source } => {
                join_error(&path, source.raw_os_error(), source.to_string())
            }
            KernelError::Denied { path } => join_error(&path, Some(libc::EACCES), String::new()),
            other => SpawnError::Kernel(other),
        })?;
    }
    Ok(())
}

/// `deny` to setgroups, `0 UID 1` to uid_map, `0 GID 1` to gid_map. See user_namespaces(7).
fn write_id_maps(roots: &Roots, uid: Uid, gid: Gid) -> Result<(), SpawnError> {
    let setgroups = roots.self_file("setgroups");
    let writes = [
        (setgroups.clone(), "deny".to_string()),
        (roots.self_file("uid_map"), format!("0 {uid} 1")),
        (roots.self_file("gid_map"), format!("0 {gid} 1")),
    ];
    for (path, text) in writes {
        // One write(2): the kernel accepts a map only in a single write.
        let result = std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .and_then(|mut f| f.write_all(text.as_bytes()));
        match result {
            Ok(()) => {}
            // Kernels before 3.19 have no setgroups file (and need no deny).
            Err(e) if path == setgroups && e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                let errno = Errno::from_raw(e.raw_os_error().unwrap_or(libc::EIO));
                return Err(id_map_error(roots, &path, errno));
            }
        }
    }
    Ok(())
}

/// `boxtop: started pid N (pid 1 in its new pid namespace; new: pid net uts)`.
pub fn started_line(req: &SpawnRequest, pid: i32) -> String {
    let mut inside = String::new();
    if req.has(NsKind::Pid) {
        inside.push_str(if req.init {
            "boxtop's init, pid 1 in its new pid namespace, runs the command as pid 2; "
        } else {
            "pid 1 in its new pid namespace; "
        });
    }
    format!("boxtop: started pid {pid} ({inside}new: {})", req.names())
}

/// Reaps the child after a failed start (it exits right after reporting).
fn reap(child: Pid) {
    while let Err(Errno::EINTR) = waitpid(child, None) {}
}

/// Waits for the child, forwarding signals (the handlers do that); its status as ours.
fn wait_forwarding(child: Pid) -> u8 {
    loop {
        match waitpid(child, None) {
            Ok(ws) => {
                if let Some(code) = exit_code(ws) {
                    return code;
                }
            }
            // A signal came first (the handlers forwarded it): wait again.
            Err(Errno::EINTR) => {}
            Err(_) => return 1,
        }
    }
}

/// A shell's exit status for how a process ended: its code, or 128 + N when signal N
/// killed it. None while it has not ended (stopped, continued).
pub(super) fn exit_code(ws: WaitStatus) -> Option<u8> {
    match ws {
        WaitStatus::Exited(_, code) => Some(u8::try_from(code & 0xff).unwrap_or(1)),
        WaitStatus::Signaled(_, sig, _) => Some(u8::try_from(128 + sig as i32).unwrap_or(255)),
        _ => None,
    }
}
