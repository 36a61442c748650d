//! The tui layer: owns the terminal. The run loop blocks on one channel, hands each message
//! to the pure update (`crate::app`), draws once per batch of messages (`crate::ui`), and
//! runs the effects; its threads read input and signals.

use crate::app::config::Config;
use crate::app::poller::{self, PollerCtl};
use crate::app::replay::{self, ReplayCtl};
use crate::app::replay_keys::ReplayState;
use crate::app::state::AppState;
use crate::app::update::{Effect, Msg, update};
use crate::collect::Collector;
use crate::kernel::Roots;
use crate::store::{Recording, WriteOptions, Writer};
use nix::sys::signal::{SigSet, Signal};
use ratatui::crossterm::event::{
    self, DisableMouseCapture, EnableMouseCapture, Event as TermEvent,
};
use ratatui::crossterm::execute;
use std::io::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Sender};
use std::time::Duration;

/// Held while a frame is drawn, so that a panic in another thread restores the terminal
/// between frames, never in the middle of one.
static TERMINAL: Mutex<()> = Mutex::new(());
/// Set by the panic hook: draw nothing more.
static PANICKED: AtomicBool = AtomicBool::new(false);

/// Where the dashboard's snapshots come from: the poller reading this host, or a recording.
enum Source {
    Live(Sender<PollerCtl>),
    Replay(Sender<ReplayCtl>),
}

/// A recording to open the dashboard on, and the sample to start at.
pub struct Replay {
    pub recording: Recording,
    pub start: usize,
    /// The config's keys, theme and layout (its interval and readonly mean nothing there).
    pub settings: Config,
}

/// What the live dashboard is asked.
pub struct Live {
    pub roots: Roots,
    /// The settings in force: the config file's and the flags'.
    pub settings: Config,
    /// `--record DIR`: write what the dashboard shows there too.
    pub record: Option<std::path::PathBuf>,
    /// `boxtop tour`: the tour is open from the start, in this language, and leaving it
    /// ends the program.
    pub tour: Option<crate::app::tour::Lang>,
}

/// The tour's language from the locale (LC_ALL, LC_MESSAGES, LANG), for `w` and for
/// `boxtop tour` without --lang.
pub fn locale_lang() -> crate::app::tour::Lang {
    crate::app::tour::Lang::from_locale(|v| std::env::var(v).ok())
}

/// The dashboard's recording is bounded as `boxtop record`'s is by default.
fn dashboard_recording() -> WriteOptions {
    WriteOptions {
        retain_ms: Some(crate::store::writer::DEFAULT_RETAIN_MS),
        max_size: Some(crate::store::writer::DEFAULT_MAX_SIZE),
        ..WriteOptions::default()
    }
}

