//! The pane's rows: every mapping in address order, with a "not used" row wherever there is
//! a hole between two mappings (never before the first or after the last).
//!
//! Rows are found by index, never built as a whole list: [`RowIndex`] keeps only the
//! positions of the holes (one `usize` per gap, sorted by address), so finding row `r` is a
//! binary search and drawing a window of `n` rows walks `n` steps, even at 60,000 mappings.

use crate::model::{Mapping, MemoryMap};

/// One row of the list.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Row<'a> {
    /// `mappings[index]`.
    Mapping { index: usize, mapping: &'a Mapping },
    /// The unmapped range after `mappings[after]` and before `mappings[after + 1]`.
    Gap { after: usize, start: u64, end: u64 },
}

impl Row<'_> {
    /// The lowest address the row covers.
    pub fn start(&self) -> u64 {
        match self {
            Row::Mapping { mapping, .. } => mapping.start,
            Row::Gap { start, .. } => *start,
        }
    }
}

/// Where the holes are: the indices of the mappings that a hole follows, ascending.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowIndex {
    mappings: usize,
    gap_after: Vec<usize>,
}

impl RowIndex {
    /// From the map's gap list (largest first): each gap is placed after the mapping that
    /// ends where it starts. O(G log N + G log G) for G gaps; a gap that matches no mapping
    /// (the model would be inconsistent) is left out rather than trusted.
    pub fn new(map: &MemoryMap) -> Self {
        let maps = &map.mappings;
        let mut gap_after: Vec<usize> = map
            .gaps
            .iter()
            .filter_map(|g| {
                let k = maps.partition_point(|m| m.end < g.start);
                let next = maps.get(k + 1)?;
                (maps.get(k)?.end == g.start && next.start == g.end && g.end > g.start).then_some(k)
            })
            .collect();
        gap_after.sort_unstable();
        gap_after.dedup();
        RowIndex {
            mappings: maps.len(),
            gap_after,
        }
    }

    /// Mappings plus interior gaps.
    pub fn len(&self) -> usize {
        self.mappings + self.gap_after.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
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
        // Gaps sit at strictly increasing rows: binary search for the first at or past `row`.
        let (mut lo, mut hi) = (0, self.gap_after.len());
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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Mapping(usize),
    /// The j-th gap in address order.
    Gap(usize),
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
                    Place::Mapping(k + 1)
                };
                (Row::Mapping { index: k, mapping }, next)
            }
            Place::Gap(j) => {
                let k = *self.index.gap_after.get(j)?;
                let (a, b) = (maps.get(k)?, maps.get(k + 1)?);
                self.next_gap = j + 1;
                let gap = Row::Gap {
                    after: k,
                    start: a.end,
                    end: b.start,
                };
                (gap, Place::Mapping(k + 1))
            }
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
