//! The counter columns of the cgroup tree, and which of them fit.

use crate::model::{CgroupNode, FreezerState, Limit, PsiResource};
use crate::text::format_bytes;
use crate::ui::theme;
use ratatui::style::Style;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Col {
    Procs,
    Cpu,
    Memory,
    Pids,
    Frozen,
    Psi,
}

impl Col {
    /// In the order they are given up when the pane is narrow (last first).
    const PRIORITY: [Col; 6] = [
        Col::Procs,
        Col::Memory,
        Col::Cpu,
        Col::Frozen,
        Col::Pids,
        Col::Psi,
    ];
    /// In the order they are drawn.
    const ORDER: [Col; 6] = [
        Col::Procs,
        Col::Cpu,
        Col::Memory,
        Col::Pids,
        Col::Frozen,
        Col::Psi,
    ];

    pub(super) fn width(self) -> usize {
        match self {
            Col::Procs => 5,
            Col::Cpu => 5,
            Col::Memory => 25,
            Col::Pids => 9,
            Col::Frozen => 8,
            Col::Psi => 14,
        }
    }

    pub(super) fn title(self) -> &'static str {
        match self {
            Col::Procs => "PROCS",
            Col::Cpu => "CPU%",
            Col::Memory => "MEMORY / MAX",
            Col::Pids => "PIDS",
            Col::Frozen => "FREEZER",
            Col::Psi => "PSI cpu/mem/io",
        }
    }
}

/// The columns that fit in `room` cells (each takes its width plus a space).
pub(super) fn columns_for(room: usize) -> Vec<Col> {
    let mut left = room;
    let mut keep = Vec::new();
    for c in Col::PRIORITY {
        if c.width() < left {
            left -= c.width() + 1;
            keep.push(c);
        }
    }
    Col::ORDER
        .into_iter()
        .filter(|c| keep.contains(c))
        .collect()
}

/// A cell's text and style; "-" where the kernel gives nothing (never a zero).
pub(super) fn cell(col: Col, n: &CgroupNode) -> (String, Style) {
    let plain = Style::default();
    match col {
        Col::Procs => (
            if n.pids_access.is_ok() {
                n.pids.len().to_string()
            } else {
                "?".into()
            },
            plain,
        ),
        Col::Cpu => (
            n.cpu
                .and_then(|c| c.cpu_percent)
                .map(|c| format!("{c:.1}"))
                .unwrap_or_else(|| "-".into()),
            plain,
        ),
        Col::Memory => memory(n),
        Col::Pids => match n.pids_limit {
            Some(p) => {
                let cur = p
                    .current
                    .map(|c| c.to_string())
                    .unwrap_or_else(|| "?".into());
                match p.max {
                    Some(Limit::Value(m)) => (format!("{cur}/{m}"), plain),
                    _ => (cur, plain),
                }
            }
            None => ("-".into(), plain),
        },
        Col::Frozen => match &n.freezer {
            Some(FreezerState::V1 { state, .. }) if state != "THAWED" => {
                (state.to_lowercase(), theme::warn())
            }
            Some(FreezerState::V2 {
                frozen: Some(true), ..
            }) => ("frozen".into(), theme::warn()),
            Some(FreezerState::V2 {
                requested: Some(true),
                ..
            }) => ("freezing".into(), theme::warn()),
            _ => (String::new(), plain),
        },
        Col::Psi => match n.pressure {
            Some(p) => {
                let v = |r: Option<PsiResource>| {
                    r.and_then(|r| r.some)
                        .map(|l| format!("{:.1}", l.avg10))
                        .unwrap_or_else(|| "-".into())
                };
                (format!("{}/{}/{}", v(p.cpu), v(p.memory), v(p.io)), plain)
            }
            None => ("-".into(), plain),
        },
    }
}

/// "402.0 MiB/512.0 MiB ████░", or the usage alone when there is no limit.
fn memory(n: &CgroupNode) -> (String, Style) {
    let Some(m) = n.memory else {
        return ("-".into(), Style::default());
    };
    let Some(cur) = m.current_bytes else {
        return ("?".into(), Style::default());
    };
    match m.max_bytes {
        Some(Limit::Value(max)) if max > 0 => {
            const BAR: usize = 5;
            let frac = (cur as f64 / max as f64).clamp(0.0, 1.0);
            #[allow(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                reason = "frac is clamped to 0..=1, so this is 0..=BAR"
            )]
            let full = (frac * BAR as f64).round() as usize;
            let bar = format!("{}{}", "█".repeat(full), "░".repeat(BAR - full));
            let style = if frac >= 0.9 {
                theme::warn()
            } else {
                Style::default()
            };
            (
                format!("{}/{} {bar}", format_bytes(cur), format_bytes(max)),
                style,
            )
        }
        _ => (format_bytes(cur), Style::default()),
    }
}
