//! The forms actions ask for (limits, move, unshare), and how keys edit them. Plain data and
//! pure functions: submitting a form turns it into a request for the poller.

use crate::actions::run::RunRequest;
use crate::cli::ActionArgs;
use crate::model::{Limit, NsKind, Snapshot};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormKind {
    /// `l`: limits of this target.
    Limit(ActionArgs),
    /// `m`: move this process.
    Move(i32),
    /// `n`: start a command in new namespaces.
    Unshare,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Text(String),
    Check(bool),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The name the submit code looks the field up by, also shown.
    pub label: &'static str,
    /// Said beside the field: what it means, what is set now.
    pub hint: String,
    pub value: Value,
}

impl Field {
    pub fn text(label: &'static str, value: &str, hint: impl Into<String>) -> Field {
        Field {
            label,
            hint: hint.into(),
            value: Value::Text(value.to_string()),
        }
    }

    pub fn check(label: &'static str, on: bool, hint: impl Into<String>) -> Field {
        Field {
            label,
            hint: hint.into(),
            value: Value::Check(on),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub kind: FormKind,
    pub title: String,
    /// Lines above the fields: what the form does.
    pub intro: Vec<String>,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// Why the last submit was refused; the form stays open.
    pub error: Option<String>,
}

/// What a key did to a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKey {
    Editing,
    Cancel,
    Submit,
}

impl Form {
    /// Esc cancels, Enter submits, Tab / Up / Down move between fields, Space ticks a box,
    /// typing edits a text field (Backspace, Ctrl-U clears it).
    pub fn key(&mut self, key: KeyEvent) -> FormKey {
        let n = self.fields.len().max(1);
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Esc => return FormKey::Cancel,
            KeyCode::Char('c') if ctrl => return FormKey::Cancel,
            KeyCode::Enter => return FormKey::Submit,
            KeyCode::Tab | KeyCode::Down => self.focus = (self.focus + 1) % n,
            KeyCode::BackTab | KeyCode::Up => self.focus = (self.focus + n - 1) % n,
            _ => {
                let Some(field) = self.fields.get_mut(self.focus) else {
                    return FormKey::Editing;
                };
                match (&mut field.value, key.code) {
                    (Value::Check(on), KeyCode::Char(' ')) => *on = !*on,
                    (Value::Text(t), KeyCode::Char('u')) if ctrl => t.clear(),
                    (Value::Text(t), KeyCode::Backspace) => {
                        t.pop();
                    }
                    (Value::Text(t), KeyCode::Char(c)) if !ctrl && t.len() < 4096 => t.push(c),
                    _ => return FormKey::Editing,
                }
                self.error = None;
            }
        }
        FormKey::Editing
    }

    /// The text of a text field ("" if there is none by that name).
    pub fn text(&self, label: &str) -> &str {
        self.fields
            .iter()
            .find(|f| f.label == label)
            .and_then(|f| match &f.value {
                Value::Text(t) => Some(t.as_str()),
                Value::Check(_) => None,
            })
            .unwrap_or("")
    }

    /// Whether a box is ticked.
    pub fn checked(&self, label: &str) -> bool {
        self.fields
            .iter()
            .any(|f| f.label == label && f.value == Value::Check(true))
    }
}

/// `l`: memory, memory high, cpu and pids, each empty (left alone) with what is set now.
pub fn limit_form(target: ActionArgs, what: &str, snap: Option<&Snapshot>) -> Form {
    let now = snap.map(|s| current_limits(s, &target)).unwrap_or_default();
    let said = |v: &Option<String>| v.clone().map_or(String::new(), |v| format!("now {v}; "));
    Form {
        kind: FormKind::Limit(target),
        title: format!("Limit {what}"),
        intro: vec![
            "Empty fields are left as they are. `max` removes a limit.".into(),
            "The next window shows every file, old and new value, before anything is written."
                .into(),
        ],
        fields: vec![
            Field::text(
                "memory",
                "",
                format!(
                    "{}hard limit: 64M, 1.5G, 512KiB (v2 memory.max, v1 memory.limit_in_bytes)",
                    said(&now[0])
                ),
            ),
            Field::text(
                "memory high",
                "",
                format!(
                    "{}throttle, never OOM-kills (v2 memory.high)",
                    said(&now[1])
                ),
            ),
            Field::text(
                "cpu",
                "",
                format!(
                    "{}CPUs (0.5) or QUOTA/PERIOD µs (v2 cpu.max, v1 cpu.cfs_quota_us)",
                    said(&now[2])
                ),
            ),
            Field::text(
                "pids",
                "",
                format!("{}most processes and threads (pids.max)", said(&now[3])),
            ),
        ],
        focus: 0,
        error: None,
    }
}

/// `m`: a destination path, or empty for a new cgroup of its own.
pub fn move_form(pid: i32, what: &str, current: Option<&str>) -> Form {
    Form {
        kind: FormKind::Move(pid),
        title: format!("Move {what}"),
        intro: vec![
            format!("Now in {}.", current.unwrap_or("?")),
            format!(
                "Leave empty for a new cgroup of its own (boxtop-{pid} under its current one, in v2"
            ),
            "and the v1 freezer, memory, cpu, cpuacct and pids hierarchies): then it can be".into(),
            "frozen and limited alone. Or give an existing cgroup's path.".into(),
        ],
        fields: vec![Field::text(
            "destination",
            "",
            "a cgroup path as the Cgroups pane shows it",
        )],
        focus: 0,
        error: None,
    }
}

