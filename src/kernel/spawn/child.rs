//! The child the helper forks: the first process in the new namespaces. It makes the mounts
//! private, mounts a new proc, sets the host name, chroots, says it is ready, waits for the
//! helper's go, and execs the command (or first becomes boxtop's init).
//!
//! It talks to the helper on a close-on-exec pipe: `R` when ready, `E<code> <sentence>` on
//! failure; end-of-file after `R` means exec succeeded (the kernel closed the pipe).

use super::SpawnRequest;
use super::{SpawnError, signals};
use crate::kernel::Roots;
use crate::model::NsKind;
use nix::errno::Errno;
use nix::mount::{MsFlags, mount};
use nix::sys::signal::Signal;
use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{ForkResult, Pid, fork};
use std::ffi::CString;
use std::fs::File;
use std::io::{Read as _, Write as _};
use std::os::fd::OwnedFd;
use std::path::PathBuf;

/// The helper's side of the pipe.
pub(super) struct Handshake {
    file: File,
    child: Pid,
    buf: Vec<u8>,
}

impl Handshake {
    pub(super) fn new(from_child: OwnedFd, child: Pid) -> Handshake {
        Handshake {
            file: File::from(from_child),
            child,
            buf: Vec::new(),
        }
    }

    /// Reads more; 0 at end-of-file.
    fn read_more(&mut self) -> usize {
        let mut chunk = [0u8; 512];
        loop {
            match self.file.read(&mut chunk) {
                Ok(n) => {
                    self.buf
                        .extend_from_slice(chunk.get(..n).unwrap_or_default());
                    return n;
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => return 0,
            }
        }
    }

    /// Until the child is set up (`R`), or failed.
    pub(super) fn wait_ready(&mut self) -> Result<(), SpawnError> {
        loop {
            match self.buf.first().copied() {
                Some(b'R') => {
                    self.buf.remove(0);
                    return Ok(());
                }
                Some(_) => return Err(self.failure()),
                None if self.read_more() == 0 => {
                    let how = match waitpid(self.child, None) {
                        Ok(WaitStatus::Signaled(_, sig, _)) => format!("killed by {sig}"),
                        Ok(WaitStatus::Exited(_, code)) => format!("exit status {code}"),
                        _ => "gone".to_string(),
                    };
                    return Err(SpawnError::Child {
                        code: 1,
                        message: format!("the child ended while it was being set up ({how})"),
                    });
                }
                None => {}
            }
        }
    }

    /// Until exec: end-of-file with nothing said is success.
    pub(super) fn wait_exec(&mut self) -> Result<(), SpawnError> {
        while self.read_more() > 0 {}
        if self.buf.is_empty() {
            Ok(())
        } else {
            Err(self.failure())
        }
    }

    /// `E<code> <sentence>`, read to the end.
    fn failure(&mut self) -> SpawnError {
        while self.read_more() > 0 {}
        let text = String::from_utf8_lossy(&self.buf).into_owned();
        let body = text.strip_prefix('E').unwrap_or(&text);
        let (code, message) = body.split_once(' ').unwrap_or(("1", body));
        SpawnError::Child {
            code: code.parse().unwrap_or(1),
            message: message.to_string(),
        }
    }
}

/// Tells the helper why, and ends this process with `code`.
fn fail(out: &mut File, code: u8, sentence: &str) -> ! {
    let _ = out.write_all(format!("E{code} {sentence}").as_bytes());
    exit_now(code)
}

/// _exit(2): no atexit handlers or buffered output of the helper's copy run twice.
fn exit_now(code: u8) -> ! {
    // SAFETY: ends the process; nothing is left to run.
    unsafe { libc::_exit(i32::from(code)) }
}

/// The child's whole life; never returns.
pub(super) fn run(
    roots: &Roots,
    req: &SpawnRequest,
    to_helper: OwnedFd,
    from_helper: OwnedFd,
) -> ! {
    let mut out = File::from(to_helper);
    if let Err(sentence) = setup(roots, req) {
        fail(&mut out, 1, &sentence);
    }
    if let Err((code, sentence)) = check_program(req) {
        fail(&mut out, code, &sentence);
    }
    let _ = out.write_all(b"R");
    // The go byte: the helper has printed its line. End-of-file without it means the helper
    // died (PR_SET_PDEATHSIG may have been set too late to notice): do not run orphaned.
    let mut go = File::from(from_helper);
    let mut byte = [0u8; 1];
    let got = loop {
        match go.read(&mut byte) {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            other => break other,
        }
    };
    if !matches!(got, Ok(1)) {
        exit_now(1);
    }
    drop(go);
    if req.init {
        init(req, out)
    } else {
        exec(req, &mut out)
    }
}

/// Mounts, host name, root: the steps that need the new namespaces and the child's place
/// in them.
fn setup(roots: &Roots, req: &SpawnRequest) -> Result<(), String> {
    // When the helper dies (killed from the dashboard, or its terminal went away), the
    // command dies with it, like `unshare --kill-child`. prctl(2).
    let _ = nix::sys::prctl::set_pdeathsig(Signal::SIGKILL);
    if req.has(NsKind::Mnt) {
        // A new mount namespace starts as a copy whose mounts may still be shared with the
        // host's (systemd makes / shared): a mount made here would appear there too. Private,
        // recursively, first. mount_namespaces(7), "Shared subtrees".
        mount(
            None::<&str>,
            "/",
            None::<&str>,
            MsFlags::MS_REC | MsFlags::MS_PRIVATE,
            None::<&str>,
        )
        .map_err(|e| {
            format!(
                "making every mount private (mount --make-rprivate /) failed: {}",
                e.desc()
            )
        })?;
    }
    if req.has(NsKind::Pid) && req.has(NsKind::Mnt) {
        // A proc shows the pid namespace of the process that mounts it: ours is the new one
        // (we are its pid 1), so ps and /proc inside show only its processes.
        let target = proc_target(roots, req);
        mount(
            Some("proc"),
            &target,
            Some("proc"),
            MsFlags::MS_NOSUID | MsFlags::MS_NODEV | MsFlags::MS_NOEXEC,
            None::<&str>,
        )
        .map_err(|e| proc_error(&target, req, e))?;
    }
    if let Some(name) = &req.hostname {
        nix::unistd::sethostname(name)
            .map_err(|e| format!("sethostname({name:?}) failed: {}", e.desc()))?;
    }
    if let Some(root) = &req.root {
        nix::unistd::chroot(root).map_err(|e| match e {
            Errno::EPERM => format!(
                "chroot {}: needs CAP_SYS_CHROOT (run as root, or add user with \
                 --map-root-user)",
                root.display()
            ),
            other => format!("chroot {}: {}", root.display(), other.desc()),
        })?;
        // Without it the working directory stays outside the new root: the classic escape.
        nix::unistd::chdir("/").map_err(|e| format!("cd / in the new root: {}", e.desc()))?;
    }
    Ok(())
}

/// The program's name, and " inside ROOT" when it is looked up in a new root (for sentences).
fn program_and_place(req: &SpawnRequest) -> (&str, String) {
    let name = req.command.first().map_or("", String::as_str);
    let inside = req
        .root
        .as_ref()
        .map(|r| format!(" inside {}", r.display()))
        .unwrap_or_default();
    (name, inside)
}

/// Looks the program up as execvp(3) will (in the new root, if any), so that a missing
/// command is reported before the helper says "started". exec() still reports the rest.
fn check_program(req: &SpawnRequest) -> Result<(), (u8, String)> {
    use nix::unistd::{AccessFlags, access};
    let (name, inside) = program_and_place(req);
    let candidates: Vec<PathBuf> = if name.contains('/') {
        vec![PathBuf::from(name)]
    } else {
        // execvp's search list when PATH is unset (glibc: confstr(_CS_PATH)).
        let path = std::env::var_os("PATH").unwrap_or_else(|| "/bin:/usr/bin".into());
        std::env::split_paths(&path).map(|d| d.join(name)).collect()
    };
    let mut seen = false;
    for c in &candidates {
        if c.is_file() {
            if access(c, AccessFlags::X_OK).is_ok() {
                return Ok(());
            }
            seen = true;
        }
    }
    Err(match (seen, name.contains('/')) {
        (true, _) => (
            126,
            format!("{name}: permission denied (not executable, or on a noexec mount){inside}"),
        ),
        (false, true) => (127, format!("{name}: no such file{inside}")),
        (false, false) => (127, format!("{name}: command not found in PATH{inside}")),
    })
}

/// Where the new proc goes: where procfs is on this system, inside the new root if any.
pub(super) fn proc_target(roots: &Roots, req: &SpawnRequest) -> PathBuf {
    let proc = roots.proc_root();
    match &req.root {
        Some(root) => root.join(proc.strip_prefix("/").unwrap_or(proc)),
        None => proc.to_path_buf(),
    }
}

fn proc_error(target: &std::path::Path, req: &SpawnRequest, e: Errno) -> String {
    if e == Errno::EPERM && req.has(NsKind::User) {
        // fs/namespace.c mount_too_revealing(): a new proc in a user namespace only if a
        // proc is already mounted fully visible (nothing mounted over parts of it).
        format!(
            "mounting a new proc on {} was refused (EPERM): inside a user namespace the kernel \
             allows it only when this system's proc is mounted fully visible, with nothing \
             mounted over parts of it (as container runtimes do); leave out mnt or pid",
            target.display()
        )
    } else {
        format!("mounting a new proc on {}: {}", target.display(), e.desc())
    }
}

/// execvp(3): replaces this process with the command. Errors as shells report them.
fn exec(req: &SpawnRequest, out: &mut File) -> ! {
    let args: Vec<CString> = req
        .command
        .iter()
        .filter_map(|a| CString::new(a.as_bytes()).ok())
        .collect();
    let Some(program) = args.first() else {
        fail(out, 1, "no command to run");
    };
    // `boxtop run` in a process that raised its open-file limit: the user's, for the command.
    let _ = crate::kernel::kept_file::restore_user_fd_limit();
    let Err(e) = nix::unistd::execvp(program, &args);
    let (name, inside) = program_and_place(req);
    match e {
        Errno::ENOENT if name.contains('/') => {
            fail(out, 127, &format!("{name}: no such file{inside}"))
        }
        Errno::ENOENT => fail(
            out,
            127,
            &format!("{name}: command not found in PATH{inside}"),
        ),
        Errno::EACCES => fail(
            out,
            126,
            &format!("{name}: permission denied (not executable, or on a noexec mount){inside}"),
        ),
        other => fail(
            out,
            126,
            &format!("cannot execute {name}: {}", other.desc()),
        ),
    }
}

/// boxtop's init: pid 1 of the new pid namespace. The kernel gives pid 1 no default signal
/// actions (pid_namespaces(7): it only gets the signals it has handlers for), so a command
/// there ignores Ctrl-C and SIGTERM; and orphans are reparented to pid 1, which must reap
/// them. This init forwards the signals and reaps everything, like tini.
fn init(req: &SpawnRequest, mut out: File) -> ! {
    let _ = nix::sys::prctl::set_name(c"boxtop-init");
    let saved = signals::prepare();
    // SAFETY: single-threaded (a fork of the single-threaded helper).
    match unsafe { fork() } {
        Ok(ForkResult::Child) => {
            signals::restore(&saved);
            exec(req, &mut out)
        }
        Ok(ForkResult::Parent { child }) => {
            signals::forward_to(child.as_raw(), &saved);
            drop(out); // only the command holds the pipe now: EOF at its exec
            loop {
                // Every orphan is reaped; the command's end is ours.
                match waitpid(None::<Pid>, None) {
                    Ok(ws) if ws.pid() == Some(child) => {
                        if let Some(code) = super::helper::exit_code(ws) {
                            exit_now(code)
                        }
                    }
                    Ok(_) | Err(Errno::EINTR) => {}
                    Err(_) => exit_now(1),
                }
            }
        }
        Err(e) => fail(&mut out, 1, &format!("init: fork failed: {}", e.desc())),
    }
}
