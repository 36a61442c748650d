//! The list's columns: which fit, the heading, and one line per row (a mapping, a gap, the
//! end of user space), in address order or in the table of gaps by size.

use crate::app::panes::memory_map::rows::Row;
use crate::app::panes::memory_map::{MapView, by_size};
use crate::model::{Mapping, MappingKind, MemoryMap, UserSpace};
use crate::text::{format_bytes, pad, truncate, truncate_left};
use crate::ui::theme;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

/// The path gets at least this much before other columns are dropped.
const MIN_PATH: usize = 14;
const SIZE_W: usize = 10;
const KIND_W: usize = 7;

/// Which columns fit in a width. Dropped first: END, then PSS, then RSS, then PERMS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Columns {
    /// Hex digits of an address.
    pub addr: usize,
    pub end: bool,
    pub perms: bool,
    pub rss: bool,
    pub pss: bool,
    pub width: usize,
    /// The table of gaps by size: addresses, size and neighbours only.
    pub by_size: bool,
}

impl Columns {
    pub(super) fn fit(map: &MemoryMap, width: usize, view: MapView) -> Columns {
        // Wide enough for the highest user-space address and the end of user space (56 bits
        // with 5-level paging); the list is ascending, so a binary search finds it. Anything
        // above, like x86-64's [vsyscall] page, is printed whole and pushes its own row to
        // the right. Where the end is not known, whatever lies below 1 << 57 counts.
        let user = match map.user_space {
            Some(_) => map.user_mapping_count(),
            None => map.mappings.partition_point(|m| m.end <= 1 << 57),
        };
        let top = user
            .checked_sub(1)
            .and_then(|i| map.mappings.get(i))
            .map(|m| m.end)
            .unwrap_or(0)
            .max(map.user_space.map_or(0, |u| u.top));
        let digits = (64 - top.leading_zeros() as usize).div_ceil(4);
        let by_size = view == MapView::GapsBySize;
        let mut c = Columns {
            addr: digits.max(12),
            end: true,
            perms: !by_size,
            rss: !by_size,
            pss: !by_size,
            width,
            by_size,
        };
        for drop in [
            |c: &mut Columns| c.end = false,
            |c: &mut Columns| c.pss = false,
            |c: &mut Columns| c.rss = false,
            |c: &mut Columns| c.perms = false,
        ] {
            if c.fixed() + MIN_PATH <= width {
                break;
            }
            drop(&mut c);
        }
        c
    }

    /// Cells taken before the path.
    fn fixed(&self) -> usize {
        if self.by_size {
            return 2 * self.addr + 1 + 1 + SIZE_W + 1;
        }
        let addr = if self.end {
            2 * self.addr + 1
        } else {
            self.addr
        };
        addr + 1
            + SIZE_W
            + 1
            + if self.perms { 5 } else { 0 }
            + if self.rss { SIZE_W + 1 } else { 0 }
            + if self.pss { SIZE_W + 1 } else { 0 }
            + KIND_W
            + 1
    }

    fn addr_text(&self, start: u64, end: u64) -> String {
        let a = self.addr;
        if self.end {
            format!("{start:>a$x}-{end:<a$x}")
        } else {
            format!("{start:>a$x}")
        }
    }

