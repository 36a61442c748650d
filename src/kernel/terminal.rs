//! The width of the terminal boxtop prints to, as ps(1) finds it: none when stdout is not a
//! terminal (a pipe or a file gets whole lines), else `COLUMNS` when set to a number, else
//! the terminal's own (TIOCGWINSZ, tty_ioctl(4)).

use std::io::IsTerminal;

/// The columns to fit printed lines to; None to print them whole.
pub fn stdout_columns() -> Option<usize> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    if let Some(n) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|n| *n > 0)
    {
        return Some(n);
    }
    let mut ws = libc::winsize {
        ws_row: 0,
        ws_col: 0,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: TIOCGWINSZ fills the one winsize struct given; stdout is a terminal.
    let ok = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &raw mut ws) } == 0;
    (ok && ws.ws_col > 0).then_some(usize::from(ws.ws_col))
}
