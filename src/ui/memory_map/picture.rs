//! The address space as one bar, low addresses on the left, high on the right.
//!
//! The space is 2^47 bytes wide and nearly empty, so it is not drawn to scale: consecutive
//! mappings of one kind merge into a run whose width grows with the log of its size, and each
//! hole between runs of different kinds is a thin `┆`. Where user space ends a `┃` stands,
//! after the hole up to it; what lies beyond is the kernel's half (`[vsyscall]`), with no
//! hole drawn before it. Under the bar a `▲` marks the selected row and the end's address
//! stands left of the `┃`; a legend names the kinds present, in their colours (in
//! monochrome, each kind is a letter of its own: `theme::mapping_glyph`).

use crate::model::{MappingKind, MemoryMap};
use crate::ui::theme;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

/// Rows the picture takes: bar, marker, legend.
pub(super) const HEIGHT: u16 = crate::app::geometry::MAP_PICTURE_HEIGHT;

/// Kinds in legend order (roughly low to high addresses in a classic layout).
pub(super) const KINDS: [MappingKind; 10] = [
    MappingKind::Text,
    MappingKind::Data,
    MappingKind::Heap,
    MappingKind::Library,
    MappingKind::File,
    MappingKind::Shared,
    MappingKind::Anonymous,
    MappingKind::Stack,
    MappingKind::Special,
    MappingKind::KernelHalf,
];

/// The mark of the end of user space, in the bar and the legend.
const END_GLYPH: &str = "┃";

fn kind_slot(kind: MappingKind) -> usize {
    KINDS.iter().position(|k| *k == kind).unwrap_or(0)
}

/// One piece of the bar.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Segment {
    /// Mappings of one kind in a row, from the first's start to the last's end (holes
    /// between them included); `bytes` counts the mapped bytes only.
    Run {
        kind: MappingKind,
        start: u64,
        end: u64,
        bytes: u64,
    },
    /// A hole between two runs of different kinds, or from the last run of user space up
    /// to its end.
    Gap { start: u64, end: u64 },
    /// The end of user space.
    End { top: u64 },
}

impl Segment {
    fn contains(&self, addr: u64) -> bool {
        match self {
            Segment::Run { start, end, .. } | Segment::Gap { start, end } => {
                *start <= addr && addr < *end
            }
            Segment::End { top } => addr == *top,
        }
    }

    /// Relative width of a run: 1 for a page, +1 for each doubling.
    fn weight(&self) -> f64 {
        match self {
            Segment::Run { bytes, .. } => 1.0 + log2_of_pages(*bytes),
            Segment::Gap { .. } | Segment::End { .. } => 0.0,
        }
    }
}

/// log2 of the size in pages (at least one), exact at powers of two and linear between them
/// (at most 0.09 off). Not `f64::log2`: it was boxtop's only call into libm, and without it
/// the linker leaves libm out, which is about 0.5 MiB less resident memory (BENCHMARKS.md).
fn log2_of_pages(bytes: u64) -> f64 {
    let pages = (bytes / 4096).max(1);
    let whole = pages.ilog2();
    let base = 1u64 << whole;
    f64::from(whole) + (pages - base) as f64 / base as f64
}

/// The segments in address order, merged lazily (no allocation: the map is walked). A run
/// never crosses the end of user space.
pub(super) fn segments(map: &MemoryMap) -> impl Iterator<Item = Segment> + '_ {
    let user = map.user_mapping_count();
    let top = map.user_space.map(|u| u.top);
    let mut i = 0usize;
    // What comes after a run before the next: a hole, or the hole up to the end and the end.
    let mut queue: [Option<Segment>; 2] = [None, None];
    std::iter::from_fn(move || {
        if let Some(s) = queue.iter_mut().find_map(Option::take) {
            return Some(s);
        }
        let first = map.mappings.get(i)?;
        let in_user = i < user;
        let limit = if in_user { user } else { map.mappings.len() };
        let (kind, start) = (first.kind, first.start);
        let (mut end, mut bytes) = (first.end, first.size_bytes);
        i += 1;
        while let Some(m) = map.mappings.get(i).filter(|m| i < limit && m.kind == kind) {
            end = m.end;
            bytes = bytes.saturating_add(m.size_bytes);
            i += 1;
        }
        match top {
            Some(top) if in_user && i == user => {
                queue = [
                    (top > end).then_some(Segment::Gap {
                        start: end,
                        end: top,
                    }),
                    Some(Segment::End { top }),
                ];
            }
            _ if i < limit => {
                queue[0] = map
                    .mappings
                    .get(i)
                    .filter(|n| n.start > end)
                    .map(|n| Segment::Gap {
                        start: end,
                        end: n.start,
                    });
            }
            _ => {}
        }
        Some(Segment::Run {
            kind,
            start,
            end,
            bytes,
        })
    })
}

