//! Kernel refusals as sentences: which namespace needs which capability, which sysctl turns
//! user namespaces off, what a bare errno means at each step.

use super::SpawnRequest;
use super::{SpawnError, flag_names};
use crate::kernel::Roots;
use crate::model::NsKind;
use nix::errno::Errno;

/// A number from /proc/sys (None if absent or unreadable).
fn sysctl(roots: &Roots, name: &str) -> Option<i64> {
    std::fs::read_to_string(roots.proc_file(&format!("sys/{name}")))
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// How many threads this process has (/proc/self/task).
pub(super) fn thread_count(roots: &Roots) -> Option<usize> {
    std::fs::read_dir(roots.self_file("task"))
        .ok()
        .map(|d| d.flatten().count())
}

/// Before unshare(2): settings that are known to make it fail, said plainly.
pub(super) fn preflight(roots: &Roots, req: &SpawnRequest) -> Result<(), SpawnError> {
    if req.has(NsKind::User) {
        if sysctl(roots, "user/max_user_namespaces") == Some(0) {
            return Err(SpawnError::Refused(
                "user namespaces are disabled on this host (sysctl user.max_user_namespaces = \
                 0); leave out user and --map-root-user and run as root, or ask an \
                 administrator to raise it"
                    .into(),
            ));
        }
        // Debian and Ubuntu kernels have this switch; 0 means root only.
        if sysctl(roots, "kernel/unprivileged_userns_clone") == Some(0)
            && !nix::unistd::geteuid().is_root()
        {
            return Err(SpawnError::Refused(
                "unprivileged user namespaces are disabled on this host (sysctl \
                 kernel.unprivileged_userns_clone = 0); run as root, or ask an administrator"
                    .into(),
            ));
        }
    }
    // The helper forks and then allocates in the child, which is only sound with one thread;
    // and the kernel creates a user namespace only for a single-threaded process.
    if let Some(n) = thread_count(roots).filter(|n| *n > 1) {
        return Err(SpawnError::Refused(format!(
            "this process has {n} threads; the helper must be single-threaded (unshare(2) \
             refuses a user namespace to a multithreaded process with EINVAL): \
             boxtop::kernel::spawn::launch starts one"
        )));
    }
    Ok(())
}

/// The namespaces of the request other than user, by name: `net and uts`.
fn others(req: &SpawnRequest) -> Vec<NsKind> {
    req.namespaces
        .iter()
        .copied()
        .filter(|k| *k != NsKind::User)
        .collect()
}

fn and_list(kinds: &[NsKind], f: impl Fn(NsKind) -> &'static str) -> String {
    let names: Vec<&str> = kinds.iter().map(|k| f(*k)).collect();
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// unshare(2) failed: why, and what to do about it.
pub(super) fn unshare_error(roots: &Roots, req: &SpawnRequest, errno: Errno) -> SpawnError {
    let flags = flag_names(req);
    let user = req.has(NsKind::User);
    let sentence = match errno {
        Errno::EPERM if !user => {
            let o = others(req);
            format!(
                "creating {} ({}) needs CAP_SYS_ADMIN, which boxtop does not have here; run \
                 it as root, or rootless: add user to --unshare with --map-root-user, so \
                 that the new namespaces belong to a new user namespace in which you are root",
                match o.as_slice() {
                    [one] => format!("a new {} namespace", one.file_name()),
                    _ => format!("new {} namespaces", and_list(&o, NsKind::file_name)),
                },
                and_list(&o, NsKind::clone_flag),
            )
        }
        Errno::EPERM => {
            if sysctl(roots, "kernel/unprivileged_userns_clone") == Some(0) {
                "unprivileged user namespaces are disabled on this host (sysctl \
                 kernel.unprivileged_userns_clone = 0); run as root, or ask an administrator"
                    .to_string()
            } else {
                format!(
                    "the kernel refused a new user namespace ({flags}: EPERM); a chroot, a \
                     seccomp filter or a security module can forbid it (see \
                     user_namespaces(7))"
                )
            }
        }
        Errno::ENOSPC | Errno::EUSERS => {
            let disabled = req.namespaces.iter().find(|k| {
                sysctl(roots, &format!("user/max_{}_namespaces", k.file_name())) == Some(0)
            });
            match disabled {
                Some(k) => format!(
                    "{0} namespaces are disabled on this host (sysctl user.max_{0}_namespaces = 0)",
                    k.file_name()
                ),
                None => format!(
                    "the limit on namespaces is reached ({flags}: {}); too many exist, or they \
                     are nested too deep (see the max_*_namespaces files in {})",
                    errno.desc(),
                    roots.proc_file("sys/user").display()
                ),
            }
        }
        Errno::EINVAL => {
            let missing: Vec<NsKind> = req
                .namespaces
                .iter()
                .copied()
                .filter(|k| !roots.self_file(&format!("ns/{}", k.file_name())).exists())
                .collect();
            if !missing.is_empty() {
                format!(
                    "this kernel does not support {} namespaces ({}: EINVAL)",
                    and_list(&missing, NsKind::file_name),
                    and_list(&missing, NsKind::clone_flag)
                )
            } else {
                format!(
                    "the kernel refused {flags} (EINVAL); a multithreaded process cannot \
                     create a user namespace (this one has {} threads)",
                    thread_count(roots).unwrap_or(0)
                )
            }
        }
        Errno::ENOMEM => format!("out of memory creating {flags}"),
        other => format!("unshare({flags}) failed: {}", other.desc()),
    };
    SpawnError::Refused(sentence)
}

/// Writing uid_map, gid_map or setgroups failed.
pub(super) fn id_map_error(roots: &Roots, path: &std::path::Path, errno: Errno) -> SpawnError {
    let why = match errno {
        Errno::EPERM | Errno::EACCES
            if sysctl(roots, "kernel/apparmor_restrict_unprivileged_userns") == Some(1) =>
        {
            "refused: AppArmor restricts unprivileged user namespaces here (sysctl \
             kernel.apparmor_restrict_unprivileged_userns = 1)"
                .to_string()
        }
        Errno::EPERM | Errno::EACCES => format!(
            "refused ({errno}): only one line mapping your own id can be written without \
             CAP_SETUID/CAP_SETGID in the parent user namespace (user_namespaces(7))"
        ),
        other => other.desc().to_string(),
    };
    SpawnError::Write {
        path: path.to_path_buf(),
        why,
    }
}

/// Joining a cgroup (writing our pid to its cgroup.procs) failed.
pub(super) fn join_error(path: &std::path::Path, errno: Option<i32>, text: String) -> SpawnError {
    let why = match errno {
        Some(libc::EBUSY) => "cannot join: it has child cgroups with controllers enabled, and \
                              cgroup v2 keeps processes out of such inner cgroups (the \
                              no-internal-process rule); choose a leaf cgroup"
            .to_string(),
        Some(libc::ENOSPC) => "cannot join: a v1 cpuset cgroup needs cpuset.cpus and \
                               cpuset.mems set before it takes a process"
            .to_string(),
        Some(libc::EACCES | libc::EPERM) => "cannot join: permission denied (joining a \
                                                   cgroup needs write access to cgroup.procs \
                                                   there and in the common ancestor)"
            .to_string(),
        _ => format!("cannot join: {text}"),
    };
    SpawnError::Write {
        path: path.to_path_buf(),
        why,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(kinds: &[NsKind]) -> SpawnRequest {
        SpawnRequest {
            namespaces: kinds.to_vec(),
            command: vec!["true".into()],
            ..Default::default()
        }
    }

    #[test]
    fn eperm_names_the_namespaces_and_the_way_out() {
        let e = unshare_error(
            &Roots::new("/nonexistent", "/nonexistent"),
            &req(&[NsKind::Net, NsKind::Uts]),
            Errno::EPERM,
        )
        .to_string();
        assert!(e.contains("new net and uts namespaces"), "{e}");
        assert!(e.contains("CLONE_NEWNET and CLONE_NEWUTS"), "{e}");
        assert!(
            e.contains("CAP_SYS_ADMIN") && e.contains("--map-root-user"),
            "{e}"
        );
    }

    #[test]
    fn disabled_user_namespaces_name_the_sysctl() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join("sys/user")).unwrap();
        std::fs::write(d.path().join("sys/user/max_user_namespaces"), "0\n").unwrap();
        let roots = Roots::new(d.path(), "/nonexistent");
        let r = req(&[NsKind::User, NsKind::Net]);
        let e = preflight(&roots, &r).unwrap_err().to_string();
        assert!(e.contains("user.max_user_namespaces = 0"), "{e}");
        let e = unshare_error(&roots, &r, Errno::ENOSPC).to_string();
        assert!(e.contains("sysctl user.max_user_namespaces = 0"), "{e}");
        std::fs::create_dir_all(d.path().join("sys/kernel")).unwrap();
        std::fs::write(d.path().join("sys/kernel/unprivileged_userns_clone"), "0\n").unwrap();
        let e = unshare_error(&roots, &r, Errno::EPERM).to_string();
        assert!(e.contains("kernel.unprivileged_userns_clone = 0"), "{e}");
    }

    #[test]
    fn einval_names_an_unsupported_namespace() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join("self/ns")).unwrap();
        std::fs::write(d.path().join("self/ns/pid"), "").unwrap();
        let roots = Roots::new(d.path(), "/nonexistent");
        let e =
            unshare_error(&roots, &req(&[NsKind::Pid, NsKind::Time]), Errno::EINVAL).to_string();
        assert!(
            e.contains("does not support time namespaces (CLONE_NEWTIME"),
            "{e}"
        );
    }
}
