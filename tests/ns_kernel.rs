//! Real kernel: a `sleep` in new pid/net/uts namespaces, as boxtop sees it, cross-checked
//! against lsns(8).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a test crate: helpers fail a test by panicking, like #[test] fns"
)]

#[path = "support/live.rs"]
mod live;

use boxtop::model::{NsKind, Snapshot};
use live::{Owned, have_tool, need_root, own_ns, snapshot, wait_for};
use std::process::Command;

/// Starts `unshare --fork --pid --net --uts sleep 300` and finds the forked sleep.
fn unshared_sleep() -> Option<(Owned, i32)> {
    if !need_root("unshare test") || !have_tool("unshare") {
        return None;
    }
    let mut owned = Owned::spawn(Command::new("unshare").args([
        "--fork",
        "--kill-child",
        "--pid",
        "--net",
        "--uts",
        "sleep",
        "300",
    ]));
    let parent = owned.pid();
    let sleep = wait_for(|| {
        let snap = snapshot();
        let p = snap
            .processes
            .iter()
            .find(|p| p.ppid == parent && &*p.comm == "sleep")?;
        // until NSpid shows two levels, the child has not finished entering the namespace
        (p.nspid.len() == 2).then_some(p.pid)
    })
    .expect("the unshared sleep appears");
    owned.extra.push(sleep);
    Some((owned, sleep))
}

fn entry(snap: &Snapshot, kind: NsKind, inode: u64) -> &boxtop::model::NamespaceEntry {
    snap.namespaces
        .iter()
        .find(|e| e.kind == kind && e.inode == inode)
        .expect("namespace in the table")
}

#[test]
fn unshared_sleep_has_new_pid_net_uts_and_host_rest() {
    let Some((owned, sleep)) = unshared_sleep() else {
        return;
    };
    let snap = snapshot();
    let row = snap.process(sleep).expect("sleep row");
    assert_eq!(
        row.nspid.len(),
        2,
        "NSpid has the outer pid and the inner one"
    );
    assert_eq!(row.nspid[0], sleep);
    assert_eq!(
        row.nspid[1], 1,
        "first process of a new pid namespace is its pid 1"
    );
    for kind in [NsKind::Pid, NsKind::Net, NsKind::Uts] {
        let inode = row.namespaces.get(kind).expect("readable");
        assert_ne!(inode, own_ns(kind.file_name()), "{kind:?} is new");
        assert!(!entry(&snap, kind, inode).host, "{kind:?} not marked host");
    }
    for kind in [NsKind::Mnt, NsKind::Ipc, NsKind::User, NsKind::Cgroup] {
        let inode = row.namespaces.get(kind).expect("readable");
        assert_eq!(inode, own_ns(kind.file_name()), "{kind:?} is the host's");
        assert!(entry(&snap, kind, inode).host, "{kind:?} marked host");
    }
    // unshare(1) itself entered the new net and uts namespaces (unshare(2) moves the
    // caller) but not the pid one (only its children go there): 2, 2 and 1 members.
    let unshare = owned.pid();
    let net = entry(
        &snap,
        NsKind::Net,
        row.namespaces.get(NsKind::Net).unwrap_or(0),
    );
    assert_eq!((net.nprocs, net.pids.clone()), (2, vec![unshare, sleep]));
    assert_eq!(net.lowest_pid, unshare);
    let pid_ns = entry(
        &snap,
        NsKind::Pid,
        row.namespaces.get(NsKind::Pid).unwrap_or(0),
    );
    assert_eq!(pid_ns.pids, vec![sleep]);
    let parent = snap.process(unshare).expect("unshare row");
    assert_eq!(parent.namespaces.get(NsKind::Pid), Some(own_ns("pid")));
    assert_eq!(
        parent.namespaces.get(NsKind::PidForChildren),
        row.namespaces.get(NsKind::Pid)
    );
}

#[derive(serde::Deserialize)]
struct Lsns {
    namespaces: Vec<LsnsRow>,
}
#[derive(serde::Deserialize)]
struct LsnsRow {
    ns: u64,
    #[serde(rename = "type")]
    kind: String,
    nprocs: usize,
    pid: i32,
}

