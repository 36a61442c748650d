//! The header of `boxtop replay`: which sample of the recording is shown, when it was taken,
//! where that is between the first and the last, and whether it plays.

use crate::app::replay_keys::ReplayState;
use crate::app::state::AppState;
use crate::ui::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub(super) fn render(f: &mut Frame, area: Rect, app: &AppState, replay: &ReplayState) {
    let mut spans = vec![
        Span::styled(" boxtop ", theme::key().add_modifier(Modifier::BOLD)),
        Span::styled(" REPLAY ", theme::warn().add_modifier(Modifier::REVERSED)),
    ];
    let Some(pos) = &replay.pos else {
        spans.push(Span::raw(" reading the recording ..."));
        f.render_widget(Paragraph::new(Line::from(spans)), area);
        return;
    };
    spans.push(Span::styled(
        format!(" {} ", pos.time_text),
        theme::title(true),
    ));
    let tail = format!(
        " {}/{} {}",
        pos.index + 1,
        pos.count,
        if pos.playing {
            "▶ playing"
        } else {
            "❚❚ paused"
        }
    );
    let procs = app.snapshot.as_ref().map_or(String::new(), |s| {
        format!(" · {} processes", s.processes.len())
    });
    // The bar takes what is left of the line, between 10 and 60 cells.
    let used: usize = spans.iter().map(Span::width).sum::<usize>()
        + tail.chars().count()
        + procs.chars().count()
        + 4;
    let width = usize::from(area.width).saturating_sub(used).clamp(10, 60);
    spans.push(Span::raw(" "));
    // The track dim, the sample's place bright: the one thing to find on the line.
    let track = bar(pos.index, pos.count, width);
    let (before, after) = track.split_once('●').unwrap_or((track.as_str(), ""));
    spans.push(Span::styled(before.to_string(), theme::dim()));
    spans.push(Span::styled("●", theme::title(true)));
    spans.push(Span::styled(after.to_string(), theme::dim()));
    spans.push(Span::raw(tail));
    spans.push(Span::styled(procs, theme::dim()));
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// `├───●──────┤`: the sample's place among `count`, in `width` cells.
fn bar(index: usize, count: usize, width: usize) -> String {
    let inner = width.saturating_sub(2).max(1);
    let at = if count > 1 {
        index.min(count - 1) * (inner - 1) / (count - 1)
    } else {
        0
    };
    let mut s = String::from("├");
    for i in 0..inner {
        s.push(if i == at { '●' } else { '─' });
    }
    s.push('┤');
    s
}

#[cfg(test)]
mod tests {
    use super::bar;

    #[test]
    fn the_mark_goes_from_one_end_to_the_other() {
        assert_eq!(bar(0, 5, 7), "├●────┤");
        assert_eq!(bar(4, 5, 7), "├────●┤");
        assert_eq!(bar(2, 5, 7), "├──●──┤");
        assert_eq!(bar(0, 1, 5), "├●──┤");
        assert_eq!(bar(9, 5, 7), "├────●┤", "past the end stays at the end");
    }
}
