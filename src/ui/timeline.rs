//! The timeline pane (`6`, `L`): what the kernel did and what boxtop's actions did, newest
//! first. Its title says how many events it holds, what went at its bound, the filter, and
//! which sources this user cannot read (without them some events cannot be seen).

use crate::app::Command;
use crate::app::panes::timeline::{concerns, selection_of};
use crate::app::state::{AppState, PaneId};
use crate::app::timeline::{Entry, Item};
use crate::text::{display_safe_str, fit, pad, truncate, truncate_left};
use crate::ui::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

const KIND_WIDTH: usize = 15;
const CONTAINER_WIDTH: usize = 18;
const CGROUP_WIDTH: usize = 28;
/// Below this width the container and the cgroup share one column of `PLACE_WIDTH`.
const WIDE: usize = 120;
const PLACE_WIDTH: usize = 20;

pub(super) fn render(f: &mut Frame, area: Rect, app: &AppState, focused: bool) {
    let t = &app.timeline;
    let visible = t.visible();
    let inner = crate::ui::pane_block(f, area, title(app, visible.len()), focused);
    let w = usize::from(inner.width);
    let rows = usize::from(inner.height);
    let ours = selection_of(app);
    let mut lines: Vec<Line> = visible
        .iter()
        .enumerate()
        .skip(t.offset)
        .take(rows)
        .map(|(n, e)| {
            let line = row_line(e, w, concerns(e, &ours));
            if n == t.cursor && focused {
                theme::select_line(line, true)
            } else {
                line
            }
        })
        .collect();
    if visible.is_empty() {
        let why = if !t.filter.is_empty() {
            format!(
                "no event matches the timeline's filter ({} clears it)",
                super::key_name(app, Command::Back)
            )
        } else if app.replay.is_some() {
            "no event was recorded up to this sample (v adds execs, exits and namespaces)"
                .to_string()
        } else {
            "nothing yet: OOM kills, limits hit, freezes and actions appear here; v adds execs, \
             exits and namespaces"
                .to_string()
        };
        lines.push(Line::styled(why, theme::dim()));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

fn title(app: &AppState, shown: usize) -> String {
    let t = &app.timeline;
    let mut parts = vec![if t.filter.is_empty() {
        format!("6 Events {shown}")
    } else {
        format!(
            "6 Events {shown} (filter: {})",
            display_safe_str(&t.filter.text)
        )
    }];
    match t.churn_hidden() {
        0 if t.all => parts.push("with process events".into()),
        0 => {}
        n => parts.push(format!(
            "{n} process events ({})",
            super::key_name(app, Command::ToggleView)
        )),
    }
    if t.dropped > 0 {
        parts.push(format!("{} oldest let go", t.dropped));
    }
    if let Some(since) = &t.since {
        parts.push(format!("since {since}"));
    }
    if !t.unreadable.is_empty() {
        parts.push(format!("unreadable: {}", t.unreadable.join(", ")));
    }
    let hides = format!("{} hides", super::key_name(app, Command::ToggleEvents));
    parts.push(if app.focus == PaneId::Events {
        format!(
            "{} goes to it · {} filters · {hides}",
            super::key_name(app, Command::Enter),
            super::key_name(app, Command::StartFilter)
        )
    } else {
        hides
    });
    format!(" {} ", parts.join(" · "))
}

/// `10:42:01 oom_kill  lxc/web  /lxc/web  4242  sleep: memory.events oom_kill 0 -> 1`;
/// `mine`: the event is about the selected process or its container (marked).
fn row_line(e: &Entry, w: usize, mine: bool) -> Line<'static> {
    let mark = if mine { "▸" } else { " " };
    let mut spans = vec![Span::raw(format!("{mark}{} ", e.time))];
    match &e.item {
        Item::Kernel(k) => {
            spans.push(Span::styled(
                format!("{} ", fit(k.kind.word(), KIND_WIDTH)),
                kind_style(k.kind),
            ));
            let container = k
                .container
                .as_deref()
                .map(display_safe_str)
                .unwrap_or_default();
            let cgroup = k
                .cgroup
                .as_deref()
                .map(display_safe_str)
                .unwrap_or_default();
            let pid = k.pid.map(|p| p.to_string()).unwrap_or_default();
            let place = if w >= WIDE {
                format!(
                    "{} {}",
                    fit(&container, CONTAINER_WIDTH),
                    pad(truncate_left(&cgroup, CGROUP_WIDTH), CGROUP_WIDTH)
                )
            } else {
                // Narrow: one column, the container where there is one, else the cgroup
                // (its end, where its own name is).
                let place = if container.is_empty() {
                    &cgroup
                } else {
                    &container
                };
                pad(truncate_left(place, PLACE_WIDTH), PLACE_WIDTH)
            };
            spans.push(Span::raw(format!("{place} {pid:>7}  ")));
            spans.push(Span::raw(display_safe_str(&k.detail)));
        }
        Item::Action(a) => {
            spans.push(Span::styled(
                format!("{} ", fit("action", KIND_WIDTH)),
                theme::title(true),
            ));
            spans.push(Span::raw(format!(
                "{} {}  ",
                a.action,
                display_safe_str(&a.target)
            )));
            spans.push(Span::styled(
                format!("{} {}", if a.ok { "ok:" } else { "failed:" }, a.result),
                if a.ok { theme::dim() } else { theme::warn() },
            ));
        }
    }
    clip(spans, w, mine)
}

/// The spans cut to `w` characters; a marked row is bold.
fn clip(spans: Vec<Span<'static>>, w: usize, mine: bool) -> Line<'static> {
    let mut left = w;
    let mut out = Vec::new();
    for s in spans {
        if left == 0 {
            break;
        }
        let text = truncate(&s.content, left);
        left = left.saturating_sub(text.chars().count());
        let style = if mine {
            s.style.patch(theme::marked())
        } else {
            s.style
        };
        out.push(Span::styled(text, style));
    }
    out.push(Span::raw(" ".repeat(left)));
    Line::from(out)
}

fn kind_style(kind: crate::model::EventKind) -> Style {
    use crate::model::EventKind as K;
    match kind {
        K::OomKill | K::Oom | K::MemoryMax | K::PidsMax | K::SwapMax | K::SwapFail => theme::warn(),
        K::Frozen | K::Thawed | K::MemoryHigh | K::SwapHigh => theme::note(),
        K::NamespaceNew | K::NamespaceGone => theme::ns_new(),
        K::Exec | K::CommandChanged | K::Exit | K::Populated | K::Emptied => Style::default(),
    }
}
