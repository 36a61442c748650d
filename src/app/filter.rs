//! The process filter typed after `/`: words that must all match.
//!
//! A plain word matches the command line, name, user or pid as a substring (case-insensitive,
//! as in htop). `key:value` words match one field: `user:root`, `pid:42`, `state:Z`,
//! `cgroup:docker` (substring of the cgroup path in any hierarchy), `ns:net:4026532181`
//! (member of that namespace; the type may be left out: `ns:4026532181`).

use crate::model::{NsKind, ProcessRow};

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

    pub fn matches(&self, p: &ProcessRow) -> bool {
        self.terms.iter().all(|t| t.matches(p))
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
        }
    }
}

fn contains_ci(hay: &str, lower_needle: &str) -> bool {
    hay.to_lowercase().contains(lower_needle)
}
