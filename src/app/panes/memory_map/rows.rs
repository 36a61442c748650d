//! The pane's rows in address order: every mapping, a "not used" row wherever there is a
//! hole in user space (between two mappings, and from the last user mapping up to the end
//! of user space; never before the first), the row of the end of user space, then what the
//! kernel lists of its own half (`[vsyscall]`).
//!
//! Rows are found by index, never built as a whole list: [`RowIndex`] keeps only the
//! positions of the holes (one `usize` per gap, sorted by address), so finding row `r` is a
//! binary search and drawing a window of `n` rows walks `n` steps, even at 60,000 mappings.

use crate::model::{Mapping, MemoryMap, UserSpace};

/// One row of the list.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Row<'a> {
    /// `mappings[index]`.
    Mapping { index: usize, mapping: &'a Mapping },
    /// The unmapped range after `mappings[after]`, up to the next mapping or to the end of
    /// user space.
    Gap { after: usize, start: u64, end: u64 },
    /// Where user space ends: what lies above is the non-canonical hole and the kernel's half.
    End(UserSpace),
}

impl Row<'_> {
    /// The lowest address the row covers.
    pub fn start(&self) -> u64 {
        match self {
            Row::Mapping { mapping, .. } => mapping.start,
            Row::Gap { start, .. } => *start,
            Row::End(u) => u.top,
        }
    }
}

/// Where the holes are: the indices of the mappings that a hole follows, ascending; and
/// where user space ends.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowIndex {
    mappings: usize,
    /// Mappings below the end of user space (all of them when it is not known).
    user: usize,
    gap_after: Vec<usize>,
    /// The end of user space, when known and there is a mapping to place below it.
    end: Option<UserSpace>,
}

impl RowIndex {
    /// From the map's gap list (largest first): each gap is placed after the mapping that
    /// ends where it starts. O(G log N + G log G) for G gaps; a gap that matches no mapping
    /// (the model would be inconsistent) is left out rather than trusted.
    pub fn new(map: &MemoryMap) -> Self {
        let maps = &map.mappings;
        let user = map.user_mapping_count();
        let top = map.user_space.map(|u| u.top);
        let mut gap_after: Vec<usize> = map
            .gaps
            .iter()
            .filter_map(|g| {
                let k = maps.partition_point(|m| m.end < g.start);
                let up_to = if k + 1 < user {
                    maps.get(k + 1).map(|m| m.start)
                } else {
                    top.filter(|_| k + 1 == user)
                };
                (maps.get(k)?.end == g.start && up_to? == g.end && g.end > g.start).then_some(k)
            })
            .collect();
        gap_after.sort_unstable();
        gap_after.dedup();
        RowIndex {
            mappings: maps.len(),
            user,
            gap_after,
            end: map.user_space.filter(|_| !maps.is_empty()),
        }
    }

    /// Mappings, gaps and the end of user space.
    pub fn len(&self) -> usize {
        self.mappings + self.gap_after.len() + usize::from(self.end.is_some())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The row of the end of user space: after every user mapping and gap.
    fn end_row(&self) -> Option<usize> {
        self.end.map(|_| self.user + self.gap_after.len())
    }

    /// The row number of gap `j` (in address order).
    fn gap_row(&self, j: usize) -> Option<usize> {
        self.gap_after.get(j).map(|k| k + j + 1)
    }

    /// What row `row` is, and how many gap rows come before it. O(log G).
    fn locate(&self, row: usize) -> Option<(Place, usize)> {
        if row >= self.len() {
            return None;
        }
        let gaps = self.gap_after.len();
        match self.end_row() {
            Some(e) if row == e => return Some((Place::End, gaps)),
            Some(e) if row > e => return Some((Place::Mapping(row - gaps - 1), gaps)),
            _ => {}
        }
        // Gaps sit at strictly increasing rows: binary search for the first at or past `row`.
        let (mut lo, mut hi) = (0, gaps);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.gap_row(mid).is_some_and(|r| r < row) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if self.gap_row(lo) == Some(row) {
            Some((Place::Gap(lo), lo))
        } else {
            Some((Place::Mapping(row - lo), lo))
        }
    }

    /// Row `row`, if it exists.
    pub fn row<'a>(&self, map: &'a MemoryMap, row: usize) -> Option<Row<'a>> {
        self.window(map, row).next().map(|(_, r)| r)
    }

    /// Rows from `offset` on, lazily: take as many as fit on screen.
    pub fn window<'a, 'i>(&'i self, map: &'a MemoryMap, offset: usize) -> Window<'a, 'i> {
        let (at, next_gap) = match self.locate(offset) {
            Some((place, j)) => (Some(place), j),
            None => (None, self.gap_after.len()),
        };
        Window {
            index: self,
            map,
            at,
            next_gap,
            row: offset,
        }
    }

    /// The row of the gap that starts at `start`, in address order.
    pub fn row_of_gap(&self, map: &MemoryMap, start: u64) -> Option<usize> {
        let k = map.mappings.partition_point(|m| m.end < start);
        let j = self.gap_after.binary_search(&k).ok()?;
        (map.mappings.get(k)?.end == start).then(|| self.gap_row(j))?
    }

    /// What follows mapping `k` (or the gap after it): the next mapping, or the end of user
    /// space after the last user mapping.
    fn after_mapping(&self, k: usize) -> Place {
        if self.end.is_some() && k + 1 == self.user {
            Place::End
        } else {
            Place::Mapping(k + 1)
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Mapping(usize),
    /// The j-th gap in address order.
    Gap(usize),
    End,
}

/// Iterator over rows from some offset, yielding (row number, row).
pub struct Window<'a, 'i> {
    index: &'i RowIndex,
    map: &'a MemoryMap,
    at: Option<Place>,
    /// The next gap (in address order) not yet passed.
    next_gap: usize,
    row: usize,
}

impl<'a> Iterator for Window<'a, '_> {
    type Item = (usize, Row<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        let place = self.at?;
        let maps = &self.map.mappings;
        let (row, next) = match place {
            Place::Mapping(k) => {
                let mapping = maps.get(k)?;
                let next = if self.index.gap_after.get(self.next_gap) == Some(&k) {
                    Place::Gap(self.next_gap)
                } else {
                    self.index.after_mapping(k)
                };
                (Row::Mapping { index: k, mapping }, next)
            }
            Place::Gap(j) => {
                let k = *self.index.gap_after.get(j)?;
                let end = if k + 1 < self.index.user {
                    maps.get(k + 1)?.start
                } else {
                    self.index.end?.top
                };
                self.next_gap = j + 1;
                let gap = Row::Gap {
                    after: k,
                    start: maps.get(k)?.end,
                    end,
                };
                (gap, self.index.after_mapping(k))
            }
            Place::End => (Row::End(self.index.end?), Place::Mapping(self.index.user)),
        };
        self.at = Some(next);
        let n = self.row;
        self.row += 1;
        Some((n, row))
    }
}

#[cfg(test)]
#[path = "rows/tests.rs"]
mod tests;
