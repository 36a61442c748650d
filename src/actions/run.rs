//! `boxtop run`: start a command in new namespaces, the way container runtimes do it.
//!
//! This file parses and validates the request ([`RunRequest`], usable by the dashboard as
//! it is) and runs the command-line forms; the kernel work (unshare, fork, mounts, exec) is
//! in [`crate::kernel::spawn`]. See namespaces(7) and unshare(2).

use crate::cli::{RunArgs, SpawnHelperArgs};
use crate::kernel::Roots;
use crate::kernel::spawn;
use crate::model::NsKind;
use color_eyre::eyre::{Result, eyre};
use std::ffi::OsString;
use std::path::PathBuf;

mod namespaces;
use namespaces::valid_names;
pub use namespaces::{UNSHARE_KINDS, parse_namespaces, to_create};

/// HOST_NAME_MAX: sethostname(2) refuses longer names with EINVAL.
pub const HOSTNAME_MAX: usize = 64;

/// What to start, and in which new namespaces. Plain data: the command line and the
/// dashboard both build one, and [`RunRequest::validate`] says what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RunRequest {
    /// The namespaces to create (the `*_for_children` kinds are not namespaces to create).
    pub namespaces: Vec<NsKind>,
    /// sethostname(2) inside the new uts namespace.
    pub hostname: Option<String>,
    /// chroot(2) here before the command starts.
    pub root: Option<PathBuf>,
    /// A cgroup path inside its hierarchies (`/a/b`) to join before anything else.
    pub cgroup: Option<String>,
    /// Write `0 <uid> 1` and `0 <gid> 1` as the new user namespace's maps (needs `User`).
    pub map_root_user: bool,
    /// A small init (boxtop) is pid 1 and the command pid 2 (needs `Pid`).
    pub init: bool,
    /// The program and its arguments; the program is looked up in PATH (execvp(3)).
    pub command: Vec<String>,
}

impl RunRequest {
    /// The request of `boxtop run` (and of the helper): `--unshare` parsed,
    /// `--map-root-user` adding `user`. Not validated yet.
    pub fn from_args(args: &RunArgs) -> Result<RunRequest, String> {
        let Some(list) = args.unshare.as_deref() else {
            return Err(format!(
                "say which namespaces to create with --unshare, e.g. --unshare pid,mnt,uts; \
                 the valid names are {}",
                valid_names()
            ));
        };
        let namespaces = to_create(&parse_namespaces(list)?, args.map_root_user);
        Ok(RunRequest {
            namespaces,
            hostname: args.hostname.clone(),
            root: args.root.clone(),
            cgroup: args.cgroup.clone(),
            map_root_user: args.map_root_user,
            init: args.init,
            command: args.command.clone(),
        })
    }

    /// The same request as helper arguments (everything after `spawn-helper`).
    pub fn to_args(&self) -> Vec<OsString> {
        let names: Vec<&str> = self.namespaces.iter().map(|k| k.file_name()).collect();
        let mut a: Vec<OsString> = vec![format!("--unshare={}", names.join(",")).into()];
        if let Some(h) = &self.hostname {
            a.push(format!("--hostname={h}").into());
        }
        if let Some(r) = &self.root {
            let mut s = OsString::from("--root=");
            s.push(r.as_os_str());
            a.push(s);
        }
        if let Some(c) = &self.cgroup {
            a.push(format!("--cgroup={c}").into());
        }
        if self.map_root_user {
            a.push("--map-root-user".into());
        }
        if self.init {
            a.push("--init".into());
        }
        a.push("--".into());
        a.extend(self.command.iter().map(OsString::from));
        a
    }

    pub fn has(&self, kind: NsKind) -> bool {
        self.namespaces.contains(&kind)
    }

    /// `pid net uts`: the new namespaces, by name.
    pub fn names(&self) -> String {
        let names: Vec<&str> = self.namespaces.iter().map(|k| k.file_name()).collect();
        names.join(" ")
    }

