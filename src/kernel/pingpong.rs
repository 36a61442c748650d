//! The tour's thread demo (step 2): a process whose two threads hand one token back and forth
//! through two pipes, `RATE` times a second each way, until it is killed. Each thread blocks
//! in read(2) until the other writes, so every pass is a voluntary context switch of the
//! thread that waited: /proc/PID/task/TID/status shows both counts climbing at about `RATE`
//! per second, and the threads' names (`token-ping`, `token-pong`) say which is which.

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::time::Duration;

/// The hidden command that runs it: `boxtop tour-pingpong`.
pub const SUBCOMMAND: &str = "tour-pingpong";
/// Passes per second, each way.
pub const RATE: u64 = 50;
/// The threads' names (at most 15 bytes: the kernel's TASK_COMM_LEN).
pub const NAMES: [&str; 2] = ["token-ping", "token-pong"];

/// Runs until killed; returns only if a thread could not be started or a pipe broke.
pub fn run() -> std::io::Result<()> {
    // A socket pair: one connection, both directions, like two pipes.
    let (a, b) = UnixStream::pair()?;
    let pause = Duration::from_millis(1000 / RATE);
    let player = |mut mine: UnixStream, serve: bool| {
        move || -> std::io::Result<()> {
            let mut token = [0u8; 1];
            if serve {
                mine.write_all(&token)?;
            }
            loop {
                mine.read_exact(&mut token)?;
                std::thread::sleep(pause);
                token[0] = token[0].wrapping_add(1);
                mine.write_all(&token)?;
            }
        }
    };
    let ping = std::thread::Builder::new()
        .name(NAMES[0].into())
        .spawn(player(a, true))?;
    let pong = std::thread::Builder::new()
        .name(NAMES[1].into())
        .spawn(player(b, false))?;
    let first = ping.join().unwrap_or(Ok(()));
    let second = pong.join().unwrap_or(Ok(()));
    first.and(second)
}
