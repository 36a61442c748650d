//! The last naming tier before the short id, on the real kernel: a container that no runtime's
//! file names is called by the host name of its own UTS namespace. The test makes the
//! container itself: a `docker-ID.scope` cgroup (Docker's systemd-driver layout) under the
//! test's own v2 cgroup, with no Docker state files, and one process in a new UTS namespace
//! that set its host name; cross-checked with `nsenter -u hostname`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

#[path = "support/live.rs"]
mod live;
#[path = "support/own_cgroups.rs"]
mod own_cgroups;

use boxtop::model::{NameSource, Runtime};
use own_cgroups::{Guard, Made};
use std::process::{Command, Stdio};

#[test]
fn a_container_no_file_names_is_called_by_its_own_host_name() {
    if !live::need_root("UTS host names")
        || !live::have_tool("unshare")
        || !live::have_tool("nsenter")
    {
        return;
    }
    let snap = live::snapshot();
    let Some(v2) = snap.cgroups.hierarchies.iter().find(|h| h.version == 2) else {
        eprintln!("SKIP: no cgroup v2 hierarchy");
        return;
    };
    let mut guard = Guard::default();
    let Some(i) = own_cgroups::make(v2, &mut guard) else {
        eprintln!("SKIP: cannot make a cgroup under the test's own v2 cgroup");
        return;
    };
    let id = format!("b0c5{:060x}", u128::from(std::process::id()) << 32 | 0x5eed);
    let scope = format!("docker-{id}.scope");
    let dir = guard.groups[i].dir.join(&scope);
    let rel = format!("{}/{scope}", guard.groups[i].rel);
    std::fs::create_dir(&dir).expect("the container's cgroup");
    guard.groups.push(Made {
        dir: dir.clone(),
        rel,
    });
    let host_name = format!("bx-uts-{}", std::process::id());
    // In its own session (boxtop's own is protected), a new UTS namespace: set the name, join
    // the container's cgroup, become the container's one process.
    let script = format!(
        "hostname {host_name} && echo $$ > {}/cgroup.procs && exec sleep 300",
        dir.display()
    );
    let child = Command::new("setsid")
        .args(["unshare", "--uts", "sh", "-c", &script])
        .stdin(Stdio::null())
        .spawn()
        .expect("unshare");
    let pid = i32::try_from(child.id()).unwrap();
    guard.children.push(child);
    let found = live::wait_for(|| {
        let snap = live::snapshot();
        snap.containers
            .iter()
            .find(|c| c.runtime == Runtime::Docker && c.id == id && c.pids == [pid])
            .filter(|c| c.name_source != NameSource::ShortId)
            .cloned()
    })
    .expect("the container, named, with its one process");
    let nsenter = Command::new("nsenter")
        .args(["-t", &pid.to_string(), "-u", "hostname"])
        .output()
        .expect("nsenter");
    let theirs = String::from_utf8_lossy(&nsenter.stdout).trim().to_string();
    assert_eq!(theirs, host_name, "nsenter says");
    assert_eq!(found.name, host_name);
    assert_eq!(found.name_source, NameSource::UtsHostname);
    // The host's own name is never a container's.
    let own = nix::unistd::gethostname().unwrap();
    assert_ne!(found.name, own.to_string_lossy());
}
