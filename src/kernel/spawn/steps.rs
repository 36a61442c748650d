//! The steps of a run, as text: what `--dry-run` prints and what a confirmation shows, each
//! with the shell lines that do the same (docs/ARCHITECTURE.md, "Actions").

use super::SpawnRequest;
use super::{SpawnError, cgroup_targets, flag_names};
use crate::kernel::Roots;
use crate::model::NsKind;
use crate::text::shell_quote;

/// One step: what it does and why, and equivalent shell lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaunchStep {
    pub what: String,
    pub shell: Vec<String>,
}

fn step(what: impl Into<String>, shell: &[String]) -> LaunchStep {
    LaunchStep {
        what: what.into(),
        shell: shell.to_vec(),
    }
}

/// The steps the helper and its child take for `req`, in order. Reads which hierarchies
/// have the cgroup; changes nothing.
pub fn steps(roots: &Roots, req: &SpawnRequest) -> Result<Vec<LaunchStep>, SpawnError> {
    req.precondition().map_err(SpawnError::Invalid)?;
    let mut steps = Vec::new();
    if let Some(path) = req.cgroup_path() {
        let lines: Vec<String> = cgroup_targets(roots, &path)?
            .iter()
            .map(|d| {
                format!(
                    "echo $$ > {}",
                    shell_quote(&d.join("cgroup.procs").to_string_lossy())
                )
            })
            .collect();
        steps.push(step(
            format!(
                "join cgroup {path} in every hierarchy that has it (children inherit it{})",
                if req.has(NsKind::Cgroup) {
                    "; the new cgroup namespace is rooted there"
                } else {
                    ""
                }
            ),
            &lines,
        ));
    }
    steps.push(step(
        format!(
            "unshare({}): new {} namespaces{}",
            flag_names(req),
            req.names(),
            match (req.has(NsKind::Pid), req.has(NsKind::Time)) {
                (true, true) => " (pid and time apply to the children, not to the caller)",
                (true, false) => " (pid applies to the children, not to the caller)",
                (false, true) => " (time applies to the children, not to the caller)",
                (false, false) => "",
            }
        ),
        &[],
    ));
    if req.map_root_user {
        let (uid, gid) = (nix::unistd::getuid(), nix::unistd::getgid());
        steps.push(step(
            format!(
                "map root inside to uid {uid} and gid {gid} outside (setgroups denied first, \
                 as the kernel requires for an unprivileged gid map)"
            ),
            &[
                format!("echo deny > {}", roots.self_file("setgroups").display()),
                format!(
                    "echo '0 {uid} 1' > {}",
                    roots.self_file("uid_map").display()
                ),
                format!(
                    "echo '0 {gid} 1' > {}",
                    roots.self_file("gid_map").display()
                ),
            ],
        ));
    }
    steps.push(step(
        if req.has(NsKind::Pid) {
            "fork: the child is pid 1 of the new pid namespace; the helper waits for it and \
             forwards SIGINT, SIGTERM, SIGHUP and SIGQUIT"
        } else {
            "fork: the child becomes the command; the helper waits for it and forwards \
             SIGINT, SIGTERM, SIGHUP and SIGQUIT"
        },
        &[],
    ));
    if req.has(NsKind::Mnt) {
        steps.push(step(
            "make every mount private, so that mounts made inside never reach the host",
            &["mount --make-rprivate /".into()],
        ));
    }
    let proc_at = super::child::proc_target(roots, req);
    match (req.has(NsKind::Pid), req.has(NsKind::Mnt)) {
        (true, true) => steps.push(step(
            "mount a new proc, which shows only the new pid namespace's processes",
            &[format!(
                "mount -t proc -o nosuid,nodev,noexec proc {}",
                shell_quote(&proc_at.to_string_lossy())
            )],
        )),
        (true, false) => steps.push(step(
            format!(
                "no new proc (that needs mnt too): {} inside still shows the host's processes",
                roots.proc_root().display()
            ),
            &[],
        )),
        _ => {}
    }
    if let Some(h) = &req.hostname {
        steps.push(step(
            format!("set the host name of the new uts namespace to {h}"),
            &[format!("hostname {}", shell_quote(h))],
        ));
    }
    if let Some(r) = &req.root {
        let r = shell_quote(&r.to_string_lossy());
        steps.push(step(
            format!("change the root directory to {r}"),
            &[format!("chroot {r}"), "cd /".into()],
        ));
    }
    let command: Vec<String> = req.command.iter().map(|a| shell_quote(a)).collect();
    if req.init {
        steps.push(step(
            "boxtop's init (pid 1) forks the command (pid 2), forwards signals to it, reaps \
             orphans and exits with the command's status",
            &[],
        ));
    }
    steps.push(step(
        "execute the command (looked up in PATH); the helper exits with its status",
        &[format!("exec {}", command.join(" "))],
    ));
    steps.push(step(
        "the same with util-linux unshare(1), except the cgroup, the host name and the init",
        &[util_linux(req, &command)],
    ));
    Ok(steps)
}

/// `unshare --fork --kill-child --pid ... -- CMD`.
fn util_linux(req: &SpawnRequest, command: &[String]) -> String {
    let mut words = vec![
        "unshare".to_string(),
        "--fork".into(),
        "--kill-child".into(),
    ];
    words.extend(
        req.namespaces
            .iter()
            .map(|k| format!("--{}", k.util_linux_option())),
    );
    if req.map_root_user {
        words.push("--map-root-user".into());
    }
    if req.has(NsKind::Pid) && req.has(NsKind::Mnt) {
        // (unshare(1) mounts it after --root's chroot, inside the new root, as boxtop does.)
        words.push("--mount-proc".into());
    }
    if let Some(r) = &req.root {
        words.push(format!("--root={}", shell_quote(&r.to_string_lossy())));
    }
    words.push("--".into());
    words.extend(command.iter().cloned());
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_for_a_small_container() {
        let req = SpawnRequest {
            namespaces: vec![NsKind::Pid, NsKind::Uts, NsKind::Mnt],
            hostname: Some("demo".into()),
            command: vec!["sh".into(), "-c".into(), "echo $$".into()],
            ..Default::default()
        };
        let steps = steps(&Roots::live(), &req).unwrap();
        let text: Vec<String> = steps
            .iter()
            .flat_map(|s| std::iter::once(s.what.clone()).chain(s.shell.clone()))
            .collect();
        let text = text.join("\n");
        assert!(
            text.contains("unshare(CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWNS)"),
            "{text}"
        );
        assert!(
            text.contains(
                "unshare --fork --kill-child --pid --uts --mount --mount-proc -- sh -c 'echo $$'"
            ),
            "{text}"
        );
        assert!(text.contains("mount --make-rprivate /"), "{text}");
        assert!(text.contains("mount -t proc"), "{text}");
        assert!(text.contains("hostname demo"), "{text}");
        assert!(text.contains("exec sh -c 'echo $$'"), "{text}");
        assert!(!text.contains("cgroup.procs"));
    }
}
