//! The unmapped ranges of user space: the "NOT USED" rows of an address-space diagram.

use crate::model::{Gap, Mapping};

/// The gaps of user space, largest first, then by address: between consecutive mappings
/// below `top` (which must be ascending and must not overlap, as the kernel lists them), and
/// from the last of them up to `top`, the end of user space. Mappings at or above `top` (x86-64's
/// `[vsyscall]`, in the kernel's half) take no part: no gap runs up to them, and the
/// non-canonical hole below them is not user space. Nothing is counted below the first
/// mapping (see `MemoryMap::user_span`). With no `top` (an architecture whose layout boxtop
/// does not know) the gaps are those between mappings.
///
/// The identity, for mappings `m` below `top`, at least one of them, none reaching past it:
///
/// ```text
/// Σ m.size_bytes + Σ gap.size_bytes == top - m[0].start
/// ```
///
/// (with `top` = the last mapping's end when there is no top). `tests/user_space_kernel.rs`
/// checks it on a live process, and the sizes against `pmap -X`.
pub(crate) fn gaps(mappings: &[Mapping], top: Option<u64>) -> Vec<Gap> {
    let user = match top {
        Some(t) => mappings
            .get(..mappings.partition_point(|m| m.start < t))
            .unwrap_or_default(),
        None => mappings,
    };
    let between = user.windows(2).filter_map(|pair| match pair {
        [a, b] => gap(a.end, b.start),
        _ => None,
    });
    let last = top.zip(user.last()).and_then(|(t, m)| gap(m.end, t));
    let mut out: Vec<Gap> = between.chain(last).collect();
    out.sort_unstable_by(|a, b| b.size_bytes.cmp(&a.size_bytes).then(a.start.cmp(&b.start)));
    out
}

fn gap(start: u64, end: u64) -> Option<Gap> {
    (end > start).then_some(Gap {
        start,
        end,
        size_bytes: end - start,
    })
}

#[cfg(test)]
#[path = "gaps/tests.rs"]
mod tests;