    /// The cgroup path in canonical form (`/a/b`), if one was given.
    pub fn cgroup_path(&self) -> Option<String> {
        self.cgroup
            .as_deref()
            .and_then(|c| Roots::cgroup_path(c).ok())
    }

    /// Every problem with the request, as sentences (empty when it can be started).
    pub fn problems(&self) -> Vec<String> {
        let mut p = self.input_problems();
        if let Some(root) = &self.root {
            p.extend(root_problem(
                root,
                self.has(NsKind::Pid) && self.has(NsKind::Mnt),
            ));
        }
        p
    }

    /// The problems of the request itself, without looking at the filesystem (`--root` is
    /// checked by [`RunRequest::problems`]): what the dashboard's form can check on the UI
    /// thread; the rest is checked when the poller plans it.
    pub fn input_problems(&self) -> Vec<String> {
        let mut p = Vec::new();
        if self.namespaces.is_empty() {
            p.push(format!(
                "no namespace to create; the valid names are {}",
                valid_names()
            ));
        }
        for k in self.namespaces.iter().filter(|k| k.is_for_children()) {
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
        match self.command.first() {
            None => p.push(
                "no command to run: give it after --, e.g. boxtop run --unshare pid,mnt -- sh"
                    .into(),
            ),
            Some(c) if c.is_empty() => p.push("the command name is empty".into()),
            Some(_) => {}
        }
        if self.command.iter().any(|a| a.contains('\0')) {
            p.push("the command contains a NUL byte, which no argument can hold".into());
        }
        if let Some(h) = &self.hostname {
            p.extend(hostname_problem(h));
            if !self.has(NsKind::Uts) {
                p.push(
                    "--hostname needs a new uts namespace (add uts to --unshare), or it would \
                     rename the host"
                        .into(),
                );
            }
        }
        if self.map_root_user && !self.has(NsKind::User) {
            p.push("--map-root-user writes the maps of a new user namespace: add user".into());
        }
        if self.init && !self.has(NsKind::Pid) {
            p.push("--init starts a pid 1 for a new pid namespace: add pid".into());
        }
        if let Some(c) = &self.cgroup {
            p.extend(cgroup_problem(c));
        }
        p
    }

    /// Ok, or every problem in one message.
    pub fn validate(&self) -> Result<(), String> {
        let p = self.problems();
        if p.is_empty() {
            Ok(())
        } else {
            Err(p.join("; "))
        }
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
    if !root.is_dir() {
        return Some(format!(
            "--root {}: not a directory (it must hold the files the command needs)",
            root.display()
        ));
    }
    // The new proc is mounted where procfs is on this system, inside the new root.
    let proc_dir = root.join(crate::kernel::roots::DEFAULT_PROC.trim_start_matches('/'));
    (mounts_proc && !proc_dir.is_dir()).then(|| {
        format!(
            "{}: no such directory; with pid and mnt a new proc is mounted there (create it, \
             or leave out pid or mnt)",
            proc_dir.display()
        )
    })
}

fn cgroup_problem(c: &str) -> Option<String> {
    Roots::cgroup_path(c)
        .err()
        .map(|e| format!("--cgroup: {e}"))
}

/// `boxtop run`: validates, then prints the steps (`--dry-run`) or runs the helper in this
/// very process, in the foreground (this process is single-threaded here), and returns the
/// command's exit status.
pub fn run_run(roots: &Roots, args: &RunArgs) -> Result<u8> {
    let req = RunRequest::from_args(args).map_err(|e| eyre!(e))?;
    req.validate().map_err(|e| eyre!(e))?;
    if args.dry_run {
        let steps = spawn::plan(roots, &req)?;
        println!("boxtop run would, in order (nothing is done with --dry-run):");
        for (i, step) in steps.iter().enumerate() {
            println!("{:>3}. {}", i + 1, step.what);
            for line in &step.shell {
                println!("       {line}");
            }
        }
        return Ok(0);
    }
    Ok(spawn::helper::run_helper(roots, &req, None, false))
}

/// The hidden `spawn-helper` command that [`spawn::launch`] re-executes.
pub fn run_helper(roots: &Roots, args: &SpawnHelperArgs) -> u8 {
    spawn::helper::name_self();
    let report = args.report_fd.and_then(spawn::helper::take_report_fd);
    match RunRequest::from_args(&args.run) {
        Ok(req) => spawn::helper::run_helper(roots, &req, report, args.quiet),
        Err(e) => spawn::helper::refuse(report, args.quiet, &e),
    }
}

/// The dashboard's `n`: the steps the helper will take, as a plan to confirm (the writes to
/// cgroup.procs and uid_map among them).
pub fn plan_unshare(roots: &Roots, req: &RunRequest) -> Result<crate::actions::plan::Plan> {
    use crate::actions::plan::{ActionKind, Plan, Step};
    let steps = spawn::plan(roots, req).map_err(|e| eyre!("{e}"))?;
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

    fn args(unshare: &str, command: &[&str]) -> RunArgs {
        RunArgs {
            unshare: Some(unshare.into()),
            hostname: None,
            root: None,
            cgroup: None,
            map_root_user: false,
            init: false,
            dry_run: false,
            command: command.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn map_root_user_implies_user_in_order() {
        let mut a = args("net,pid", &["true"]);
        a.map_root_user = true;
        let r = RunRequest::from_args(&a).unwrap();
        assert_eq!(r.namespaces, vec![NsKind::Pid, NsKind::Net, NsKind::User]);
        assert_eq!(r.validate(), Ok(()));
        assert_eq!(r.names(), "pid net user");
    }

    #[test]
    fn missing_unshare_is_a_sentence() {
        let mut a = args("", &["true"]);
        a.unshare = None;
        assert!(
            RunRequest::from_args(&a)
                .unwrap_err()
                .contains("--unshare pid,mnt,uts")
        );
    }

    #[test]
    fn bad_requests_say_why() {
        let ok = RunRequest {
            namespaces: vec![NsKind::Pid, NsKind::Uts],
            command: vec!["sh".into()],
            ..Default::default()
        };
        assert_eq!(ok.validate(), Ok(()));
        let with = |f: &dyn Fn(&mut RunRequest)| {
            let mut r = ok.clone();
            f(&mut r);
            r.validate().unwrap_err()
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
                r.validate()
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
        let mut r = RunRequest {
            namespaces: vec![NsKind::Pid, NsKind::Mnt],
            root: Some(d.path().to_path_buf()),
            command: vec!["sh".into()],
            ..Default::default()
        };
        assert!(
            r.validate()
                .unwrap_err()
                .contains("/proc: no such directory")
        );
        std::fs::create_dir(d.path().join("proc")).unwrap();
        assert_eq!(r.validate(), Ok(()));
        r.namespaces = vec![NsKind::Pid];
        std::fs::remove_dir(d.path().join("proc")).unwrap();
        assert_eq!(r.validate(), Ok(()), "no mnt: no proc is mounted");
    }

    #[test]
    fn helper_arguments_round_trip() {
        use clap::Parser;
        let req = RunRequest {
            namespaces: vec![NsKind::Pid, NsKind::Uts, NsKind::User],
            hostname: Some("-odd name".into()),
            root: Some("/tmp".into()),
            cgroup: Some("/a b".into()),
            map_root_user: true,
            init: true,
            command: vec!["sh".into(), "-c".into(), "--hostname x".into()],
        };
        let mut argv: Vec<OsString> = vec!["boxtop".into(), "spawn-helper".into()];
        argv.extend(req.to_args());
        let cli = crate::cli::Cli::try_parse_from(argv).unwrap();
        let Some(crate::cli::Command::SpawnHelper(h)) = cli.command else {
            panic!("not the helper");
        };
        assert_eq!(RunRequest::from_args(&h.run).unwrap(), req);
    }
}
