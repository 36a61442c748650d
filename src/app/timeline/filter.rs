//! `/` in the timeline: a line of terms, every one of which an entry must match.

use super::Entry;
use crate::model::EventKind;

/// One term of the timeline's filter; all must match.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Term {
    /// A kind's word, or the start of one (`oom` is `oom` and `oom_kill`).
    Kind(String),
    Container(String),
    Cgroup(String),
    Pid(i32),
    /// Anywhere: kind, container, cgroup, detail (an action's name, target, result).
    Text(String),
}

/// `/` in the timeline: `kind:oom_kill container:lxc/web cgroup:/system.slice pid:42 text`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TimelineFilter {
    pub text: String,
    terms: Vec<Term>,
}

impl TimelineFilter {
    pub fn parse(text: &str) -> Result<TimelineFilter, String> {
        let mut terms = Vec::new();
        for word in text.split_whitespace() {
            let term = match word.split_once(':') {
                Some(("kind", k)) => {
                    let k = k.to_ascii_lowercase();
                    let known = EventKind::ALL.iter().any(|e| e.word().starts_with(&k))
                        || "action".starts_with(&k);
                    if k.is_empty() || !known {
                        return Err(format!("kind:{k} is no kind; the kinds: {}", kinds()));
                    }
                    Term::Kind(k)
                }
                Some(("container", c)) => Term::Container(c.to_lowercase()),
                Some(("cgroup", c)) => Term::Cgroup(c.to_string()),
                Some(("pid", n)) => Term::Pid(
                    n.parse()
                        .map_err(|_| format!("pid:{n}: a pid is a number"))?,
                ),
                Some((key, _))
                    if !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphabetic()) =>
                {
                    return Err(format!(
                        "{key}: is not a word of the timeline's filter (kind: container: cgroup: pid:)"
                    ));
                }
                _ => Term::Text(word.to_lowercase()),
            };
            terms.push(term);
        }
        Ok(TimelineFilter {
            text: text.trim().to_string(),
            terms,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The filter asks for kinds by name: it shows the churn too.
    pub(super) fn names_kind(&self) -> bool {
        self.terms.iter().any(|t| matches!(t, Term::Kind(_)))
    }

    pub fn matches(&self, e: &Entry) -> bool {
        self.terms.iter().all(|t| match t {
            Term::Kind(k) => e.kind_word().starts_with(k.as_str()),
            Term::Container(c) => e.container().is_some_and(|n| n.to_lowercase().contains(c)),
            Term::Cgroup(c) => e.cgroup().is_some_and(|(_, p)| p.contains(c.as_str())),
            Term::Pid(p) => e.pid() == Some(*p),
            Term::Text(w) => e
                .words()
                .iter()
                .any(|s| s.to_lowercase().contains(w.as_str())),
        })
    }
}

fn kinds() -> String {
    let mut all: Vec<&str> = EventKind::ALL.iter().map(|k| k.word()).collect();
    all.push("action");
    all.join(" ")
}
