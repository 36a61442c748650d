//! What the launcher starts, and in which new namespaces: plain data.
//!
//! The kernel layer owns the request because the launcher and its helper speak it (the
//! helper's arguments are made here); building one from a command line or a form, and saying
//! what is wrong with it, is the actions layer's job (`actions::unshare`). The launcher
//! expects a request that was validated there.

use crate::kernel::Roots;
use crate::kernel::roots::DEFAULT_PROC;
use crate::model::NsKind;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// What to start, and in which new namespaces.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SpawnRequest {
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

impl SpawnRequest {
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

    /// What the launcher cannot start without: a program, and arguments exec(2) can carry.
    /// Everything else about a request (namespace combinations, the host name, the root) is
    /// checked by `actions::unshare` before the request is handed over.
    pub fn precondition(&self) -> Result<(), String> {
        match self.command.first() {
            None => Err("no command to run".into()),
            Some(c) if c.is_empty() => Err("the command name is empty".into()),
            Some(_) if self.command.iter().any(|a| a.contains('\0')) => {
                Err("the command contains a NUL byte, which no argument can hold".into())
            }
            Some(_) => Ok(()),
        }
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
}

/// What a `--root` directory holds that the launcher needs: that it is a directory, and the
/// directory a new proc is mounted on inside it (where procfs is on this system; the launcher
/// runs on the live roots only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RootProbe {
    pub is_dir: bool,
    pub proc_dir: PathBuf,
    pub has_proc_dir: bool,
}

pub fn probe_root(root: &Path) -> RootProbe {
    let proc_dir = root.join(DEFAULT_PROC.trim_start_matches('/'));
    RootProbe {
        is_dir: root.is_dir(),
        has_proc_dir: proc_dir.is_dir(),
        proc_dir,
    }
}