    pub(super) fn heading(&self) -> Line<'static> {
        let a = if self.end {
            2 * self.addr + 1
        } else {
            self.addr
        };
        let mut t = format!(
            "{:<a$} {:>SIZE_W$} ",
            if self.end { "START-END" } else { "START" },
            "SIZE"
        );
        if self.by_size {
            t.push_str("NOT USED, BIGGEST FIRST: BETWEEN");
            return Line::styled(pad(t, self.width), theme::heading());
        }
        if self.perms {
            t.push_str("PERM ");
        }
        if self.rss {
            t.push_str(&format!("{:>SIZE_W$} ", "RSS"));
        }
        if self.pss {
            t.push_str(&format!("{:>SIZE_W$} ", "PSS"));
        }
        t.push_str(&format!("{:<KIND_W$} PATH", "KIND"));
        Line::styled(pad(t, self.width), theme::heading())
    }

    pub(super) fn line(&self, map: &MemoryMap, row: &Row) -> Line<'static> {
        match row {
            Row::Mapping { mapping, .. } => self.mapping_line(map, mapping),
            Row::Gap { after, start, end } => {
                let mut t = format!(
                    "{} {:>SIZE_W$} ",
                    self.addr_text(*start, *end),
                    format_bytes(end - start)
                );
                let (below, above) = by_size::neighbours(map, *after);
                let to_the_top = above.is_none() && map.user_space.is_some_and(|u| u.top == *end);
                if self.by_size {
                    t.push_str(&format!(
                        "{} and {}",
                        below.map_or_else(|| "?".into(), name),
                        if to_the_top {
                            "the end of user space".into()
                        } else {
                            above.map_or_else(|| "?".into(), name)
                        }
                    ));
                } else if to_the_top {
                    let room = self.width.saturating_sub(t.chars().count());
                    t.push_str(longest_fitting(
                        &[
                            "· not used · up to the end of user space",
                            "· not used · to the end",
                        ],
                        room,
                    ));
                } else {
                    t.push_str("· not used ·");
                }
                Line::styled(
                    pad(t, self.width),
                    theme::dim().add_modifier(Modifier::ITALIC),
                )
            }
            Row::End(u) => self.end_line(u),
        }
    }

    /// `7ffffffff000 ━━ end of user space (47-bit) ━━ above: …`, the address under the
    /// START column.
    fn end_line(&self, u: &UserSpace) -> Line<'static> {
        let a = self.addr;
        let head = format!("{:>a$x} ━━ end of user space ({}) ━━", u.top, u.label());
        let room = self.width.saturating_sub(head.chars().count());
        let tail = longest_fitting(
            &[
                " above it: the non-canonical hole, then the kernel's half",
                " above: the kernel's half",
                "",
            ],
            room,
        );
        Line::styled(
            pad(format!("{head}{tail}"), self.width),
            theme::dim().add_modifier(Modifier::BOLD),
        )
    }

    fn mapping_line(&self, map: &MemoryMap, m: &Mapping) -> Line<'static> {
        let mut t = format!(
            "{} {:>SIZE_W$} ",
            self.addr_text(m.start, m.end),
            format_bytes(m.size_bytes)
        );
        if self.perms {
            t.push_str(&format!("{:<4} ", truncate(&m.perms, 4)));
        }
        if self.rss {
            t.push_str(&format!("{:>SIZE_W$} ", map.counter_text(m.rss_bytes)));
        }
        if self.pss {
            t.push_str(&format!("{:>SIZE_W$} ", map.counter_text(m.pss_bytes)));
        }
        let kind = format!("{:<KIND_W$} ", m.kind.word());
        // Narrower than the fixed columns: the paragraph clips what does not fit.
        let left = self
            .width
            .saturating_sub(t.chars().count() + kind.chars().count());
        let path = path_cell(m, left);
        Line::from(vec![
            Span::raw(t),
            Span::styled(kind, theme::mapping(m.kind)),
            Span::raw(pad(path, left)),
        ])
    }
}

/// The first of `texts` (longest first) that fits in `room` cells, else the last.
fn longest_fitting(texts: &[&'static str], room: usize) -> &'static str {
    texts
        .iter()
        .find(|t| t.chars().count() <= room)
        .or(texts.last())
        .copied()
        .unwrap_or_default()
}

/// How the table of gaps names a gap's neighbour: its path, else its kind.
fn name(m: &Mapping) -> String {
    match &m.path {
        Some(p) => p.clone(),
        None => format!("{} memory", m.kind.word()),
    }
}

/// The path in `n` cells, keeping its end (the file name) and a short mark when deleted; a
/// page of the kernel's half says so after its name when there is room.
fn path_cell(m: &Mapping, n: usize) -> String {
    let path = m.path.as_deref().unwrap_or("");
    if m.kind == MappingKind::KernelHalf {
        let note = if path == "[vsyscall]" {
            "kernel's half, mapped for old binaries"
        } else {
            "kernel's half"
        };
        let full = format!("{path} · {note}");
        if full.chars().count() <= n {
            return full;
        }
    }
    let full = if m.deleted {
        format!("{path} (deleted)")
    } else {
        path.to_string()
    };
    if full.chars().count() <= n || !m.deleted {
        return truncate_left(&full, n);
    }
    let mark = " (del)";
    let room = n.saturating_sub(mark.chars().count());
    truncate_left(&format!("{}{mark}", truncate_left(path, room)), n)
}
