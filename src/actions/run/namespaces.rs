//! The namespace types `run` creates: their names on the command line, and what each one
//! isolates, with its clone flag (for `--dry-run` and the dashboard's explanations).

use crate::model::NsKind;

/// The namespaces `run` can create, in the order they are listed and shown.
pub const UNSHARE_KINDS: [NsKind; 8] = [
    NsKind::Pid,
    NsKind::Net,
    NsKind::Uts,
    NsKind::Ipc,
    NsKind::Mnt,
    NsKind::User,
    NsKind::Cgroup,
    NsKind::Time,
];

/// One namespace type, as the dashboard and `--dry-run` teach it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NsTeaching {
    pub kind: NsKind,
    /// The unshare(2) / clone(2) flag, e.g. `CLONE_NEWPID`.
    pub flag: &'static str,
    /// What a new one isolates, in one sentence.
    pub what: &'static str,
    /// Where to read more.
    pub man: &'static str,
}

/// What each namespace isolates, with its clone flag.
pub fn teach(kind: NsKind) -> NsTeaching {
    let (what, man) = match kind {
        NsKind::Pid | NsKind::PidForChildren => (
            "process ids: the first process started in it is pid 1 and sees only its own \
             descendants; unshare(2) moves only the caller's future children into it",
            "pid_namespaces(7)",
        ),
        NsKind::Net => (
            "network devices, addresses, routes, firewall and ports: a new one has only a \
             loopback device, and it is down",
            "network_namespaces(7)",
        ),
        NsKind::Uts => ("the host name and NIS domain name", "uts_namespaces(7)"),
        NsKind::Ipc => (
            "System V IPC objects and POSIX message queues",
            "ipc_namespaces(7)",
        ),
        NsKind::Mnt => (
            "the list of mounts: mounts made inside are not seen outside (once made private)",
            "mount_namespaces(7)",
        ),
        NsKind::User => (
            "user and group ids and capabilities: one can be root inside without being root \
             outside, through the uid and gid maps",
            "user_namespaces(7)",
        ),
        NsKind::Cgroup => (
            "the view of the cgroup tree: the current cgroup becomes its root",
            "cgroup_namespaces(7)",
        ),
        NsKind::Time | NsKind::TimeForChildren => (
            "the monotonic and boot-time clocks (their offsets); like pid, only children enter it",
            "time_namespaces(7)",
        ),
    };
    NsTeaching {
        kind,
        flag: kind.clone_flag(),
        what,
        man,
    }
}

/// Parses `pid,net,uts` (or `all`); `mount` is accepted for `mnt`, as unshare(1) calls it.
/// The result is in [`UNSHARE_KINDS`] order, without repeats.
pub fn parse_namespaces(list: &str) -> Result<Vec<NsKind>, String> {
    let mut found = Vec::new();
    for word in list.split(',').map(str::trim) {
        if word.eq_ignore_ascii_case("all") {
            found.extend(UNSHARE_KINDS);
            continue;
        }
        let kind = UNSHARE_KINDS
            .iter()
            .copied()
            .find(|k| word.eq_ignore_ascii_case(k.file_name()))
            .or_else(|| word.eq_ignore_ascii_case("mount").then_some(NsKind::Mnt));
        match kind {
            Some(k) => found.push(k),
            None if word.is_empty() => {
                return Err(format!(
                    "--unshare {list:?} has an empty name; the valid names are {}",
                    valid_names()
                ));
            }
            None => {
                return Err(format!(
                    "unknown namespace {word:?} in --unshare; the valid names are {}",
                    valid_names()
                ));
            }
        }
    }
    Ok(UNSHARE_KINDS
        .into_iter()
        .filter(|k| found.contains(k))
        .collect())
}

pub(super) fn valid_names() -> String {
    let names: Vec<&str> = UNSHARE_KINDS.iter().map(|k| k.file_name()).collect();
    format!("{} (or all)", names.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespace_lists() {
        use NsKind::*;
        assert_eq!(parse_namespaces("net,pid").unwrap(), vec![Pid, Net]);
        assert_eq!(
            parse_namespaces(" PID , mount,pid").unwrap(),
            vec![Pid, Mnt]
        );
        assert_eq!(parse_namespaces("all").unwrap(), UNSHARE_KINDS.to_vec());
        assert_eq!(parse_namespaces("uts,all").unwrap().len(), 8);
        let e = parse_namespaces("pid,nett").unwrap_err();
        assert!(e.contains("\"nett\""), "{e}");
        assert!(
            e.contains("pid, net, uts, ipc, mnt, user, cgroup, time (or all)"),
            "{e}"
        );
        assert!(parse_namespaces("pid,,net").unwrap_err().contains("empty"));
        assert!(parse_namespaces("").is_err());
        // The for-children links are not names to create.
        assert!(parse_namespaces("pid_for_children").is_err());
    }

    #[test]
    fn every_kind_is_taught_with_its_flag() {
        for k in UNSHARE_KINDS {
            let t = teach(k);
            assert!(t.flag.starts_with("CLONE_NEW"), "{k:?}");
            assert!(t.man.ends_with("(7)") && !t.what.is_empty());
        }
        assert_eq!(teach(NsKind::Mnt).flag, "CLONE_NEWNS");
    }
}
