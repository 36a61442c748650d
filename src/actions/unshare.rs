//! `run` and the dashboard's `n`: a command to start in new namespaces, checked before the
//! launcher gets it.
//!
//! The request itself ([`SpawnRequest`]) is the kernel layer's (the launcher and its helper
//! speak it); this file builds its namespace list from what a person typed, says every
//! problem with it as a sentence, and plans it for confirmation. The kernel work (unshare,
//! fork, mounts, exec) is in [`crate::kernel::spawn`]. See namespaces(7) and unshare(2).

use crate::kernel::Roots;
use crate::kernel::spawn::{self, SpawnRequest};
use crate::model::NsKind;
use color_eyre::eyre::{Result, eyre};

mod namespaces;
use namespaces::valid_names;
pub use namespaces::{parse_namespaces, to_create};

/// HOST_NAME_MAX: sethostname(2) refuses longer names with EINVAL.
pub const HOSTNAME_MAX: usize = 64;

/// The namespaces of `--unshare LIST` (with `user` added for `--map-root-user`).
pub fn namespaces_from_list(
    list: Option<&str>,
    map_root_user: bool,
) -> Result<Vec<NsKind>, String> {
    let Some(list) = list else {
        return Err(format!(
            "say which namespaces to create with --unshare, e.g. --unshare pid,mnt,uts; \
             the valid names are {}",
            valid_names()
        ));
    };
    Ok(to_create(&parse_namespaces(list)?, map_root_user))
}

/// Every problem with the request, as sentences (empty when it can be started).
pub fn problems(req: &SpawnRequest) -> Vec<String> {
    let mut p = input_problems(req);
    if let Some(root) = &req.root {
        p.extend(root_problem(
            root,
            req.has(NsKind::Pid) && req.has(NsKind::Mnt),
        ));
    }
    p
}

/// The problems of the request itself, without looking at the filesystem (`--root` is
/// checked by [`problems`]): what the dashboard's form can check on the UI
/// thread; the rest is checked when the poller plans it.
pub fn input_problems(req: &SpawnRequest) -> Vec<String> {
    let mut p = Vec::new();
    if req.namespaces.is_empty() {
        p.push(format!(
            "no namespace to create; the valid names are {}",
            valid_names()
        ));
    }
    for k in req.namespaces.iter().filter(|k| k.is_for_children()) {
        p.push(format!(
            "{} is not a namespace to create (it names where children go); use {}",
            k.file_name(),
            if *k == NsKind::PidForChildren {
                "pid"
            } else {
                "time"
            }
        ));
    }
    match req.command.first() {
        None => p.push(
            "no command to run: give it after --, e.g. boxtop run --unshare pid,mnt -- sh".into(),
        ),
        Some(c) if c.is_empty() => p.push("the command name is empty".into()),
        Some(_) => {}
    }
    if req.command.iter().any(|a| a.contains('\0')) {
        p.push("the command contains a NUL byte, which no argument can hold".into());
    }
    if let Some(h) = &req.hostname {
        p.extend(hostname_problem(h));
        if !req.has(NsKind::Uts) {
            p.push(
                "--hostname needs a new uts namespace (add uts to --unshare), or it would \
                 rename the host"
                    .into(),
            );
        }
    }
    if req.map_root_user && !req.has(NsKind::User) {
        p.push("--map-root-user writes the maps of a new user namespace: add user".into());
    }
    if req.init && !req.has(NsKind::Pid) {
        p.push("--init starts a pid 1 for a new pid namespace: add pid".into());
    }
    if let Some(c) = &req.cgroup {
        p.extend(cgroup_problem(c));
    }
    p
}

/// Ok, or every problem in one message.
pub fn validate(req: &SpawnRequest) -> Result<(), String> {
    let p = problems(req);
    if p.is_empty() {
        Ok(())
    } else {
        Err(p.join("; "))
    }
}

fn hostname_problem(h: &str) -> Option<String> {
    if h.is_empty() {
        Some("the host name is empty".into())
    } else if h.len() > HOSTNAME_MAX {
        Some(format!(
            "the host name is {} bytes long; the kernel allows at most {HOSTNAME_MAX}",
            h.len()
        ))
    } else if h.contains('\0') || h.contains('/') {
        Some("a host name cannot contain a NUL byte or a slash".into())
    } else if h.chars().any(char::is_control) {
        Some("a host name cannot contain control characters".into())
    } else {
        None
    }
}

