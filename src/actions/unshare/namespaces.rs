//! The namespace types `run` creates, and their names on the command line.

use crate::model::NsKind;

/// The namespaces `run` can create, in the order they are listed and shown.
pub(super) const UNSHARE_KINDS: [NsKind; 8] = [
    NsKind::Pid,
    NsKind::Net,
    NsKind::Uts,
    NsKind::Ipc,
    NsKind::Mnt,
    NsKind::User,
    NsKind::Cgroup,
    NsKind::Time,
];

/// The namespaces to create: `chosen` in [`UNSHARE_KINDS`] order, without repeats, with
/// `user` added when root is to be mapped (a uid map needs a user namespace). The command
/// line and the dashboard's form both make their request through this.
pub fn to_create(chosen: &[NsKind], map_root_user: bool) -> Vec<NsKind> {
    UNSHARE_KINDS
        .into_iter()
        .filter(|k| chosen.contains(k) || (map_root_user && *k == NsKind::User))
        .collect()
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
}
