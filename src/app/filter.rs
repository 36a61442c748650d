//! The process filter typed after `/`: words that must all match.
//!
//! A plain word matches the command line, name, user or pid as a substring (case-insensitive,
//! as in htop). `key:value` words match one field: `user:root`, `pid:42`, `state:Z`,
//! `cgroup:docker` (substring of the cgroup path in any hierarchy), `ns:net:4026532181`
//! (member of that namespace; the type may be left out: `ns:4026532181`).
//!
//! Container words: `runtime:lxc`, `name:web` (substring of a container's name),
//! `container:NAME` (a container by its whole name, or its id or a prefix of it), `pod:UID`
//! (a Kubernetes pod's containers). On a process they match its container's; on the
//! containers pane, a container matches a process word when one of its members does, and a
//! plain word matches its name, id, runtime or image.

use crate::model::{Container, NsKind, ProcessRow, Snapshot};
use std::collections::HashMap;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// As typed, for the header.
    pub text: String,
    terms: Vec<Term>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Term {
    Text(String),
    User(String),
    Pid(i32),
    State(char),
    Cgroup(String),
    Ns(Option<NsKind>, u64),
    Runtime(String),
    Name(String),
    Container(String),
    Pod(String),
}

impl Filter {
    /// Parses a filter; a malformed `key:value` word is an error with a sentence for the
    /// status line.
    pub fn parse(text: &str) -> Result<Filter, String> {
        let mut terms = Vec::new();
        for word in text.split_whitespace() {
            let term = match word.split_once(':') {
                Some(("user", v)) => Term::User(v.to_lowercase()),
                Some(("pid", v)) => {
                    Term::Pid(v.parse().map_err(|_| format!("pid:{v}: not a pid"))?)
                }
                Some(("state", v)) => {
                    let mut c = v.chars();
                    match (c.next(), c.next()) {
                        (Some(s), None) => Term::State(s.to_ascii_uppercase()),
                        _ => return Err(format!("state:{v}: one letter, like state:Z")),
                    }
                }
                Some(("cgroup", v)) => Term::Cgroup(v.to_string()),
                Some(("ns", v)) => parse_ns(v)?,
                Some(("runtime", v)) => Term::Runtime(v.to_lowercase()),
                Some(("name", v)) => Term::Name(v.to_lowercase()),
                Some(("container", v)) => Term::Container(v.to_string()),
                Some(("pod", v)) => Term::Pod(v.to_string()),
                _ => Term::Text(word.to_lowercase()),
            };
            terms.push(term);
        }
        Ok(Filter {
            text: text.trim().to_string(),
            terms,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Whether a process matches; `members` says which container each process is in (made
    /// only when a container word asks: [`Filter::members`]).
    pub fn matches(&self, p: &ProcessRow, members: &Members<'_>) -> bool {
        self.terms.iter().all(|t| {
            if t.about_containers() {
                members.of(p.pid).is_some_and(|c| t.matches_container(c))
            } else {
                t.matches(p)
            }
        })
    }

    /// The container of each process, when a word of this filter is about containers (else
    /// empty: the common filter costs nothing more).
    pub fn members<'a>(&self, snap: &'a Snapshot) -> Members<'a> {
        if !self.terms.iter().any(Term::about_containers) {
            return Members::default();
        }
        let mut of = HashMap::new();
        for c in &snap.containers {
            for pid in &c.pids {
                of.insert(*pid, c);
            }
        }
        Members { of }
    }

    /// Whether a container matches (the containers pane): container words on the container,
    /// a plain word on its name, id, runtime or image, a process word on its members.
    pub fn matches_container(&self, c: &Container, snap: &Snapshot) -> bool {
        self.terms.iter().all(|t| match t {
            Term::Text(text) => {
                contains_ci(&c.name, text)
                    || c.id.starts_with(text.as_str())
                    || c.runtime.name() == text
                    || c.image.as_deref().is_some_and(|i| contains_ci(i, text))
            }
            _ if t.about_containers() => t.matches_container(c),
            _ => c
                .pids
                .iter()
                .filter_map(|pid| snap.process(*pid))
                .any(|p| t.matches(p)),
        })
    }
}

/// Which container each process is in, for the container words of a filter.
#[derive(Debug, Default)]
pub struct Members<'a> {
    of: HashMap<i32, &'a Container>,
}

impl<'a> Members<'a> {
    fn of(&self, pid: i32) -> Option<&'a Container> {
        self.of.get(&pid).copied()
    }
}

fn parse_ns(v: &str) -> Result<Term, String> {
    let bad = || format!("ns:{v}: use ns:TYPE:INODE, like ns:net:4026531840");
    let (kind, inode) = match v.split_once(':') {
        Some((k, i)) => {
            let kind = NsKind::ALL
                .into_iter()
                .find(|n| n.file_name() == k)
                .ok_or_else(bad)?;
            (Some(kind), i)
        }
        None => (None, v),
    };
    Ok(Term::Ns(kind, inode.parse().map_err(|_| bad())?))
}

impl Term {
    /// A word about containers (matched on a process through its container).
    fn about_containers(&self) -> bool {
        matches!(
            self,
            Term::Runtime(_) | Term::Name(_) | Term::Container(_) | Term::Pod(_)
        )
    }

    fn matches_container(&self, c: &Container) -> bool {
        match self {
            Term::Runtime(r) => c.runtime.name() == r,
            Term::Name(n) => contains_ci(&c.name, n),
            Term::Container(x) => c.name == *x || (!x.is_empty() && c.id.starts_with(x.as_str())),
            Term::Pod(uid) => c.pod.as_ref().is_some_and(|p| p.uid == *uid),
            _ => false,
        }
    }

    fn matches(&self, p: &ProcessRow) -> bool {
        match self {
            Term::Text(t) => {
                p.pid.to_string() == *t
                    || contains_ci(&p.comm, t)
                    || p.cmdline.iter().any(|a| contains_ci(a, t))
                    || p.user.as_deref().is_some_and(|u| contains_ci(u, t))
            }
            Term::User(u) => {
                p.user.as_deref().is_some_and(|n| n.to_lowercase() == *u)
                    || p.uid.is_some_and(|id| id.to_string() == *u)
            }
            Term::Pid(pid) => p.pid == *pid,
            Term::State(s) => p.state == *s,
            Term::Cgroup(c) => p.cgroups.iter().any(|g| g.path.contains(c.as_str())),
            Term::Ns(kind, inode) => match kind {
                Some(k) => p.namespaces.get(*k) == Some(*inode),
                None => NsKind::ALL
                    .into_iter()
                    .any(|k| p.namespaces.get(k) == Some(*inode)),
            },
            // Container words are matched through `Members`.
            Term::Runtime(_) | Term::Name(_) | Term::Container(_) | Term::Pod(_) => false,
        }
    }
}

fn contains_ci(hay: &str, lower_needle: &str) -> bool {
    hay.to_lowercase().contains(lower_needle)
}
