//! Header, status line, key bar, and the too-small notice.

use crate::app::Command;
use crate::app::keys;
use crate::app::state::AppState;
use crate::app::state::PaneId;
use crate::model::CgroupMode;
use crate::ui::theme;
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

pub(super) fn header(f: &mut Frame, area: Rect, app: &AppState) {
    if let Some(replay) = &app.replay {
        super::time_bar::render(f, area, app, replay);
        return;
    }
    let mut spans = vec![Span::styled(
        " boxtop ",
        theme::key().add_modifier(Modifier::BOLD),
    )];
    match &app.snapshot {
        Some(snap) => {
            let mode = match snap.cgroups.mode {
                CgroupMode::V1 => "cgroup v1",
                CgroupMode::V2 => "cgroup v2",
                CgroupMode::Hybrid => "hybrid cgroups",
            };
            let kthreads = snap.processes.iter().filter(|p| p.kernel_thread).count();
            let hidden = if app.processes.show_kernel_threads {
                String::new()
            } else {
                format!(", {kthreads} kernel threads hidden")
            };
            let threads = app.visible.iter().filter(|r| r.thread.is_some()).count();
            let shown = app.visible.len() - threads;
            let threads = if app.processes.show_threads {
                format!(" · {threads} threads")
            } else {
                String::new()
            };
            spans.push(Span::raw(format!(
                " {mode} · {} processes ({shown} shown{hidden}){threads} · every {:.1} s",
                snap.processes.len(),
                app.interval_ms as f64 / 1000.0
            )));
        }
        None => spans.push(Span::raw(" reading /proc ...")),
    }
    if app.processes.tree {
        spans.push(Span::raw(" · tree"));
    }
    if let Some(dir) = &app.recording {
        spans.push(Span::raw(" "));
        spans.push(Span::styled(format!(" ● REC {dir} "), theme::warn()));
    }
    if app.timeline.unseen > 0 && !app.timeline.shown {
        let n = app.timeline.unseen;
        spans.push(Span::styled(
            format!(
                " · {n} new event{} ({} shows)",
                if n == 1 { "" } else { "s" },
                super::key_name(app, Command::FocusPane(PaneId::Events))
            ),
            theme::changed(),
        ));
    }
    if app.paused {
        spans.push(Span::raw(" "));
        spans.push(Span::styled(
            format!(
                " PAUSED ({} resumes) ",
                super::key_name(app, Command::Pause)
            ),
            theme::warn().add_modifier(Modifier::REVERSED),
        ));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

pub(super) fn status_line(f: &mut Frame, area: Rect, app: &AppState) {
    let typed_time = app.replay.as_ref().and_then(|r| r.time_input.as_ref());
    let line = if let Some(input) = typed_time {
        Line::from(vec![
            Span::styled(" Go to: ", theme::key()),
            Span::raw(format!(" {input}")),
            Span::styled("█", Style::default()),
            Span::styled(
                "   Enter go · Esc cancel · 10:42  10:42:05  2026-12-02 10:42  -5m  -90s",
                theme::dim(),
            ),
        ])
    } else if let Some(input) = &app.timeline.filter_input {
        let mut spans = vec![
            Span::styled(" Events: ", theme::key()),
            Span::raw(format!(" {input}")),
            Span::styled("█", Style::default()),
        ];
        spans.push(match &app.status {
            Some(err) => Span::styled(format!("   {err}"), theme::warn()),
            None => Span::styled(
                "   Enter keep · Esc clear · kind:oom container:NAME cgroup:PATH pid:N text",
                theme::dim(),
            ),
        });
        Line::from(spans)
    } else if let Some(input) = &app.filter_input {
        let mut spans = vec![
            Span::styled(" Filter: ", theme::key()),
            Span::raw(format!(" {input}")),
            Span::styled("█", Style::default()),
        ];
        if let Some(err) = &app.status {
            spans.push(Span::styled(format!("   {err}"), theme::warn()));
        } else {
            spans.push(Span::styled(
                "   Enter keep · Esc clear · user: pid: state: cgroup: ns:TYPE:INODE",
                theme::dim(),
            ));
        }
        Line::from(spans)
    } else if let Some(msg) = &app.status {
        Line::from(Span::styled(format!(" {msg}"), theme::warn()))
    } else if !app.filter.is_empty() {
        Line::from(vec![
            Span::styled(" Filter: ", theme::key()),
            Span::raw(format!(" {}   ", app.filter.text)),
            Span::styled(
                format!(
                    "({} to edit, {} to clear)",
                    super::key_name(app, Command::StartFilter),
                    super::key_name(app, Command::Back)
                ),
                theme::dim(),
            ),
        ])
    } else {
        Line::from("")
    };
    f.render_widget(Paragraph::new(line), area);
}

/// The keys the focused pane offers, then the global ones (from the table of keys).
pub(super) fn key_bar(f: &mut Frame, area: Rect, app: &AppState) {
    let mut spans = Vec::new();
    // The tour's keys in the tour's language.
    if let Some(tour) = app.tour.as_ref() {
        let bar = match crate::app::tour::demo::next_words(tour) {
            Some(demo) if tour.is_last() => tour.text.ui("keys_last", &[("demo", &demo)]),
            Some(demo) => tour.text.ui("keys", &[("demo", &demo)]),
            None => tour.text.ui("keys_idle", &[]),
        };
        f.render_widget(
            Paragraph::new(Line::from(Span::styled(bar, theme::key()))),
            area,
        );
        return;
    }
    let replay = if app.replay.is_some() {
        keys::replay::bar_words()
    } else {
        Vec::new()
    };
    let live = app.keys.bar_words(app.focus);
    // In replay Space plays; the live bar's Space (pause) would contradict it.
    let live: Vec<_> = live
        .into_iter()
        .filter(|w| !replay.iter().any(|r| r.key == w.key))
        .collect();
    for words in replay.into_iter().chain(live) {
        spans.push(Span::styled(words.key, theme::key()));
        spans.push(Span::raw(format!(" {} ", words.label)));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

pub(super) fn too_small(f: &mut Frame, app: &AppState) {
    let area = f.area();
    // The quit key in force (the config may have rebound it; it cannot leave quit keyless).
    let quit = super::key_name(app, Command::Quit);
    let text = format!(
        "boxtop needs {}x{}; this terminal is {}x{}. Enlarge it, or {quit} to quit.",
        crate::app::geometry::MIN_WIDTH,
        crate::app::geometry::MIN_HEIGHT,
        app.size.0,
        app.size.1
    );
    f.render_widget(
        Paragraph::new(text)
            .wrap(Wrap { trim: true })
            .alignment(Alignment::Center),
        area,
    );
}
