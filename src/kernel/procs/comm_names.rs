//! Process names (`comm`) shared between processes of the same name: a host runs many
//! processes of one program, and each name would otherwise be an allocation of its own
//! (160 KiB at 5,000 processes).

use std::collections::HashSet;
use std::sync::Arc;

#[derive(Debug, Default)]
pub struct CommNames(HashSet<Arc<str>>);

impl CommNames {
    /// The display-safe name of `raw`, shared with every process of the same name.
    pub fn get(&mut self, raw: &[u8]) -> Arc<str> {
        let text = crate::text::display_safe(raw);
        if let Some(known) = self.0.get(text.as_str()) {
            return Arc::clone(known);
        }
        let name: Arc<str> = Arc::from(text);
        self.0.insert(Arc::clone(&name));
        name
    }

    /// Forgets every name once there are more than four per process (or 256): bounds it
    /// on hosts where names churn.
    pub fn bound(&mut self, processes: usize) {
        if self.0.len() > 4 * processes.max(64) {
            self.0.clear();
        }
    }
}