/// Runs the dashboard until the user quits (or SIGTERM/SIGHUP).
pub fn run(live: Live) -> color_eyre::Result<()> {
    // Fail before touching the terminal if the roots or the recording's directory are wrong.
    let roots = live.roots.clone();
    let collector = Collector::new(live.roots)?;
    let writer = match &live.record {
        Some(dir) => Some(
            Writer::new(dir, dashboard_recording())
                .map_err(|e| color_eyre::eyre::eyre!("{}: {e}", dir.display()))?,
        ),
        None => None,
    };
    crate::malloc_tuning::tune();
    let interval = Duration::from_millis(live.settings.interval_ms);
    let mut app = AppState::new(live.settings.interval_ms);
    live.settings.apply(&mut app);
    app.preferred_pid = i32::try_from(std::process::id()).ok();
    app.recording = live.record.as_ref().map(|d| d.display().to_string());
    app.tour_setup = Some(crate::app::tour::Setup {
        lang: live.tour.unwrap_or_else(locale_lang),
        // The token demo runs this binary again; the helper starts it by this path.
        exe: std::env::current_exe().unwrap_or_else(|_| "boxtop".into()),
        scratch: std::env::temp_dir().join(format!("boxtop-tour-root-{}", std::process::id())),
        standalone: live.tour.is_some(),
    });
    if live.tour.is_some() {
        let _ = crate::app::tour::keys::command(&mut app, crate::app::Command::Tour);
        if app.tour.is_none() {
            return Err(color_eyre::eyre::eyre!(
                "{}",
                app.status
                    .take()
                    .unwrap_or_else(|| "the tour could not start".into())
            ));
        }
    }
    let mut thread = None;
    let (result, app) = run_with(app, |tx| {
        let mut p = poller::spawn(collector, interval, tx, writer);
        thread = p.thread.take();
        Source::Live(p.ctl)
    });
    // What the tour's demos started is stopped and removed, however the program ends (q,
    // Ctrl-C, SIGTERM, SIGHUP, an error).
    let left = app.tour.as_ref().map(crate::app::tour::demo::cleanup);
    for cleanup in left.into_iter().chain(app.tour_cleanup.clone()) {
        if !cleanup.is_empty() {
            for line in poller::clean_up_tour(&roots, &cleanup) {
                let _ = writeln!(std::io::stderr(), "boxtop tour: {line}");
            }
        }
    }
    // The poller's channel is closed now: it ends at its next wait, and closes the
    // recording's last frame (waited for only when there is one to close).
    if live.record.is_some()
        && let Some(t) = thread
    {
        let _ = t.join();
    }
    result
}

/// Runs the dashboard on a recording: every pane on the past, actions refused.
pub fn run_replay(replay: Replay) -> color_eyre::Result<()> {
    let mut app = AppState::new(0);
    replay.settings.apply(&mut app);
    let losses = replay.recording.losses.clone();
    if !losses.is_empty() {
        app.status = Some(format!(
            "this recording lost samples: {} (boxtop replay --info says all)",
            losses.join("; ")
        ));
    }
    app.replay = Some(ReplayState {
        losses,
        ..ReplayState::default()
    });
    run_with(app, |tx| {
        Source::Replay(replay::spawn(replay.recording, replay.start, tx))
    })
    .0
}

/// Runs the dashboard until it quits; the state it ended in comes back with the result.
fn run_with(
    mut app: AppState,
    start: impl FnOnce(Sender<Msg>) -> Source,
) -> (color_eyre::Result<()>, AppState) {
    let result = run_screen(&mut app, start);
    (result, app)
}

fn run_screen(
    app: &mut AppState,
    start: impl FnOnce(Sender<Msg>) -> Source,
) -> color_eyre::Result<()> {
    // SIGTERM and SIGHUP are blocked in every thread and taken by one thread with sigwait,
    // which asks the main loop to leave: the terminal is restored on the normal path.
    let mut signals = SigSet::empty();
    signals.add(Signal::SIGTERM);
    signals.add(Signal::SIGHUP);
    signals.thread_block()?;

    let (tx, rx) = mpsc::channel::<Msg>();
    spawn_signal_thread(signals, tx.clone());
    spawn_input_thread(tx.clone());
    let source = start(tx);

    // crossterm honours NO_COLOR itself by writing each colour escape as nothing: what it
    // sends then is `ESC [ ; m`, an SGR reset, which also ends the bold and reverse video
    // set just before, and the selection and the focus vanish with the colours. boxtop
    // honours NO_COLOR in its theme instead (monochrome: no colour in any cell, attributes
    // kept), so crossterm is told to write what it is given.
    ratatui::crossterm::style::force_color_output(true);

    // Not ratatui::init: its panic hook and ratatui::restore print to stderr when restoring
    // fails, and after a hangup (the terminal window closed) stderr is that dead terminal:
    // eprintln! then panics, in the hook a second time, and the process aborts.
    let mut terminal = enter_terminal()?;
    execute!(std::io::stdout(), EnableMouseCapture)?;
    // A panic in any thread restores the terminal and then prints the report (color-eyre's).
    // A thread other than this one first waits for a frame being drawn to finish, and marks
    // the panic so that no frame follows.
    let ui_thread = std::thread::current().id();
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _guard = (std::thread::current().id() != ui_thread).then(|| {
            TERMINAL
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        });
        PANICKED.store(true, Ordering::SeqCst);
        let _ = execute!(std::io::stdout(), DisableMouseCapture);
        let _ = ratatui::try_restore();
        default_hook(info);
    }));

    let size = terminal.size()?;
    app.size = (size.width, size.height);
    crate::app::geometry::apply_layout(app);
    let result = main_loop(&mut terminal, app, &rx, &source);
    leave_terminal(terminal);
    result
}