/// The bar, the marker row and the legend, `width` cells wide. `selected` is the address of
/// the selected row, marked with `▲` under its segment.
pub(super) fn picture(map: &MemoryMap, width: u16, selected: Option<u64>) -> Vec<Line<'static>> {
    let w = usize::from(width);
    let (mut runs, mut gaps, mut ends, mut total) = (0usize, 0usize, 0usize, 0.0f64);
    let mut present = [false; KINDS.len()];
    for s in segments(map) {
        match s {
            Segment::Run { kind, .. } => {
                runs += 1;
                total += s.weight();
                present[kind_slot(kind)] = true;
            }
            Segment::Gap { .. } => gaps += 1,
            Segment::End { .. } => ends += 1,
        }
    }
    if runs == 0 || w == 0 {
        return vec![Line::default(); usize::from(HEIGHT)];
    }
    // Room for one cell per run, per hole and for the end: runs get 1 cell plus a share of
    // the rest by weight. Otherwise holes and the end are dropped and runs share the width
    // by count (some vanish).
    let roomy = w >= runs + gaps + ends;
    let extra = if roomy { w - runs - gaps - ends } else { 0 };
    let (mut cum, mut run_no, mut col) = (0.0f64, 0usize, 0usize);
    let mut spans = Vec::new();
    let mut marker: Option<usize> = None;
    let mut end_col: Option<usize> = None;
    for s in segments(map) {
        let cells = match s {
            Segment::Gap { .. } | Segment::End { .. } if roomy => 1,
            Segment::Gap { .. } | Segment::End { .. } => 0,
            Segment::Run { .. } if roomy => {
                #[allow(
                    clippy::cast_possible_truncation,
                    clippy::cast_sign_loss,
                    reason = "0 <= at <= total, so this is 0..=extra (and `as` saturates)"
                )]
                let cell = |at: f64| (at * extra as f64 / total).floor() as usize;
                let before = cell(cum);
                cum += s.weight();
                let after = cell(cum);
                1 + after.saturating_sub(before)
            }
            Segment::Run { .. } => {
                let cells = (run_no + 1) * w / runs - run_no * w / runs;
                run_no += 1;
                cells
            }
        };
        let cells = cells.min(w.saturating_sub(col));
        if selected.is_some_and(|a| s.contains(a)) {
            marker = Some((col + cells / 2).min(w - 1));
        }
        if cells > 0 {
            spans.push(match s {
                Segment::Run { kind, .. } => Span::styled(
                    theme::mapping_glyph(kind).repeat(cells),
                    theme::mapping(kind),
                ),
                Segment::Gap { .. } => Span::styled("┆".repeat(cells), theme::dim()),
                Segment::End { .. } => {
                    end_col = Some(col);
                    Span::styled(END_GLYPH, Style::default().add_modifier(Modifier::BOLD))
                }
            });
        }
        col += cells;
    }
    vec![
        Line::from(spans),
        marker_line(map, w, marker, end_col),
        legend(&present, gaps > 0, end_col.is_some(), w),
    ]
}

/// `▲` under the selected segment, with the lowest address at the left end and the highest
/// at the right (the end of user space, just left of its `┃`, where it is drawn) when they
/// fit beside it.
fn marker_line(
    map: &MemoryMap,
    w: usize,
    marker: Option<usize>,
    end_col: Option<usize>,
) -> Line<'static> {
    let mut cells: Vec<char> = vec![' '; w];
    let low = map.mappings.first().map(|m| format!("{:x}", m.start));
    let (high, right) = match (map.user_space, end_col) {
        (Some(u), Some(col)) => (Some(format!("{:x}", u.top)), col),
        _ => (map.mappings.last().map(|m| format!("{:x}", m.end)), w),
    };
    let free = |from: usize, len: usize| {
        from + len <= w && marker.is_none_or(|m| m + 1 < from || m > from + len)
    };
    if let Some(low) = low.filter(|l| free(0, l.chars().count())) {
        for (c, ch) in cells.iter_mut().zip(low.chars()) {
            *c = ch;
        }
    }
    if let Some(high) = high {
        let len = high.chars().count();
        let from = right.saturating_sub(len);
        if right > len && free(from, len) && cells.get(from.saturating_sub(1)) == Some(&' ') {
            for (c, ch) in cells[from..].iter_mut().zip(high.chars()) {
                *c = ch;
            }
        }
    }
    let text: String = cells.iter().collect();
    let Some(m) = marker.filter(|m| *m < w) else {
        return Line::styled(text, theme::dim());
    };
    let before: String = cells[..m].iter().collect();
    let after: String = cells[m + 1..].iter().collect();
    Line::from(vec![
        Span::styled(before, theme::dim()),
        Span::styled("▲", Style::default().add_modifier(Modifier::BOLD)),
        Span::styled(after, theme::dim()),
    ])
}

fn legend(present: &[bool], has_gaps: bool, has_end: bool, w: usize) -> Line<'static> {
    let mut spans = Vec::new();
    let mut used = 0usize;
    let end_style = Style::default().add_modifier(Modifier::BOLD);
    let items = KINDS
        .iter()
        .zip(present)
        .filter(|(_, p)| **p)
        .map(|(k, _)| (theme::mapping_glyph(*k), k.word(), theme::mapping(*k)))
        .chain(has_gaps.then_some(("┆", "not used", theme::dim())))
        .chain(has_end.then_some((END_GLYPH, "end of user space", end_style)));
    for (glyph, word, style) in items {
        let len = 1 + word.chars().count() + 1;
        if used + len > w + 1 {
            break;
        }
        spans.push(Span::styled(glyph, style));
        spans.push(Span::raw(format!("{word} ")));
        used += len;
    }
    Line::from(spans)
}

#[cfg(test)]
#[path = "picture/tests.rs"]
mod tests;
