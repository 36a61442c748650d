//! uid -> user name, looked up once per uid (getpwuid_r through nix).

use std::collections::HashMap;
use std::sync::Arc;

#[derive(Debug, Default)]
pub(super) struct UserCache {
    names: HashMap<u32, Option<Arc<str>>>,
}

impl UserCache {
    pub(super) fn name(&mut self, uid: u32) -> Option<Arc<str>> {
        self.names
            .entry(uid)
            .or_insert_with(|| {
                nix::unistd::User::from_uid(nix::unistd::Uid::from_raw(uid))
                    .ok()
                    .flatten()
                    .map(|u| Arc::from(crate::text::display_safe_str(&u.name)))
            })
            .clone()
    }
}
