//! `n`: the unshare form (namespace types as boxes with their clone flags, hostname, root,
//! cgroup, init, command) and the request it makes.

use super::{Field, Form, FormKind};
use crate::kernel::spawn::SpawnRequest;
use crate::model::NsKind;

/// The namespace types `n` offers, in the order `unshare(1)` lists them, with what a new one
/// gives the command (for teaching).
pub(super) const UNSHARE_BOXES: [(NsKind, &str); 8] = [
    (NsKind::Mnt, "its own mount table (and its own /proc)"),
    (NsKind::Uts, "its own hostname"),
    (NsKind::Ipc, "its own System V IPC and POSIX queues"),
    (NsKind::Net, "its own network stack: only a down loopback"),
    (NsKind::Pid, "its own pid numbers: the command is pid 1"),
    (NsKind::User, "its own uids: root inside, you outside"),
    (NsKind::Cgroup, "its cgroup becomes its root cgroup"),
    (NsKind::Time, "its own monotonic and boot clocks"),
];

/// `n`: namespace types as boxes (with their clone flags), hostname, root, cgroup, command.
pub fn unshare_form() -> Form {
    let mut fields: Vec<Field> = UNSHARE_BOXES
        .iter()
        .map(|(kind, what)| {
            let on = matches!(
                kind,
                NsKind::Mnt | NsKind::Uts | NsKind::Ipc | NsKind::Net | NsKind::Pid
            );
            Field::check(
                kind.file_name(),
                on,
                format!("{:<16} {what}", kind.clone_flag()),
            )
        })
        .collect();
    fields.extend([
        Field::text("hostname", "boxtop-demo", "with uts: sethostname(2) inside"),
        Field::text("root", "", "optional: chroot(2) into this directory"),
        Field::text("cgroup", "", "optional: start it in this cgroup (a path)"),
        Field::check(
            "map root user",
            false,
            "with user: uid 0 inside is you outside",
        ),
        Field::check(
            "init",
            false,
            "a tiny reaping init is pid 1, the command pid 2",
        ),
        Field::text(
            "command",
            "sleep 300",
            "split on spaces; quotes group words",
        ),
    ]);
    Form {
        kind: FormKind::Unshare,
        title: "Start a command in new namespaces".into(),
        // One paragraph: the window wraps it to its width.
        intro: vec![
            "boxtop re-runs itself as a small helper that calls unshare(2), forks, mounts a new \
             /proc, sets the hostname and execs the command; it keeps running after boxtop quits."
                .into(),
        ],
        fields,
        focus: 0,
        error: None,
    }
}

/// The filled `n` form as a request for the launcher, checked by the same rules as
/// `boxtop run`.
pub fn unshare_request(form: &Form) -> Result<SpawnRequest, String> {
    let opt = |label: &str| Some(form.text(label).trim().to_string()).filter(|t| !t.is_empty());
    let map_root_user = form.checked("map root user");
    // Mapping root needs a user namespace: ticking the map box implies the user box.
    let ticked: Vec<NsKind> = UNSHARE_BOXES
        .iter()
        .map(|(k, _)| *k)
        .filter(|k| form.checked(k.file_name()))
        .collect();
    let namespaces = crate::actions::unshare::to_create(&ticked, map_root_user);
    let uts = namespaces.contains(&NsKind::Uts);
    let req = SpawnRequest {
        // A hostname only means something in a new uts namespace: without one it is ignored
        // rather than refused (the box is unticked, the field keeps its default).
        hostname: opt("hostname").filter(|_| uts),
        root: opt("root").map(std::path::PathBuf::from),
        cgroup: opt("cgroup"),
        map_root_user,
        init: form.checked("init"),
        command: split_words(form.text("command"))?,
        namespaces,
    };
    // Pure checks only (this runs in the state update): whether --root exists is checked
    // when the poller plans the launch.
    let problems = crate::actions::unshare::input_problems(&req);
    if !problems.is_empty() {
        return Err(problems.join("; "));
    }
    Ok(req)
}

/// Splits a command line into words: spaces separate, '…' and "…" group, \ escapes one
/// character (no variables, no globs: no shell is involved).
pub(super) fn split_words(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut cur: Option<String> = None;
    let mut quote: Option<char> = None;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('"') | None, '\\') => {
                let next = chars.next().ok_or("a \\ at the end of the command")?;
                cur.get_or_insert_with(String::new).push(next);
            }
            (Some(_), c) => cur.get_or_insert_with(String::new).push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                cur.get_or_insert_with(String::new);
            }
            (None, c) if c.is_whitespace() => words.extend(cur.take()),
            (None, c) => cur.get_or_insert_with(String::new).push(c),
        }
    }
    if let Some(q) = quote {
        return Err(format!("the command has an unclosed {q}"));
    }
    words.extend(cur);
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::dialogs::Value;

    #[test]
    fn command_words_split_like_a_shell_without_one() {
        assert_eq!(split_words("sleep 300").unwrap(), ["sleep", "300"]);
        assert_eq!(
            split_words(r#"sh -c 'echo $$; hostname'"#).unwrap(),
            ["sh", "-c", "echo $$; hostname"]
        );
        assert_eq!(
            split_words(r#"a "b c" d\ e ''"#).unwrap(),
            ["a", "b c", "d e", ""]
        );
        assert_eq!(split_words("  ").unwrap(), Vec::<String>::new());
        assert!(split_words("sh -c 'x").unwrap_err().contains("unclosed"));
    }

    #[test]
    fn mapping_root_implies_a_user_namespace_and_uts_off_drops_the_hostname() {
        let mut f = unshare_form();
        let tick = |f: &mut Form, label: &str| {
            if let Some(field) = f.fields.iter_mut().find(|x| x.label == label) {
                field.value = Value::Check(!matches!(field.value, Value::Check(true)));
            }
        };
        tick(&mut f, "map root user");
        tick(&mut f, "uts");
        let req = unshare_request(&f).unwrap();
        assert!(req.map_root_user && req.namespaces.contains(&NsKind::User));
        assert_eq!(req.hostname, None);
        assert!(!req.namespaces.contains(&NsKind::Uts));
    }

    #[test]
    fn the_form_checks_its_input_but_leaves_the_filesystem_to_the_poller() {
        let mut f = unshare_form();
        if let Some(field) = f.fields.iter_mut().find(|x| x.label == "root") {
            field.value = Value::Text("/no/such/boxtop-root".into());
        }
        // No stat on the UI thread: the form accepts the path...
        let req = unshare_request(&f).expect("pure checks pass");
        // ...and the full check (made when the poller plans it) refuses it.
        assert!(
            crate::actions::unshare::validate(&req)
                .unwrap_err()
                .contains("not a directory")
        );
    }
}
