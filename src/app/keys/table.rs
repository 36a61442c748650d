//! The key table in force ([`KeyTable`]): the table's bindings with the keys the config file
//! gave, and what the lookup, the help screen and the key bar read from it.

use super::*;

/// A key bar's entry as drawn: the key (the table's words, or the keys the config gave) and
/// its label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BarWord {
    pub key: Cow<'static, str>,
    pub label: &'static str,
}

/// Two bindings that a key press cannot tell apart: one key given to both, or two keys of
/// one code neither of whose modifiers holds the other's (`alt-x` and `ctrl-x`, both
/// matching with Ctrl and Alt held).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Conflict {
    pub key: Key,
    pub other_key: Key,
    pub first: Command,
    pub second: Command,
}

/// The table's bindings with the keys in force: the table's own, or the config's for the
/// commands it rebinds. The dashboard holds one (`AppState::keys`); every lookup, the help
/// and the key bar go through it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyTable {
    /// The commands given other keys, and their keys (few: a lookup in order is enough).
    rebound: Vec<(Command, Vec<Key>)>,
}

impl KeyTable {
    /// Gives `command`'s binding `keys` instead of its own; false if no binding of the
    /// table gives `command`. Its own keys again undo the rebinding, so that two tables
    /// with the same keys are equal.
    pub fn rebind(&mut self, command: Command, keys: Vec<Key>) -> bool {
        let Some(binding) = BINDINGS.iter().find(|b| b.command == command) else {
            return false;
        };
        self.rebound.retain(|(c, _)| *c != command);
        if binding.keys != keys.as_slice() {
            self.rebound.push((command, keys));
            self.rebound
                .sort_by_key(|(c, _)| BINDINGS.iter().position(|b| b.command == *c));
        }
        true
    }

    /// The commands the config rebound, with their keys, in the table's order.
    pub fn rebound(&self) -> &[(Command, Vec<Key>)] {
        &self.rebound
    }

    fn rebound_keys(&self, command: Command) -> Option<&[Key]> {
        self.rebound
            .iter()
            .find(|(c, _)| *c == command)
            .map(|(_, keys)| keys.as_slice())
    }

    /// The keys that give `binding`'s command now.
    pub fn keys_of(&self, binding: &'static Binding) -> &[Key] {
        self.rebound_keys(binding.command).unwrap_or(binding.keys)
    }

    /// The keys that give `command` now (none if the table has no binding for it).
    pub fn keys_for(&self, command: Command) -> &[Key] {
        BINDINGS
            .iter()
            .find(|b| b.command == command)
            .map_or(&[], |b| self.keys_of(b))
    }

    /// The binding a key press gives, and which of its keys matched. A key that asks for a
    /// modifier wins over a plain one: Ctrl-Z suspends, `z` alone (or with Shift or Alt)
    /// zooms. No two keys can tie ([`KeyTable::first_conflict`] sees to it); `min_by_key`
    /// would take the first.
    pub fn binding_for(&self, event: &KeyEvent) -> Option<(&'static Binding, Key)> {
        BINDINGS
            .iter()
            .flat_map(|b| self.keys_of(b).iter().map(move |k| (b, *k)))
            .filter(|(_, k)| k.matches(event))
            .min_by_key(|(_, k)| std::cmp::Reverse(k.holding.bits().count_ones()))
    }

    /// The command a key press gives, if any.
    pub fn command_for(&self, event: &KeyEvent) -> Option<Command> {
        self.binding_for(event).map(|(b, _)| b.command)
    }

    /// The first two bindings a key press could not tell apart, in the table's order.
    /// `command_for_key` takes no context (update.rs hands the Command to the open window or
    /// the focused pane), so of two bindings of one key only one would ever be found: a key
    /// is bound once in the whole table, whatever the contexts.
    pub fn first_conflict(&self) -> Option<Conflict> {
        let keys: Vec<(Key, Command)> = BINDINGS
            .iter()
            .flat_map(|b| self.keys_of(b).iter().map(move |k| (*k, b.command)))
            .collect();
        keys.iter().enumerate().find_map(|(i, (a, first))| {
            keys.get(i + 1..)?.iter().find_map(|(b, second)| {
                let tie = a == b
                    || (a.code == b.code
                        && !a.holding.contains(b.holding)
                        && !b.holding.contains(a.holding));
                tie.then_some(Conflict {
                    key: *a,
                    other_key: *b,
                    first: *first,
                    second: *second,
                })
            })
        })
    }

