//! The action windows: the plan to confirm, the forms (limits, move, unshare), the signal
//! list. Pure: they draw what the state holds.

use crate::actions::plan::Plan;
use crate::app::dialogs::{Form, Value};
use crate::ui::overlay::{Scroll, inner_width, window_with_footer};
use crate::ui::theme;
use ratatui::Frame;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

fn keys(pairs: &[(&str, &str)]) -> Line<'static> {
    let mut spans = Vec::new();
    for (k, what) in pairs {
        spans.push(Span::styled(format!(" {k} "), theme::key()));
        spans.push(Span::raw(format!(" {what}   ")));
    }
    Line::from(spans)
}

/// The plan, every file with old and new value and its shell line; its cautions; and, the
/// second time, that `y` now acts as --force.
pub(super) fn confirm(f: &mut Frame, plan: &Plan, asked_again: bool, scroll: usize) {
    let mut lines = vec![Line::from(Span::styled(plan.title(), theme::title(true)))];
    lines.extend(plan.preview().into_iter().map(|l| {
        if l.starts_with("Note: ") {
            Line::from(Span::styled(l, theme::note()))
        } else if let Some(rest) = l.strip_prefix("Would ") {
            // The step's own wording; shell lines and paths are shown as they are.
            Line::from(format!("Will {rest}"))
        } else {
            Line::from(l)
        }
    }));
    // Cautions and keys stay in sight however far the plan scrolls.
    let mut footer = vec![Line::from("")];
    for why in &plan.cautions {
        footer.push(Line::from(Span::styled(
            format!("Caution: {why}."),
            theme::warn(),
        )));
    }
    if asked_again {
        footer.push(Line::from(Span::styled(
            "Are you sure? y now does what --force does on the command line.",
            theme::warn().add_modifier(Modifier::BOLD),
        )));
        footer.push(keys(&[("y", "do it anyway"), ("Esc", "cancel")]));
    } else if !plan.cautions.is_empty() {
        let mut k = vec![("y", "continue (asks again)")];
        if plan.alone_offer().is_some() {
            k.push((
                "m",
                "move it into a cgroup of its own first, freeze only it",
            ));
        }
        k.push(("Esc", "cancel"));
        footer.push(keys(&k));
    } else {
        footer.push(keys(&[
            ("y", "do it"),
            ("Esc", "cancel (any other key cancels too)"),
        ]));
    }
    window_with_footer(
        f,
        " Confirm (↑↓ scroll) ",
        lines,
        footer,
        Scroll::Rows(scroll),
    );
}

/// A form: its intro, one row per field (the focused one marked, hints cut to the window's
/// width), the focused field's whole hint, the error, the keys. The fields scroll so that
/// the focused one is always in sight.
pub(super) fn form(f: &mut Frame, form: &Form) {
    let width = usize::from(inner_width(f.area()));
    let mut lines: Vec<Line> = form.intro.iter().map(|l| Line::from(l.clone())).collect();
    lines.push(Line::from(""));
    let first_field = lines.len();
    let mut focused_hint = None;
    for (i, field) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        let marker = if focused { "▶ " } else { "  " };
        let shown = match &field.value {
            Value::Check(on) => format!("[{}] {:<14}", if *on { "x" } else { " " }, field.label),
            Value::Text(t) => {
                let t = crate::text::display_safe_str(t);
                let cursor = if focused { "█" } else { "" };
                let value = crate::text::truncate_left(&format!("{t}{cursor}"), 24);
                format!("{:<14} [{}]", field.label, crate::text::pad(value, 24))
            }
        };
        let style = if focused {
            theme::selected(true)
        } else {
            ratatui::style::Style::default()
        };
        // One row each: a hint that does not fit is cut here and said whole below.
        let room = width.saturating_sub(marker.chars().count() + shown.chars().count() + 2);
        let hint = crate::text::truncate(&field.hint, room);
        if focused && hint != field.hint {
            focused_hint = Some(field.hint.clone());
        }
        lines.push(Line::from(vec![
            Span::raw(marker),
            Span::styled(shown, style),
            Span::styled(format!("  {hint}"), theme::dim()),
        ]));
    }
    // The error and the keys stay in sight on a small terminal.
    let mut footer = vec![Line::from("")];
    if let Some(hint) = focused_hint {
        footer.push(Line::from(Span::styled(hint, theme::note())));
    }
    if let Some(e) = &form.error {
        footer.push(Line::from(Span::styled(e.clone(), theme::warn())));
    }
    footer.push(keys(&[
        ("Enter", "preview"),
        ("Tab ↑↓", "field"),
        ("Space", "tick"),
        ("Esc", "cancel"),
    ]));
    window_with_footer(
        f,
        &format!(" {} ", form.title),
        lines,
        footer,
        Scroll::Show(first_field + form.focus),
    );
}

/// `k`: the signals (or cgroup.kill), the picked one highlighted.
pub(super) fn signals(f: &mut Frame, what: &str, target: &crate::actions::Target, cursor: usize) {
    let mut lines = vec![Line::from(format!("Send to {what}:")), Line::from("")];
    for (i, (sig, why)) in crate::app::action_keys::signal_choices(target)
        .iter()
        .enumerate()
    {
        let style = if i == cursor {
            theme::selected(true)
        } else {
            ratatui::style::Style::default()
        };
        lines.push(Line::from(vec![
            Span::styled(format!(" {:<8} {:>2} ", sig.as_str(), *sig as i32), style),
            Span::styled(format!(" {why}"), theme::dim()),
        ]));
    }
    let footer = vec![
        Line::from(""),
        keys(&[("↑↓", "pick"), ("Enter", "preview"), ("Esc", "cancel")]),
    ];
    window_with_footer(f, " Signal ", lines, footer, Scroll::Show(2 + cursor));
}
