//! The talk's table of "NOT USED" ranges: the gaps of user space, biggest first (start,
//! end, size), as `v` shows them in place of the address-ordered list. The map keeps its
//! gaps in that order already (`MemoryMap::gaps`), so row `j` is gap `j`.

use super::rows::Row;
use crate::model::{Mapping, MemoryMap};

/// Rows of the view: one per gap.
pub fn len(map: &MemoryMap) -> usize {
    map.gaps.len()
}

/// Gap `j` by size, with the mapping it follows.
pub fn row(map: &MemoryMap, j: usize) -> Option<Row<'_>> {
    let g = map.gaps.get(j)?;
    Some(Row::Gap {
        after: map.mappings.partition_point(|m| m.end < g.start),
        start: g.start,
        end: g.end,
    })
}

/// Rows from `offset` on, numbered.
pub fn window(map: &MemoryMap, offset: usize) -> impl Iterator<Item = (usize, Row<'_>)> {
    (offset..len(map)).map_while(move |j| row(map, j).map(|r| (j, r)))
}

/// The row of the gap that starts at `start`.
pub fn row_of_gap(map: &MemoryMap, start: u64) -> Option<usize> {
    map.gaps.iter().position(|g| g.start == start)
}

/// What a gap lies between: the mapping below it, and the mapping above it or None for the
/// end of user space.
pub fn neighbours(map: &MemoryMap, after: usize) -> (Option<&Mapping>, Option<&Mapping>) {
    let above = Some(after + 1)
        .filter(|&k| k < map.user_mapping_count())
        .and_then(|k| map.mappings.get(k));
    (map.mappings.get(after), above)
}