    /// The lines of the help screen: the keys as it spells them, and what they do. A line
    /// whose bindings the config left alone keeps the table's words; one it changed spells
    /// the keys in force, and goes when none is left.
    pub fn help_lines(&self) -> Vec<(Cow<'static, str>, &'static str)> {
        let mut lines = Vec::new();
        for (i, b) in BINDINGS.iter().enumerate() {
            let Help::Line { keys, says } = b.help else {
                continue;
            };
            let group: Vec<&'static Binding> = std::iter::once(b)
                .chain(
                    BINDINGS
                        .get(i + 1..)
                        .unwrap_or_default()
                        .iter()
                        .take_while(|next| next.help == Help::OnLineAbove),
                )
                .collect();
            if group.iter().all(|b| self.rebound_keys(b.command).is_none()) {
                lines.push((Cow::Borrowed(keys), says));
                continue;
            }
            let spelled: Vec<String> = group
                .iter()
                .flat_map(|b| self.keys_of(b).iter().map(names::help_name))
                .collect();
            if !spelled.is_empty() {
                lines.push((Cow::Owned(spelled.join("  ")), says));
            }
        }
        let replay_lines = replay::REPLAY_BINDINGS
            .iter()
            .chain(tour::TOUR_BINDINGS)
            .filter_map(|b| match b.help {
                Help::Line { keys, says } => Some((Cow::Borrowed(keys), says)),
                Help::OnLineAbove => None,
            });
        lines.extend(replay_lines);
        lines.push((Cow::Borrowed(MOUSE_HELP.0), MOUSE_HELP.1));
        lines
    }

    /// The key bar of `focus`: the pane's own bindings, then those on every bar, each
    /// spelled with the keys in force.
    pub fn bar_words(&self, focus: PaneId) -> Vec<BarWord> {
        let mut own = Vec::new();
        let mut always = Vec::new();
        for (i, b) in BINDINGS.iter().enumerate() {
            for words in b.bar {
                let shown = match words.on {
                    OnBar::Panes(panes) => panes.contains(&focus),
                    OnBar::Always => true,
                };
                if !shown {
                    continue;
                }
                let partner = BINDINGS.get(i + 1).filter(|_| words.pair);
                let Some(key) = self.bar_key(b, words, partner) else {
                    continue;
                };
                let word = BarWord {
                    key,
                    label: words.label,
                };
                match words.on {
                    OnBar::Panes(_) => own.push(word),
                    OnBar::Always => always.push(word),
                }
            }
        }
        own.extend(always);
        own
    }

    /// The bar's spelling of `binding` (and of its partner, for a pair like "f/F"): the
    /// table's while neither is rebound, else the first key in force of each; None when
    /// the binding has no key left.
    fn bar_key(
        &self,
        binding: &'static Binding,
        words: &BarWords,
        partner: Option<&'static Binding>,
    ) -> Option<Cow<'static, str>> {
        let rebound = |b: &Binding| self.rebound_keys(b.command).is_some();
        if !rebound(binding) && !partner.is_some_and(rebound) {
            return Some(Cow::Borrowed(words.key));
        }
        let first = names::help_name(self.keys_of(binding).first()?);
        Some(Cow::Owned(
            match partner.and_then(|p| self.keys_of(p).first()) {
                Some(second) => format!("{first}/{}", names::help_name(second)),
                None => first,
            },
        ))
    }
}

/// The binding a key press gives with the table's own keys (see [`KeyTable::binding_for`]).
pub fn binding_for(event: &KeyEvent) -> Option<(&'static Binding, Key)> {
    KeyTable::default().binding_for(event)
}

/// The help screen's lines with the table's own keys: what README.md lists.
pub fn help_lines() -> Vec<(Cow<'static, str>, &'static str)> {
    KeyTable::default().help_lines()
}

/// The key bar of `focus` with the table's own keys.
pub fn bar_words(focus: PaneId) -> Vec<BarWord> {
    KeyTable::default().bar_words(focus)
}