/// The namespace types `n` offers, in the order `unshare(1)` lists them, with what a new one
/// gives the command (for teaching).
pub const UNSHARE_BOXES: [(NsKind, &str); 8] = [
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
        intro: vec![
            "boxtop re-runs itself as a small helper that calls unshare(2), forks, mounts a new"
                .into(),
            "/proc, sets the hostname and execs the command; it keeps running after boxtop quits."
                .into(),
        ],
        fields,
        focus: 0,
        error: None,
    }
}

/// The filled `n` form as a request for the launcher, checked by the same rules as
/// `boxtop run`.
pub fn unshare_request(form: &Form) -> Result<RunRequest, String> {
    let opt = |label: &str| Some(form.text(label).trim().to_string()).filter(|t| !t.is_empty());
    let map_root_user = form.checked("map root user");
    // Mapping root needs a user namespace: ticking the map box implies the user box.
    let namespaces: Vec<NsKind> = UNSHARE_BOXES
        .iter()
        .map(|(k, _)| *k)
        .filter(|k| form.checked(k.file_name()) || (map_root_user && *k == NsKind::User))
        .collect();
    let uts = namespaces.contains(&NsKind::Uts);
    let req = RunRequest {
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
    req.validate()?;
    Ok(req)
}

/// Splits a command line into words: spaces separate, '…' and "…" group, \ escapes one
/// character (no variables, no globs: no shell is involved).
pub fn split_words(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut cur: Option<String> = None;
    let mut quote: Option<char> = None;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('"'), '\\') | (None, '\\') => {
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

/// What is set now on the target's cgroups, as the form shows it: memory, memory high, cpu,
/// pids (from the snapshot; v2 first).
fn current_limits(snap: &Snapshot, target: &ActionArgs) -> [Option<String>; 4] {
    let mut out: [Option<String>; 4] = Default::default();
    let mut hs: Vec<_> = snap.cgroups.hierarchies.iter().collect();
    hs.sort_by_key(|h| std::cmp::Reverse(h.version));
    let limit = |l: Limit| match l {
        Limit::Max => "max".to_string(),
        Limit::Value(v) => crate::text::format_bytes(v),
    };
    for h in hs {
        let path = match (target.pid, &target.cgroup) {
            (Some(pid), _) => snap
                .process(pid)
                .and_then(|p| p.cgroup_in(h.id))
                .map(str::to_string),
            (None, Some(c)) => Some(format!("/{}", c.trim_matches('/'))),
            (None, None) => None,
        };
        let Some(node) = path.and_then(|p| h.cgroups.iter().find(|n| n.path == p)) else {
            continue;
        };
        if let Some(m) = &node.memory {
            out[0] = out[0].take().or(m.max_bytes.map(limit));
            out[1] = out[1].take().or(m.high_bytes.map(limit));
        }
        if let Some(c) = &node.cpu {
            let cpus = match (c.quota_usec, c.period_usec) {
                (Some(Limit::Value(q)), Some(p)) if p > 0 => {
                    Some(format!("{:.2} CPUs ({q}/{p})", q as f64 / p as f64))
                }
                (Some(Limit::Max), _) => Some("max".to_string()),
                _ => None,
            };
            out[2] = out[2].take().or(cpus);
        }
        if let Some(p) = &node.pids_limit {
            out[3] = out[3].take().or(p.max.map(|l| match l {
                Limit::Max => "max".to_string(),
                Limit::Value(v) => v.to_string(),
            }));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::KeyEvent;

    fn press(form: &mut Form, code: KeyCode) -> FormKey {
        form.key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    #[test]
    fn typing_edits_the_focused_field_and_tab_moves() {
        let mut f = limit_form(ActionArgs::default(), "x", None);
        for c in "64M".chars() {
            press(&mut f, KeyCode::Char(c));
        }
        press(&mut f, KeyCode::Tab);
        press(&mut f, KeyCode::Tab);
        for c in "0.5x".chars() {
            press(&mut f, KeyCode::Char(c));
        }
        press(&mut f, KeyCode::Backspace);
        assert_eq!(f.text("memory"), "64M");
        assert_eq!(f.text("cpu"), "0.5");
        assert_eq!(press(&mut f, KeyCode::Enter), FormKey::Submit);
        assert_eq!(press(&mut f, KeyCode::Esc), FormKey::Cancel);
        // Up from the first field wraps to the last.
        f.focus = 0;
        press(&mut f, KeyCode::Up);
        assert_eq!(f.fields[f.focus].label, "pids");
    }

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
    fn space_ticks_a_box_but_is_typed_into_text() {
        let mut f = limit_form(ActionArgs::default(), "x", None);
        f.fields.push(Field::check("init", false, ""));
        press(&mut f, KeyCode::Char(' '));
        assert_eq!(f.text("memory"), " ");
        f.focus = f.fields.len() - 1;
        press(&mut f, KeyCode::Char(' '));
        assert!(f.checked("init"));
        press(&mut f, KeyCode::Char(' '));
        assert!(!f.checked("init"));
    }
}