/// Raw mode and the alternate screen, and a terminal drawing to stdout.
fn enter_terminal() -> std::io::Result<ratatui::DefaultTerminal> {
    ratatui::crossterm::terminal::enable_raw_mode()?;
    execute!(
        std::io::stdout(),
        ratatui::crossterm::terminal::EnterAlternateScreen
    )?;
    ratatui::Terminal::new(ratatui::backend::CrosstermBackend::new(std::io::stdout()))
}

/// Gives the terminal back: mouse off, cursor shown, raw mode off, main screen. Errors are
/// ignored, since there is nobody to tell: they happen when the terminal is gone (hangup).
fn leave_terminal(mut terminal: ratatui::DefaultTerminal) {
    let _ = execute!(std::io::stdout(), DisableMouseCapture);
    let shown = terminal.show_cursor().is_ok();
    let _ = ratatui::try_restore();
    if shown {
        drop(terminal);
    } else {
        // Its Drop would try to show the cursor again and eprintln! the failure.
        std::mem::forget(terminal);
    }
}

fn main_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut AppState,
    rx: &mpsc::Receiver<Msg>,
    source: &Source,
) -> color_eyre::Result<()> {
    // The first snapshot normally comes within tens of milliseconds: waiting for it, rather
    // than drawing a "reading /proc" frame first, leaves the CPUs to the reading (the first
    // draw costs a few milliseconds) and shows the full screen sooner. A slow first read
    // (a huge host) gets the placeholder after FIRST_FRAME_WAIT.
    let mut next = rx.recv_timeout(FIRST_FRAME_WAIT).ok();
    if next.is_none() {
        draw(terminal, app)?;
    }
    loop {
        let first = match next.take() {
            Some(m) => m,
            None => rx
                .recv()
                .map_err(|_| color_eyre::eyre::eyre!("the poller thread stopped"))?,
        };
        // Drain what is queued; of several snapshots only the newest matters.
        let mut batch: Vec<Msg> = std::iter::once(first)
            .chain(rx.try_iter())
            .flat_map(|m| match m {
                Msg::Together(parts) => parts,
                other => vec![other],
            })
            .collect();
        if let Some(last_snap) = batch.iter().rposition(|m| matches!(m, Msg::Snapshot(_))) {
            let mut i = 0;
            batch.retain(|m| {
                let keep = !matches!(m, Msg::Snapshot(_)) || i == last_snap;
                i += 1;
                keep
            });
        }
        if batch.iter().any(|m| matches!(m, Msg::PollerStopped)) {
            return Err(color_eyre::eyre::eyre!(
                "the poller thread stopped; see the message above"
            ));
        }
        for msg in batch {
            for effect in update(app, msg) {
                match (effect, source) {
                    (Effect::Suspend, _) => suspend(terminal)?,
                    (Effect::Select(sel), Source::Live(ctl)) => {
                        let _ = ctl.send(PollerCtl::Select(sel));
                    }
                    (Effect::Threads(scope), Source::Live(ctl)) => {
                        let _ = ctl.send(PollerCtl::Threads(scope));
                    }
                    // A recording's threads are what it recorded.
                    (Effect::Threads(_), Source::Replay(_)) => {}
                    (Effect::Plan(req), Source::Live(ctl)) => {
                        let _ = ctl.send(PollerCtl::Plan(req));
                    }
                    (Effect::Apply(plan), Source::Live(ctl)) => {
                        let _ = ctl.send(PollerCtl::Apply(plan));
                    }
                    (Effect::TourProbe(p), Source::Live(ctl)) => {
                        let _ = ctl.send(PollerCtl::TourProbe(p));
                    }
                    (Effect::TourCleanup(c), Source::Live(ctl)) => {
                        let _ = ctl.send(PollerCtl::TourCleanup(c));
                    }
                    (Effect::Select(sel), Source::Replay(ctl)) => {
                        let _ = ctl.send(ReplayCtl::Select(sel));
                    }
                    (Effect::Replay(r), Source::Replay(ctl)) => {
                        let _ = ctl.send(r);
                    }
                    // The state refuses actions in replay and asks no replay of the poller;
                    // should one come, it is dropped rather than aimed at the wrong source.
                    (
                        Effect::Plan(_)
                        | Effect::Apply(_)
                        | Effect::TourProbe(_)
                        | Effect::TourCleanup(_),
                        Source::Replay(_),
                    )
                    | (Effect::Replay(_), Source::Live(_)) => {}
                }
            }
        }
        if app.should_quit {
            return Ok(());
        }
        draw(terminal, app)?;
    }
}

