//! The host name a UTS namespace gives its processes: what `hostname` prints inside a
//! container, which runtimes set to the container's name or id (LXC's `lxc.uts.name`, Docker's
//! and podman's `--hostname`, a Kubernetes pod's name). No file holds it: it is asked of the
//! kernel from inside the namespace, by a short-lived thread that joins it with setns(2) and
//! calls uname(2) (uts_namespaces(7)). A thread may join another UTS namespace on its own;
//! the rest of boxtop stays where it is, and the thread ends with its question.

use super::super::{KernelError, Roots};
use nix::sched::{CloneFlags, setns};

/// The nodename in the UTS namespace `pid` is in. Needs CAP_SYS_ADMIN (root), and a live
/// host: a fixture's `ns/uts` is not a namespace (its error says so, and the caller keeps
/// the short id).
pub fn read_uts_name(roots: &Roots, pid: i32) -> Result<String, KernelError> {
    let path = roots.pid_file(pid, "ns/uts");
    let file = std::fs::File::open(&path).map_err(|e| KernelError::from_io(&path, e))?;
    let asked = std::thread::Builder::new()
        .name("boxtop-uts".into())
        .spawn(move || -> Result<String, nix::Error> {
            setns(&file, CloneFlags::CLONE_NEWUTS)?;
            let name = nix::sys::utsname::uname()?;
            Ok(crate::text::display_safe(
                name.nodename().as_encoded_bytes(),
            ))
        })
        .map_err(|e| KernelError::from_io(&path, e))?;
    match asked.join() {
        Ok(Ok(name)) => Ok(name),
        Ok(Err(errno)) => Err(KernelError::from_io(&path, std::io::Error::from(errno))),
        Err(_) => Err(KernelError::Parse {
            path,
            what: "the thread asking the host name ended early".into(),
        }),
    }
}
