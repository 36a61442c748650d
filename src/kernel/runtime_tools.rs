//! A container runtime's own command line tool (`lxc-freeze`, `podman pause`, `docker pause`):
//! found on PATH and run, bounded in time. A runtime keeps its own record of a container's
//! state (lxc-start's monitor, podman's database, dockerd): a freeze written to the kernel
//! behind its back leaves that record saying running, and the runtime then refuses its own
//! unpause and removal (seen with LXC 5.0 and podman 4.3, tests/container_actions_kernel.rs).
//! Asking the runtime keeps its record and the kernel in step.

use super::{KernelError, Roots};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long a runtime's command may take before it is killed: a freeze waits for every task
/// to stop, and podman takes its locks first.
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// `tool` in a directory of PATH, as a shell would find it (an executable regular file).
pub fn find_on_path(tool: &str) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(tool))
        .find(|p| {
            std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

/// Whether LXC keeps a container of this name in its default lxcpath (`/var/lib/lxc/NAME`),
/// which `lxc-freeze -n NAME` finds; LXD's and Incus's containers are elsewhere.
pub fn lxc_knows(roots: &Roots, name: &str) -> bool {
    !name.contains('/')
        && roots
            .host_file(&format!("var/lib/lxc/{name}/config"))
            .is_file()
}

/// Runs `argv` (its program found on PATH), its output captured, killed at `timeout`. Ok when
/// it exits 0; else the error carries what it said on stderr.
pub fn run(argv: &[String], timeout: Duration) -> Result<(), KernelError> {
    let Some((program, args)) = argv.split_first() else {
        return Err(failed(Path::new(""), "no command"));
    };
    let path = PathBuf::from(program);
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| KernelError::from_io(&path, e))?;
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(failed(
                    &path,
                    &format!("did not finish in {} s; killed", timeout.as_secs()),
                ));
            }
            Err(e) => return Err(KernelError::from_io(&path, e)),
        }
    };
    if status.success() {
        return Ok(());
    }
    let mut said = String::new();
    if let Some(mut err) = child.stderr.take() {
        let _ = err.read_to_string(&mut said);
    }
    let said = crate::text::display_safe(said.trim().as_bytes());
    Err(failed(
        &path,
        &format!("{status}{}{said}", if said.is_empty() { "" } else { ": " }),
    ))
}

fn failed(path: &Path, what: &str) -> KernelError {
    KernelError::Parse {
        path: path.to_path_buf(),
        what: what.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_that_fails_says_what_it_said() {
        let argv = |a: &[&str]| a.iter().map(|s| (*s).to_string()).collect::<Vec<_>>();
        assert!(run(&argv(&["true"]), TIMEOUT).is_ok());
        let e = run(
            &argv(&["sh", "-c", "echo no such container >&2; exit 3"]),
            TIMEOUT,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("no such container") && e.contains('3'), "{e}");
        let e = run(&argv(&["sleep", "5"]), Duration::from_millis(100))
            .unwrap_err()
            .to_string();
        assert!(e.contains("killed"), "{e}");
        assert!(run(&argv(&["/nonexistent/tool"]), TIMEOUT).is_err());
        assert!(run(&[], TIMEOUT).is_err());
    }

    #[test]
    fn tools_are_found_on_path() {
        assert!(find_on_path("sh").is_some());
        assert!(find_on_path("no-such-tool-boxtop").is_none());
    }
}