/// How long the run loop waits for the first snapshot before it draws a placeholder.
const FIRST_FRAME_WAIT: Duration = Duration::from_millis(150);

/// One frame, unless a thread panicked (then the panic hook owns the terminal).
fn draw(terminal: &mut ratatui::DefaultTerminal, app: &AppState) -> color_eyre::Result<()> {
    let _drawing = TERMINAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if PANICKED.load(Ordering::SeqCst) {
        return Err(color_eyre::eyre::eyre!(
            "a thread panicked; see the message above"
        ));
    }
    terminal.draw(|f| crate::ui::draw(f, app))?;
    Ok(())
}

/// Ctrl-Z: give the terminal back, stop like any job, and take it again on `fg`.
fn suspend(terminal: &mut ratatui::DefaultTerminal) -> color_eyre::Result<()> {
    let _ = execute!(std::io::stdout(), DisableMouseCapture);
    // ratatui::restore() leaves the cursor hidden; the shell needs it back.
    terminal.show_cursor()?;
    ratatui::try_restore()?;
    nix::sys::signal::raise(Signal::SIGTSTP)?;
    // Resumed (SIGCONT).
    ratatui::crossterm::terminal::enable_raw_mode()?;
    execute!(
        std::io::stdout(),
        ratatui::crossterm::terminal::EnterAlternateScreen,
        EnableMouseCapture
    )?;
    // Redraw everything. Not terminal.clear(): it asks the terminal for the cursor position,
    // and the input thread, blocked reading the terminal, would take the answer.
    let size = terminal.size()?;
    terminal.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))?;
    terminal.hide_cursor()?;
    Ok(())
}

fn spawn_signal_thread(signals: SigSet, tx: Sender<Msg>) {
    let _ = std::thread::Builder::new()
        .name("boxtop-signals".into())
        .spawn(move || {
            if signals.wait().is_ok() {
                let _ = tx.send(Msg::Quit);
            }
        });
}

fn spawn_input_thread(tx: Sender<Msg>) {
    let _ = std::thread::Builder::new()
        .name("boxtop-input".into())
        .spawn(move || {
            loop {
                let msg = match event::read() {
                    Ok(TermEvent::Key(k)) if k.kind == event::KeyEventKind::Press => Msg::Key(k),
                    Ok(TermEvent::Mouse(m)) => Msg::Mouse(m),
                    Ok(TermEvent::Resize(w, h)) => Msg::Resize(w, h),
                    Ok(_) => continue,
                    Err(_) => {
                        std::thread::sleep(Duration::from_millis(50));
                        continue;
                    }
                };
                if tx.send(msg).is_err() {
                    return;
                }
            }
        });
}
