//! A small HTTP/1.1 server on `std::net`, no async runtime: one thread polls every socket
//! (nonblocking, `poll(2)`), reads each request up to a size cap and a deadline, and writes
//! each answer as far as the client takes it, so that a client that sends nothing, sends too
//! much or reads slowly holds one slot and nothing else. `/metrics` is answered from the
//! collection thread (`serve.rs`), which the poll thread asks and which wakes it through a
//! socket pair: the kernel is read there, never on the poll thread, and two scrapes in one
//! interval share one reading. One request per connection (`Connection: close`).

use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use std::io::{ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::fd::AsFd;
use std::os::unix::net::UnixStream;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender};
use std::time::{Duration, Instant};

/// What bounds the server.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Open connections at most; one more is closed as soon as it is accepted.
    pub connections: usize,
    /// A request's line and headers, in bytes; more is answered 431.
    pub request_bytes: usize,
    /// From the connection to the end of its headers.
    pub read_timeout: Duration,
    /// From the answer's first byte to its last.
    pub write_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            connections: 256,
            request_bytes: 8 << 10,
            read_timeout: Duration::from_secs(5),
            write_timeout: Duration::from_secs(10),
        }
    }
}

/// The poll thread's side of the collection: `want` asks for a fresh answer to
/// `/metrics`; answers come back on `answers`, with a byte on `wake`.
pub struct Metrics {
    pub want: Sender<()>,
    pub answers: Receiver<Arc<Vec<u8>>>,
    pub wake: UnixStream,
}

enum State {
    Reading(Vec<u8>),
    /// Waiting for the collection's answer.
    Waiting,
    Writing {
        answer: Arc<Vec<u8>>,
        sent: usize,
    },
}

struct Conn {
    stream: TcpStream,
    state: State,
    deadline: Instant,
}

/// Serves until the listener fails; `page` is the answer to `GET /`.
pub fn serve(
    listener: &TcpListener,
    metrics: &Metrics,
    limits: Limits,
    page: &str,
) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    metrics.wake.set_nonblocking(true)?;
    let index = Arc::new(response(
        "200 OK",
        "text/html; charset=utf-8",
        page.as_bytes(),
    ));
    let mut conns: Vec<Conn> = Vec::new();
    let mut asked = false;
    loop {
        let now = Instant::now();
        let wait = conns
            .iter()
            .map(|c| c.deadline.saturating_duration_since(now))
            .min()
            .unwrap_or(Duration::from_secs(3600));
        let ready = wait_ready(listener, &metrics.wake, &conns, wait)?;
        if ready.listener {
            accept(listener, &mut conns, limits);
        }
        if ready.wake {
            let mut sink = [0u8; 64];
            while matches!((&metrics.wake).read(&mut sink), Ok(n) if n > 0) {}
            if let Some(answer) = metrics.answers.try_iter().last() {
                asked = false;
                for c in conns
                    .iter_mut()
                    .filter(|c| matches!(c.state, State::Waiting))
                {
                    c.state = State::Writing {
                        answer: answer.clone(),
                        sent: 0,
                    };
                    c.deadline = Instant::now() + limits.write_timeout;
                }
            }
        }
        for (c, r) in conns.iter_mut().zip(ready.conns) {
            if r {
                step(c, limits, &index);
            }
        }
        if !asked && conns.iter().any(|c| matches!(c.state, State::Waiting)) {
            asked = metrics.want.send(()).is_ok();
        }
        let now = Instant::now();
        conns.retain(|c| !done(c) && c.deadline > now);
    }
}

struct Ready {
    listener: bool,
    wake: bool,
    conns: Vec<bool>,
}

fn wait_ready(
    listener: &TcpListener,
    wake: &UnixStream,
    conns: &[Conn],
    wait: Duration,
) -> std::io::Result<Ready> {
    let mut fds = vec![
        PollFd::new(listener.as_fd(), PollFlags::POLLIN),
        PollFd::new(wake.as_fd(), PollFlags::POLLIN),
    ];
    for c in conns {
        let want = match c.state {
            State::Reading(_) => PollFlags::POLLIN,
            // Only a hang-up is news while the collection works.
            State::Waiting => PollFlags::empty(),
            State::Writing { .. } => PollFlags::POLLOUT,
        };
        fds.push(PollFd::new(c.stream.as_fd(), want));
    }
    let ms = u16::try_from(wait.as_millis().clamp(1, 60_000)).unwrap_or(u16::MAX);
    match poll(&mut fds, PollTimeout::from(ms)) {
        Ok(_) => {}
        Err(nix::errno::Errno::EINTR) => {}
        Err(e) => return Err(e.into()),
    }
    let hit = |f: &PollFd| f.revents().is_some_and(|r| !r.is_empty());
    Ok(Ready {
        listener: fds.first().is_some_and(hit),
        wake: fds.get(1).is_some_and(hit),
        conns: fds.iter().skip(2).map(hit).collect(),
    })
}

