//! The tour's panel: the step's title and words, the shell line and the kernel file it
//! equals, what it shows live on this host (`tour/live.rs`), and what `d` does. The step's
//! pane is drawn below it by the usual view. Text is wrapped by display width, so CJK
//! (two columns a character) fits as English does.

mod live;

use crate::app::state::AppState;
use crate::app::tour::TourState;
use crate::ui::theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

pub(super) fn render(f: &mut Frame, area: Rect, app: &AppState) {
    let Some(tour) = app.tour.as_ref() else {
        return;
    };
    let t = tour.text;
    let n = (tour.step + 1).to_string();
    let total = crate::app::tour::Step::ALL.len().to_string();
    let step = t.ui("step", &[("n", &n), ("total", &total)]);
    let title = tour.step_text().map_or(String::new(), |s| s.title.clone());
    let inner = crate::ui::pane_block(
        f,
        area,
        format!(" {} · {step} · {title} ", t.ui("title", &[])),
        true,
    );
    let lines = lines(app, tour);
    let para = Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .scroll((tour.scroll, 0));
    f.render_widget(para, inner);
}

/// Every line of the panel, before wrapping.
fn lines(app: &AppState, tour: &TourState) -> Vec<Line<'static>> {
    let t = tour.text;
    let mut out: Vec<Line<'static>> = Vec::new();
    let pid = live::subject_pid(app, tour).map_or("PID".to_string(), |p| p.to_string());
    let dir =
        crate::app::tour::layout_hierarchy(app.snapshot.as_deref()).unwrap_or_else(|| "DIR".into());
    let root = tour.scratch.display().to_string();
    let holes: [(&str, &str); 3] = [("pid", &pid), ("dir", &dir), ("root", &root)];
    if let Some(s) = tour.step_text() {
        for p in crate::app::tour::text::paragraphs(&s.body) {
            out.push(Line::from(p));
        }
        out.push(Line::default());
        out.push(labelled(
            &t.ui("shell", &[]),
            crate::app::tour::text::fill(&s.shell, &holes),
        ));
        out.push(labelled(
            &t.ui("file", &[]),
            crate::app::tour::text::fill(&s.file, &holes),
        ));
        out.push(Line::default());
        out.push(Line::from(Span::styled(
            format!("{}:", t.ui("live", &[])),
            theme::heading(),
        )));
        out.extend(live::lines(app, tour));
        out.push(Line::default());
        out.push(Line::from(Span::styled(
            live::demo_line(tour),
            theme::note(),
        )));
    }
    let cleanup = crate::app::tour::demo::cleanup(tour);
    if !cleanup.is_empty() {
        out.push(Line::from(Span::styled(
            t.ui("cleanup", &[("what", &cleanup.describe())]),
            theme::dim(),
        )));
    }
    out
}

fn labelled(label: &str, text: String) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("{label}: "), theme::heading()),
        Span::raw(text),
    ])
}