fn root_problem(root: &std::path::Path, mounts_proc: bool) -> Option<String> {
    if root.as_os_str().as_encoded_bytes().contains(&0) {
        return Some("the --root path contains a NUL byte".into());
    }
    let found = spawn::probe_root(root);
    if !found.is_dir {
        return Some(format!(
            "--root {}: not a directory (it must hold the files the command needs)",
            root.display()
        ));
    }
    (mounts_proc && !found.has_proc_dir).then(|| {
        format!(
            "{}: no such directory; with pid and mnt a new proc is mounted there (create it, \
             or leave out pid or mnt)",
            found.proc_dir.display()
        )
    })
}

fn cgroup_problem(c: &str) -> Option<String> {
    Roots::cgroup_path(c)
        .err()
        .map(|e| format!("--cgroup: {e}"))
}

/// The dashboard's `n`: the steps the helper will take, as a plan to confirm (the writes to
/// cgroup.procs and uid_map among them).
pub fn plan_unshare(roots: &Roots, req: &SpawnRequest) -> Result<crate::actions::plan::Plan> {
    use crate::actions::plan::{ActionKind, Plan, Step};
    validate(req).map_err(|e| eyre!(e))?;
    let steps = spawn::steps(roots, req).map_err(|e| eyre!("{e}"))?;
    let mut lines = Vec::new();
    for (n, s) in steps.iter().enumerate() {
        lines.push(format!("{}. {}", n + 1, s.what));
        lines.extend(s.shell.iter().map(|l| format!("     {l}")));
    }
    let mut plan = Plan::new(
        ActionKind::Unshare,
        format!(
            "{} in new {} namespaces",
            req.command.join(" "),
            req.names()
        ),
    );
    plan.steps.push(Step::Launch {
        req: req.clone(),
        lines,
    });
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_requests_say_why() {
        let ok = SpawnRequest {
            namespaces: vec![NsKind::Pid, NsKind::Uts],
            command: vec!["sh".into()],
            ..Default::default()
        };
        assert_eq!(validate(&ok), Ok(()));
        let with = |f: &dyn Fn(&mut SpawnRequest)| {
            let mut r = ok.clone();
            f(&mut r);
            validate(&r).unwrap_err()
        };
        assert!(with(&|r| r.command.clear()).contains("no command"));
        assert!(with(&|r| r.command = vec!["".into()]).contains("empty"));
        assert!(with(&|r| r.command.push("a\0b".into())).contains("NUL"));
        assert!(with(&|r| r.namespaces.clear()).contains("no namespace"));
        assert!(with(&|r| r.hostname = Some("x".repeat(65))).contains("65 bytes"));
        assert_eq!(
            {
                let mut r = ok.clone();
                r.hostname = Some("x".repeat(64));
                validate(&r)
            },
            Ok(())
        );
        assert!(with(&|r| r.hostname = Some("a/b".into())).contains("slash"));
        assert!(with(&|r| r.hostname = Some("a\0b".into())).contains("NUL"));
        assert!(with(&|r| r.hostname = Some("a\nb".into())).contains("control"));
        assert!(with(&|r| r.hostname = Some(String::new())).contains("empty"));
        let e = with(&|r| {
            r.namespaces = vec![NsKind::Pid];
            r.hostname = Some("h".into());
        });
        assert!(e.contains("--hostname needs a new uts namespace"), "{e}");
        assert!(with(&|r| r.map_root_user = true).contains("add user"));
        assert!(
            with(&|r| {
                r.namespaces = vec![NsKind::Net];
                r.init = true;
            })
            .contains("add pid")
        );
        assert!(with(&|r| r.namespaces.push(NsKind::PidForChildren)).contains("use pid"));
        assert!(with(&|r| r.cgroup = Some("/a/../b".into())).contains(".."));
        assert!(with(&|r| r.root = Some("/no/such/dir/boxtop".into())).contains("not a directory"));
        // Two problems, both said.
        let e = with(&|r| {
            r.command.clear();
            r.hostname = Some("a/b".into());
        });
        assert!(e.contains("no command") && e.contains("slash"), "{e}");
    }

    #[test]
    fn root_needs_proc_when_proc_is_mounted() {
        let d = tempfile::tempdir().unwrap();
        let mut r = SpawnRequest {
            namespaces: vec![NsKind::Pid, NsKind::Mnt],
            root: Some(d.path().to_path_buf()),
            command: vec!["sh".into()],
            ..Default::default()
        };
        assert!(
            validate(&r)
                .unwrap_err()
                .contains("/proc: no such directory")
        );
        std::fs::create_dir(d.path().join("proc")).unwrap();
        assert_eq!(validate(&r), Ok(()));
        r.namespaces = vec![NsKind::Pid];
        std::fs::remove_dir(d.path().join("proc")).unwrap();
        assert_eq!(validate(&r), Ok(()), "no mnt: no proc is mounted");
    }
}