fn accept(listener: &TcpListener, conns: &mut Vec<Conn>, limits: Limits) {
    loop {
        match listener.accept() {
            Ok((stream, _)) => {
                // Over the bound: closed at once (dropped), never queued.
                if conns.len() >= limits.connections || stream.set_nonblocking(true).is_err() {
                    continue;
                }
                conns.push(Conn {
                    stream,
                    state: State::Reading(Vec::new()),
                    deadline: Instant::now() + limits.read_timeout,
                });
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            // WouldBlock: nothing more to accept; anything else (EMFILE): try next time.
            Err(_) => return,
        }
    }
}

/// Reads or writes what the socket takes now.
fn step(c: &mut Conn, limits: Limits, index: &Arc<Vec<u8>>) {
    match &mut c.state {
        State::Reading(buf) => {
            let mut chunk = [0u8; 2048];
            match c.stream.read(&mut chunk) {
                Ok(0) => c.deadline = Instant::now(), // gone before asking
                Ok(n) => {
                    buf.extend_from_slice(chunk.get(..n).unwrap_or_default());
                    if let Some(next) = route(buf, limits, index) {
                        c.state = next;
                        c.deadline = Instant::now() + limits.write_timeout;
                    }
                }
                Err(e)
                    if e.kind() == ErrorKind::WouldBlock || e.kind() == ErrorKind::Interrupted => {}
                Err(_) => c.deadline = Instant::now(),
            }
        }
        // Hung up while waiting (POLLHUP): let it go.
        State::Waiting => c.deadline = Instant::now(),
        State::Writing { answer, sent } => {
            match c.stream.write(answer.get(*sent..).unwrap_or_default()) {
                Ok(n) => *sent += n,
                Err(e)
                    if e.kind() == ErrorKind::WouldBlock || e.kind() == ErrorKind::Interrupted => {}
                Err(_) => c.deadline = Instant::now(),
            }
        }
    }
}

fn done(c: &Conn) -> bool {
    matches!(&c.state, State::Writing { answer, sent } if *sent >= answer.len())
}

/// What a request read so far asks for: None until its headers are whole.
fn route(buf: &[u8], limits: Limits, index: &Arc<Vec<u8>>) -> Option<State> {
    let end = buf.windows(4).position(|w| w == b"\r\n\r\n");
    if end.is_none() && buf.len() < limits.request_bytes {
        return None;
    }
    let write = |a: Vec<u8>| State::Writing {
        answer: Arc::new(a),
        sent: 0,
    };
    let Some(end) = end.filter(|e| *e <= limits.request_bytes) else {
        return Some(write(plain(
            "431 Request Header Fields Too Large",
            "request too large\n",
        )));
    };
    let head = String::from_utf8_lossy(buf.get(..end).unwrap_or_default());
    let mut words = head.lines().next().unwrap_or("").split(' ');
    let (method, target) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
    let path = target.split('?').next().unwrap_or("");
    Some(match (method, path) {
        ("GET", "/metrics") => State::Waiting,
        ("GET", "/") => State::Writing {
            answer: index.clone(),
            sent: 0,
        },
        ("GET", _) => write(plain("404 Not Found", "not found: try /metrics\n")),
        _ => write(plain("405 Method Not Allowed", "only GET\n")),
    })
}

fn plain(status: &str, text: &str) -> Vec<u8> {
    response(status, "text/plain; charset=utf-8", text.as_bytes())
}

/// A whole answer: status line, headers, body.
pub fn response(status: &str, content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn routed(req: &[u8]) -> Option<String> {
        let index = Arc::new(b"index".to_vec());
        match route(req, Limits::default(), &index)? {
            State::Waiting => Some("metrics".into()),
            State::Writing { answer, .. } => Some(
                String::from_utf8_lossy(&answer)
                    .lines()
                    .next()
                    .unwrap_or("")
                    .to_string(),
            ),
            State::Reading(_) => Some("reading".into()),
        }
    }

    #[test]
    fn requests_are_routed_once_their_headers_are_whole() {
        assert_eq!(
            routed(b"GET /metrics HTTP/1.1\r\nHost: x\r\n"),
            None,
            "not yet"
        );
        assert_eq!(
            routed(b"GET /metrics HTTP/1.1\r\n\r\n").as_deref(),
            Some("metrics")
        );
        assert_eq!(
            routed(b"GET /metrics?x=1 HTTP/1.1\r\n\r\n").as_deref(),
            Some("metrics")
        );
        assert_eq!(routed(b"GET / HTTP/1.0\r\n\r\n").as_deref(), Some("index"));
        assert_eq!(
            routed(b"GET /../etc/passwd HTTP/1.1\r\n\r\n").as_deref(),
            Some("HTTP/1.1 404 Not Found")
        );
        assert_eq!(
            routed(b"POST /metrics HTTP/1.1\r\n\r\n").as_deref(),
            Some("HTTP/1.1 405 Method Not Allowed")
        );
        let huge = vec![b'a'; 9000];
        assert_eq!(
            routed(&huge).as_deref(),
            Some("HTTP/1.1 431 Request Header Fields Too Large")
        );
    }
}