/// `lsns -J`, tried up to five times: util-linux 2.38's lsns gives up (exit 1) when a process
/// it is reading exits under it with an error other than ENOENT or EACCES (ESRCH from a dying
/// task's files), which other tests starting and stopping containers beside this one cause.
/// Each failure's stderr is kept so that a real failure still says what lsns said.
fn lsns_json() -> std::process::Output {
    let mut said = Vec::new();
    for _ in 0..5 {
        let out = Command::new("lsns")
            .args(["-J", "-o", "NS,TYPE,NPROCS,PID"])
            .output()
            .expect("lsns");
        if out.status.success() {
            return out;
        }
        said.push(String::from_utf8_lossy(&out.stderr).into_owned());
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("lsns failed five times: {said:?}");
}

/// lsns and boxtop agree on the namespaces the test created (member counts and lowest pid),
/// and every namespace lsns lists that both saw is in boxtop's table.
#[test]
fn namespace_table_agrees_with_lsns() {
    let Some((owned, sleep)) = unshared_sleep() else {
        return;
    };
    if !have_tool("lsns") {
        return;
    }
    let before = snapshot();
    let out = lsns_json();
    let after = snapshot();
    let lsns: Lsns = serde_json::from_slice(&out.stdout).expect("lsns JSON");
    let row = after.process(sleep).expect("sleep row");
    for kind in [NsKind::Pid, NsKind::Net, NsKind::Uts] {
        let inode = row.namespaces.get(kind).unwrap_or(0);
        let theirs = lsns
            .namespaces
            .iter()
            .find(|l| l.ns == inode)
            .unwrap_or_else(|| panic!("lsns lists {kind:?} {inode}"));
        assert_eq!(theirs.kind, kind.file_name());
        let ours = entry(&after, kind, inode);
        assert_eq!(ours.nprocs, theirs.nprocs, "{kind:?} member count");
        assert_eq!(ours.lowest_pid, theirs.pid, "{kind:?} lowest pid");
    }
    let _ = owned.pid();
    // Namespaces present in both of our snapshots (so not a transient process's) must be
    // known to lsns, and the other way round.
    for l in &lsns.namespaces {
        let in_before = before.namespaces.iter().any(|e| e.inode == l.ns);
        let in_after = after.namespaces.iter().any(|e| e.inode == l.ns);
        assert!(in_before || in_after, "boxtop misses {} {}", l.kind, l.ns);
    }
    // Only namespaces that did not change between our two reads: other tests start and kill
    // containers meanwhile, and a namespace whose members are exiting (or joining) while lsns
    // reads may be missed by it without either tool being wrong.
    for e in &before.namespaces {
        if after.namespaces.iter().any(|a| {
            a.inode == e.inode
                && a.kind == e.kind
                && a.nprocs == e.nprocs
                && a.lowest_pid == e.lowest_pid
        }) {
            assert!(
                lsns.namespaces.iter().any(|l| l.ns == e.inode),
                "lsns misses {:?} {}",
                e.kind,
                e.inode
            );
        }
    }
}

/// The unshared tree is one sandbox: no runtime's cgroup, namespaces of its own. unshare(2)
/// moved `unshare` itself into the new net and uts namespaces, and its forked sleep also into
/// the pid namespace unshare made for its children: both are members, `unshare` (the root of
/// the tree) names it, and its id names the namespaces unshare is in.
#[test]
fn an_unshared_tree_is_a_sandbox() {
    let Some((owned, sleep)) = unshared_sleep() else {
        return;
    };
    let unshare = owned.pid();
    let snap = snapshot();
    let sandbox = snap
        .containers
        .iter()
        .find(|c| c.pids.contains(&sleep))
        .unwrap_or_else(|| panic!("no container holds {sleep}: {:#?}", snap.containers));
    assert_eq!(sandbox.runtime, boxtop::model::Runtime::Sandbox);
    assert_eq!(sandbox.pids, vec![unshare, sleep]);
    assert_eq!(
        (sandbox.main_pid, sandbox.name.as_str()),
        (unshare, "unshare")
    );
    let root = snap.process(unshare).expect("unshare's row");
    let inode = |k: NsKind| root.namespaces.get(k).expect("a readable link");
    assert_eq!(
        sandbox.id,
        format!("net:{},uts:{}", inode(NsKind::Net), inode(NsKind::Uts))
    );
    // The pid namespace is the sleep's: the one unshare made for its children.
    let sleep_row = snap.process(sleep).expect("sleep's row");
    assert_eq!(
        sleep_row.namespaces.get(NsKind::Pid),
        root.namespaces.get(NsKind::PidForChildren)
    );
    assert_eq!(sandbox.namespaces.get("net"), Some(&inode(NsKind::Net)));
}
